"""National immunization schedule (NORMS §3) and its indicators (NORMS §5.2), worked by hand.

Date arithmetic is shown in the comments. Month ages follow NORMS §2.2: a child born on the
10th turns N months on the 10th of the N-th month after birth.
"""

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongwei.programmes.immunization.schedule import (
    CATCH_UP,
    DEFAULT_SCHEDULE,
    DUE,
    NOT_COUNTED,
    NOT_YET,
    OVERDUE,
    TOO_EARLY,
    TOO_LATE,
    VACCINES,
    VALID,
    GivenDose,
    Schedule,
    add_months,
    certificate_due_date,
    counted_in_routine_statistics,
    doses_by_age,
    due_doses,
    fully_vaccinated,
    is_timely,
    validate_given,
)

FEMALE, MALE = "2", "1"     # GB/T 2261.1


def listed(birth, given, today, **kw):
    return {(d.series, d.dose): d for d in due_doses(birth, given, today, **kw)}


def status(birth, given, today, series, dose, **kw):
    return listed(birth, given, today, **kw)[(series, dose)].status


def g(vaccine, dose, y, m, d):
    return GivenDose(vaccine, dose, date(y, m, d))


# --- The schedule as data ------------------------------------------------------------------------

def test_every_product_belongs_to_exactly_one_series():
    assert all(DEFAULT_SCHEDULE.series_of(v.code) for v in VACCINES)
    # a product in two series is refused when the schedule is built
    v2021 = DEFAULT_SCHEDULE.versions[0]
    hepb_as_bcg = replace(v2021.get("BCG"), doses=(replace(v2021.get("BCG").doses[0], vaccine="HepB"),))
    broken = replace(v2021, series=(*v2021.series, replace(hepb_as_bcg, code="BCG2")))
    with pytest.raises(ValueError, match="two series"):
        Schedule(VACCINES, (broken,), ())
    assert DEFAULT_SCHEDULE.series_of("IPV") == DEFAULT_SCHEDULE.series_of("bOPV") == "polio"
    assert DEFAULT_SCHEDULE.series_of("MR") == "MMR"
    assert DEFAULT_SCHEDULE.series_of("Hib") is None       # not a programme vaccine


def test_every_dose_cites_the_norm():
    for version in DEFAULT_SCHEDULE.versions:
        for s in version.series:
            for r in s.doses:
                assert "NORMS §3" in r.source, (s.code, r.dose)


def test_the_table_age_is_the_minimum_age_of_every_national_dose():
    # NORMS §3.1: "'Age' is the earliest age for that dose". Only HPV dose 2 differs: it is
    # recommended 6 months after the 13th birthday, valid from 13 years + 6 months after dose 1.
    for version in DEFAULT_SCHEDULE.versions:
        for s in version.series:
            for r in s.doses:
                if (s.code, r.dose) != ("HPV", 2):
                    assert r.minimum_age == r.recommended_age


def test_the_version_in_force_depends_on_the_date():
    v = DEFAULT_SCHEDULE.version_on
    assert v(date(2020, 1, 1)).code == "2021"       # before the 2021 notice: still the 2021 rules
    assert v(date(2024, 12, 31)).code == "2021"
    assert v(date(2025, 1, 1)).code == "2025-01"
    assert v(date(2025, 11, 9)).code == "2025-01"
    assert v(date(2025, 11, 10)).code == "2025-11"


def test_a_six_year_old_needed_22_doses_before_2025_and_still_does_after_dt_became_dtap():
    # NORMS §3.1: "Before 2025, 6-year-olds needed 22 doses": HepB 3 + BCG 1 + IPV 2 + bOPV 2
    # + DTaP 4 + DT 1 + MMR 2 + JE-L 2 + MPSV-A 2 + MPSV-AC 2 + HepA-L 1 = 22.
    # From 2025 the 6-year DT is a 6-year DTaP: DTaP 5, no DT, still 22.
    before = doses_by_age(date(2024, 6, 1), 72)
    after = doses_by_age(date(2025, 6, 1), 72)
    assert len(before) == len(after) == 22
    assert ("DT", 1) in before and ("DTaP", 5) not in before
    assert ("DT", 1) not in after and ("DTaP", 5) in after


