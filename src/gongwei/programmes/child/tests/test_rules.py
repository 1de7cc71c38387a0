"""Pure rules of the child programme (rules.py, chart.py), worked by hand from NORMS §2.2."""

from datetime import date, timedelta

from gongwei.programmes.child import chart, growth, rules
from gongwei.programmes.child.schedule import Condition, visit_windows


def test_the_rhythm_is_four_two_two_then_one_a_year():
    # NORMS §2.2 [S19]: "4-2-2-1".
    config = rules.DEFAULT_SYSTEMATIC
    assert config.counts == (4, 2, 2, 1, 1, 1)
    assert config.visits_0_3 == ("m3", "m6", "m8", "m12", "m18", "m24", "m30", "m36")
    assert config.visits_0_6[-3:] == ("y4", "y5", "y6")


def test_a_check_is_required_in_the_period_its_window_ends_in():
    # Born 2025-03-10. Last on-time days: m3 2025-07-09, m6 2025-10-09, m8 2025-12-09,
    # m12 2026-04-09, m18 2026-10-09, m24 2027-04-09. The year 2026 requires m12 and m18.
    codes = rules.DEFAULT_SYSTEMATIC.visits_0_6
    assert rules.required_visits(date(2025, 3, 10), date(2026, 1, 1), date(2026, 12, 31), codes) == ["m12", "m18"]
    # The first quarter of 2026 requires nothing (m12's window ends on 9 April).
    assert rules.required_visits(date(2025, 3, 10), date(2026, 1, 1), date(2026, 3, 31), codes) == []


def test_a_whole_year_of_life_requires_its_four_infant_checks():
    # Born 2025-01-01: windows end m3 04-30, m6 07-31, m8 09-30 (2025) and m12 2026-01-31.
    # From birth to the end of January 2026: the four checks of year one.
    codes = rules.DEFAULT_SYSTEMATIC.visits_0_3
    assert rules.required_visits(date(2025, 1, 1), date(2025, 1, 1), date(2026, 1, 31), codes) == [
        "m3", "m6", "m8", "m12"]


def test_birth_range_is_exactly_the_births_whose_window_ends_in_the_period():
    start, end = date(2026, 2, 1), date(2026, 3, 31)
    for month in (3, 6, 8, 12, 18, 24, 30, 36, 48, 60, 72):
        lo, hi = rules.birth_range(month, start, end)
        day = lo - timedelta(days=40)
        while day <= hi + timedelta(days=40):
            inside = start <= rules.window_last_day(day, month) <= end
            assert inside == (lo <= day <= hi), (month, day)
            day += timedelta(days=1)


def test_birth_range_handles_month_ends():
    # The 3-month window ends the day before the child reaches 4 months. Born 28, 29, 30 or
    # 31 October 2025, a child reaches 4 months on 28 February 2026 (29–31 Feb do not exist),
    # so all four windows end on 27 February; born 27 October, on 26 February.
    assert rules.window_last_day(date(2025, 10, 31), 3) == date(2026, 2, 27)
    assert rules.birth_range(3, date(2026, 2, 27), date(2026, 2, 27)) == (date(2025, 10, 28), date(2025, 10, 31))
    # Born 1 November 2025: 4 months on 1 March 2026, window ends 28 February — the only one.
    assert rules.birth_range(3, date(2026, 2, 28), date(2026, 2, 28)) == (date(2025, 11, 1), date(2025, 11, 1))


def test_stored_window_is_due_day_to_the_day_before_overdue():
    w = {x.code: x for x in visit_windows(date(2026, 1, 15), date(2026, 1, 18))}
    # m3: due 2026-04-15, overdue from 05-15 → window end 05-14.
    assert rules.stored_window(w["m3"]) == (date(2026, 4, 15), date(2026, 5, 14))
    # Newborn: discharge 01-18 … 01-25.
    assert rules.stored_window(w["newborn"]) == (date(2026, 1, 18), date(2026, 1, 25))
    assert rules.stored_window(None) == (None, None)


def test_the_programme_ends_on_the_seventh_birthday():
    assert rules.end_of_programme(date(2019, 11, 23)) == date(2026, 11, 23)
    assert rules.aged_out(date(2019, 11, 23), date(2026, 11, 23))
    assert not rules.aged_out(date(2019, 11, 24), date(2026, 11, 23))
    assert rules.last_birth_date_aged_out(date(2026, 11, 23)) == date(2019, 11, 23)
    # Born 29 Feb 2020: 7 on 28 Feb 2027 (add_months clamps), so on that day born ≤ 2020-02-29 is out.
    assert rules.last_birth_date_aged_out(date(2027, 2, 28)) == date(2020, 2, 29)


def test_no_visit_is_current_after_the_seventh_birthday():
    assert rules.current_visit(date(2019, 11, 23), (), date(2026, 11, 23)) is None
    assert rules.current_visit(date(2019, 11, 24), (), date(2026, 11, 23)).code == "y6"


