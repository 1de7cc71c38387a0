"""The child pages: forms keep what was typed, the growth chart is inline SVG, roles are checked."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongwei.care.models import Enrolment
from gongwei.programmes.child import actions
from gongwei.programmes.child.models import ChildCheck, ChildDeath, WeakChildCase

TODAY = timezone.localdate()


@pytest.fixture
def doctor(county, rf_for):
    return rf_for(county.user("doctor_v11"))


@pytest.fixture
def child(county, make_resident, doctor):
    """A boy born 100 days ago, enrolled at birth, with his newborn visit on day 3."""
    born = TODAY - timedelta(days=100)
    r = make_resident(county.v11, "图表童", birth_date=born, id_number=None)
    e = actions.do_enrol_child(doctor, r, born)
    actions.do_record_check(doctor, Enrolment.objects.get(pk=e.pk), born + timedelta(days=3),
                            {"visit_code": "newborn", "birth_weight_g": 3300, "weight_kg": 3.3,
                             "length_height_cm": 50.0, "measured_lying": True})
    return r, Enrolment.objects.get(pk=e.pk)


def test_resident_page_shows_the_checks_and_an_inline_svg_growth_chart(client, county, child):
    r, _ = child
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/people/{r.pk}/").content.decode()
    assert "新生儿家庭访视" in page and page.count("<svg") == 2          # weight and length charts
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<polyline") == 6                                  # 5 SD curves + the child
    assert "+3 SD" in svg and "-3 SD" in svg and "<circle" in svg
    # The CSP allows neither inline scripts nor inline styles: presentation attributes only.
    assert "<script" not in svg and " style=" not in svg and "<style" not in svg


def test_adults_have_no_child_panel(client, county, make_resident):
    adult = make_resident(county.v11, "成年人", birth_date=date(1980, 1, 1))
    client.force_login(county.user("doctor_v11"))
    assert "child-panel" not in client.get(f"/people/{adult.pk}/").content.decode()


def test_enrol_form_enrols_a_newborn_with_the_discharge_date(client, county, make_resident):
    born = TODAY - timedelta(days=3)
    r = make_resident(county.v11, "新生儿", birth_date=born, id_number=None)
    client.force_login(county.user("doctor_v11"))
    response = client.post(f"/programmes/child/enrol/{r.pk}/", {
        "date": born.isoformat(), "discharge_date": (born + timedelta(days=2)).isoformat()})
    assert response.status_code == 302
    e = Enrolment.objects.get(resident=r, programme="child")
    # Due on the discharge day, on time for 7 more days (NORMS §2.2).
    assert (e.next_due, e.window_end) == (born + timedelta(days=2), born + timedelta(days=9))


def test_check_form_saves_the_check_with_its_z_scores(client, county, child):
    r, e = child
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/programmes/child/check/{e.pk}/").content.decode()
    # At 100 days the 3-month check is current; the missed full-month visit can still be
    # entered after the fact (if it was done in its window).
    assert "<strong>3月龄健康检查</strong>" in page and "?visit=full_month" in page
    response = client.post(f"/programmes/child/check/{e.pk}/?visit=m3", {
        "visit_code": "m3", "visit_date": TODAY.isoformat(), "place": "2", "weight_kg": "6.4",
        "length_height_cm": "61.4", "measured_lying": "true", "head_circumference_cm": "40.5",
        "feeding": "1", "guidance": ["feeding", "growth"], "eye_result": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    check = ChildCheck.objects.get(visit_code="m3")
    assert check.waz is not None and check.guidance == ["feeding", "growth"]


def test_check_form_keeps_what_was_typed_and_asks_to_confirm_an_implausible_weight(client, county, child):
    r, e = child
    client.force_login(county.user("doctor_v11"))
    data = {"visit_code": "m3", "visit_date": TODAY.isoformat(), "place": "2", "weight_kg": "40",
            "length_height_cm": "61.4", "measured_lying": "true", "note": "称重复核"}
    page = client.post(f"/programmes/child/check/{e.pk}/?visit=m3", data).content.decode()
    assert "WHO" in page and 'value="40"' in page and "称重复核" in page
    assert not ChildCheck.objects.filter(visit_code="m3").exists()
    response = client.post(f"/programmes/child/check/{e.pk}/?visit=m3", {**data, "confirm_measurements": "on"})
    assert response.status_code == 302
    assert any(f["code"] == "implausible" for f in ChildCheck.objects.get(visit_code="m3").findings)


def test_check_form_refuses_a_future_date(client, county, child):
    _, e = child
    client.force_login(county.user("doctor_v11"))
    page = client.post(f"/programmes/child/check/{e.pk}/?visit=m3", {
        "visit_code": "m3", "visit_date": (TODAY + timedelta(days=1)).isoformat(), "place": "2"}).content.decode()
    assert "errorlist" in page and not ChildCheck.objects.filter(visit_code="m3").exists()


def test_the_check_page_offers_the_scheduled_tests_of_the_visit(client, county, child):
    _, e = child
    client.force_login(county.user("doctor_v11"))
    m3 = client.get(f"/programmes/child/check/{e.pk}/?visit=m3").content.decode()
    assert 'name="hb_g_l"' not in m3 and "俯卧时不会抬头" in m3 and 'name="birth_weight_g"' not in m3


def test_weak_children_list_is_scoped_to_the_township(client, county, make_resident, doctor):
    r = make_resident(county.v11, "体弱童", birth_date=TODAY - timedelta(days=100), id_number=None)
    actions.do_open_weak_case(doctor, r, TODAY, [actions.rules.Condition("anaemia", "轻度贫血", "mild")])
    client.force_login(county.user("mch_t1"))
    assert "体弱童" in client.get("/programmes/child/weak/").content.decode()
    client.force_login(county.user("mch_t2"))
    assert "体弱童" not in client.get("/programmes/child/weak/").content.decode()


def test_weak_follow_up_form_records_and_shows_the_case(client, county, make_resident, doctor):
    r = make_resident(county.v11, "随访童", birth_date=TODAY - timedelta(days=400), id_number=None)
    case = actions.do_open_weak_case(doctor, r, TODAY - timedelta(days=30),
                                     [actions.rules.Condition("anaemia", "轻度贫血", "mild")])
    client.force_login(county.user("doctor_v11"))
    response = client.post(f"/programmes/child/weak/followup/{case.enrolment_id}/", {
        "visit_date": TODAY.isoformat(), "weight_kg": "9.6", "hb_g_l": "118", "guidance": "补铁"})
    assert response.status_code == 302
    page = client.get(f"/programmes/child/weak/{case.pk}/").content.decode()
    assert "补铁" in page and "118" in page
    # Hb 118 ≥ 110: normal; one normal follow-up does not close the case.
    assert WeakChildCase.objects.get().is_open


def test_only_the_county_mch_reviews_a_death(client, county, make_resident, doctor):
    r = make_resident(county.v11, "评审童", birth_date=TODAY - timedelta(days=60), id_number=None)
    death = actions.do_register_child_death(doctor, r, TODAY - timedelta(days=2), "肺炎", "1")
    form = {"conclusion": "2", "notes": "就诊延误", "date": TODAY.isoformat()}
    client.force_login(county.user("doctor_v11"))
    assert client.post(f"/programmes/child/deaths/{death.pk}/", form).status_code == 403
    client.force_login(county.user("county_mch"))
    assert client.post(f"/programmes/child/deaths/{death.pk}/", form).status_code == 302
    assert ChildDeath.objects.get().review_conclusion == "2"


def test_death_form_reports_and_registers_the_death(client, county, make_resident):
    r = make_resident(county.v11, "报告童", birth_date=TODAY - timedelta(days=200), id_number=None)
    client.force_login(county.user("doctor_v11"))
    response = client.post(f"/programmes/child/death/{r.pk}/", {
        "date": (TODAY - timedelta(days=1)).isoformat(), "cause": "意外窒息", "place": "3"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "dead" and ChildDeath.objects.get().age_days == 199


def test_the_due_list_never_shows_children_of_seven(client, county, make_resident, doctor):
    young = make_resident(county.v11, "应查童", birth_date=TODAY - timedelta(days=95), id_number=None)
    actions.do_enrol_child(doctor, young, young.birth_date)
    actions.do_refresh_schedules(None, TODAY)
    old = make_resident(county.v11, "满七岁", birth_date=date(TODAY.year - 7, TODAY.month, 1), id_number=None)
    e = actions.do_enrol_child(doctor, old, date(TODAY.year - 1, TODAY.month, 1))
    Enrolment.objects.filter(pk=e.pk).update(next_due=TODAY - timedelta(days=40))   # not refreshed yet
    client.force_login(county.user("doctor_v11"))
    page = client.get("/programmes/child/due/").content.decode()
    assert "应查童" in page and "满七岁" not in page


def test_check_detail_page_shows_the_z_scores(client, county, child):
    r, e = child
    check = ChildCheck.objects.get()
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/programmes/child/checks/{check.pk}/").content.decode()
    assert re.search(r"WAZ -?\d+\.\d\d", page)