def test_the_dtap_ages_are_3_4_5_18_months_in_2021_and_2_4_6_18_months_6_years_from_2025():
    old = DEFAULT_SCHEDULE.series_on("DTaP", date(2024, 12, 31))
    new = DEFAULT_SCHEDULE.series_on("DTaP", date(2025, 1, 1))
    assert [r.recommended_age.total_months for r in old.doses] == [3, 4, 5, 18]
    assert [r.recommended_age.total_months for r in new.doses] == [2, 4, 6, 18, 72]


# --- The child of the brief: born 2025-03-10, nothing given, seen on 2025-09-10 ---------------------

def test_a_child_born_2025_03_10_with_no_doses_seen_on_2025_09_10_has_exactly_five_doses_to_give():
    # Exactly 6 months old. Version 2025-01 (DTaP 2/4/6/18 m + 6 y), HPV not for this child.
    # HepB 1: birth, within 24 h = 03-10 or 03-11; completion age 24 h → catch-up from 03-12.
    # BCG: birth; overdue from 1 month (04-10); completion 3 months (06-10) → catch-up, and
    #      since the child is ≥ 3 months it needs a negative PPD/TB-IGRA first [S81].
    # polio 1 (IPV): 2 months = 05-10, overdue from 3 months = 06-10, complete by 12 m → overdue.
    # DTaP 1: 2 months = 05-10, overdue from 06-10 → overdue.
    # MPSV-A 1: 6 months = 09-10 = today → due (overdue from 7 months = 10-10).
    doses = listed(date(2025, 3, 10), [], date(2025, 9, 10))
    actionable = {k: d.status for k, d in doses.items() if d.status != NOT_YET}
    assert actionable == {
        ("HepB", 1): CATCH_UP,
        ("BCG", 1): CATCH_UP,
        ("polio", 1): OVERDUE,
        ("DTaP", 1): OVERDUE,
        ("MPSV-A", 1): DUE,
    }
    assert "PPD" in doses[("BCG", 1)].reason
    assert doses[("MPSV-A", 1)].overdue_from == date(2025, 10, 10)


def test_the_later_doses_of_that_child_wait_for_the_missing_earlier_ones():
    # A missing dose is projected as given today (09-10):
    # HepB 2 = max(1 month 04-10, 09-10 + 28 d = 10-08) = 10-08   (Sep has 30 days: 10 + 28 − 30 = 8)
    # HepB 3 = max(6 months 09-10, 10-08 + 60 d = 12-07)          (Oct 8 + 23 = Oct 31, + 30 = Nov 30, + 7)
    # polio 2 = max(3 months 06-10, 10-08); polio 3 = max(4 months 07-10, 10-08 + 28 = 11-05)
    # DTaP 2 = 10-08, DTaP 3 = max(6 months 09-10, 11-05) = 11-05
    # MPSV-A 2 = max(9 months 12-10, 09-10 + 3 months = 12-10) = 12-10
    # MMR 1 and JE-L 1: 8 months = 11-10. DTaP 5: 6 years = 2031-03-10.
    doses = listed(date(2025, 3, 10), [], date(2025, 9, 10))
    expected = {
        ("HepB", 2): date(2025, 10, 8), ("HepB", 3): date(2025, 12, 7),
        ("polio", 2): date(2025, 10, 8), ("polio", 3): date(2025, 11, 5),
        ("DTaP", 2): date(2025, 10, 8), ("DTaP", 3): date(2025, 11, 5),
        ("MPSV-A", 2): date(2025, 12, 10), ("MMR", 1): date(2025, 11, 10),
        ("JE-L", 1): date(2025, 11, 10), ("DTaP", 5): date(2031, 3, 10),
    }
    assert {k: doses[k].earliest for k in expected} == expected
    assert all(doses[k].status == NOT_YET for k in expected)
    assert "已超过推荐接种时间" in doses[("HepB", 2)].reason      # 2 months (05-10) has passed
    # One of each alternative pair: JE-L and HepA-L by default, no DT after 2025, no HPV.
    assert {s for s, _ in doses} == {"HepB", "BCG", "polio", "DTaP", "MMR", "JE-L", "MPSV-A",
                                     "MPSV-AC", "HepA-L"}


# --- Boundaries of the month-age window ------------------------------------------------------------

