from datetime import timedelta

from django.utils import timezone

from gongwei.audit.log import record
from gongwei.audit.models import Action, AuditEvent


def test_county_administrator_queries_the_log_by_user_resident_and_date(client, county, rf_for):
    record(rf_for(county.user("doctor_v11")), Action.VIEW, object_type="resident", object_id=1,
           resident_id=1, record_unit=county.v11.code)
    record(rf_for(county.user("doctor_v21")), Action.VIEW, object_type="resident", object_id=2,
           resident_id=2, record_unit=county.v21.code)
    client.force_login(county.user("county_admin"))
    page = client.get("/audit/", {"user": "doctor_v11"}).content.decode()
    assert "doctor_v11" in page and "doctor_v21" not in page
    page = client.get("/audit/", {"resident": 2}).content.decode()
    assert "doctor_v21" in page and "doctor_v11" not in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.get("/audit/", {"date_from": tomorrow}).content.decode()
    assert "doctor_v11" not in page and "doctor_v21" not in page


def test_event_records_who_when_where_and_what(county, rf_for):
    event = record(rf_for(county.user("doctor_v11")), Action.SHOW_ID, object_type="resident",
                   object_id=9, resident_id=9, record_unit=county.v11.code)
    event.refresh_from_db()
    assert (event.user.username, event.unit_code, event.ip) == ("doctor_v11", county.v11.code, "10.0.0.7")
    assert event.at is not None and event.action == Action.SHOW_ID


def test_only_county_administrators_read_the_log(client, county):
    for name in ("doctor_v11", "ph_t1", "county_cdc"):
        client.force_login(county.user(name))
        assert client.get("/audit/").status_code == 403


def test_bad_date_range_is_explained_and_kept(client, county):
    client.force_login(county.user("county_admin"))
    page = client.get("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"}).content.decode()
    assert "截止日期早于起始日期" in page and 'value="2026-05-02"' in page


def test_events_cannot_be_changed_in_the_admin(client, county, rf_for):
    event = record(rf_for(county.user("doctor_v11")), Action.VIEW, object_type="resident", object_id=1)
    client.force_login(county.user("sysadmin"))
    client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()
