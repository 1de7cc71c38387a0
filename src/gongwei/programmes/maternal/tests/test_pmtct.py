"""PMTCT results: MCH officers see them (and every view is audited); nobody else, anywhere."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from gongwei.audit.models import AuditEvent

from .. import actions
from ..models import HighRiskCase, InfectionScreening, Pregnancy, RiskAssessment
from .helpers import antenatal, book, deliver, fresh, woman

SECRET_NOTE = "母婴阻断保密备注"
# What would give the results away: the results' note, the conditions they set, the purple badge.
MARKERS = (SECRET_NOTE, "梅毒", "Purple (infectious disease)", "紫色", "PMTCT")


@pytest.fixture
def screened(county, make_resident, rf_for):
    p = book(rf_for(county.user("doctor_v11")), woman(county, make_resident, "甄保密"))
    actions.do_record_screening(rf_for(county.user("mch_t1")), fresh(p), {
        "hiv_result": "1", "hiv_date": date(2026, 3, 3), "syphilis_result": "2", "syphilis_date": date(2026, 3, 3),
        "hbsag_result": "1", "hbsag_date": date(2026, 3, 3), "note": SECRET_NOTE})
    return fresh(p)


def test_a_positive_syphilis_result_makes_her_purple_and_opens_a_case_seen_by_mch_only(screened):
    p = screened
    assert (p.colour, p.purple, p.pmtct_purple) == ("green", False, True)
    latest = RiskAssessment.objects.filter(pregnancy=p).first()
    assert (latest.date, latest.conditions) == (date(2026, 3, 3), ["syphilis"])
    assert HighRiskCase.objects.get(pregnancy=p).pmtct_only


def test_mch_officers_see_the_results_and_each_view_is_audited(client, county, screened):
    for name in ("mch_t1", "county_mch", "sysadmin"):
        client.force_login(county.user(name))
        before = AuditEvent.objects.filter(action="view", object_type="pmtct").count()
        page = client.get(f"/programmes/maternal/pregnancy/{screened.pk}/pmtct/")
        assert page.status_code == 200 and SECRET_NOTE in page.content.decode()
        event = AuditEvent.objects.filter(action="view", object_type="pmtct").latest("id")
        assert AuditEvent.objects.filter(action="view", object_type="pmtct").count() == before + 1
        assert (event.user, event.resident_id, event.object_id) == (county.user(name), screened.resident_id, str(screened.pk))


def test_the_pregnancy_page_audits_an_mch_officer_who_sees_the_conditions_the_results_set(client, county, screened):
    client.force_login(county.user("mch_t1"))
    assert "梅毒" in client.get(f"/programmes/maternal/pregnancy/{screened.pk}/").content.decode()
    assert AuditEvent.objects.filter(action="view", object_type="pmtct", user=county.user("mch_t1")).exists()


def test_a_village_doctor_is_refused_the_results_page(client, county, screened):
    client.force_login(county.user("doctor_v11"))
    url = f"/programmes/maternal/pregnancy/{screened.pk}/pmtct/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"hiv_result": "2", "hiv_date": "2026-03-04"}).status_code == 403
    assert InfectionScreening.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="pmtct", action="view").exists()


def test_other_staff_are_refused_and_an_mch_officer_of_another_township_finds_nothing(client, county, screened):
    url = f"/programmes/maternal/pregnancy/{screened.pk}/pmtct/"
    for name, status in (("ph_t1", 403), ("director_t1", 403), ("county_admin", 403), ("county_cdc", 403),
                         ("mch_t2", 404)):
        client.force_login(county.user(name))
        assert client.get(url).status_code == status, name


def test_a_village_doctor_never_sees_the_values_anywhere(client, county, rf_for, screened):
    client.force_login(county.user("doctor_v11"))
    pages = [f"/people/{screened.resident_id}/", f"/programmes/maternal/pregnancy/{screened.pk}/",
             "/programmes/maternal/due/?village=" + county.v11.code, "/care/", "/care/plan/",
             f"/programmes/maternal/pregnancy/{screened.pk}/antenatal/",
             f"/programmes/maternal/pregnancy/{screened.pk}/risk/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "甄保密" in body or "antenatal" in url or "risk" in url or "/care/" in url, url
        form = url.endswith(("antenatal/", "risk/"))   # their checkboxes are grouped under "紫色…"
        for marker in MARKERS:
            if not (form and marker == "紫色"):
                assert marker not in body, (url, marker)
    # The exports: the visit plan and the indicator drill-downs.

    deliver(rf_for(county.user("doctor_v11")), screened, date(2026, 10, 5))
    for url in ("/care/plan.xlsx", f"/indicators/mch.high_risk_screened/{county.v11.code}/?period=year&value=2026&export=xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        cells = " ".join(str(c.value) for ws in load_workbook(io.BytesIO(response.content)).worksheets
                         for row in ws.iter_rows() for c in row if c.value is not None)
        assert "甄保密" in cells or "plan" in url
        for marker in MARKERS:
            assert marker not in cells, (url, marker)
    assert not AuditEvent.objects.filter(object_type="pmtct", action="view").exists()


def test_the_case_opened_for_a_result_alone_is_hidden_from_the_village_doctor(client, county, screened):
    client.force_login(county.user("doctor_v11"))
    body = client.get(f"/programmes/maternal/pregnancy/{screened.pk}/").content.decode()
    assert "/case/" not in body and "每两周" not in body
    assert "专案" not in body and "case management" not in body.lower()


def test_a_doctors_reassessment_keeps_the_condition_she_cannot_see(county, rf_for, screened):
    antenatal(rf_for(county.user("doctor_v11")), screened, date(2026, 5, 1), conditions=["twins"])
    latest = RiskAssessment.objects.filter(pregnancy=screened).first()
    assert set(latest.conditions) == {"twins", "syphilis"}
    p = Pregnancy.objects.get(pk=screened.pk)
    assert (p.colour, p.purple, p.pmtct_purple) == ("yellow", False, True)


def test_the_doctors_risk_form_offers_no_infection_to_tick(client, county, screened):
    client.force_login(county.user("doctor_v11"))
    body = client.get(f"/programmes/maternal/pregnancy/{screened.pk}/risk/").content.decode()
    for code in ("hiv", "syphilis", "viral_hepatitis"):
        assert f'value="{code}"' not in body
    assert 'value="tuberculosis"' in body


def test_the_results_form_explains_missing_dates_and_keeps_the_input(client, county, screened):
    client.force_login(county.user("mch_t1"))
    body = client.post(f"/programmes/maternal/pregnancy/{screened.pk}/pmtct/",
                       {"hiv_result": "1", "note": "复查备注"}).content.decode()
    assert 'value="复查备注"' in body and InfectionScreening.objects.count() == 1


def test_every_page_that_shows_an_mch_officer_the_purple_flag_of_a_result_is_audited(client, county, screened):
    client.force_login(county.user("mch_t1"))
    for url, where in ((f"/people/{screened.resident_id}/", "resident_page"), ("/programmes/maternal/due/", "due_list"),
                       ("/programmes/maternal/high-risk/", "high_risk_list")):
        body = client.get(url).content.decode()
        assert "甄保密" in body, url
        event = AuditEvent.objects.filter(action="view", object_type="pmtct").latest("id")
        assert (event.detail["shown"], event.resident_id) == (where, screened.resident_id), url