@pytest.mark.parametrize(("today", "expected"), [
    (date(2025, 5, 9), NOT_YET),    # the day before 2 months
    (date(2025, 5, 10), DUE),       # 2 months: due
    (date(2025, 6, 9), DUE),        # last day of "2 月龄"
    (date(2025, 6, 10), OVERDUE),   # 3 months: overdue (NORMS §2.2)
    (date(2026, 3, 9), OVERDUE),    # the day before 12 months
    (date(2026, 3, 10), CATCH_UP),  # 12 months: DTaP 3 should be complete (NORMS §3.2) → 补种
    (date(2043, 3, 9), CATCH_UP),   # the day before 18 years
    (date(2043, 3, 10), TOO_LATE),  # 18 years: catch-up is for under-18s
])
def test_dtap_dose_1_of_a_child_born_2025_03_10_moves_through_every_status(today, expected):
    assert status(date(2025, 3, 10), [], today, "DTaP", 1) == expected


def test_a_child_born_on_the_31st_turns_two_months_on_the_last_day_of_a_short_month():
    # 2024-12-31 + 2 months = "2025-02-31" → 2025-02-28; overdue from 3 months = 2025-03-31.
    d = listed(date(2024, 12, 31), [], date(2025, 2, 28))[("DTaP", 1)]
    assert (d.earliest, d.status, d.overdue_from) == (date(2025, 2, 28), DUE, date(2025, 3, 31))
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)


def test_a_six_year_dose_is_due_for_one_month_after_the_sixth_birthday():
    # Born 2019-05-20: 6 years = 2025-05-20, overdue from 6 y 1 m = 2025-06-20, catch-up from 7 y.
    # MPSV-AC 1 at 3 years (2022-05-20), so AC 2 = max(6 years, + 3 years) = 2025-05-20.
    birth = date(2019, 5, 20)
    ac1 = [g("MPSV-AC", 1, 2022, 5, 20)]
    assert status(birth, ac1, date(2025, 5, 19), "MPSV-AC", 2) == NOT_YET
    assert status(birth, ac1, date(2025, 5, 20), "MPSV-AC", 2) == DUE
    assert status(birth, ac1, date(2025, 6, 19), "MPSV-AC", 2) == DUE
    assert status(birth, ac1, date(2025, 6, 20), "MPSV-AC", 2) == OVERDUE
    # DTaP 1–4 at 3, 4, 5, 18 months (the 2021 rules in force then); dose 5 at 6 years.
    dtap = [g("DTaP", 1, 2019, 8, 20), g("DTaP", 2, 2019, 9, 20), g("DTaP", 3, 2019, 10, 20),
            g("DTaP", 4, 2020, 11, 20)]
    d = listed(birth, dtap, date(2025, 6, 20))[("DTaP", 5)]
    assert (d.recommended, d.status, d.catch_up_from) == (date(2025, 5, 20), OVERDUE, date(2026, 5, 20))


# --- HepB within 24 hours ------------------------------------------------------------------------

def test_hepb_dose_1_is_timely_on_the_birth_date_and_the_next_day_only():
    birth = date(2025, 3, 10)
    assert is_timely("HepB", 1, birth, date(2025, 3, 10))
    assert is_timely("HepB", 1, birth, date(2025, 3, 11))
    assert not is_timely("HepB", 1, birth, date(2025, 3, 12))


def test_hepb_dose_1_is_due_for_two_days_then_becomes_a_catch_up_dose():
    birth = date(2025, 3, 10)
    assert status(birth, [], date(2025, 3, 10), "HepB", 1) == DUE
    assert status(birth, [], date(2025, 3, 11), "HepB", 1) == DUE
    assert status(birth, [], date(2025, 3, 12), "HepB", 1) == CATCH_UP


def test_other_doses_are_timely_within_their_recommended_month_of_age():
    birth = date(2025, 3, 10)
    assert not is_timely("DTaP", 1, birth, date(2025, 5, 9))   # before 2 months: too early
    assert is_timely("DTaP", 1, birth, date(2025, 5, 10))
    assert is_timely("DTaP", 1, birth, date(2025, 6, 9))
    assert not is_timely("DTaP", 1, birth, date(2025, 6, 10))
    # a product code works too: polio dose 3 is bOPV at 4 months = 07-10 .. 08-09
    assert is_timely("bOPV", 3, birth, date(2025, 8, 9))
    assert is_timely("polio", 3, birth, date(2025, 7, 10))
    assert not is_timely("polio", 3, birth, date(2025, 8, 10))


