"""Five colours and high-risk case management (MCH-SUPPLEMENT [M1]–[M3]).

Worked by hand from the supplement's table: age ≥ 35 yellow, ≥ 40 orange; BMI ≥ 28 orange;
pre-eclampsia orange; severe hypertension red; the highest colour wins; orange, red and purple
enter 专案管理 with a named person, a plan, escort and a designated hospital.
"""

from datetime import date

import pytest

from ..models import HighRiskCase, Pregnancy, RiskAssessment
from .helpers import antenatal, book, deliver, fresh, postpartum, woman


@pytest.fixture
def doctor(county, rf_for):
    return rf_for(county.user("doctor_v11"))


def test_a_woman_of_36_is_yellow_by_her_age_alone(county, make_resident, doctor):
    # Born 15 Jan 1990, booked 1 Mar 2026: 36 years old ≥ 35 → yellow, no case.
    p = book(doctor, woman(county, make_resident, birth_date=date(1990, 1, 15)))
    assert (Pregnancy.objects.get(pk=p.pk).colour, RiskAssessment.objects.get().conditions) == ("yellow", ["age_35_or_over"])
    assert not HighRiskCase.objects.exists()


def test_bmi_28_at_booking_is_orange_opens_a_case_and_is_carried_to_later_checks(county, make_resident, doctor):
    # 72 kg, 160 cm: 72 / 1.6² = 28.125 → BMI 28.1 ≥ 28 → orange (supplement [M3]).
    p = book(doctor, woman(county, make_resident), weight_kg=72, height_cm=160)
    assert Pregnancy.objects.get(pk=p.pk).colour == "orange"
    case = HighRiskCase.objects.get(pregnancy=p)
    assert (case.opened_on, case.pmtct_only, case.managed) == (date(2026, 3, 1), False, False)
    antenatal(doctor, p, date(2026, 5, 1), weight_kg=75)
    latest = RiskAssessment.objects.filter(pregnancy=p).first()
    assert (latest.date, latest.colour, "bmi_28_or_over" in latest.conditions) == (date(2026, 5, 1), "orange", True)


def test_the_highest_colour_wins_and_a_later_assessment_sets_the_current_colour(county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident), conditions=["twins"])
    assert fresh(p).colour == "yellow"
    antenatal(doctor, p, date(2026, 5, 1), conditions=["twins", "pre_eclampsia"])
    assert fresh(p).colour == "orange"
    antenatal(doctor, p, date(2026, 6, 10), conditions=["severe_hypertension"])
    assert fresh(p).colour == "red"
    # A check entered late (before the last) is kept but does not change the current colour.
    antenatal(doctor, p, date(2026, 5, 20), conditions=[])
    assert fresh(p).colour == "red"
    assert HighRiskCase.objects.filter(pregnancy=p).count() == 1


def test_tuberculosis_is_purple_for_everyone(county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident), conditions=["tuberculosis"])
    p = fresh(p)
    assert (p.colour, p.purple, p.pmtct_purple) == ("green", True, False)
    assert not HighRiskCase.objects.get(pregnancy=p).pmtct_only


def test_the_mch_officer_names_the_responsible_person_and_the_plan(client, county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident), conditions=["heart_disease"])
    client.force_login(county.user("mch_t1"))
    url = f"/programmes/maternal/pregnancy/{p.pk}/case/"
    page = client.post(url, {"responsible": county.user("doctor_v11").pk, "case_plan": "每两周随访一次",
                             "referral_escort": "on", "escort_by": "", "designated_hospital": "县人民医院"})
    assert page.status_code == 200 and 'value="县人民医院"' in page.content.decode()   # kept what was typed
    response = client.post(url, {"responsible": county.user("doctor_v11").pk, "case_plan": "每两周随访一次",
                                 "referral_escort": "on", "escort_by": "村医陪同", "designated_hospital": "县人民医院"})
    assert response.status_code == 302
    case = HighRiskCase.objects.get(pregnancy=p)
    assert case.managed and (case.escort_by, case.designated_hospital) == ("村医陪同", "县人民医院")
    # A responsible person from another township is not offered, and refused.
    client.post(url, {"responsible": county.user("doctor_v21").pk, "case_plan": "x", "designated_hospital": "y"})
    assert HighRiskCase.objects.get(pregnancy=p).responsible == county.user("doctor_v11")


def test_the_high_risk_list_is_the_township_mch_officers_until_postpartum_closure(client, county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident, "橙色孕妇"), conditions=["epilepsy"])
    book(doctor, woman(county, make_resident, "黄色孕妇"), conditions=["twins"])
    for name, status in (("mch_t1", 200), ("county_mch", 200), ("mch_t2", 200), ("doctor_v11", 403), ("ph_t1", 403)):
        client.force_login(county.user(name))
        response = client.get("/programmes/maternal/high-risk/")
        assert response.status_code == status, name
        body = response.content.decode()
        if name in ("mch_t1", "county_mch"):
            assert "橙色孕妇" in body and "黄色孕妇" not in body
        else:
            assert "橙色孕妇" not in body
    deliver(doctor, p, date(2026, 10, 5), discharge=date(2026, 10, 8))
    client.force_login(county.user("mch_t1"))
    assert "橙色孕妇" in client.get("/programmes/maternal/high-risk/").content.decode()   # still, after delivery
    postpartum(doctor, p, "check42", date(2026, 11, 16), disposal="1")
    assert "橙色孕妇" not in client.get("/programmes/maternal/high-risk/").content.decode()
    assert HighRiskCase.objects.get(pregnancy=p).closed_on == date(2026, 11, 16)


def test_the_case_page_is_for_mch_officers_of_her_township(client, county, make_resident, doctor):
    p = book(doctor, woman(county, make_resident), conditions=["epilepsy"])
    url = f"/programmes/maternal/pregnancy/{p.pk}/case/"
    for name, status in (("mch_t1", 200), ("county_mch", 200), ("mch_t2", 404), ("doctor_v11", 403)):
        client.force_login(county.user(name))
        assert client.get(url).status_code == status, name
