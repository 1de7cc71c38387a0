"""Maternal rules against NORMS §2.3 and MCH-SUPPLEMENT, worked by hand.

Day counts from LMP 2026-01-01: Jan 31 + Feb 28 + Mar 31 = 90 → 1 Apr is day 90 (12+6);
+ Apr 30 → 30 Apr is day 119; + May 31 → 31 May is day 150; + Jun 30 → 30 Jun is day 180;
+ Jul 31, Aug 31 → 31 Aug is day 242; + Sep 30 → 30 Sep is day 272.
"""

from datetime import date

import pytest

from gongwei.programmes.maternal.rules import (
    DEFAULT_RISK_TABLE,
    Colour,
    RiskCondition,
    Ultrasound,
    antenatal_windows,
    assess_risk,
    conditions_from_measures,
    expected_delivery_date,
    gestational_age,
    is_early_booking,
    next_maternal_due,
    postpartum_windows,
)

LMP = date(2026, 1, 1)


def test_edd_is_lmp_plus_280_days():
    # 30 Sep is day 272 → 8 Oct is day 280.
    assert expected_delivery_date(LMP) == date(2026, 10, 8)
    assert gestational_age(LMP, LMP).edd == date(2026, 10, 8)


def test_gestational_age_and_13_week_cut_off():
    ga = gestational_age(LMP, date(2026, 4, 1))           # day 90
    assert (ga.days, ga.weeks, ga.extra_days, ga.label, ga.basis) == (90, 12, 6, "孕12+6周", "lmp")
    assert gestational_age(LMP, date(2026, 4, 2)).label == "孕13+0周"
    # 早孕建册: before 13 weeks = up to 12+6 (1 Apr); 13+0 (2 Apr) is late.
    assert is_early_booking(LMP, date(2026, 4, 1))
    assert not is_early_booking(LMP, date(2026, 4, 2))
    with pytest.raises(ValueError):
        gestational_age(LMP, date(2025, 12, 31))


def test_antenatal_windows_by_gestational_week():
    # 12+6 = day 90 = 1 Apr; 16+0 = day 112 = 23 Apr; 20+6 = 146 = 27 May; 21+0 = 28 May;
    # 24+6 = 174 = 24 Jun; 28+0 = 196 = 16 Jul; 36+6 = 258 = 16 Sep; 37+0 = 17 Sep;
    # 40+6 = 286 = 14 Oct.
    expected = [
        ("anc1", date(2026, 1, 1), date(2026, 4, 1)),
        ("anc2", date(2026, 4, 23), date(2026, 5, 27)),
        ("anc3", date(2026, 5, 28), date(2026, 6, 24)),
        ("anc4", date(2026, 7, 16), date(2026, 9, 16)),
        ("anc5", date(2026, 9, 17), date(2026, 10, 14)),
    ]
    assert [(w.code, w.start, w.end) for w in antenatal_windows(LMP)] == expected
    assert [(w.code, w.start, w.end) for w in antenatal_windows(edd=date(2026, 10, 8))] == expected
    first = antenatal_windows(LMP)[0]
    assert first.on_time(date(2026, 4, 1)) and not first.on_time(date(2026, 4, 2))
    with pytest.raises(ValueError):
        antenatal_windows(LMP, edd=date(2026, 10, 8))


def test_ultrasound_correction_before_9_weeks_uses_5_days():
    # Scan 5 Mar = day 63 by LMP (9+0). Ultrasound 8+0 (56 days) → implied LMP 8 Jan: 7 days
    # apart > 5 (band below 9+0) → redate: EDD 8 Jan + 280 = 15 Oct.
    ga = gestational_age(LMP, date(2026, 3, 5), Ultrasound.of(date(2026, 3, 5), 8, 0))
    assert (ga.basis, ga.lmp, ga.edd, ga.label) == ("ultrasound", date(2026, 1, 8), date(2026, 10, 15), "孕8+0周")
    # Ultrasound 8+2 (58) → implied LMP 6 Jan: 5 days apart, not > 5 → LMP dating stays.
    ga = gestational_age(LMP, date(2026, 3, 5), Ultrasound.of(date(2026, 3, 5), 8, 2))
    assert (ga.basis, ga.lmp) == ("lmp", LMP)


def test_ultrasound_correction_from_9_weeks_uses_7_days():
    # Scan 10 Mar (day 68), ultrasound 9+0 (63) → implied LMP 6 Jan, 5 days ≤ 7 → LMP.
    assert gestational_age(LMP, date(2026, 3, 10), Ultrasound.of(date(2026, 3, 10), 9)).basis == "lmp"
    # Scan 13 Mar (day 71), ultrasound 9+0 → implied LMP 9 Jan, 8 days > 7 → ultrasound.
    ga = gestational_age(LMP, date(2026, 3, 13), Ultrasound.of(date(2026, 3, 13), 9))
    assert (ga.basis, ga.lmp) == ("ultrasound", date(2026, 1, 9))


