"""Each check fires on a hand-built bad record and stays quiet on a good one."""

from datetime import date
from decimal import Decimal

import pytest

from gongwei.care.models import Enrolment, Visit
from gongwei.indicators.models import IndicatorValue
from gongwei.people import services as people
from gongwei.people.models import Encounter, Resident, Status
from gongwei.programmes.chronic.models import BloodPressureReading, ChronicFollowUp
from gongwei.quality import checks
from gongwei.quality.config import Thresholds

DEFAULT = Thresholds()


def hits(code, under="339901", t=DEFAULT):
    return list(checks.get(code).run(under, t))


def records(code, **kwargs):
    return {(h.record_type, h.record_id) for h in hits(code, **kwargs)}


def test_every_check_names_its_norm_and_severity():
    codes = [c.code for c in checks.CHECKS]
    assert len(codes) == len(set(codes)) == 9
    for c in checks.CHECKS:
        assert c.name_zh and c.name_en and c.norm and c.severity in (checks.ERROR, checks.SUSPECT)


# --- After death, before birth ------------------------------------------------------------

def test_visit_and_encounter_after_the_death_date_are_found(county, rf_for, patient, followup):
    resident, e = patient
    before = followup(e, date(2025, 4, 1), 130, 80)
    after = followup(e, date(2025, 5, 10), 130, 80)
    people.do_register_death(rf_for(county.user("doctor_v11")), resident, date(2025, 5, 1), "心梗")
    late = Encounter.objects.create(resident=resident, unit=county.t1, date=date(2025, 5, 2),
                                    doctor=county.user("ph_t1"))
    Encounter.objects.create(resident=resident, unit=county.v11, date=date(2025, 5, 1),  # the day itself
                             doctor=county.user("doctor_v11"))
    [visit_hit, encounter_hit] = sorted(hits("after_death"), key=lambda h: h.record_type, reverse=True)
    assert (visit_hit.record_type, visit_hit.record_id, visit_hit.unit) == ("visit", after.pk, county.v11.code)
    assert visit_hit.message == "随访/服务日期 2025-05-10 晚于死亡日期 2025-05-01"
    # An encounter at the township health centre is the township's to correct.
    assert (encounter_hit.record_id, encounter_hit.unit) == (late.pk, county.t1.code)
    assert ("visit", before.pk) not in records("after_death")


def test_living_residents_have_no_service_after_death(patient, followup):
    followup(patient[1], date(2025, 5, 10), 130, 80)
    assert hits("after_death") == []


def test_service_before_birth_is_found(county, patient, followup):
    resident, e = patient
    visit = followup(e, date(2025, 4, 1), 130, 80)
    encounter = Encounter.objects.create(resident=resident, unit=county.v11, date=date(1960, 5, 16),
                                         doctor=county.user("doctor_v11"))
    assert records("before_birth") == {("encounter", encounter.pk)}
    Resident.objects.filter(pk=resident.pk).update(birth_date=date(2025, 4, 2))  # a mistyped birth date
    assert records("before_birth") == {("encounter", encounter.pk), ("visit", visit.pk)}


# --- Readings out of range ----------------------------------------------------------------

@pytest.mark.parametrize("sbp, dbp, problem", [
    (300, 90, "收缩压不在 70–260 之间"),
    (69, 45, "收缩压不在 70–260 之间"),
    (160, 155, "舒张压不在 40–150 之间"),
    (120, 39, "舒张压不在 40–150 之间"),
    (90, 90, "舒张压不低于收缩压"),
])
def test_implausible_blood_pressure_is_found(patient, followup, sbp, dbp, problem):
    visit = followup(patient[1], date(2025, 4, 1), sbp, dbp)
    [hit] = hits("bp_range")
    assert (hit.record_type, hit.record_id) == ("visit", visit.pk) and problem in hit.message


@pytest.mark.parametrize("sbp, dbp", [(70, 40), (260, 150), (130, 80), (None, None)])
def test_plausible_blood_pressure_passes(patient, followup, sbp, dbp):
    followup(patient[1], date(2025, 4, 1), sbp, dbp)
    assert hits("bp_range") == []


def test_implausible_screening_reading_is_found(county, patient):
    resident, _ = patient
    bad = BloodPressureReading.objects.create(resident=resident, village=county.v11, date=date(2025, 3, 1),
                                              sbp=80, dbp=120, doctor=county.user("doctor_v11"))
    BloodPressureReading.objects.create(resident=resident, village=county.v11, date=date(2025, 3, 2),
                                        sbp=150, dbp=95, doctor=county.user("doctor_v11"))
    assert records("bp_range") == {("bp_reading", bad.pk)}


