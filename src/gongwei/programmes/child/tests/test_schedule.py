"""Child visit schedule (NORMS §2.2) and weak-child rules (MCH-SUPPLEMENT), worked by hand."""

from dataclasses import replace
from datetime import date

import pytest

from gongwei.programmes.child.growth import ZScores, classify
from gongwei.programmes.child.schedule import (
    DEFAULT_WEAK_CHILD,
    TESTS,
    VISIT_CODES,
    Condition,
    FollowUp,
    ScheduleConfig,
    add_months,
    age_in_months,
    can_close,
    followup_interval_months,
    next_followup_due,
    next_visit,
    referral,
    visit_tests,
    visit_windows,
    weak_child_conditions,
)

BIRTH = date(2026, 1, 15)
DISCHARGE = date(2026, 1, 18)


def windows(birth=BIRTH, discharge=DISCHARGE, **kw):
    return {w.code: w for w in visit_windows(birth, discharge, **kw)}


# --- Dates ---------------------------------------------------------------------------------------

def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), 72) == date(2032, 1, 15)


def test_age_in_months_counts_completed_months():
    assert age_in_months(BIRTH, date(2026, 4, 14)) == 2     # the day before month 3
    assert age_in_months(BIRTH, date(2026, 4, 15)) == 3
    assert age_in_months(date(2026, 1, 31), date(2026, 2, 28)) == 1


# --- Windows ---------------------------------------------------------------------------------------

def test_thirteen_visits_in_order():
    assert [w.code for w in visit_windows(BIRTH, DISCHARGE)] == [
        "newborn", "full_month", "m3", "m6", "m8", "m12", "m18", "m24", "m30", "m36", "y4", "y5", "y6"]


def test_newborn_visit_within_seven_days_after_discharge():
    # Discharge 18 Jan: on time 18 … 25 Jan (18 + 7), overdue from 26 Jan; missed when the
    # full-month window opens on 15 Jan + 28 days = 12 Feb.
    w = windows()["newborn"]
    assert (w.opens, w.due, w.overdue_from, w.missed_from) == (
        date(2026, 1, 18), date(2026, 1, 18), date(2026, 1, 26), date(2026, 2, 12))
    assert w.status(date(2026, 1, 17)) == "upcoming"
    assert w.status(date(2026, 1, 25)) == "due"
    assert w.status(date(2026, 1, 26)) == "overdue"
    assert w.status(date(2026, 2, 12)) == "missed"
    assert w.on_time(date(2026, 1, 25)) and not w.on_time(date(2026, 1, 26))


def test_newborn_visit_without_discharge_counts_from_birth():
    w = windows(discharge=None)["newborn"]
    assert (w.due, w.overdue_from) == (date(2026, 1, 15), date(2026, 1, 23))


def test_late_discharge_is_never_missed_before_overdue():
    # Born 1 Jan, discharged 27 Jan: due 27 Jan, overdue 4 Feb (27 + 8); the full-month window
    # opens 29 Jan, earlier, so missed_from = overdue_from = 4 Feb.
    w = windows(birth=date(2026, 1, 1), discharge=date(2026, 1, 27))["newborn"]
    assert (w.overdue_from, w.missed_from) == (date(2026, 2, 4), date(2026, 2, 4))


def test_full_month_days_28_to_30():
    # 15 Jan + 28 days = 12 Feb, + 30 = 14 Feb; overdue from 15 Feb; missed at 3 months (15 Apr).
    w = windows()["full_month"]
    assert (w.due, w.overdue_from, w.missed_from) == (date(2026, 2, 12), date(2026, 2, 15), date(2026, 4, 15))
    assert w.status(date(2026, 2, 11)) == "upcoming"
    assert w.status(date(2026, 2, 14)) == "due"
    assert w.status(date(2026, 2, 15)) == "overdue"


def test_three_month_window_boundaries():
    # NORMS §2.2: due from month 3 (15 Apr), overdue from month 4 (15 May), missed when the
    # 6-month window opens (15 Jul).
    w = windows()["m3"]
    assert (w.opens, w.due, w.overdue_from, w.missed_from) == (
        date(2026, 4, 15), date(2026, 4, 15), date(2026, 5, 15), date(2026, 7, 15))
    assert w.status(date(2026, 4, 14)) == "upcoming"    # the day before month 3
    assert w.status(date(2026, 4, 15)) == "due"         # the day of month 3
    assert w.status(date(2026, 5, 14)) == "due"         # last day of "3 月龄"
    assert w.status(date(2026, 5, 15)) == "overdue"     # first day of month 4
    assert w.status(date(2026, 7, 14)) == "overdue"
    assert w.status(date(2026, 7, 15)) == "missed"


def test_yearly_visits_and_programme_end():
    ws = windows()
    assert (ws["m36"].missed_from, ws["y4"].due) == (date(2030, 1, 15), date(2030, 1, 15))
    # 6 years = month 72: due 15 Jan 2032, overdue from month 73, missed at the 7th birthday.
    y6 = ws["y6"]
    assert (y6.due, y6.overdue_from, y6.missed_from) == (date(2032, 1, 15), date(2032, 2, 15), date(2033, 1, 15))


def test_early_days_open_window_before_due():
    w = windows(config=ScheduleConfig(early_days=7))["m6"]
    assert (w.opens, w.due) == (date(2026, 7, 8), date(2026, 7, 15))
    assert w.status(date(2026, 7, 8)) == "open"
    # the 3-month visit is missed when the 6-month window OPENS
    assert windows(config=ScheduleConfig(early_days=7))["m3"].missed_from == date(2026, 7, 8)


