"""The pages as the clinic uses them: the card on the resident page, recording doses, the
lists with print and Excel, adverse events for the county."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongwei.programmes.immunization.models import AEFI, DoseRecord, VaccinationCard

from .helpers import child, give, issue

TODAY = timezone.localdate()
BORN = TODAY - timedelta(days=70)        # a little over 2 months old


@pytest.fixture
def baby(county, make_resident, rf_for):
    r = child(county, make_resident, "周小宝", BORN)
    issue(county, rf_for, r, BORN + timedelta(days=10))
    give(county, rf_for, r, "HepB", 1, BORN, elsewhere="县人民医院")
    return r


def card_url(r):
    return f"/programmes/immunization/card/{VaccinationCard.objects.get(resident=r).enrolment_id}/"


def test_the_resident_page_offers_a_card_to_a_child_and_nothing_to_an_adult(client, county, make_resident):
    kid = child(county, make_resident, "吴小妹", BORN, sex="2")
    man = make_resident(county.v11, "吴大", birth_date=date(1970, 1, 1))
    client.force_login(county.user("doctor_v11"))
    assert f"/programmes/immunization/card/new/{kid.pk}/" in client.get(f"/people/{kid.pk}/").content.decode()
    assert "/programmes/immunization/card/" not in client.get(f"/people/{man.pk}/").content.decode()


def test_issuing_a_card_from_the_form(client, county, make_resident):
    kid = child(county, make_resident, "吴小妹", BORN, sex="2")
    client.force_login(county.user("ph_t1"))
    response = client.post(f"/programmes/immunization/card/new/{kid.pk}/", {
        "date": TODAY.isoformat(), "clinic": county.t1.code, "number": "JZ0001"})
    card = VaccinationCard.objects.get(resident=kid)
    assert response.status_code == 302 and response["Location"] == card_url(kid)
    assert (card.number, card.on_time) == ("JZ0001", False)       # 70 days after birth


def test_the_card_page_lists_doses_given_and_due_and_records_a_dose(client, county, baby):
    client.force_login(county.user("ph_t1"))
    page = client.get(card_url(baby)).content.decode()
    assert "县人民医院" in page and 'name="batch"' in page
    # At 2 months: BCG, polio 1 and DTaP 1 can be given (NORMS §3.1).
    assert "?vaccine=DTaP&amp;dose=1" in page and "?vaccine=BCG&amp;dose=1" in page
    response = client.post(card_url(baby), {
        "vaccine": "DTaP", "dose": "1", "date": TODAY.isoformat(), "where": "here", "clinic": county.t1.code,
        "vaccinator": county.user("ph_t1").pk, "batch": "202605A001", "manufacturer": "武汉生物制品研究所",
        "site": "l_thigh", "route": "im"})
    assert response.status_code == 302
    dose = DoseRecord.objects.get(resident=baby, vaccine="DTaP")
    assert (dose.validity, dose.batch, dose.vaccinator, dose.clinic_id) == (
        "valid", "202605A001", county.user("ph_t1"), county.t1.code)


def test_the_dose_form_explains_and_keeps_what_was_typed(client, county, baby):
    client.force_login(county.user("doctor_v11"))
    body = client.post(card_url(baby), {
        "vaccine": "BCG", "dose": "2", "date": (TODAY + timedelta(days=1)).isoformat(), "where": "here",
        "clinic": county.t1.code, "vaccinator": county.user("doctor_v11").pk, "batch": "批号记得住",
        "manufacturer": "", "site": "oral", "route": ""}).content.decode()
    assert 'value="批号记得住"' in body
    assert body.count('class="errorlist') >= 4     # future date, BCG has 1 dose, site, manufacturer
    assert not DoseRecord.objects.filter(vaccine="BCG").exists()


def test_a_dose_given_too_early_is_saved_with_a_warning(client, county, make_resident):
    young = child(county, make_resident, "早打", TODAY - timedelta(days=20))
    from gongwei.programmes.immunization import actions

    actions.do_issue_card(_request(county, "ph_t1"), young, TODAY, county.t1)
    client.force_login(county.user("ph_t1"))
    response = client.post(card_url(young), {
        "vaccine": "DTaP", "dose": "1", "date": TODAY.isoformat(), "where": "elsewhere",
        "elsewhere": "私立诊所"}, follow=True)
    assert DoseRecord.objects.get(resident=young).validity == "too_early"
    assert "message warning" in response.content.decode()


def _request(county, name):
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    request.user = county.user(name)
    return request


def test_county_staff_read_the_card_but_do_not_write_on_it(client, county, baby):
    client.force_login(county.user("county_admin"))
    assert client.get(card_url(baby)).status_code == 200
    assert client.post(card_url(baby), {"vaccine": "BCG", "dose": "1", "date": TODAY.isoformat(),
                                        "where": "elsewhere", "elsewhere": "x"}).status_code == 403


def test_the_due_list_prints_and_exports(client, county, baby):
    from openpyxl import load_workbook

    client.force_login(county.user("ph_t1"))
    assert "周小宝" in client.get("/programmes/immunization/due/").content.decode()
    assert "周小宝" in client.get("/programmes/immunization/due/print/?tab=all").content.decode()
    response = client.get("/programmes/immunization/due/export/?tab=all")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any(row[1] == "周小宝" for row in sheet.iter_rows(values_only=True))
    assert "周小宝" not in client.get("/programmes/immunization/due/?tab=catch_up").content.decode()
    client.force_login(county.user("doctor_v12"))
    assert "周小宝" not in client.get("/programmes/immunization/due/").content.decode()


def test_an_adverse_event_is_reported_and_classified_by_the_county_cdc(client, county, baby):
    dose = DoseRecord.objects.get(resident=baby)
    client.force_login(county.user("doctor_v11"))
    response = client.post(f"/programmes/immunization/aefi/new/{dose.pk}/", {
        "onset_date": BORN.isoformat(), "symptoms": "发热38.5℃", "severity": "general",
        "reported_on": (BORN + timedelta(days=1)).isoformat()})
    assert response.status_code == 302
    aefi = AEFI.objects.get()
    assert client.get("/programmes/immunization/aefi/").status_code == 403     # county staff only
    client.force_login(county.user("county_cdc"))
    assert "发热38.5℃" in client.get("/programmes/immunization/aefi/").content.decode()
    client.post(f"/programmes/immunization/aefi/{aefi.pk}/", {
        "classification": "common", "outcome": "recovered", "note": "一般反应", "date": TODAY.isoformat()})
    aefi.refresh_from_db()
    assert (aefi.classification, aefi.outcome, aefi.classified_by) == ("common", "recovered", county.user("county_cdc"))
    client.force_login(county.user("ph_t1"))
    assert client.post(f"/programmes/immunization/aefi/{aefi.pk}/", {
        "classification": "rare", "date": TODAY.isoformat()}).status_code == 403


def test_an_onset_before_the_dose_is_refused(client, county, baby):
    dose = DoseRecord.objects.get(resident=baby)
    client.force_login(county.user("doctor_v11"))
    body = client.post(f"/programmes/immunization/aefi/new/{dose.pk}/", {
        "onset_date": (BORN - timedelta(days=1)).isoformat(), "symptoms": "皮疹", "severity": "general",
        "reported_on": TODAY.isoformat()}).content.decode()
    assert "errorlist" in body and not AEFI.objects.exists()
