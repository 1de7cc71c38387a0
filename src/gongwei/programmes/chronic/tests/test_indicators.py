"""Indicators on a small hand-built county, worked by hand (NORMS §5.3).

Second quarter of 2026 (April–June), hypertension:
  一村 (v11): A enrolled 2026-01-05, seen 04-01 at 130/80 (控制满意)
              B enrolled 2026-01-05, seen 04-10 at 150/95 (不满意) and 04-20 at 128/78 (满意)
              E enrolled 2026-01-05, died 2026-03-01 (closed before the quarter: not managed)
              F aged 30 (not in the 35+ population)
  二村 (v12): C enrolled 2026-01-05, followed up by phone 05-01 at 130/80 (满意, not face to face)
  四村 (v21): D enrolled 2026-07-01 (after the quarter: not managed)
Required face-to-face follow-ups in a quarter: ceil(4 × 3 / 12) = 1.

  v11: managed 2 (A, B), standard 2, controlled 2, residents 35+ on the register 2 (A, B)
  v12: managed 1 (C), standard 0 (phone only), controlled 1, residents 35+ 1
  一镇 (t1) = v11 + v12: managed 3, standard 2 (66.7%), controlled 3 (100%),
       estimated patients = 3 × 0.5 prevalence = 1.5, management rate 3 / 1.5 = 200%
"""

from datetime import date

import pytest

from gongwei.care import actions
from gongwei.care.models import Enrolment
from gongwei.care.periods import quarter, year
from gongwei.people import services as people
from gongwei.programmes.chronic import indicators
from gongwei.programmes.chronic.models import PrevalenceSetting

ENROLLED = date(2026, 1, 5)


@pytest.fixture
def hand_built(county, make_resident, rf_for):
    doctor = rf_for(county.user("ph_t1"))
    people_ = {}

    def enrol(key, village, born=date(1960, 1, 1), on=ENROLLED):
        r = make_resident(village, key, birth_date=born)
        people_[key] = (r, actions.do_enrol(doctor, r, "htn", on))

    def seen(key, day, sbp, dbp, phone=False):
        e = Enrolment.objects.get(pk=people_[key][1].pk)
        actions.do_record_visit(doctor, e, day, {"sbp": sbp, "dbp": dbp}, face_to_face=not phone)

    enrol("甲", county.v11)
    enrol("乙", county.v11)
    enrol("戊", county.v11)
    enrol("丙", county.v12)
    enrol("丁", county.v21, on=date(2026, 7, 1))
    make_resident(county.v11, "己", birth_date=date(1996, 1, 1))
    seen("甲", date(2026, 4, 1), 130, 80)
    seen("乙", date(2026, 4, 10), 150, 95)
    seen("乙", date(2026, 4, 20), 128, 78)
    seen("丙", date(2026, 5, 1), 130, 80, phone=True)
    people.do_register_death(doctor, people_["戊"][0], date(2026, 3, 1), "意外")
    PrevalenceSetting.objects.create(county=county.county, programme="htn", rate="0.5")
    return county


def test_village_counts_match_hand_computation(hand_built):
    c = hand_built
    v = indicators.by_village("htn", quarter(2026, 2))
    assert (v[c.v11.code].managed, v[c.v11.code].standard, v[c.v11.code].controlled, v[c.v11.code].population_35) == (2, 2, 2, 2)
    assert (v[c.v12.code].managed, v[c.v12.code].standard, v[c.v12.code].controlled, v[c.v12.code].population_35) == (1, 0, 1, 1)
    assert v.get(c.v21.code) is None or v[c.v21.code].managed == 0


def test_township_is_the_sum_of_its_villages(hand_built):
    c = hand_built
    t1 = indicators.rollup(indicators.by_village("htn", quarter(2026, 2)), 9)[c.t1.code]
    assert (t1.managed, t1.standard, t1.controlled) == (3, 2, 3)
    assert (t1.standard_rate, t1.control_rate) == (66.7, 100.0)
    assert t1.estimated == pytest.approx(1.5) and t1.management_rate == 200.0


def test_scoped_computation_equals_the_slice_of_the_whole(hand_built):
    c = hand_built
    whole = indicators.by_village("htn", quarter(2026, 2))
    part = indicators.by_village("htn", quarter(2026, 2), under=c.t1.code)
    assert {k: v.managed for k, v in part.items()} == {k: v.managed for k, v in whole.items() if k.startswith(c.t1.code)}


def test_year_requires_four_face_to_face_follow_ups_and_the_annual_check(hand_built):
    t1 = indicators.rollup(indicators.by_village("htn", year(2026)), 9)[hand_built.t1.code]
    # Nobody had 4 face-to-face follow-ups and an annual check in 2026.
    assert t1.standard == 0 and t1.managed == 4  # 甲 乙 丙, and 戊 managed until March