def test_unknown_lmp_dates_by_ultrasound():
    ga = gestational_age(None, date(2026, 3, 5), Ultrasound.of(date(2026, 3, 5), 9))
    assert (ga.basis, ga.lmp, ga.days) == ("ultrasound", date(2026, 1, 1), 63)
    with pytest.raises(ValueError):
        gestational_age(None, date(2026, 3, 5))


def test_postpartum_windows():
    # Discharge 8 Oct: visit 8 … 15 Oct. Delivery 5 Oct + 42 days = 16 Nov (31 Oct is day 26),
    # on time until 16 Nov + 14 = 30 Nov (local default).
    pp, c42 = postpartum_windows(date(2026, 10, 5), date(2026, 10, 8))
    assert (pp.start, pp.end) == (date(2026, 10, 8), date(2026, 10, 15))
    assert (c42.start, c42.end) == (date(2026, 11, 16), date(2026, 11, 30))
    assert pp.status(date(2026, 10, 16)) == "missed"
    pp, _ = postpartum_windows(date(2026, 10, 5))
    assert (pp.start, pp.end) == (date(2026, 10, 5), date(2026, 10, 12))


def test_next_maternal_due_in_pregnancy():
    due = next_maternal_due(LMP, [], date(2026, 3, 1))
    assert (due.window.code, due.status) == ("anc1", "due")
    due = next_maternal_due(LMP, [], date(2026, 4, 10))          # unbooked at 14 weeks
    assert (due.window.code, due.status) == ("anc1", "late")
    due = next_maternal_due(LMP, ["anc1"], date(2026, 4, 10))
    assert (due.window.code, due.status) == ("anc2", "upcoming")
    due = next_maternal_due(LMP, ["anc1"], date(2026, 6, 1))      # 16–20 weeks passed
    assert (due.window.code, due.status) == ("anc3", "due")
    assert next_maternal_due(LMP, ["anc1", "anc2", "anc3", "anc4", "anc5"], date(2026, 10, 1)) is None


def test_next_maternal_due_after_delivery():
    kw = {"delivery_date": date(2026, 10, 5), "discharge_date": date(2026, 10, 8)}
    due = next_maternal_due(LMP, ["anc1"], date(2026, 10, 10), **kw)
    assert (due.window.code, due.status) == ("postpartum_visit", "due")
    due = next_maternal_due(LMP, ["anc1"], date(2026, 10, 20), **kw)
    assert (due.window.code, due.status) == ("check42", "upcoming")
    assert next_maternal_due(LMP, ["postpartum_visit", "check42"], date(2026, 11, 20), **kw) is None
    with pytest.raises(ValueError):
        next_maternal_due(LMP, ["anc6"], date(2026, 10, 20), **kw)


# --- Five colours -------------------------------------------------------------------------------

def grade(*codes):
    r = assess_risk(codes)
    return r.colour, r.purple, r.needs_case_management


def test_no_condition_is_green():
    r = assess_risk([])
    assert (r.colour, r.purple, r.needs_case_management, r.level2_care) == (Colour.GREEN, False, False, False)


def test_highest_colour_wins():
    assert grade("age_35_or_over", "twins") == (Colour.YELLOW, False, False)
    assert grade("gestational_diabetes", "pre_eclampsia") == (Colour.ORANGE, False, True)
    assert grade("twins", "pre_eclampsia", "pernicious_placenta_praevia") == (Colour.RED, False, True)


def test_purple_combines_with_another_colour():
    assert grade("syphilis") == (Colour.GREEN, True, True)
    assert grade("syphilis", "twins") == (Colour.YELLOW, True, True)
    r = assess_risk(["hiv", "severe_hypertension"])
    assert (r.colour, r.purple, r.needs_case_management, r.report_upward) == (Colour.RED, True, True, True)
    assert r.label == "红色（高风险）+紫色（传染性疾病）"


def test_reporting_and_level2_care():
    yellow = assess_risk(["twins"])
    assert (yellow.report_upward, yellow.level2_care) == (False, True)
    orange = assess_risk(["epilepsy"])
    assert (orange.report_upward, orange.level2_care) == (True, True)
    purple = assess_risk(["tuberculosis"])
    assert (purple.report_upward, purple.level2_care) == (False, True)


def test_unknown_condition_and_custom_table():
    with pytest.raises(ValueError):
        assess_risk(["not_a_condition"])
    table = {**DEFAULT_RISK_TABLE, "twins": RiskCondition("双胎妊娠", Colour.ORANGE)}
    assert assess_risk(["twins"], table).colour is Colour.ORANGE


def test_conditions_from_age_and_bmi():
    assert conditions_from_measures(40, 28.0) == ["age_40_or_over", "bmi_28_or_over"]
    assert conditions_from_measures(35, 25.0) == ["age_35_or_over"]        # BMI 25 is not > 25
    assert conditions_from_measures(18, 18.4) == ["age_18_or_under", "underweight"]
    assert conditions_from_measures(19, 25.1) == ["overweight"]
    assert assess_risk(conditions_from_measures(41, 22.0)).colour is Colour.ORANGE
