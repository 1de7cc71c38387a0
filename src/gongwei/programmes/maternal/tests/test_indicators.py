"""Maternal indicators on a hand-built township, worked by hand (NORMS §5.2, §5.5).

Year 2026. The cohort is the women whose pregnancy ended by a delivery in 2026.

一村 (v11)
  A  LMP 2026-01-01, booked 03-01 (8+3: early); checks 05-01, 06-10, 08-01, 09-20 (+ booking = 5);
     heart disease → orange, case with a responsible person and a plan; delivered 10-05 in hospital,
     1 live birth, discharged 10-08; home visit 10-10 (2 days after discharge).
  B  LMP 2026-01-01, booked 04-10 (14+1: late); same 4 checks (5 in all); twins → yellow; delivered
     10-01 in hospital, 2 live births, discharged 10-04; home visit 11-05 (32 days > 28: not counted).
  C  LMP 2025-04-01, booked 2025-06-01 (8+5: early); no further check (1); severe hypertension →
     red, case without a responsible person; delivered 2026-01-10 at home, 1 live birth, no
     discharge date; home visit 01-12 (2 days); died 01-20, 10 days after delivery: counted.
  D  booked 2026-03-01, miscarriage 03-20: not a delivery, no live birth.
  E  still pregnant (LMP 2026-07-01): not in the cohort.
二村 (v12)
  F  LMP 2026-01-01, booked 02-01 (early); stillbirth 08-01 in hospital (0 live births, 1 stillbirth);
     her risk assessment removed (a record from before risk grading): not screened.
  G  booked 02-01, killed in a traffic accident 05-01 while pregnant: not counted.
四村 (v21, township 二乡): H delivered 2026-06-01 in hospital, 1 live birth.

               early  ≥5 chk  visit  system  hosp LB  screened  high-risk  deaths  | live births  women
  v11          A C=2  A B=2   A C=2  A=1     A+B=3    3         A / A C    C=1     | 1+2+1 = 4    3
  v12          F=1    0       0      0       0        0         0 / 0      0       | 0            1
  一镇 (t1)    3/4    2/4     2/4    1/4     3/4      3/4       1/2        1/4 → 25,000 per 100,000
             = 75%    50%     50%    25%     75%      75%       50%
"""

from datetime import date

import pytest

from gongwei.care.indicators import get
from gongwei.care.periods import year

from .. import actions
from ..models import HighRiskCase, RiskAssessment
from .helpers import antenatal, book, deliver, fresh, postpartum, woman

CODES = ["mch.early_booking", "mch.antenatal5", "mch.postpartum_visit", "mch.systematic", "mch.hospital_delivery",
         "mch.high_risk_screened", "mch.high_risk_managed", "mch.maternal_mortality"]


@pytest.fixture
def township(county, make_resident, rf_for):
    c = county
    doc = rf_for(c.user("ph_t1"))

    def checks(p):
        for day in (date(2026, 5, 1), date(2026, 6, 10), date(2026, 8, 1), date(2026, 9, 20)):
            antenatal(doc, p, day)

    a = book(doc, woman(c, make_resident, "甲"), conditions=["heart_disease"])
    checks(a)
    deliver(doc, a, date(2026, 10, 5), discharge=date(2026, 10, 8))
    postpartum(doc, a, "postpartum_visit", date(2026, 10, 10))
    HighRiskCase.objects.filter(pregnancy=a).update(responsible=c.user("doctor_v11"), case_plan="每两周随访")

    b = book(doc, woman(c, make_resident, "乙"), booked_on=date(2026, 4, 10), conditions=["twins"])
    checks(b)
    deliver(doc, b, date(2026, 10, 1), discharge=date(2026, 10, 4), live=2)
    postpartum(doc, b, "postpartum_visit", date(2026, 11, 5))

    cc = book(doc, woman(c, make_resident, "丙"), booked_on=date(2025, 6, 1), lmp=date(2025, 4, 1),
              conditions=["severe_hypertension"])
    deliver(doc, cc, date(2026, 1, 10), place="2")
    postpartum(doc, cc, "postpartum_visit", date(2026, 1, 12))
    actions.do_register_maternal_death(doc, fresh(cc), date(2026, 1, 20), "产后子痫")

    d = book(doc, woman(c, make_resident, "丁"))
    deliver(doc, d, date(2026, 3, 20), outcome="3", live=0)
    book(doc, woman(c, make_resident, "戊"), booked_on=date(2026, 9, 1), lmp=date(2026, 7, 1))

    f = book(doc, woman(c, make_resident, "己", village=c.v12), booked_on=date(2026, 2, 1))
    deliver(doc, f, date(2026, 8, 1), outcome="2", live=0, still=1)
    RiskAssessment.objects.filter(pregnancy=f).delete()
    g = book(doc, woman(c, make_resident, "庚", village=c.v12), booked_on=date(2026, 2, 1))
    actions.do_register_maternal_death(doc, fresh(g), date(2026, 5, 1), "交通事故", accidental=True)

    h = book(rf_for(c.user("ph_t2")), woman(c, make_resident, "辛", village=c.v21), booked_on=date(2025, 11, 1),
             lmp=date(2025, 9, 15))
    deliver(rf_for(c.user("ph_t2")), h, date(2026, 6, 1))
    return c