LBW = Condition("low_birth_weight", "低出生体重")
ANAEMIA = Condition("anaemia", "贫血", "mild")


def test_a_case_opens_for_a_condition_unless_one_is_open():
    assert rules.should_open_case([ANAEMIA], has_open_case=False, had_birth_history_case=True)
    assert not rules.should_open_case([ANAEMIA], has_open_case=True, had_birth_history_case=False)
    assert not rules.should_open_case([], has_open_case=False, had_birth_history_case=False)


def test_birth_history_opens_one_case_only():
    assert rules.should_open_case([LBW], has_open_case=False, had_birth_history_case=False)
    assert not rules.should_open_case([LBW], has_open_case=False, had_birth_history_case=True)


def test_birth_history_counts_in_the_first_year_only():
    assert rules.birth_history_applies(date(2025, 6, 1), date(2026, 5, 31))
    assert not rules.birth_history_applies(date(2025, 6, 1), date(2026, 6, 1))


def test_assessment_of_a_severely_underweight_boy():
    # Boys at 3 months: −3 SD 4.4 kg (WHO 2006). 4.2 kg → severe underweight, malnutrition.
    a = rules.assess("1", date(2026, 3, 10), date(2026, 6, 12), weight_kg=4.2)
    assert [f.code for f in a.findings] == ["underweight"] and a.findings[0].severity == "severe"
    assert rules.severe_malnutrition(a.conditions)


def test_anaemia_counts_from_six_months():
    # WHO 2011 (unconfirmed in the norms): 6–59 months anaemic below 110 g/L.
    a = rules.assess("2", date(2025, 11, 1), date(2026, 5, 5), hb_g_l=105)
    assert [c.code for c in a.conditions] == ["anaemia"] and a.z is None


def test_form_parts_follow_the_tests_of_each_visit():
    # Hb at 6–8, 18, 30 months and 4/5/6 years; hearing at 6, 12, 24, 36; acuity from 4 years.
    assert rules.form_parts("m6").hb and rules.form_parts("m6").hearing
    assert not rules.form_parts("m12").hb and rules.form_parts("m12").hearing
    assert rules.form_parts("y4").visual_acuity and not rules.form_parts("m36").visual_acuity
    assert rules.form_parts("newborn").newborn and not rules.form_parts("m3").newborn
    assert not rules.form_parts("y4").head_circumference and rules.form_parts("m36").head_circumference
    assert len(rules.form_parts("m3").warning_signs) == 4 and rules.form_parts("newborn").warning_signs == ()


# --- The chart ---------------------------------------------------------------------------------

def test_a_median_measurement_sits_on_the_median_curve():
    # WHO boys' weight-for-age median at birth is 3.3464 kg (day 0 of the table).
    c = chart.growth_chart("M", "wfa", [(0, 3.3464, "出生")])
    median = c.curves[2]
    first_point = median.points.split()[0]
    assert first_point == f"{c.points[0].x},{c.points[0].y}"
    assert [curve.label for curve in c.curves] == ["-3", "-2", "0", "+2", "+3"]
    assert c.months == 24


def test_chart_widens_to_five_years_and_skips_what_has_no_standard():
    c = chart.growth_chart("F", "lhfa", [(400, 75.0, "m12"), (1500, 100.0, "y4"), (2000, 110.0, "y5")])
    assert c.months == 60 and c.beyond == 1 and len(c.points) == 2
    # 61 monthly points (24 months = day round(730.5) = 730); the length/height curve steps at
    # 731 days (length → height), so day 731 is drawn too.
    assert len(c.curves[0].points.split()) == 61 + 1
    xs = [float(p.split(",")[0]) for p in c.curves[0].points.split()]
    assert xs == sorted(xs) and c.left <= xs[0] and xs[-1] <= c.right


def test_chart_axis_covers_the_curves_and_the_child():
    c = chart.growth_chart("M", "wfa", [(91, 4.2, "m3")])
    ys = [float(p.split(",")[1]) for curve in c.curves for p in curve.points.split()] + [c.points[0].y]
    assert all(c.top <= y <= c.bottom for y in ys)
    assert float(c.yticks[0].label) <= growth.growth_chart_points("M", "wfa", [0])[0].sd_neg3


def test_current_visit_is_schedule_next_visit_before_the_seventh_birthday():
    from gongwei.programmes.child.schedule import next_visit

    birth, discharge = date(2024, 1, 31), date(2024, 2, 3)
    done_sets = [(), ("newborn",), ("newborn", "full_month", "m3"), ("m6", "m8"), ("m36", "y4")]
    day = birth
    while day < date(2031, 1, 31):
        for done in done_sets:
            assert rules.current_visit(birth, done, day, discharge) == next_visit(birth, done, day, discharge)
        day += timedelta(days=11)
