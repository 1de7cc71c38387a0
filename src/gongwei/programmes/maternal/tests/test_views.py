"""The maternal pages as a village doctor uses them: register, record, the due list."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongwei.care.models import Enrolment

from ..models import AntenatalCheck, Delivery, Pregnancy
from .helpers import book, deliver, woman


@pytest.fixture
def her(county, make_resident):
    return woman(county, make_resident, "李春花")


def test_a_woman_page_offers_to_register_a_pregnancy_and_a_man_page_does_not(client, county, make_resident, her):
    client.force_login(county.user("doctor_v11"))
    assert f"/programmes/maternal/register/{her.pk}/" in client.get(f"/people/{her.pk}/").content.decode()
    man = make_resident(county.v11, "王大", sex="1", birth_date=date(1990, 1, 1))
    assert "/programmes/maternal/register/" not in client.get(f"/people/{man.pk}/").content.decode()


def test_registering_from_the_form_books_and_records_the_first_check(client, county, her):
    client.force_login(county.user("doctor_v11"))
    today = timezone.localdate()
    lmp = today - timedelta(days=60)
    response = client.post(f"/programmes/maternal/register/{her.pk}/", {
        "booked_on": today.isoformat(), "lmp": lmp.isoformat(), "gravida": "2", "para": "1",
        "weight_kg": "55", "height_cm": "160", "sbp": "110", "dbp": "70", "haemoglobin": "118",
        "urine_protein": "-", "classification": "1", "guidance": ["1", "4"], "risk_conditions": ["scarred_uterus"]})
    assert response.status_code == 302
    p = Pregnancy.objects.get(resident=her)
    assert (p.early_booking, p.edd, p.gravida, p.para, p.colour) == (True, lmp + timedelta(days=280), 2, 1, "yellow")
    check = AntenatalCheck.objects.get(pregnancy=p)
    assert (check.window, check.guidance, str(check.bmi)) == ("anc1", ["1", "4"], "21.5")   # 55 / 1.6² = 21.48


def test_the_form_explains_and_keeps_what_was_typed(client, county, her):
    client.force_login(county.user("doctor_v11"))
    today = timezone.localdate()
    body = client.post(f"/programmes/maternal/register/{her.pk}/", {
        "booked_on": today.isoformat(), "lmp": (today + timedelta(days=3)).isoformat(), "gravida": "1", "para": "1",
        "sbp": "80", "dbp": "120", "classification": "2", "complaints": "头晕乏力"}).content.decode()
    assert 'value="头晕乏力"' in body and not Pregnancy.objects.exists()
    assert body.count('class="errorlist') >= 4   # future LMP, para ≥ gravida, dbp ≥ sbp, abnormal without text


def test_the_work_list_link_opens_the_form_of_the_visit_due(client, county, rf_for, her):
    p = book(rf_for(county.user("doctor_v11")), her)
    client.force_login(county.user("doctor_v11"))
    # Overdue since the anc2 window closed on 27 May: on the generic work list, with our form.
    url = f"/programmes/maternal/visit/{p.enrolment_id}/"
    assert url in client.get("/care/?programme=maternal").content.decode()
    assert 'name="fundal_height_cm"' in client.get(url).content.decode()      # the antenatal form
    deliver(rf_for(county.user("doctor_v11")), p, date(2026, 10, 5), discharge=date(2026, 10, 8))
    body = client.get(url).content.decode()
    assert 'name="lochia"' in body and 'name="disposal"' not in body          # the postpartum home visit
    response = client.post(url, {"visit_date": "2026-10-10", "breasts": "1", "lochia": "1", "uterus": "1",
                                 "classification": "1"})
    assert response.status_code == 302
    assert 'name="disposal"' in client.get(url).content.decode()              # then the 42-day check


def test_an_antenatal_check_from_the_form(client, county, rf_for, her):
    p = book(rf_for(county.user("doctor_v11")), her)
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/programmes/maternal/pregnancy/{p.pk}/antenatal/")
    assert page.status_code == 200
    response = client.post(f"/programmes/maternal/pregnancy/{p.pk}/antenatal/", {
        "visit_date": "2026-05-01", "weight_kg": "58", "sbp": "112", "dbp": "72", "fundal_height_cm": "18",
        "abdominal_circumference_cm": "82", "fetal_position": "1", "fetal_heart_rate": "146", "haemoglobin": "115",
        "urine_protein": "-", "classification": "1", "next_visit_date": "2026-06-05"})
    assert response.status_code == 302
    assert AntenatalCheck.objects.get(visit__date=date(2026, 5, 1)).window == "anc2"
    assert Enrolment.objects.get(pk=p.enrolment_id).next_due == date(2026, 5, 28)


def test_the_delivery_form_checks_the_outcome_against_the_births(client, county, rf_for, her):
    p = book(rf_for(county.user("doctor_v11")), her)
    client.force_login(county.user("doctor_v11"))
    url = f"/programmes/maternal/pregnancy/{p.pk}/delivery/"
    body = client.post(url, {"date": "2026-10-05", "place": "1", "institution": "", "mode": "1", "outcome": "1",
                             "live_births": "0", "stillbirths": "0", "discharge_date": "2026-10-04"}).content.decode()
    assert body.count('class="errorlist') >= 3 and not Delivery.objects.exists()
    assert client.post(url, {"date": "2026-10-05", "place": "1", "institution": "县妇幼保健院", "mode": "2",
                             "outcome": "1", "live_births": "2", "stillbirths": "0",
                             "discharge_date": "2026-10-09"}).status_code == 302
    assert Delivery.objects.get().live_births == 2


def test_the_pregnancy_page_and_the_due_list(client, county, rf_for, her):
    p = book(rf_for(county.user("doctor_v11")), her)
    client.force_login(county.user("doctor_v11"))
    body = client.get(f"/programmes/maternal/pregnancy/{p.pk}/").content.decode()
    assert "李春花" in body and "2026-10-08" in body   # the EDD
    body = client.get("/programmes/maternal/due/").content.decode()
    assert "李春花" in body   # anc2 window closed on 27 May: overdue today
    client.force_login(county.user("doctor_v12"))
    assert "李春花" not in client.get("/programmes/maternal/due/").content.decode()
    assert client.get(f"/programmes/maternal/pregnancy/{p.pk}/").status_code == 404