@pytest.mark.parametrize("fpg, found", [(Decimal("0.5"), True), (Decimal("35.1"), True), (Decimal("1.0"), False),
                                        (Decimal("35.0"), False), (Decimal("6.5"), False), (None, False)])
def test_fasting_glucose_out_of_range_is_found(patient, followup, fpg, found):
    visit = followup(patient[1], date(2025, 4, 1), 130, 80, fpg=fpg)
    assert records("fpg_range") == ({("visit", visit.pk)} if found else set())


# --- Copied readings ----------------------------------------------------------------------

VISIT_DAYS = [date(2025, 4, 1), date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 5), date(2026, 4, 2)]


def test_four_identical_followups_in_a_row_are_one_finding_on_the_fourth(patient, followup):
    visits = [followup(patient[1], day, 132, 84, 68.5) for day in VISIT_DAYS]
    [hit] = hits("copied_vitals")
    assert hit.record_id == visits[3].pk  # a fifth copy does not move or double the finding
    assert hit.message == "截至 2026-01-05 连续 4 次随访血压 132/84 mmHg、体重 68.5 kg 完全相同，疑似复制"


def test_three_identical_followups_are_not_yet_a_finding(patient, followup):
    followup(patient[1], VISIT_DAYS[0], 128, 80, 70)
    for day in VISIT_DAYS[1:4]:
        followup(patient[1], day, 132, 84, 70)
    assert hits("copied_vitals") == []


def test_a_different_weight_breaks_the_run(patient, followup):
    visits = [followup(patient[1], day, 132, 84, 70) for day in VISIT_DAYS[:4]]
    ChronicFollowUp.objects.filter(pk=visits[1].pk).update(weight_kg=Decimal("70.5"))
    assert hits("copied_vitals") == []


def test_a_form_without_weight_breaks_the_run(patient, followup):
    for day in VISIT_DAYS[:4]:
        followup(patient[1], day, 132, 84, None)
    assert hits("copied_vitals") == []


def test_copies_are_counted_per_patient_not_across_patients(county, make_resident, rf_for, patient, followup):
    from gongwei.care import actions

    other = make_resident(county.v11, "质控乙", birth_date=date(1958, 1, 2))
    e2 = actions.do_enrol(rf_for(county.user("doctor_v11")), other, "htn", date(2025, 1, 6))
    for day in VISIT_DAYS[:2]:
        followup(patient[1], day, 132, 84, 70)
        followup(e2, day, 132, 84, 70)
    assert hits("copied_vitals") == []


def test_the_run_length_is_configurable(patient, followup):
    visits = [followup(patient[1], day, 132, 84, 70) for day in VISIT_DAYS[:3]]
    assert records("copied_vitals", t=Thresholds(copied_run_length=3)) == {("visit", visits[2].pk)}


# --- Visit density ------------------------------------------------------------------------

def _visits(enrolment, doctor, day, n, village=None):
    Visit.objects.bulk_create(Visit(enrolment=enrolment, resident_id=enrolment.resident_id, programme="htn",
                                    village=village or enrolment.village, date=day, doctor=doctor)
                              for _ in range(n))


def test_more_visits_in_a_day_than_the_limit_is_found_once(county, patient):
    doctor = county.user("doctor_v11")
    _visits(patient[1], doctor, date(2025, 6, 3), 41)
    _visits(patient[1], doctor, date(2025, 6, 4), 40)  # the limit itself is possible
    [hit] = hits("visit_density")
    assert hit.record_type == "doctor_day" and hit.unit == county.v11.code
    assert hit.message == "一村医生 在 2025-06-03 记录面对面随访 41 次（本单位 41 次），超过每日 40 次"


def test_phone_followups_do_not_count_towards_the_daily_limit(county, patient):
    _visits(patient[1], county.user("doctor_v11"), date(2025, 6, 3), 30)
    Visit.objects.bulk_create(Visit(enrolment=patient[1], resident_id=patient[1].resident_id, programme="htn",
                                    village=county.v11, date=date(2025, 6, 3), face_to_face=False,
                                    doctor=county.user("doctor_v11")) for _ in range(20))
    assert hits("visit_density") == []


def test_a_days_visits_across_villages_are_added_up_and_reported_in_each(county, patient):
    officer = county.user("ph_t1")
    _visits(patient[1], officer, date(2025, 6, 3), 25)
    _visits(patient[1], officer, date(2025, 6, 3), 20, village=county.v12)
    assert {h.unit for h in hits("visit_density", under=county.t1.code)} == {county.v11.code, county.v12.code}
    [only_v12] = hits("visit_density", under=county.v12.code)  # the whole day counts in a village run
    assert "45 次（本单位 20 次）" in only_v12.message