def test_next_visit():
    assert next_visit(BIRTH, ["newborn", "full_month"], date(2026, 3, 1)).code == "m3"
    # 1 Aug: the 3-month visit was missed on 15 Jul, the 6-month one is due (15 Jul … 14 Aug).
    w = next_visit(BIRTH, ["newborn", "full_month"], date(2026, 8, 1))
    assert (w.code, w.status(date(2026, 8, 1))) == ("m6", "due")
    assert next_visit(BIRTH, ["newborn", "full_month"], date(2026, 8, 20)).status(date(2026, 8, 20)) == "overdue"
    assert next_visit(BIRTH, VISIT_CODES, date(2026, 8, 20)) is None
    assert next_visit(BIRTH, [], date(2033, 1, 15)) is None
    with pytest.raises(ValueError):
        next_visit(BIRTH, ["m9"], date(2026, 8, 20))


# --- Tests at the visits -----------------------------------------------------------------------------

def test_tests_schedule():
    assert [(t.test_code, t.occasion) for t in visit_tests("m6")] == [("hb", 0), ("hearing", 0), ("eye", 3)]
    # Hb once at 6–8 months: offered again at 8 months only if not done at 6.
    assert [t.test_code for t in visit_tests("m8")] == ["hb", "eye"]
    assert [t.test_code for t in visit_tests("m8", done={("hb", 0)})] == ["eye"]
    assert [t.test_code for t in visit_tests("m12")] == ["hearing", "eye"]
    assert [t.test_code for t in visit_tests("m30")] == ["hb", "eye"]
    hearing = visit_tests("m24")[0]
    assert hearing.test_code == "hearing" and hearing.confirmed is False     # (unconfirmed)


def test_thirteen_eye_checks():
    eye = next(t for t in TESTS if t.code == "eye")
    assert len(eye.occasions) == 13
    assert sum(1 for code in VISIT_CODES if any(t.test_code == "eye" for t in visit_tests(code))) == 13


# --- Weak-child conditions ---------------------------------------------------------------------------

def codes(conditions):
    return [(c.code, c.severity) for c in conditions]


def test_birth_history_thresholds():
    assert codes(weak_child_conditions(birth_weight_g=2499, gestational_weeks=36.9)) == [
        ("low_birth_weight", None), ("preterm", None)]
    assert weak_child_conditions(birth_weight_g=2500, gestational_weeks=37) == []


def test_malnutrition_from_growth_findings():
    findings = classify(ZScores(waz=-2.5, lhaz=-1.0, whz=-3.2, bmiz=None))
    (cond,) = weak_child_conditions(findings=findings)
    assert (cond.code, cond.severity) == ("malnutrition", "severe")
    assert cond.label == "重度营养不良（中度低体重、重度消瘦）"


@pytest.mark.parametrize("hb, months, expected", [
    (109, 6, [("anaemia", "mild")]),       # 6–59 months: < 110 g/L (WHO 2011)
    (110, 6, []),
    (99, 24, [("anaemia", "moderate")]),   # < 100
    (69, 24, [("anaemia", "severe")]),     # < 70
    (114, 59, []),
    (114, 60, [("anaemia", "mild")]),      # 5 years on: < 115
    (90, 5, []),                           # under 6 months: no WHO cut-off, no judgement
])
def test_anaemia_cut_offs(hb, months, expected):
    assert codes(weak_child_conditions(hb_g_l=hb, age_months=months)) == expected


def test_rickets_and_overweight():
    findings = classify(ZScores(waz=None, lhaz=None, whz=2.4, bmiz=None))
    assert codes(weak_child_conditions(findings=findings, rickets=True)) == [("rickets", None), ("overweight", None)]


# --- Follow-up, referral, closing -------------------------------------------------------------------

def test_followup_interval():
    assert followup_interval_months(35) == 1
    assert followup_interval_months(36) == 3
    assert followup_interval_months(40, replace(DEFAULT_WEAK_CHILD, followup_policy="monthly")) == 1
    assert next_followup_due(date(2026, 1, 31), 10) == date(2026, 2, 28)
    assert next_followup_due(date(2026, 1, 31), 40) == date(2026, 4, 30)


MOD = (Condition("malnutrition", "中度营养不良（中度消瘦）", "moderate"),)
SEV = (Condition("malnutrition", "重度营养不良（重度消瘦）", "severe"),)
LBW = (Condition("low_birth_weight", "低出生体重"),)


def visits(*conds, weights=None):
    weights = weights or [None] * len(conds)
    return [FollowUp(date(2026, 1 + i, 1), c, w) for i, (c, w) in enumerate(zip(conds, weights))]


def test_severe_malnutrition_refers_at_once():
    r = referral(visits(SEV))
    assert (r.refer, r.urgent) == (True, True)


def test_moderate_not_normal_after_three_followups():
    # enrolment + 2 follow-ups still moderate: not yet; the 3rd follow-up still moderate: refer.
    assert not referral(visits(MOD, MOD, MOD)).refer
    r = referral(visits(MOD, MOD, MOD, MOD))
    assert (r.refer, r.urgent) == (True, False)
    # a normal follow-up in between breaks the run
    assert not referral(visits(MOD, MOD, (), MOD, MOD)).refer


def test_no_weight_gain_twice_refers():
    assert referral(visits(MOD, MOD, MOD, weights=[8.0, 8.0, 7.9])).refer
    assert not referral(visits(MOD, MOD, MOD, weights=[8.0, 8.1, 8.1])).refer
    assert not referral(visits(MOD, MOD, (), weights=[8.0, 8.0, 7.9])).refer      # normal now


def test_closing_after_three_consecutive_normal_followups():
    assert can_close(visits(MOD, (), (), ()))
    assert can_close(visits(MOD, LBW, LBW, LBW))          # birth history alone is normal
    assert not can_close(visits(MOD, (), ()))
    assert not can_close(visits(MOD, (), MOD, (), ()))