def test_timeliness_follows_the_schedule_in_force_on_the_day_given():
    # Born 2024-10-15. On 2024-12-20 the 2021 rules apply: DTaP 1 at 3 months → not timely.
    # On 2025-01-10 the 2025 rules apply: 2 months (2024-12-15) .. 3 months (2025-01-14) → timely.
    birth = date(2024, 10, 15)
    assert not is_timely("DTaP", 1, birth, date(2024, 12, 20))
    assert is_timely("DTaP", 1, birth, date(2025, 1, 10))


# --- Minimum intervals and invalid doses --------------------------------------------------------

def test_a_hepb_dose_27_days_after_the_previous_is_invalid_and_28_days_is_valid():
    # Born 2024-01-01; HepB 1 late on 2024-06-01. 06-01 + 27 d = 06-28, + 28 d = 06-29.
    birth = date(2024, 1, 1)
    early = validate_given(birth, [g("HepB", 1, 2024, 6, 1), g("HepB", 2, 2024, 6, 28)])
    assert [c.status for c in early] == [VALID, TOO_EARLY]
    assert "不足28天" in early[1].reason and "2024-06-29" in early[1].reason
    ok = validate_given(birth, [g("HepB", 1, 2024, 6, 1), g("HepB", 2, 2024, 6, 29)])
    assert [(c.status, c.counted_as) for c in ok] == [(VALID, 1), (VALID, 2)]


def test_after_an_invalid_dose_the_same_dose_is_due_again_and_the_next_one_moves():
    # Invalid HepB 2 on 06-28 → HepB 2 listed again, earliest 06-01 + 28 d = 06-29.
    # HepB 3: had 06-28 been valid, max(6 months 07-01, 06-28 + 60 d = 08-27) = 08-27
    #         (June 28 + 2 = June 30, + 31 = July 31, + 27 = Aug 27); now the repeat HepB 2 is
    #         projected on 06-29, so 06-29 + 60 d = 08-28.
    birth = date(2024, 1, 1)
    invalid = [g("HepB", 1, 2024, 6, 1), g("HepB", 2, 2024, 6, 28)]
    doses = listed(birth, invalid, date(2024, 6, 28))
    assert (doses[("HepB", 2)].earliest, doses[("HepB", 2)].status) == (date(2024, 6, 29), NOT_YET)
    assert doses[("HepB", 3)].earliest == date(2024, 8, 28)
    # 5 months old: past "1 月龄", before the 12-month completion age → overdue, can be given
    assert status(birth, invalid, date(2024, 6, 29), "HepB", 2) == OVERDUE
    valid = [g("HepB", 1, 2024, 6, 1), g("HepB", 2, 2024, 6, 29)]
    assert listed(birth, valid, date(2024, 6, 29))[("HepB", 3)].earliest == date(2024, 8, 28)


def test_a_dose_before_the_minimum_age_is_invalid():
    # Born 2025-03-10: DTaP 1 valid from 2 months = 2025-05-10.
    checked = validate_given(date(2025, 3, 10), [g("DTaP", 1, 2025, 5, 9)])
    assert checked[0].status == TOO_EARLY and "2025-05-10" in checked[0].reason


def test_doses_are_numbered_by_valid_doses_not_by_the_recorded_number():
    # Recorded as "dose 2" but it is the first HepB: counts as dose 1, with a note.
    checked = validate_given(date(2025, 3, 10), [g("HepB", 2, 2025, 3, 10)])
    assert (checked[0].counted_as, checked[0].status) == (1, VALID)
    assert "记录为第2剂" in checked[0].reason


def test_an_extra_dose_a_foreign_product_and_a_wrong_product_are_not_counted():
    birth = date(2025, 3, 10)
    extra = validate_given(birth, [g("BCG", 1, 2025, 3, 10), g("BCG", 2, 2025, 6, 10)])
    assert extra[1].status == NOT_COUNTED
    assert validate_given(birth, [g("Hib", 1, 2025, 5, 10)])[0].status == NOT_COUNTED
    # MR is accepted for MMR dose 1 only (Decision), not for dose 2.
    mr = validate_given(birth, [g("MMR", 1, 2025, 11, 10), g("MR", 2, 2026, 9, 10)])
    assert [c.status for c in mr] == [VALID, NOT_COUNTED]


def test_a_dose_before_birth_is_refused():
    with pytest.raises(ValueError):
        validate_given(date(2025, 3, 10), [g("HepB", 1, 2025, 3, 9)])


