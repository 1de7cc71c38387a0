"""Child indicators on a hand-built township, worked by hand (NORMS §5.2, §5.5; definitions in
indicators.py). Period: the year 2026. "Last day" = the last on-time day of a check's window,
the day before the child reaches month N+1 (rules.window_last_day).

一村 (v11)
  A born 2026-02-01: newborn visit 02-05 (day 4), 3-month check 05-05, 8-month check 10-02.
      Windows ending in 2026: m3 (last day 05-31), m6 (08-31), m8 (10-31) → 3 required,
      2 done (m6 missing) → not systematically managed.
  B born 2026-03-01: full-month visit 04-05 (day 35, late), m3 06-10, m6 09-05, m8 11-03.
      Required m3 (06-30), m6 (09-30), m8 (11-30): 3 of 3 done → managed. No visit within
      28 days of birth.
  C born 2024-06-15: 18-month check 2025-12-20, 24-month check 2026-06-20. Required in 2026:
      m18 (last day 2026-01-14), m24 (2026-07-14) → 2 of 2 done (the 18-month check of
      December 2025 counts: its window ends in 2026) → managed.
  D born 2021-08-10: the 5-year check is required (last day 2026-09-09), none done. Not in
      the 0–3 figure (no check of 3–36 months falls in 2026).
  E born 2026-05-01: newborn visit 05-03 (day 2); died 2026-06-20 aged 1 month (infant).
  G born 2023-01-10: died 2026-03-01 aged 37 months (under 5, not infant).
  F born 2019-05-01: 7 years old before the end of 2026, no longer a child 0–6.
  K born 2026-02-01, a record merged into another: never counted.
二村 (v12)
  H born 2026-07-01 (discharged 07-03): newborn visit 07-06, full month 07-29, m3 10-15.
      Required: m3 only (last day 10-31; m6's ends 2027-01-31) → managed.
  I born 2026-09-01: no visit. Required: m3 (last day 2026-12-31) → not managed.
四村 (v21, the other township): J born 2026-01-10, newborn visit 01-12.

                              v11          v12        一镇 t1 = v11 + v12
  newborn_visit               A,E / A,B,E  H / H,I    3/5 = 60%
  health_management           A,B,C / ABCD H / H,I    4/6 = 66.67%
  systematic_0_3              B,C / A,B,C  H / H,I    3/5 = 60%
  systematic_0_6              B,C / ABCD   H / H,I    3/6 = 50%
  infant_mortality            E / 3 births 0 / 2      1/5 × 1000 = 200‰
  u5_mortality                E,G / 3      0 / 2      2/5 × 1000 = 400‰

Fourth quarter (Oct–Dec) of 0–6 systematic management: windows ending in the quarter are A's
m8 (10-31, done), B's m8 (11-30, done), H's m3 (10-31, done), I's m3 (12-31, not done); C's
and D's end outside it → v11 2/2, v12 1/2.
"""

from datetime import date

import pytest

from gongwei.care import indicators as registry
from gongwei.care.models import Enrolment
from gongwei.care.periods import quarter, year
from gongwei.people.models import Resident, Status
from gongwei.programmes.child import actions

CODES = ["child.newborn_visit", "child.health_management", "child.systematic_0_3", "child.systematic_0_6",
         "child.infant_mortality", "child.u5_mortality"]


