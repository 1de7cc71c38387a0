"""The storage and cohort rules (rules.py), worked by hand from NORMS §2.2, §3.1, §3.2."""

from datetime import date

from hypothesis import given, settings

from gongwei.programmes.immunization import rules
from gongwei.programmes.immunization.schedule import (
    DEFAULT_SCHEDULE,
    TOO_LATE,
    GivenDose,
    Span,
    add_months,
    due_doses,
)

from .test_schedule import histories


def g(vaccine, dose, y, m, d):
    return GivenDose(vaccine, dose, date(y, m, d))


# --- The card ------------------------------------------------------------------------------------

def test_a_child_of_this_place_should_have_its_card_by_the_day_it_turns_one_month():
    # NORMS §3.2 [S85]: within 1 month of birth. Born 2026-01-31 → 1 month = 2026-02-28.
    assert rules.card_due_date(date(2026, 3, 10), "1", None) == date(2026, 4, 10)
    assert rules.card_due_date(date(2026, 1, 31), "1", None) == date(2026, 2, 28)


def test_a_migrant_child_should_have_its_card_once_it_has_lived_here_three_months():
    # Registered elsewhere ("2"/"3"), arrived 2026-01-15 aged 19 months → 3 months later.
    assert rules.is_migrant("2", date(2024, 6, 1), date(2026, 1, 15))
    assert rules.card_due_date(date(2024, 6, 1), "2", date(2026, 1, 15)) == date(2026, 4, 15)
    assert rules.card_due_date(date(2024, 6, 1), "3", date(2025, 11, 30)) == date(2026, 2, 28)


def test_the_residence_length_is_a_setting():
    six = rules.Config(migrant_residence=Span(months=6))
    assert rules.card_due_date(date(2024, 6, 1), "2", date(2026, 1, 15), six) == date(2026, 7, 15)


def test_a_child_registered_elsewhere_but_living_here_since_birth_is_a_child_of_this_place():
    # residence_since = the birth date (the people demo's rule) or unknown: 1 month of birth.
    assert not rules.is_migrant("2", date(2026, 3, 10), date(2026, 3, 10))
    assert not rules.is_migrant("3", date(2026, 3, 10), None)
    assert not rules.is_migrant("1", date(2024, 6, 1), date(2026, 1, 15))   # 户籍 here
    assert rules.card_due_date(date(2026, 3, 10), "2", date(2026, 3, 10)) == date(2026, 4, 10)


# --- What is stored ----------------------------------------------------------------------------

def test_a_newborn_without_doses_stores_the_first_dose_of_every_series():
    # Born 2026-03-10 (a boy), as of 2026-03-21: HepB 1 and BCG from birth; HepB 1 overdue from
    # 2 days (the 24-hour window, schedule.WITHIN_24H) → window_end 03-11; BCG too late at 4
    # years (2030-03-10), the earliest "too late" of all → refresh_on.
    stored = rules.stored_schedule(date(2026, 3, 10), "1", [], date(2026, 3, 21))
    series = {d.series: (d.dose, d.earliest) for d in stored.next_doses}
    assert series == {
        "HepB": (1, date(2026, 3, 10)), "BCG": (1, date(2026, 3, 10)),
        "polio": (1, date(2026, 5, 10)), "DTaP": (1, date(2026, 5, 10)),
        "MPSV-A": (1, date(2026, 9, 10)), "MMR": (1, date(2026, 11, 10)), "JE-L": (1, date(2026, 11, 10)),
        "MPSV-AC": (1, date(2029, 3, 10)), "HepA-L": (1, date(2027, 9, 10)),
    }
    assert (stored.next_due, stored.window_end, stored.refresh_on) == (
        date(2026, 3, 10), date(2026, 3, 11), date(2030, 3, 10))


def test_after_the_birth_doses_the_next_hepb_dose_waits_for_one_month():
    # HepB 1 and BCG on 03-10: HepB 2 from max(1 month 04-10, 03-10 + 28 d = 04-07) = 04-10,
    # overdue from 2 months (05-10); next_due = 04-10, window_end = 05-09 (HepB 2 is overdue
    # before polio 1 and DTaP 1, which are from 06-10).
    stored = rules.stored_schedule(date(2026, 3, 10), "1", [g("HepB", 1, 2026, 3, 10), g("BCG", 1, 2026, 3, 10)],
                                   date(2026, 3, 21))
    hepb = next(d for d in stored.next_doses if d.series == "HepB")
    assert (hepb.dose, hepb.earliest, hepb.overdue_from) == (2, date(2026, 4, 10), date(2026, 5, 10))
    assert "BCG" not in {d.series for d in stored.next_doses}
    assert (stored.next_due, stored.window_end) == (date(2026, 4, 10), date(2026, 5, 9))


def test_a_live_vaccine_given_today_holds_the_other_live_vaccines_from_tomorrow():
    # Born 2025-03-10, MMR 1 on 2025-11-10 (8 months). As of the next day JE-L 1 waits 28 days:
    # 11-10 + 28 = 12-08 (NORMS §3.2); on the day itself it could still be given.
    mmr = [g("MMR", 1, 2025, 11, 10)]
    stored = rules.stored_schedule(date(2025, 3, 10), "1", mmr, date(2025, 11, 11))
    assert next(d for d in stored.next_doses if d.series == "JE-L").earliest == date(2025, 12, 8)
    same_day = due_doses(date(2025, 3, 10), mmr, date(2025, 11, 10))
    assert next(d for d in same_day if d.series == "JE-L").earliest == date(2025, 11, 10)