def test_mpsv_ac_dose_1_waits_12_months_after_mpsv_a_dose_2():
    # Born 2022-01-01; MPSV-A 2 late on 2024-06-01 → AC 1 from max(3 years 2025-01-01,
    # 2024-06-01 + 12 months = 2025-06-01).
    birth = date(2022, 1, 1)
    given_ = [g("MPSV-A", 1, 2022, 7, 1), g("MPSV-A", 2, 2024, 6, 1)]
    assert listed(birth, given_, date(2025, 3, 1))[("MPSV-AC", 1)].earliest == date(2025, 6, 1)
    checked = validate_given(birth, [*given_, g("MPSV-AC", 1, 2025, 5, 31)])
    assert checked[2].status == TOO_EARLY


def test_two_injectable_live_vaccines_are_given_the_same_day_or_28_days_apart():
    # Born 2025-01-15; MMR 1 at 8 months = 2025-09-15. JE-L 1 on the same day: valid;
    # 20 days later (10-05): invalid; 28 days later (09-15 + 28 = 10-13): valid.
    birth = date(2025, 1, 15)
    mmr = g("MMR", 1, 2025, 9, 15)
    assert validate_given(birth, [mmr, g("JE-L", 1, 2025, 9, 15)])[1].status == VALID
    assert validate_given(birth, [mmr, g("JE-L", 1, 2025, 10, 5)])[1].status == TOO_EARLY
    assert validate_given(birth, [mmr, g("JE-L", 1, 2025, 10, 13)])[1].status == VALID
    # The due list: on the MMR day JE-L 1 may still be given; from the next day it waits.
    assert listed(birth, [mmr], date(2025, 9, 15))[("JE-L", 1)].status == DUE
    nxt = listed(birth, [mmr], date(2025, 9, 16))[("JE-L", 1)]
    assert (nxt.status, nxt.earliest) == (NOT_YET, date(2025, 10, 13))
    # bOPV is oral: no interval with injectable live vaccines (NORMS §3.2).
    assert validate_given(birth, [g("bOPV", 1, 2025, 9, 1), mmr])[1].status == VALID


# --- Catch-up and the upper age limits ----------------------------------------------------------

def test_bcg_is_caught_up_until_the_fourth_birthday_and_never_after():
    # Born 2020-01-01: < 3 months direct; 3 months – 3 years after a negative PPD; ≥ 4 years no.
    birth = date(2020, 1, 1)
    assert status(birth, [], date(2020, 3, 31), "BCG", 1) == OVERDUE        # 2 months: give directly
    late = listed(birth, [], date(2023, 12, 31))[("BCG", 1)]
    assert late.status == CATCH_UP and "PPD" in late.reason
    gone = listed(birth, [], date(2024, 1, 1))[("BCG", 1)]
    assert gone.status == TOO_LATE and "不予补种" in gone.reason


def test_nothing_is_caught_up_from_the_eighteenth_birthday():
    birth = date(2007, 6, 1)
    assert {d.status for d in due_doses(birth, [], date(2025, 5, 31))} >= {CATCH_UP}
    assert {d.status for d in due_doses(birth, [], date(2025, 6, 1))} == {TOO_LATE}


def test_a_dose_whose_earliest_date_falls_after_the_age_limit_is_too_late():
    # Born 2007-12-01, no HepB: on 2025-11-01 HepB 1 can be given (catch-up), HepB 2 only
    # from 11-01 + 28 d = 11-29, HepB 3 from 11-29 + 60 d = 2026-01-28 ≥ 18 years (2025-12-01).
    doses = listed(date(2007, 12, 1), [], date(2025, 11, 1))
    assert doses[("HepB", 1)].status == CATCH_UP
    assert doses[("HepB", 2)].status == NOT_YET
    assert doses[("HepB", 3)].status == TOO_LATE


def test_catch_up_at_seven_or_older_is_marked_as_not_counted_in_routine_statistics():
    birth = date(2015, 1, 1)
    d = listed(birth, [], date(2022, 1, 1))[("MMR", 1)]
    assert d.status == CATCH_UP and "≥7岁" in d.reason
    assert counted_in_routine_statistics(birth, date(2021, 12, 31))
    assert not counted_in_routine_statistics(birth, date(2022, 1, 1))


# --- The DTaP change of 2025-01-01 -------------------------------------------------------------------