def test_the_daily_limit_is_configurable(county, patient):
    _visits(patient[1], county.user("doctor_v11"), date(2025, 6, 3), 3)
    assert hits("visit_density") == []
    assert len(hits("visit_density", t=Thresholds(max_visits_per_doctor_day=2))) == 1


# --- Rates above 100% ---------------------------------------------------------------------

def _value(unit, indicator, num, den):
    return IndicatorValue.objects.create(indicator=indicator, unit=unit, period_kind="month",
                                         period_start=date(2025, 4, 1), period_end=date(2025, 4, 30),
                                         numerator=Decimal(num), denominator=Decimal(den))


def test_a_village_rate_above_100_percent_is_found(county):
    bad = _value(county.v11, "htn.control", 12, 10)
    _value(county.v12, "htn.control", 10, 10)  # exactly 100% is possible
    _value(county.t1, "htn.control", 22, 20)  # the sum: corrected in the village, not reported twice
    [hit] = hits("rate_over_100")
    assert (hit.unit, hit.record_id) == (county.v11.code, bad.pk)
    assert hit.message == "管理人群血压控制率（2025年04月）：分子 12 大于分母 10，率 120.0%"
    assert hit.key == "indicator:htn.control:339901101201:month:2025-04-01"


def test_counts_and_unknown_indicators_are_not_rates(county):
    _value(county.v11, "no.such.indicator", 12, 10)
    assert hits("rate_over_100") == []


# --- Management after leaving ---------------------------------------------------------------

@pytest.mark.parametrize("status", [Status.DEAD, Status.MOVED, Status.MERGED])
def test_managed_enrolment_of_a_resident_who_left_is_found(county, rf_for, patient, status):
    resident, e = patient
    Resident.objects.filter(pk=resident.pk).update(status=status, status_date=date(2025, 3, 1))
    [hit] = hits("managed_after_exit")
    assert (hit.record_type, hit.record_id, hit.resident_id) == ("enrolment", e.pk, resident.pk)
    assert "高血压管理仍为“在管”" in hit.message


def test_moving_out_through_the_status_form_closes_management_so_nothing_is_found(county, rf_for, patient):
    resident, e = patient
    people.do_set_status(rf_for(county.user("doctor_v11")), resident, Status.MOVED, date(2025, 3, 1), "杭州")
    assert Enrolment.objects.get(pk=e.pk).status == "transferred"
    assert records("managed_after_exit") == set()


def test_registered_death_closes_management_so_nothing_is_found(county, rf_for, patient):
    people.do_register_death(rf_for(county.user("doctor_v11")), patient[0], date(2025, 3, 1), "卒中")
    assert Enrolment.objects.get().status == "died"
    assert hits("managed_after_exit") == []


# --- ID number against birth date and sex ---------------------------------------------------

def test_birth_date_that_disagrees_with_the_id_number_is_found(county, make_resident):
    good = make_resident(county.v11, "质控丙", birth_date=date(1970, 2, 3))
    bad = make_resident(county.v11, "质控丁", birth_date=date(1970, 2, 3))
    Resident.objects.filter(pk=bad.pk).update(birth_date=date(1970, 3, 2))
    [hit] = hits("id_mismatch")
    assert (hit.record_type, hit.record_id, hit.resident_id) == ("resident", bad.pk, bad.pk)
    assert hit.message == "身份证号中的出生日期为1970年2月3日，与所填出生日期1970年3月2日不一致"
    assert good.pk != bad.pk


def test_sex_that_disagrees_with_the_id_number_is_found(county, make_resident):
    resident = make_resident(county.v11, "质控戊", sex="1")
    Resident.objects.filter(pk=resident.pk).update(sex="2")
    [hit] = hits("id_mismatch")
    assert hit.message == "身份证号第17位表示男性，与所填性别“女”不一致"


def test_residents_without_id_number_or_with_unknown_sex_pass(county, make_resident):
    make_resident(county.v11, "无证", id_number=None)
    unknown = make_resident(county.v11, "未说明", sex="1")
    Resident.objects.filter(pk=unknown.pk).update(sex="9")
    assert hits("id_mismatch") == []


# --- Scope ----------------------------------------------------------------------------------

def test_checks_only_look_under_the_prefix(county, patient, followup):
    followup(patient[1], date(2025, 4, 1), 300, 80)
    assert len(hits("bp_range", under=county.t1.code)) == 1
    assert hits("bp_range", under=county.v12.code) == []
    assert hits("bp_range", under=county.t2.code) == []
