"""Chronic-disease rules against NORMS §2.5, §2.6 and §5.3.

Expected values are worked by hand from the norm's tables; the comment beside each says how.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongwei.programmes.chronic.rules import (
    DEFAULT,
    Action,
    ChronicConfig,
    FollowUpFacts,
    PreviousState,
    ScreeningStatus,
    VisitClass,
    bmi,
    classify_diabetes,
    classify_hypertension,
    diabetes_glycaemia,
    hypertension_risk_factors,
    is_on_time,
    is_standard_management,
    screen_blood_pressure,
)

D = date(2026, 3, 10)
FRESH = PreviousState(consecutive_uncontrolled=0, open_referral=False)


def htn(sbp, dbp, age=50, previous=FRESH, **kw):
    return classify_hypertension(FollowUpFacts(visit_date=D, age=age, sbp=sbp, dbp=dbp, **kw), previous)


def dm(fpg, previous=FRESH, **kw):
    return classify_diabetes(FollowUpFacts(visit_date=D, age=60, fpg=fpg, **kw), previous)


# --- Hypertension follow-up (NORMS §2.5) ---------------------------------------------------

def test_139_over_89_is_controlled_and_booked_90_days_later():
    # 139 < 140 and 89 < 90 → 控制满意; 2026-03-10 + 90 days: 21 (rest of March) + 30 (April)
    # + 31 (May) = 82 → June 8 is day 90. Window end = June 8 + 15 = June 23.
    out = htn(139, 89)
    assert out.visit_class is VisitClass.CONTROLLED
    assert out.action is Action.ROUTINE
    assert out.next_due == date(2026, 6, 8)
    assert out.window_end == date(2026, 6, 23)
    assert out.referral_followup_by is None
    assert out.consecutive_uncontrolled == 0
    assert "血压 139/89 mmHg < 140/90：控制满意" in out.reasons


def test_140_over_89_is_uncontrolled_and_rechecked_by_march_24():
    # SBP 140 ≥ 140 → first uncontrolled → adjust, follow up within 2 weeks: 10 + 14 = March 24,
    # which is also the deadline.
    out = htn(140, 89)
    assert out.visit_class is VisitClass.UNCONTROLLED
    assert out.action is Action.ADJUST_RECHECK
    assert out.next_due == date(2026, 3, 24)
    assert out.window_end == date(2026, 3, 24)
    assert out.referral_followup_by is None
    assert out.consecutive_uncontrolled == 1
    assert "血压 140/89 mmHg ≥ 140/90：控制不满意" in out.reasons


def test_diastolic_90_alone_makes_the_visit_uncontrolled():
    # "SBP ≥ 140 and/or DBP ≥ 90": 120 is fine but 90 ≥ 90.
    assert htn(120, 90).visit_class is VisitClass.UNCONTROLLED


def test_a_65_year_old_at_145_over_85_is_controlled_with_the_elderly_target():
    # ≥ 65 → target < 150/90: 145 < 150 and 85 < 90.
    out = htn(145, 85, age=65)
    assert out.visit_class is VisitClass.CONTROLLED
    assert out.action is Action.ROUTINE


def test_a_64_year_old_at_145_over_85_is_uncontrolled():
    # 64 < 65 → general target 140/90: 145 ≥ 140.
    assert htn(145, 85, age=64).visit_class is VisitClass.UNCONTROLLED


def test_a_65_year_old_at_150_is_uncontrolled_even_with_the_elderly_target():
    # 150 ≥ 150.
    assert htn(150, 80, age=65).visit_class is VisitClass.UNCONTROLLED


def test_switching_off_the_elderly_target_holds_a_65_year_old_to_140_over_90():
    config = replace(DEFAULT, use_elderly_target=False)
    facts = FollowUpFacts(visit_date=D, age=70, sbp=145, dbp=85)
    assert classify_hypertension(facts, FRESH, config).visit_class is VisitClass.UNCONTROLLED


def test_sbp_180_is_an_emergency_with_referral_follow_up_in_14_days():
    # SBP ≥ 180 → urgent referral after first aid, follow up within 2 weeks → March 24.
    out = htn(180, 100)
    assert out.action is Action.URGENT_REFER
    assert out.next_due == out.window_end == out.referral_followup_by == date(2026, 3, 24)
    assert out.visit_class is VisitClass.UNCONTROLLED
    assert "收缩压 180 mmHg ≥ 180：危急情况" in out.reasons


def test_sbp_179_over_109_is_not_an_emergency():
    # 179 < 180 and 109 < 110: just a first uncontrolled visit.
    assert htn(179, 109).action is Action.ADJUST_RECHECK


def test_dbp_110_alone_is_an_emergency():
    assert htn(150, 110).action is Action.URGENT_REFER


def test_an_emergency_symptom_with_normal_bp_is_an_emergency():
    out = htn(130, 80, emergency_signs=("severe_headache_dizziness",))
    assert out.action is Action.URGENT_REFER
    assert out.visit_class is VisitClass.CONTROLLED   # the BP itself was on target
    assert "危急症状：剧烈头痛或头晕" in out.reasons


def test_pregnancy_with_raised_bp_is_an_emergency_but_with_normal_bp_is_not():
    assert htn(142, 85, pregnant_or_lactating=True).action is Action.URGENT_REFER
    assert htn(130, 80, pregnant_or_lactating=True).action is Action.ROUTINE


def test_the_second_consecutive_uncontrolled_visit_is_referred():
    # One uncontrolled before + this one = 2 consecutive → refer, follow referral up by March 24.
    out = htn(150, 95, previous=PreviousState(consecutive_uncontrolled=1, open_referral=False))
    assert out.action is Action.REFER
    assert out.consecutive_uncontrolled == 2
    assert out.referral_followup_by == date(2026, 3, 24)
    assert out.next_due == date(2026, 3, 24)


def test_a_controlled_visit_resets_the_count():
    out = htn(130, 80, previous=PreviousState(consecutive_uncontrolled=1, open_referral=False))
    assert out.consecutive_uncontrolled == 0
    assert out.action is Action.ROUTINE
    # …so the next uncontrolled visit is a first one again: adjust, not refer.
    again = htn(150, 95, previous=PreviousState(consecutive_uncontrolled=out.consecutive_uncontrolled))
    assert again.action is Action.ADJUST_RECHECK


def test_an_adverse_reaction_on_target_is_adjusted_within_two_weeks():
    out = htn(130, 80, adverse_reaction=True)
    assert out.visit_class is VisitClass.ADVERSE_REACTION
    assert out.action is Action.ADJUST_RECHECK
    assert out.next_due == date(2026, 3, 24)


def test_a_hard_to_control_adverse_reaction_is_referred():
    out = htn(130, 80, hard_to_control_adverse_reaction=True)
    assert out.visit_class is VisitClass.ADVERSE_REACTION
    assert out.action is Action.REFER


def test_a_new_complication_is_referred_even_when_bp_is_on_target():
    out = htn(130, 80, new_or_worse_complication=True)
    assert out.visit_class is VisitClass.COMPLICATION
    assert out.action is Action.REFER


def test_a_visit_without_a_bp_reading_cannot_be_controlled():
    out = htn(None, None)
    assert out.visit_class is VisitClass.UNCONTROLLED
    assert out.action is Action.ADJUST_RECHECK
    assert any("未测全" in r for r in out.reasons)


def test_an_uncontrolled_visit_with_an_open_referral_keeps_following_the_referral():
    out = htn(150, 95, previous=PreviousState(consecutive_uncontrolled=0, open_referral=True))
    assert out.action is Action.REFER
    assert out.referral_followup_by == date(2026, 3, 24)


def test_a_visit_in_the_window_is_on_time_and_one_outside_is_not():
    out = htn(130, 80)        # due June 8: on time from May 24 (8 − 15) to June 23 (8 + 15)
    assert is_on_time(out, date(2026, 5, 24))
    assert is_on_time(out, date(2026, 6, 23))
    assert not is_on_time(out, date(2026, 5, 23))
    assert not is_on_time(out, date(2026, 6, 24))
    recheck = htn(150, 95)    # within 2 weeks: March 11 … March 24
    assert is_on_time(recheck, date(2026, 3, 11))
    assert is_on_time(recheck, date(2026, 3, 24))
    assert not is_on_time(recheck, date(2026, 3, 25))


def test_an_unknown_emergency_sign_code_is_rejected():
    with pytest.raises(ValueError):
        FollowUpFacts(visit_date=D, age=50, emergency_signs=("headache",))


# --- Diabetes follow-up (NORMS §2.6) -------------------------------------------------------

def test_fpg_6_9_is_controlled():
    # 6.9 < 7.0.
    out = dm(6.9)
    assert out.visit_class is VisitClass.CONTROLLED
    assert out.next_due == date(2026, 6, 8)
    assert "空腹血糖 6.9 mmol/L < 7.0：控制满意" in out.reasons


def test_fpg_7_0_is_uncontrolled():
    # 7.0 ≥ 7.0 → first uncontrolled → recheck by March 24.
    out = dm(7.0)
    assert out.visit_class is VisitClass.UNCONTROLLED
    assert out.action is Action.ADJUST_RECHECK
    assert out.next_due == date(2026, 3, 24)


def test_glucose_16_7_is_an_emergency_and_16_6_is_not():
    assert dm(16.7).action is Action.URGENT_REFER
    assert dm(16.6).action is Action.ADJUST_RECHECK


def test_glucose_3_9_is_an_emergency_and_4_0_is_not():
    assert dm(3.9).action is Action.URGENT_REFER
    assert dm(4.0).action is Action.ROUTINE


def test_a_random_glucose_of_16_7_is_an_emergency():
    assert dm(6.0, random_glucose=16.7).action is Action.URGENT_REFER


def test_bp_180_is_an_emergency_for_a_diabetic_too():
    assert dm(6.0, sbp=180, dbp=100).action is Action.URGENT_REFER


def test_heart_rate_over_100_is_an_emergency_for_a_diabetic():
    # (unconfirmed) > 100/min: 101 is, 100 is not.
    assert dm(6.0, heart_rate=101).action is Action.URGENT_REFER
    assert dm(6.0, heart_rate=100).action is Action.ROUTINE


def test_two_consecutive_fpg_over_target_are_referred():
    out = dm(8.2, previous=PreviousState(consecutive_uncontrolled=1))
    assert out.action is Action.REFER
    assert out.consecutive_uncontrolled == 2


def test_a_diabetic_visit_without_fpg_cannot_be_controlled():
    assert dm(None).visit_class is VisitClass.UNCONTROLLED


# --- Hypertension screening (NORMS §2.5) ---------------------------------------------------

def test_a_34_year_old_is_not_in_scope_of_first_visit_bp():
    assert screen_blood_pressure([(D, 150, 95)], age=34).status is ScreeningStatus.NOT_APPLICABLE


def test_one_raised_reading_at_35_needs_a_recheck():
    assert screen_blood_pressure([(D, 140, 80)], age=35).status is ScreeningStatus.RECHECK


def test_three_raised_readings_on_the_same_day_count_once():
    # Same day → 1 raised day < 3 → recheck.
    result = screen_blood_pressure([(D, 150, 95), (D, 152, 96), (D, 148, 94)], age=50)
    assert result.status is ScreeningStatus.RECHECK
    assert result.raised_days == (D,)


def test_raised_on_three_separate_days_is_a_preliminary_diagnosis():
    days = [D, D + timedelta(days=7), D + timedelta(days=14)]
    result = screen_blood_pressure([(d, 145, 92) for d in days], age=50)
    assert result.status is ScreeningStatus.PRELIMINARY_DIAGNOSIS
    assert result.raised_days == tuple(days)


def test_two_raised_days_plus_a_second_reading_on_one_of_them_is_still_a_recheck():
    # Days {D, D+7}: 2 < 3.
    readings = [(D, 145, 92), (D + timedelta(days=7), 150, 90), (D + timedelta(days=7), 141, 91)]
    assert screen_blood_pressure(readings, age=50).status is ScreeningStatus.RECHECK


def test_same_day_readings_are_averaged():
    # Mean of 138 and 141 = 139.5 < 140, DBP mean 80 → not raised; 139.5 ≥ 130 → high-normal.
    assert screen_blood_pressure([(D, 138, 80), (D, 141, 80)], age=50).status is ScreeningStatus.HIGH_NORMAL


def test_screening_bands_normal_and_high_normal():
    assert screen_blood_pressure([(D, 129, 84)], age=50).status is ScreeningStatus.NORMAL
    assert screen_blood_pressure([(D, 130, 70)], age=50).status is ScreeningStatus.HIGH_NORMAL
    assert screen_blood_pressure([(D, 120, 85)], age=50).status is ScreeningStatus.HIGH_NORMAL
    assert screen_blood_pressure([(D, 139, 89)], age=50).status is ScreeningStatus.HIGH_NORMAL


# --- Risk factors, glycaemia, BMI, standardized management ---------------------------------

def test_each_of_the_six_risk_factors_is_recognised_at_its_threshold():
    assert hypertension_risk_factors(sbp=130, dbp=70) == ("high_normal_bp",)
    assert hypertension_risk_factors(sbp=120, dbp=85) == ("high_normal_bp",)
    assert hypertension_risk_factors(bmi=24.0) == ("overweight_obesity",)
    assert hypertension_risk_factors(waist_cm=90, sex="1") == ("overweight_obesity",)
    assert hypertension_risk_factors(waist_cm=85, sex="2") == ("overweight_obesity",)
    assert hypertension_risk_factors(family_history=True) == ("family_history",)
    assert hypertension_risk_factors(high_salt=True) == ("high_salt",)
    assert hypertension_risk_factors(spirits_ml_per_day=100) == ("heavy_drinking",)
    assert hypertension_risk_factors(age=55) == ("age",)


def test_just_below_each_risk_threshold_is_no_risk_factor():
    assert hypertension_risk_factors(sbp=129, dbp=84, bmi=23.9, waist_cm=89, sex="1",
                                     spirits_ml_per_day=99, age=54) == ()
    assert hypertension_risk_factors(waist_cm=84, sex="2") == ()


def test_a_raised_reading_is_not_high_normal():
    assert hypertension_risk_factors(sbp=135, dbp=92) == ()


def test_diabetes_glycaemia_categories():
    assert diabetes_glycaemia(fpg=7.0, symptoms=True) == "diabetes"
    assert diabetes_glycaemia(fpg=7.0) == "diabetes_needs_repeat"
    assert diabetes_glycaemia(random_glucose=11.1, symptoms=True) == "diabetes"
    assert diabetes_glycaemia(ogtt_2h=11.1, symptoms=True) == "diabetes"
    assert diabetes_glycaemia(fpg=6.1) == "ifg"
    assert diabetes_glycaemia(fpg=6.9) == "ifg"
    assert diabetes_glycaemia(fpg=6.0) == "normal"
    assert diabetes_glycaemia(ogtt_2h=7.8) == "igt"
    assert diabetes_glycaemia(ogtt_2h=11.0) == "igt"
    assert diabetes_glycaemia(ogtt_2h=7.7) == "normal"
    assert diabetes_glycaemia(random_glucose=11.0, symptoms=True) == "normal"


def test_bmi_is_weight_over_height_squared_to_one_decimal():
    # 70 / 1.75² = 70 / 3.0625 = 22.857… → 22.9
    assert bmi(70, 175) == 22.9
    # 81 / 1.8² = 81 / 3.24 = 25.0
    assert bmi(81, 180) == 25.0
    # 60 / 1.6² = 60 / 2.56 = 23.4375 → 23.4
    assert bmi(60, 160) == 23.4


def test_standard_management_needs_four_follow_ups_and_the_annual_exam():
    assert is_standard_management(4, True)
    assert not is_standard_management(3, True)
    assert not is_standard_management(4, False)


def test_config_is_frozen():
    with pytest.raises(AttributeError):
        DEFAULT.htn_target_sbp = 130  # type: ignore[misc]


# --- Properties ----------------------------------------------------------------------------

bp = st.one_of(st.none(), st.integers(60, 260))
facts_strategy = st.builds(
    FollowUpFacts,
    visit_date=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    age=st.integers(35, 110),
    sbp=bp,
    dbp=st.one_of(st.none(), st.integers(40, 150)),
    fpg=st.one_of(st.none(), st.floats(1.0, 35.0)),
    random_glucose=st.one_of(st.none(), st.floats(1.0, 35.0)),
    adverse_reaction=st.booleans(),
    hard_to_control_adverse_reaction=st.booleans(),
    new_or_worse_complication=st.booleans(),
    pregnant_or_lactating=st.booleans(),
    heart_rate=st.one_of(st.none(), st.integers(30, 200)),
)
previous_strategy = st.builds(PreviousState, consecutive_uncontrolled=st.integers(0, 5),
                              open_referral=st.booleans())


@given(facts_strategy, previous_strategy, st.sampled_from([classify_hypertension, classify_diabetes]))
def test_next_due_is_after_the_visit_and_the_window_ends_on_or_after_it(facts, previous, classify):
    out = classify(facts, previous)
    assert out.next_due > facts.visit_date
    assert out.window_end >= out.next_due
    assert (out.referral_followup_by is not None) == (out.action in (Action.REFER, Action.URGENT_REFER))


@given(facts_strategy, previous_strategy, st.integers(180, 260))
def test_an_sbp_of_180_or_more_always_wins(facts, previous, sbp):
    facts = replace(facts, sbp=sbp)
    assert classify_hypertension(facts, previous).action is Action.URGENT_REFER
    assert classify_diabetes(facts, previous).action is Action.URGENT_REFER


@given(facts_strategy, previous_strategy)
def test_a_nonzero_count_grows_by_one_and_never_marks_the_visit_controlled(facts, previous):
    out = classify_hypertension(facts, previous)
    if out.consecutive_uncontrolled:
        assert out.consecutive_uncontrolled == previous.consecutive_uncontrolled + 1
        assert out.visit_class is not VisitClass.CONTROLLED


def test_a_custom_config_changes_the_routine_interval():
    config = ChronicConfig(routine_interval_days=30)
    out = classify_hypertension(FollowUpFacts(visit_date=D, age=50, sbp=120, dbp=80), FRESH, config)
    assert out.next_due == date(2026, 4, 9)   # March 10 + 21 = March 31, + 9 = April 9