def test_dtap_dose_1_moves_from_three_to_two_months_on_2025_01_01():
    # Born 2024-10-15. On 2024-12-31 (2021 rules): 3 months = 2025-01-15, not yet; DT at 6 years.
    # On 2025-01-01 (2025 rules): 2 months = 2024-12-15, due until 3 months = 2025-01-15.
    birth = date(2024, 10, 15)
    old = listed(birth, [], date(2024, 12, 31))
    assert (old[("DTaP", 1)].earliest, old[("DTaP", 1)].status) == (date(2025, 1, 15), NOT_YET)
    assert ("DT", 1) in old and ("DTaP", 5) not in old
    new = listed(birth, [], date(2025, 1, 1))
    d = new[("DTaP", 1)]
    assert (d.earliest, d.status, d.overdue_from) == (date(2024, 12, 15), DUE, date(2025, 1, 15))
    assert ("DT", 1) not in new and new[("DTaP", 5)].recommended == date(2030, 10, 15)


def test_a_series_started_under_the_2021_rules_is_finished_under_the_2025_ages():
    # Born 2024-08-20; DTaP 1 on 2024-11-20 (3 m) and 2 on 2024-12-20 (4 m), valid then.
    # On 2024-12-31 dose 3 is at 5 months = 2025-01-20; from 2025-01-01 at 6 months = 2025-02-20
    # (12-20 + 28 d = 2025-01-17 is earlier). Nothing restarts (NORMS §3.2).
    birth = date(2024, 8, 20)
    given_ = [g("DTaP", 1, 2024, 11, 20), g("DTaP", 2, 2024, 12, 20)]
    assert listed(birth, given_, date(2024, 12, 31))[("DTaP", 3)].earliest == date(2025, 1, 20)
    doses = listed(birth, given_, date(2025, 1, 10))
    assert doses[("DTaP", 3)].earliest == date(2025, 2, 20)
    assert ("DTaP", 1) not in doses and ("DTaP", 2) not in doses


def test_a_dose_is_judged_by_the_rules_in_force_on_the_day_it_was_given():
    # DTaP at 2 months + 5 days on 2024-12-20 (born 2024-10-15): too early under the 2021 rules.
    # DTaP at 2 months + 1 day on 2025-01-02 (born 2024-11-01): valid under the 2025 rules.
    assert validate_given(date(2024, 10, 15), [g("DTaP", 1, 2024, 12, 20)])[0].status == TOO_EARLY
    assert validate_given(date(2024, 11, 1), [g("DTaP", 1, 2025, 1, 2)])[0].status == VALID


def test_a_dt_booster_given_before_2025_counts_as_the_six_year_dtap_but_not_one_given_after():
    four_dtap = [g("DTaP", 1, 2018, 6, 1), g("DTaP", 2, 2018, 7, 1), g("DTaP", 3, 2018, 8, 1),
                 g("DTaP", 4, 2019, 9, 1)]
    # Born 2018-03-01, DT on 2024-03-05: DTaP 5 is satisfied on 2025-06-01.
    assert ("DTaP", 5) not in listed(date(2018, 3, 1), [*four_dtap, g("DT", 1, 2024, 3, 5)],
                                     date(2025, 6, 1))
    # Born 2019-03-01 (same DTaP dates shifted a year), DT on 2025-03-05 from old stock: DTaP 5
    # (6 years = 2025-03-01, overdue from 2025-04-01) is still needed.
    later = [GivenDose(x.vaccine, x.dose, x.date.replace(year=x.date.year + 1)) for x in four_dtap]
    d = listed(date(2019, 3, 1), [*later, g("DT", 1, 2025, 3, 5)], date(2025, 6, 1))[("DTaP", 5)]
    assert d.status == OVERDUE


# --- HPV from 2025-11-10 -------------------------------------------------------------------------

def test_hpv_is_offered_to_girls_born_from_2011_11_10_once_the_programme_starts():
    girl = date(2012, 3, 1)     # 13 years on 2025-03-01, before the programme
    assert ("HPV", 1) not in listed(girl, [], date(2025, 11, 9), sex=FEMALE)
    d = listed(girl, [], date(2025, 11, 10), sex=FEMALE)[("HPV", 1)]
    # The window opens on 2025-11-10, overdue from 2025-12-10, catch-up from 14 years 2026-03-01.
    assert (d.recommended, d.status, d.overdue_from, d.catch_up_from) == (
        date(2025, 11, 10), DUE, date(2025, 12, 10), date(2026, 3, 1))
    assert ("HPV", 1) not in listed(girl, [], date(2025, 11, 10), sex=MALE)
    assert ("HPV", 1) not in listed(girl, [], date(2025, 11, 10))          # sex unknown
    assert ("HPV", 1) not in listed(date(2011, 11, 9), [], date(2025, 11, 10), sex=FEMALE)