def values(code, under=""):
    return get(code).compute(year(2026), under)


def test_village_values_match_the_hand_computation(township):
    v11, v12 = township.v11.code, township.v12.code
    expected = {
        "mch.early_booking": ((2, 4), (1, 0)),
        "mch.antenatal5": ((2, 3), (0, 1)),
        "mch.postpartum_visit": ((2, 4), (0, 0)),
        "mch.systematic": ((1, 4), (0, 0)),
        "mch.hospital_delivery": ((3, 4), (0, 0)),
        "mch.high_risk_screened": ((3, 3), (0, 1)),
        "mch.high_risk_managed": ((1, 2), (0, 0)),
        "mch.maternal_mortality": ((1, 4), (0, 0)),
    }
    for code, (in_v11, in_v12) in expected.items():
        got = values(code)
        assert got.get(v11, (0, 0)) == in_v11, code
        assert got.get(v12, (0, 0)) == in_v12, code


def test_the_township_is_the_sum_of_its_villages_and_gives_the_hand_rates(township):
    t1 = township.t1.code
    expected = {"mch.early_booking": (3, 4, 75.0), "mch.antenatal5": (2, 4, 50.0), "mch.postpartum_visit": (2, 4, 50.0),
                "mch.systematic": (1, 4, 25.0), "mch.hospital_delivery": (3, 4, 75.0),
                "mch.high_risk_screened": (3, 4, 75.0), "mch.high_risk_managed": (1, 2, 50.0),
                "mch.maternal_mortality": (1, 4, 25000.0)}
    for code, (num, den, rate) in expected.items():
        villages = {v: nd for v, nd in values(code).items() if v.startswith(t1)}
        summed = (sum(n for n, _ in villages.values()), sum(d for _, d in villages.values()))
        assert summed == (num, den), code
        assert get(code).value(*summed) == rate, code


def test_the_indicators_app_rolls_them_up_the_same_way(township):
    from gongwei.indicators import engine

    engine.compute(year(2026), CODES)
    stored = engine.stored(year(2026), [township.t1.code, township.county.code], CODES)
    assert (stored[("mch.early_booking", township.t1.code)].numerator,
            stored[("mch.early_booking", township.t1.code)].denominator) == (3, 4)
    # The county adds 四村's woman: 1 live birth, early booked (47 days), in hospital.
    county = stored[("mch.hospital_delivery", township.county.code)]
    assert (county.numerator, county.denominator) == (4, 5)


def test_a_computation_under_a_township_is_the_slice_of_the_whole(township):
    for code in CODES:
        whole = values(code)
        part = values(code, township.t1.code)
        assert part == {v: nd for v, nd in whole.items() if v.startswith(township.t1.code)}, code


def test_maternal_mortality_is_per_100000_live_births_and_lower_is_better():
    d = get("mch.maternal_mortality")
    assert (d.unit, d.higher_is_better, d.value(1, 4)) == ("1/10万", False, 25000.0)


def test_the_drill_down_lists_the_women_who_delivered(township):
    members = get("mch.early_booking").members(year(2026), township.v11.code)
    assert {(r.name, r.in_numerator) for r in members} == {("甲", True), ("乙", False), ("丙", True)}
    deaths = get("mch.maternal_mortality").members(year(2026), township.t1.code)
    assert {r.name for r in deaths if r.in_numerator} == {"丙"}
    assert get("mch.high_risk_managed").members is None
