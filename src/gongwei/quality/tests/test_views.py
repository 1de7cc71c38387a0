"""The room as each role sees it: the village's own list, the township's counts per village,
an outsider who "should have no access to any of this", run now and explain."""

from datetime import date

import pytest
from django.urls import reverse

from gongwei.audit.models import AuditEvent
from gongwei.care.models import Visit
from gongwei.quality.models import Finding
from gongwei.quality.run import run

URL = "/quality/"


@pytest.fixture
def findings(county, patient, followup):
    """一村 has an implausible pressure (an error) and a doctor's impossible day (a suspicion)."""
    followup(patient[1], date(2025, 4, 1), 300, 80)
    Visit.objects.bulk_create(Visit(enrolment=patient[1], resident_id=patient[0].pk, programme="htn",
                                    village=county.v11, date=date(2025, 6, 3), doctor=county.user("doctor_v11"))
                              for _ in range(41))
    run(county.county.code)
    return Finding.objects.get(check_code="bp_range"), Finding.objects.get(check_code="visit_density")


def test_reverse_names_the_menu_item():
    assert reverse("quality:findings") == URL


def test_anonymous_is_sent_to_login(client):
    assert client.get(URL).status_code == 302


def test_village_doctor_sees_their_findings_linked_to_the_resident(login, county, patient, findings):
    page = login(county.user("doctor_v11")).get(URL).content.decode()
    assert "质控甲" in page and "300/80" in page
    assert reverse("people:detail", args=[patient[0].pk]) in page
    assert "一村医生 在 2025-06-03" in page
    assert 'name="check"' in page
    assert "?village=339901101201&check=" not in page  # the per-village table is for the township


def test_doctor_of_another_village_sees_none_of_them(login, county, findings):
    client = login(county.user("doctor_v12"))
    page = client.get(URL).content.decode()
    assert "质控甲" not in page and "300/80" not in page and "一村" not in page
    assert client.get(URL + "?state=explained").content.decode().count("300/80") == 0
    page = login(county.user("ph_t2")).get(URL + "?village=339901101201").content.decode()
    assert "300/80" not in page  # a village outside the scope is ignored as a filter


def test_township_sees_counts_per_village_and_filters(login, county, findings):
    client = login(county.user("ph_t1"))
    page = client.get(URL).content.decode()
    assert "?village=339901101201&check=bp_range" in page and "二村卫生室" in page
    page = client.get(URL + "?check=visit_density").content.decode()
    assert "300/80" not in page and "一村医生 在 2025-06-03" in page
    page = client.get(URL + "?village=339901101202").content.decode()
    assert "300/80" not in page
    assert AuditEvent.objects.filter(object_type="quality_findings", user=county.user("ph_t1")).exists()


def test_run_now_recomputes_the_users_scope_only(login, county, patient, followup):
    followup(patient[1], date(2025, 4, 1), 300, 80)
    response = login(county.user("doctor_v12")).post(reverse("quality:run"))
    assert response.status_code == 302 and not Finding.objects.exists()
    login(county.user("doctor_v11")).post(reverse("quality:run"))
    assert Finding.objects.get().village_id == county.v11.code
    assert AuditEvent.objects.filter(object_type="quality_run", object_id=county.v11.code).exists()


def test_run_now_is_a_post(login, county):
    assert login(county.user("doctor_v11")).get(reverse("quality:run")).status_code == 405


def test_explaining_a_finding_resolves_it_with_the_note_and_audits(login, county, findings):
    bp, _ = findings
    client = login(county.user("doctor_v11"))
    response = client.post(reverse("quality:explain"), {"finding": bp.pk, "note": "电子血压计故障，已复测", "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    bp.refresh_from_db()
    assert (bp.state, bp.resolved_by, bp.note) == ("explained", county.user("doctor_v11"), "电子血压计故障，已复测")
    event = AuditEvent.objects.get(object_type="finding", object_id=str(bp.pk))
    assert event.detail["check"] == "bp_range" and event.resident_id == bp.resident_id
    assert "电子血压计故障" not in str(event.detail)  # the note stays on the finding
    assert "电子血压计故障" in client.get(URL + "?state=explained").content.decode()


def test_an_empty_note_explains_nothing(login, county, findings):
    bp, _ = findings
    login(county.user("doctor_v11")).post(reverse("quality:explain"), {"finding": bp.pk, "note": "  "})
    bp.refresh_from_db()
    assert bp.state == "open"


def test_the_doctor_cannot_explain_away_a_suspected_fabrication(login, county, findings):
    _, busy = findings
    login(county.user("doctor_v11")).post(reverse("quality:explain"), {"finding": busy.pk, "note": "都去了"})
    busy.refresh_from_db()
    assert busy.state == "open"
    login(county.user("ph_t1")).post(reverse("quality:explain"), {"finding": busy.pk, "note": "义诊活动，已核实"})
    busy.refresh_from_db()
    assert busy.state == "explained"


def test_an_outsider_cannot_explain_a_finding(login, county, findings):
    bp, _ = findings
    response = login(county.user("doctor_v12")).post(reverse("quality:explain"), {"finding": bp.pk, "note": "x"})
    assert response.status_code == 404
    bp.refresh_from_db()
    assert bp.state == "open"


def test_explain_does_not_redirect_off_site(login, county, findings):
    bp, _ = findings
    response = login(county.user("doctor_v11")).post(
        reverse("quality:explain"), {"finding": bp.pk, "note": "ok", "next": "https://evil.example/"})
    assert response["Location"] == URL


def test_the_busy_day_links_to_the_visits_behind_it(login, county, patient, findings):
    _, busy = findings
    page = login(county.user("ph_t1")).get(URL + "?check=visit_density").content.decode()
    link = f"/quality/day/{county.v11.code}/?doctor={county.user('doctor_v11').pk}&amp;date=2025-06-03"
    assert link in page
    page = login(county.user("ph_t1")).get(link.replace("&amp;", "&")).content.decode()
    assert page.count(reverse("people:detail", args=[patient[0].pk])) == 41
    assert login(county.user("doctor_v12")).get(link.replace("&amp;", "&")).status_code == 404


def test_the_day_page_without_a_doctor_is_empty(login, county, findings):
    assert login(county.user("doctor_v11")).get(f"/quality/day/{county.v11.code}/").status_code == 200