def test_a_self_paid_hpv_dose_before_the_programme_counts_and_dose_2_follows_six_months_later():
    # Born 2012-03-01; paid dose on 2025-05-01 (13 y 2 m) → dose 1; dose 2 from 2025-11-01.
    girl = date(2012, 3, 1)
    paid = [g("HPV", 1, 2025, 5, 1)]
    assert validate_given(girl, paid)[0].status == VALID
    d = listed(girl, paid, date(2025, 11, 10), sex=FEMALE)[("HPV", 2)]
    assert (d.earliest, d.status) == (date(2025, 11, 1), DUE)
    assert ("HPV", 1) not in listed(girl, paid, date(2025, 11, 10), sex=FEMALE)


# --- Alternatives --------------------------------------------------------------------------------

def test_a_child_started_on_inactivated_je_follows_the_four_dose_series_seven_to_ten_days_apart():
    # Born 2025-01-15; JE-I 1 at 8 months 2025-09-15 → JE-I 2 from 09-22 (7 d), overdue from
    # 09-26 (after 10 days); JE-L is no longer listed.
    birth = date(2025, 1, 15)
    je = [g("JE-I", 1, 2025, 9, 15)]
    doses = listed(birth, je, date(2025, 9, 20))
    assert ("JE-L", 1) not in doses and ("JE-I", 4) in doses
    assert (doses[("JE-I", 2)].earliest, doses[("JE-I", 2)].status) == (date(2025, 9, 22), NOT_YET)
    assert status(birth, je, date(2025, 9, 25), "JE-I", 2) == DUE
    assert status(birth, je, date(2025, 9, 26), "JE-I", 2) == OVERDUE
    # A live JE dose after that is not counted (no mixing rule in the norm).
    assert validate_given(birth, [*je, g("JE-L", 1, 2025, 10, 20)])[1].status == NOT_COUNTED


def test_the_live_vaccine_is_the_default_and_the_reason_names_the_alternative():
    d = listed(date(2025, 3, 10), [], date(2026, 9, 10))[("HepA-L", 1)]
    assert d.status == DUE and "甲肝灭活疫苗" in d.reason


def test_an_older_certificate_with_bopv_as_the_second_polio_dose_is_accepted():
    birth = date(2018, 1, 1)
    checked = validate_given(birth, [g("IPV", 1, 2018, 3, 1), g("bOPV", 2, 2018, 4, 1)])
    assert [(c.status, c.counted_as) for c in checked] == [(VALID, 1), (VALID, 2)]


# --- 全程接种 ---------------------------------------------------------------------------------

ON_TIME_FIRST_YEAR = [     # born 2025-03-10, every dose at its recommended age (2025 rules)
    g("HepB", 1, 2025, 3, 10), g("BCG", 1, 2025, 3, 10), g("HepB", 2, 2025, 4, 10),
    g("IPV", 1, 2025, 5, 10), g("DTaP", 1, 2025, 5, 10), g("IPV", 2, 2025, 6, 10),
    g("bOPV", 3, 2025, 7, 10), g("DTaP", 2, 2025, 7, 10), g("HepB", 3, 2025, 9, 10),
    g("DTaP", 3, 2025, 9, 10), g("MPSV-A", 1, 2025, 9, 10), g("MMR", 1, 2025, 11, 10),
    g("JE-L", 1, 2025, 11, 10), g("MPSV-A", 2, 2025, 12, 10),
]


def test_a_child_vaccinated_on_time_is_fully_vaccinated_for_its_first_year():
    birth = date(2025, 3, 10)
    checked = validate_given(birth, ON_TIME_FIRST_YEAR)
    assert all(c.valid for c in checked)
    assert all(is_timely(c.given.vaccine, c.counted_as, birth, c.given.date) for c in checked)
    assert fully_vaccinated(birth, ON_TIME_FIRST_YEAR, date(2026, 3, 10), 12)


def test_a_missing_dose_breaks_full_vaccination_only_for_ages_that_include_it():
    birth = date(2025, 3, 10)
    without_a2 = ON_TIME_FIRST_YEAR[:-1]             # MPSV-A 2 is recommended at 9 months
    assert not fully_vaccinated(birth, without_a2, date(2026, 3, 10), 12)
    assert fully_vaccinated(birth, without_a2, date(2026, 3, 10), 8)
    # doses after on_date do not count
    assert not fully_vaccinated(birth, ON_TIME_FIRST_YEAR, date(2025, 12, 9), 12)