@pytest.fixture
def township(county, make_resident, rf_for):
    doctor = rf_for(county.user("doctor_v11"))
    kids = {}

    def child(key, village, born, enrolled=None, discharge=None):
        r = make_resident(village, f"童{key}", birth_date=born, id_number=None)
        kids[key] = (r, actions.do_enrol_child(doctor, r, enrolled or born, discharge_date=discharge))
        return r

    def check(key, day, code):
        r, e = kids[key]
        actions.do_record_check(doctor, Enrolment.objects.select_related("resident").get(pk=e.pk), day,
                                {"visit_code": code})

    child("A", county.v11, date(2026, 2, 1))
    check("A", date(2026, 2, 5), "newborn")
    check("A", date(2026, 5, 5), "m3")
    check("A", date(2026, 10, 2), "m8")
    child("B", county.v11, date(2026, 3, 1))
    check("B", date(2026, 4, 5), "full_month")
    check("B", date(2026, 6, 10), "m3")
    check("B", date(2026, 9, 5), "m6")
    check("B", date(2026, 11, 3), "m8")
    child("C", county.v11, date(2024, 6, 15), enrolled=date(2025, 12, 1))
    check("C", date(2025, 12, 20), "m18")
    check("C", date(2026, 6, 20), "m24")
    child("D", county.v11, date(2021, 8, 10), enrolled=date(2025, 1, 5))
    e = child("E", county.v11, date(2026, 5, 1))
    check("E", date(2026, 5, 3), "newborn")
    actions.do_register_child_death(doctor, e, date(2026, 6, 20), "肺炎", "1")
    g = make_resident(county.v11, "童G", birth_date=date(2023, 1, 10), id_number=None)
    actions.do_register_child_death(doctor, g, date(2026, 3, 1), "溺水", "4")
    make_resident(county.v11, "童F", birth_date=date(2019, 5, 1), id_number=None)
    k = make_resident(county.v11, "童K", birth_date=date(2026, 2, 1), id_number=None)
    Resident.objects.filter(pk=k.pk).update(status=Status.MERGED)
    child("H", county.v12, date(2026, 7, 1), discharge=date(2026, 7, 3))
    check("H", date(2026, 7, 6), "newborn")
    check("H", date(2026, 7, 29), "full_month")
    check("H", date(2026, 10, 15), "m3")
    child("I", county.v12, date(2026, 9, 1))
    child("J", county.v21, date(2026, 1, 10))
    check("J", date(2026, 1, 12), "newborn")
    return county


def values(code, period, under=""):
    return registry.get(code).compute(period, under)


def township_sum(code, period, township_code):
    num = den = 0
    for village, (n, d) in values(code, period).items():
        if village.startswith(township_code):
            num, den = num + n, den + d
    return num, den


EXPECTED_VILLAGES = {
    "child.newborn_visit": ((2, 3), (1, 2)),
    "child.health_management": ((3, 4), (1, 2)),
    "child.systematic_0_3": ((2, 3), (1, 2)),
    "child.systematic_0_6": ((2, 4), (1, 2)),
    "child.infant_mortality": ((1, 3), (0, 2)),
    "child.u5_mortality": ((2, 3), (0, 2)),
}


@pytest.mark.parametrize("code", CODES)
def test_village_figures_match_the_hand_computation(township, code):
    v = values(code, year(2026))
    assert (v[township.v11.code], v[township.v12.code]) == EXPECTED_VILLAGES[code]


def test_township_is_the_sum_of_its_villages_and_matches_the_hand_rates(township):
    t1 = township.t1.code
    expected = {"child.newborn_visit": ((3, 5), 60.0), "child.health_management": ((4, 6), 66.67),
                "child.systematic_0_3": ((3, 5), 60.0), "child.systematic_0_6": ((3, 6), 50.0),
                "child.infant_mortality": ((1, 5), 200.0), "child.u5_mortality": ((2, 5), 400.0)}
    for code, (pair, rate) in expected.items():
        assert township_sum(code, year(2026), t1) == pair, code
        assert registry.get(code).value(*pair) == rate, code


def test_scoped_computation_equals_the_slice_of_the_whole(township):
    for code in CODES:
        whole = values(code, year(2026))
        part = values(code, year(2026), township.t1.code)
        assert part == {k: v for k, v in whole.items() if k.startswith(township.t1.code)}, code
        assert township.v21.code not in part


def test_the_other_township_counts_its_own_births(township):
    assert values("child.newborn_visit", year(2026))[township.v21.code] == (1, 1)


def test_a_quarter_judges_only_the_checks_due_in_it(township):
    v = values("child.systematic_0_6", quarter(2026, 4))
    assert (v[township.v11.code], v[township.v12.code]) == ((2, 2), (1, 2))


def test_mortality_is_per_mille_and_lower_is_better():
    for code in ("child.infant_mortality", "child.u5_mortality"):
        d = registry.get(code)
        assert d.unit == registry.PERMILLE and d.higher_is_better is False


def test_members_mark_who_is_in_the_numerator(township):
    members = registry.get("child.systematic_0_3").members(year(2026), township.t1.code)
    marked = {r.name: r.in_numerator for r in members}
    assert marked == {"童A": False, "童B": True, "童C": True, "童H": True, "童I": False}
    deaths = registry.get("child.u5_mortality").members(year(2026), township.v11.code)
    assert {r.name: r.in_numerator for r in deaths} == {"童A": False, "童B": False, "童E": True, "童G": True}