def test_a_series_past_its_catch_up_age_is_not_stored():
    # Born 2021-01-05, nothing given, as of 2025-02-01: BCG too late from 4 years (2025-01-05).
    stored = rules.stored_schedule(date(2021, 1, 5), "1", [], date(2025, 2, 1))
    assert "BCG" not in {d.series for d in stored.next_doses}
    # Recompute when the HPV version comes into force (2025-11-10, NORMS §3.1 [S36]); after
    # it, when the other series end at 18 years (2039-01-05).
    assert stored.refresh_on == date(2025, 11, 10)
    assert rules.stored_schedule(date(2021, 1, 5), "1", [], date(2026, 2, 1)).refresh_on == date(2039, 1, 5)


def test_a_girl_is_stored_the_hpv_dose_at_thirteen():
    # Born 2013-05-01 with the children's schedule complete? Only HPV concerns us here: it
    # is a girls' series (sex "2") from 13 years (2026-05-01).
    stored = rules.stored_schedule(date(2013, 5, 1), "2", [], date(2026, 1, 1))
    hpv = next(d for d in stored.next_doses if d.series == "HPV")
    assert (hpv.dose, hpv.earliest) == (1, date(2026, 5, 1))
    boy = rules.stored_schedule(date(2013, 5, 1), "1", [], date(2026, 1, 1))
    assert "HPV" not in {d.series for d in boy.next_doses}


@settings(max_examples=300, deadline=None)
@given(histories())
def test_the_stored_dates_are_the_minimum_over_every_dose_still_open(history):
    birth, given_, today, sex = history
    stored = rules.stored_schedule(birth, sex, given_, today)
    open_doses = [d for d in due_doses(birth, given_, today, sex=sex) if d.status != TOO_LATE]
    assert stored.next_due == min((d.earliest for d in open_doses), default=None)
    if open_doses:
        assert stored.window_end == min(d.overdue_from for d in open_doses) - rules.ONE_DAY
    stored_keys = {(d.series, d.dose) for d in stored.next_doses}
    assert stored_keys <= {(d.series, d.dose) for d in open_doses}
    assert {d.series for d in open_doses} == {s for s, _ in stored_keys}


# --- Lists ----------------------------------------------------------------------------------------

def test_a_dose_moves_from_due_to_overdue_to_catch_up_on_its_dates():
    # DTaP 1 of a child born 2025-03-10: earliest 05-10, overdue from 06-10, catch-up from
    # 12 months (2026-03-10), too late at 18 years.
    d = next(x for x in rules.stored_schedule(date(2025, 3, 10), "1", [], date(2025, 4, 1)).next_doses
             if x.series == "DTaP")
    assert rules.in_tab(d, rules.DUE_TAB, date(2025, 4, 30)) is False      # not this month
    assert rules.in_tab(d, rules.DUE_TAB, date(2025, 5, 1))                  # from 05-10, in May
    assert rules.in_tab(d, rules.DUE_TAB, date(2025, 6, 9))
    assert not rules.in_tab(d, rules.DUE_TAB, date(2025, 6, 10))
    assert rules.in_tab(d, rules.OVERDUE_TAB, date(2025, 6, 10))
    assert rules.in_tab(d, rules.OVERDUE_TAB, date(2026, 3, 9))
    assert rules.in_tab(d, rules.CATCH_UP_TAB, date(2026, 3, 10))
    assert not rules.in_tab(d, rules.OVERDUE_TAB, date(2026, 3, 10))
    assert not rules.in_tab(d, rules.ALL_TAB, date(2043, 3, 10))


# --- Cohorts --------------------------------------------------------------------------------------

def test_children_turning_one_month_in_march_were_born_from_1_february_to_28_february():
    # 2025-01-31 + 1 month = 02-28 (not March); 02-01 + 1 month = 03-01; 02-28 → 03-28;
    # nobody turns 1 month on 03-29..03-31 except those born 02-29..02-31, which 2025 lacks.
    assert rules.birth_range(1, date(2025, 3, 1), date(2025, 3, 31)) == (date(2025, 2, 1), date(2025, 2, 28))


def test_children_turning_one_month_in_february_include_those_born_on_29_to_31_january():
    assert rules.birth_range(1, date(2025, 2, 1), date(2025, 2, 28)) == (date(2025, 1, 1), date(2025, 1, 31))


def test_a_cohort_range_agrees_with_add_months_day_by_day():
    lo, hi = rules.birth_range(12, date(2025, 1, 1), date(2025, 3, 31))
    assert (lo, hi) == (date(2024, 1, 1), date(2024, 3, 31))
    day = date(2023, 11, 1)
    while day < date(2024, 6, 1):
        inside = date(2025, 1, 1) <= add_months(day, 12) <= date(2025, 3, 31)
        assert inside == (lo <= day <= hi), day
        day += rules.ONE_DAY


def test_age_in_completed_months():
    assert rules.age_months(date(2025, 1, 31), date(2025, 2, 27)) == 0
    assert rules.age_months(date(2025, 1, 31), date(2025, 2, 28)) == 1     # NORMS §2.2, clamped
    assert rules.age_months(date(2025, 3, 10), date(2026, 3, 9)) == 11
    assert rules.age_months(date(2025, 3, 10), date(2026, 3, 10)) == 12
    assert rules.last_birth_aged(date(2026, 11, 23)) == date(2019, 11, 23)   # 7 today


def test_the_schedule_in_use_is_the_national_one():
    assert rules.DEFAULT.migrant_residence == Span(months=3)
    assert DEFAULT_SCHEDULE.rules.certificate_within == Span(months=1)