def test_doses_given_at_seven_or_older_do_not_make_a_child_fully_vaccinated():
    # Born 2015-01-01: MMR 1 on time, MMR 2 caught up at 8 (2023-01-10) → valid, not counted.
    birth = date(2015, 1, 1)
    mmr = [g("MMR", 1, 2015, 9, 1), g("MMR", 2, 2023, 1, 10)]
    assert all(c.valid for c in validate_given(birth, mmr))
    assert not fully_vaccinated(birth, mmr, date(2023, 6, 1), 18)


# --- 建证 -----------------------------------------------------------------------------------------

def test_the_certificate_is_due_within_one_month_of_birth():
    assert certificate_due_date(date(2025, 3, 10)) == date(2025, 4, 10)
    assert certificate_due_date(date(2025, 1, 31)) == date(2025, 2, 28)


# --- Properties ------------------------------------------------------------------------------------

PRODUCTS = [v.code for v in VACCINES] + ["Hib"]


@st.composite
def histories(draw):
    birth = draw(st.dates(date(2010, 1, 1), date(2026, 12, 31)))
    age = draw(st.integers(0, 19 * 366))
    today = birth + timedelta(days=age)
    doses = draw(st.lists(st.tuples(st.sampled_from(PRODUCTS), st.integers(1, 5),
                                    st.integers(0, age)), max_size=25))
    given_ = [GivenDose(p, n, birth + timedelta(days=offset)) for p, n, offset in doses]
    sex = draw(st.sampled_from([FEMALE, MALE, None]))
    return birth, given_, today, sex


@settings(max_examples=200, deadline=None)
@given(histories())
def test_no_dose_is_ever_shown_earlier_than_its_minimum_age(history):
    birth, given_, today, sex = history
    for d in due_doses(birth, given_, today, sex=sex):
        rule = DEFAULT_SCHEDULE.series_on(d.series, today).dose(d.dose)
        assert d.earliest >= rule.minimum_age.after(birth)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_a_dose_can_be_given_exactly_when_its_status_says_so(history):
    birth, given_, today, sex = history
    for d in due_doses(birth, given_, today, sex=sex):
        if d.status in (DUE, OVERDUE, CATCH_UP):
            assert d.earliest <= today
        elif d.status == NOT_YET:
            assert today < d.earliest


@settings(max_examples=200, deadline=None)
@given(histories(), st.data())
def test_giving_a_listed_dose_today_is_valid_and_never_makes_an_earlier_dose_due_again(history, data):
    birth, given_, today, sex = history
    before = listed(birth, given_, today, sex=sex)
    actionable = [d for d in before.values() if d.status in (DUE, OVERDUE, CATCH_UP)]
    if not actionable:
        return
    d = data.draw(st.sampled_from(actionable))
    new = GivenDose(d.vaccine, d.dose, today)
    checked = validate_given(birth, [*given_, new])
    assert (checked[-1].status, checked[-1].counted_as) == (VALID, d.dose)
    after = listed(birth, [*given_, new], today, sex=sex)
    assert (d.series, d.dose) not in after
    assert set(after) <= set(before)


@settings(max_examples=50, deadline=None)
@given(st.dates(date(2017, 1, 1), date(2025, 12, 31)),
       st.lists(st.integers(3, 60), min_size=1, max_size=20))
def test_a_child_brought_in_whenever_something_is_due_is_fully_vaccinated_by_seven(birth, gaps):
    # Visits 3–60 days apart (the drawn gaps, repeated) from birth to the 7th birthday, giving
    # everything the list offers; the births span the 2025 DTaP change, so some series change
    # ages half-way.
    given_: list[GivenDose] = []
    today = birth
    seventh = add_months(birth, 84)
    for gap in itertools.cycle(gaps):
        if today >= seventh:
            break
        for d in due_doses(birth, given_, today):
            if d.status in (DUE, OVERDUE, CATCH_UP):
                given_.append(GivenDose(d.vaccine, d.dose, today))
        today += timedelta(days=gap)
    assert all(c.valid for c in validate_given(birth, given_))
    end = min(today, seventh - timedelta(days=1))
    assert fully_vaccinated(birth, given_, end, 72)
