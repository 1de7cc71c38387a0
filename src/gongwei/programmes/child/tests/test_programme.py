"""Children 0–6 through the care engine: enrolment, checks, stored schedule, weak children, deaths.

Expected dates are worked by hand from NORMS §2.2 (newborn visit within 7 days after
discharge; full-month visit on day 28–30; month-N check due from month N, overdue from
month N+1, missed when the next window opens; the programme ends at 7) and the WHO 2006
weight-for-age table for boys at 3 months (−3 SD 4.4 kg, −2 SD 5.0 kg, median 6.4 kg) and at
12 months (−3 SD 6.9 kg, −2 SD 7.7 kg, median 9.6 kg).
"""

from datetime import date

import pytest

from gongwei.care import worklists
from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.people import services as people
from gongwei.people.models import Status
from gongwei.programmes.child import actions
from gongwei.programmes.child.models import ChildCheck, ChildDeath, WeakChildCase, WeakChildFollowUp
from gongwei.programmes.child.programme import CHILD, WEAK

BORN = date(2026, 3, 10)
DISCHARGED = date(2026, 3, 12)


@pytest.fixture
def doctor(county, rf_for):
    return rf_for(county.user("doctor_v11"))


@pytest.fixture
def baby(county, make_resident, doctor):
    r = make_resident(county.v11, "王小宝", birth_date=BORN, id_number=None)
    e = actions.do_enrol_child(doctor, r, BORN, discharge_date=DISCHARGED)
    return r, e


def fresh(e):
    return Enrolment.objects.select_related("resident").get(pk=e.pk)


def record(doctor, e, day, code, **data):
    return actions.do_record_check(doctor, fresh(e), day, {"visit_code": code, **data})


def test_newborn_visit_is_due_within_seven_days_after_discharge(baby):
    _, e = baby
    # Discharged 12 March: due that day, on time through 12 + 7 = 19 March.
    assert (e.next_due, e.window_end) == (date(2026, 3, 12), date(2026, 3, 19))
    assert fresh(e).state == {"discharge": "2026-03-12"}


def test_child_enrolled_at_three_is_due_the_36_month_check(county, make_resident, doctor):
    r = make_resident(county.v11, "李三岁", birth_date=date(2023, 5, 20), id_number=None)
    e = actions.do_enrol_child(doctor, r, date(2026, 5, 25))
    # 36 months on 2026-05-20; overdue from 37 months (2026-06-20), so on time until 06-19.
    assert (e.next_due, e.window_end) == (date(2026, 5, 20), date(2026, 6, 19))


def test_a_child_of_seven_cannot_be_enrolled(county, make_resident, doctor):
    r = make_resident(county.v11, "七岁", birth_date=date(2019, 11, 1), id_number=None)
    with pytest.raises(actions.ChildError):
        actions.do_enrol_child(doctor, r, date(2026, 11, 1))   # the 7th birthday


def test_newborn_visit_moves_the_schedule_to_the_full_month_visit(doctor, baby):
    r, e = baby
    visit, result, case = record(doctor, e, date(2026, 3, 15), "newborn", birth_weight_g=3300, gestational_weeks=39,
                                 weight_kg=3.4, length_height_cm=51.0, measured_lying=True)
    # Full month: day 28 = 10 March + 28 = 7 April, on time through day 30 = 9 April.
    assert (result.next_due, result.window_end) == (date(2026, 4, 7), date(2026, 4, 9))
    check = ChildCheck.objects.get()
    assert (check.age_days, check.age_months, check.on_time, check.window_last_day) == (5, 0, True, date(2026, 3, 19))
    assert visit.kind == "check" and visit.programme == CHILD
    assert fresh(e).state["done"] == ["newborn"] and fresh(e).state["birth_weight_g"] == 3300
    assert case is None and not Referral.objects.exists()


def test_normal_three_month_check_stores_z_scores_near_the_median(doctor, baby):
    _, e = baby
    record(doctor, e, date(2026, 6, 10), "m3", weight_kg=6.4, length_height_cm=61.4, measured_lying=True)
    check = ChildCheck.objects.get()
    # 6.4 kg and 61.4 cm are the WHO medians of boys at 3 months: z about 0, nothing found.
    assert abs(check.waz) < 0.2 and abs(check.lhaz) < 0.2
    assert check.findings == [] and check.conditions == [] and check.visit.classification == "1"
    e = fresh(e)
    # Next: 6 months on 2026-09-10, on time until the day before 7 months (2026-10-09).
    assert (e.next_due, e.window_end) == (date(2026, 9, 10), date(2026, 10, 9))


def test_severe_underweight_opens_an_urgent_referral_and_a_weak_case(doctor, baby):
    r, e = baby
    _, result, case = record(doctor, e, date(2026, 6, 12), "m3", weight_kg=4.2, length_height_cm=58.0,
                             measured_lying=True, referral_institution="县妇幼保健院")
    # 4.2 kg < 4.4 kg (−3 SD): severe underweight (MCH-SUPPLEMENT [M4]) → refer at once [M5].
    check = ChildCheck.objects.get()
    assert any(f["code"] == "underweight" and f["severity"] == "severe" for f in check.findings)
    referral = Referral.objects.get()
    assert referral.urgent and referral.institution == "县妇幼保健院"
    assert referral.follow_up_by == date(2026, 6, 26)       # + 14 days
    assert case is not None and [c["code"] for c in case.conditions] == ["malnutrition"]
    # Under 3 years: monthly follow-up; due 2026-07-12, late after 14 days.
    weak = case.enrolment
    assert (weak.programme, weak.next_due, weak.window_end) == (WEAK, date(2026, 7, 12), date(2026, 7, 26))


def test_low_birth_weight_newborn_gets_one_case_not_one_per_check(doctor, baby):
    r, e = baby
    _, _, case = record(doctor, e, date(2026, 3, 15), "newborn", birth_weight_g=2300, gestational_weeks=36,
                        weight_kg=2.8)
    # 2.3 kg < 2.5 kg and 36 < 37 weeks [M4][M7]; 2.8 kg on day 5 is above −2 SD (2.5 kg at birth).
    assert [c["code"] for c in case.conditions] == ["low_birth_weight", "preterm"]
    # Three normal follow-ups close it [M5] (birth history alone is normal).
    weak = case.enrolment
    for day, kg in ((date(2026, 4, 15), 3.6), (date(2026, 5, 15), 4.8), (date(2026, 6, 15), 5.9)):
        actions.do_record_weak_followup(doctor, fresh(weak), day, {"weight_kg": kg})
    weak = fresh(weak)
    assert weak.status == EnrolmentStatus.CLOSED and weak.close_reason == actions.CASE_CLOSED_NORMAL
    assert weak.closed_on == date(2026, 6, 15)
    assert WeakChildFollowUp.objects.filter(normal=True).count() == 3
    # The 3-month check of the first year sees the birth history again: no second case.
    _, _, again = record(doctor, e, date(2026, 6, 20), "m3", weight_kg=5.9)
    assert again is None and WeakChildCase.objects.count() == 1


def test_moderate_malnutrition_not_better_after_three_follow_ups_is_referred(county, make_resident, doctor):
    r = make_resident(county.v11, "赵一岁", birth_date=date(2025, 6, 1), id_number=None)
    e = actions.do_enrol_child(doctor, r, date(2025, 6, 1))
    # 12 months on 2026-06-01: 7.4 kg lies between 6.9 (−3 SD) and 7.7 (−2 SD): moderate underweight.
    _, result, case = record(doctor, e, date(2026, 6, 3), "m12", weight_kg=7.4)
    assert case is not None and case.conditions[0]["severity"] == "moderate"
    assert not Referral.objects.exists()
    weak = case.enrolment
    referrals = []
    for day, kg in ((date(2026, 7, 3), 7.6), (date(2026, 8, 3), 7.8), (date(2026, 9, 3), 8.0)):
        _, res = actions.do_record_weak_followup(doctor, fresh(weak), day, {"weight_kg": kg})
        referrals.append(res.referral)
    # Still underweight at each of the 3 follow-ups: referred at the third (not urgent).
    assert referrals[:2] == [None, None] and referrals[2] is not None and not referrals[2].urgent
    assert fresh(weak).status == EnrolmentStatus.MANAGED


def test_a_check_before_its_window_or_after_it_was_missed_is_refused(doctor, baby):
    _, e = baby
    with pytest.raises(actions.ChildError, match="2026-09-10"):
        record(doctor, e, date(2026, 8, 1), "m6", weight_kg=7.0)        # 6 months on 09-10
    with pytest.raises(actions.ChildError, match="2026-09-10"):
        record(doctor, e, date(2026, 9, 15), "m3", weight_kg=7.0)       # missed when m6 opened
    assert not Visit.objects.exists()


def test_the_same_visit_cannot_be_recorded_twice(doctor, baby):
    _, e = baby
    record(doctor, e, date(2026, 6, 10), "m3", weight_kg=6.4)
    with pytest.raises(actions.ChildError):
        record(doctor, e, date(2026, 6, 11), "m3", weight_kg=6.4)


def test_the_six_year_check_ends_the_management(county, make_resident, doctor):
    r = make_resident(county.v11, "钱六岁", birth_date=date(2020, 6, 1), id_number=None)
    e = actions.do_enrol_child(doctor, r, date(2026, 6, 5))
    assert e.next_due == date(2026, 6, 1)           # 72 months
    _, result, _ = record(doctor, e, date(2026, 6, 10), "y6", weight_kg=21.0, length_height_cm=116.0)
    assert result.next_due is None
    e = fresh(e)
    assert (e.status, e.closed_on, e.close_reason) == (EnrolmentStatus.CLOSED, date(2026, 6, 10), actions.CLOSED_AFTER_SIX)
    # Beyond 60 months WHO 2006 has no standard: no z-score, no finding (growth.py).
    check = ChildCheck.objects.get()
    assert check.waz is None and check.findings == []


def test_refresh_moves_a_missed_window_and_closes_at_seven(county, make_resident, doctor):
    young = make_resident(county.v11, "孙婴儿", birth_date=date(2026, 1, 15), id_number=None)
    e1 = actions.do_enrol_child(doctor, young, date(2026, 1, 15))
    old = make_resident(county.v11, "周大童", birth_date=date(2019, 11, 1), id_number=None)
    e2 = actions.do_enrol_child(doctor, old, date(2025, 11, 5))
    # The older child turned 7 on 2026-11-01: closed on that day.
    counts = actions.do_refresh_schedules(county.user("ph_t1"), date(2026, 11, 2))
    assert counts == {"moved": 1, "closed": 1}
    e1, e2 = fresh(e1), fresh(e2)
    assert (e2.status, e2.closed_on, e2.close_reason) == (EnrolmentStatus.CLOSED, date(2026, 11, 1), actions.CLOSED_AT_SEVEN)
    # On 2026-11-02 the current visit of the baby is the 8-month check (due 09-15, overdue
    # 10-15, missed when the 12-month window opens): stored 09-15 … 10-14.
    assert (e1.next_due, e1.window_end) == (date(2026, 9, 15), date(2026, 10, 14))
    assert actions.do_refresh_schedules(county.user("ph_t1"), date(2026, 11, 2)) == {"moved": 0, "closed": 0}


def test_refresh_on_the_day_the_three_month_window_opens(county, make_resident, doctor):
    young = make_resident(county.v11, "吴婴儿", birth_date=date(2026, 1, 15), id_number=None)
    e = actions.do_enrol_child(doctor, young, date(2026, 1, 15))
    # On 2026-04-20 the newborn visit (missed when the full month opened, 02-12) and the
    # full-month visit (missed when the 3-month window opened, 04-15) are past: the 3-month
    # check is current, due 04-15, on time until 05-14.
    actions.do_refresh_schedules(None, date(2026, 4, 20))
    e = fresh(e)
    assert (e.next_due, e.window_end) == (date(2026, 4, 15), date(2026, 5, 14))
    assert [x.pk for x in worklists.due(county.user("doctor_v11"), date(2026, 4, 20), date(2026, 4, 30))] == [e.pk]


def test_reporting_a_death_registers_it_and_ends_every_management(county, doctor, baby):
    r, e = baby
    _, _, case = record(doctor, e, date(2026, 6, 12), "m3", weight_kg=4.2)
    death = actions.do_register_child_death(doctor, r, date(2026, 7, 1), "重度营养不良合并肺炎", "1")
    r.refresh_from_db()
    assert (r.status, r.status_date) == (Status.DEAD, date(2026, 7, 1))
    # 10 March → 1 July: 21 + 30 + 31 + 30 + 1 = 113 days, 3 completed months.
    assert (death.age_days, death.age_months, death.review_status) == (113, 3, "pending")
    assert fresh(e).status == EnrolmentStatus.DIED and not fresh(case.enrolment).status == EnrolmentStatus.MANAGED
    with pytest.raises(actions.ChildError):
        actions.do_register_child_death(doctor, r, date(2026, 7, 1), "重复", "1")


def test_a_death_already_in_the_register_is_completed_not_registered_twice(county, make_resident, doctor):
    r = make_resident(county.v11, "郑婴儿", birth_date=date(2026, 2, 1), id_number=None)
    people.do_register_death(doctor, r, date(2026, 2, 5), "新生儿窒息")
    r.refresh_from_db()
    with pytest.raises(actions.ChildError, match="2026-02-05"):
        actions.do_register_child_death(doctor, r, date(2026, 2, 6), "新生儿窒息", "1")
    death = actions.do_register_child_death(doctor, r, date(2026, 2, 5), "新生儿窒息", "1")
    assert death.age_days == 4 and ChildDeath.objects.count() == 1


def test_review_is_recorded(county, rf_for, doctor, baby):
    r, _ = baby
    death = actions.do_register_child_death(doctor, r, date(2026, 4, 1), "意外窒息", "3")
    actions.do_review_child_death(rf_for(county.user("county_mch")), death, "1", "家长照护不当", date(2026, 5, 1))
    death.refresh_from_db()
    assert (death.review_status, death.review_conclusion, death.reviewed_by) == ("reviewed", "1", county.user("county_mch"))


def test_an_open_weak_case_moves_with_the_child(county, rf_for, doctor, baby):
    r, e = baby
    _, _, case = record(doctor, e, date(2026, 6, 12), "m3", weight_kg=4.2)
    people.do_transfer_resident(rf_for(county.user("ph_t1")), r, county.v21, date(2026, 7, 1))
    case.refresh_from_db()
    assert case.village_id == county.v21.code
    assert WeakChildCase.objects.for_user(county.user("doctor_v21")).filter(pk=case.pk).exists()
    assert ChildCheck.objects.get().village_id == county.v11.code      # the record stays with its unit


def test_a_child_enrolled_again_keeps_the_checks_already_done(county, rf_for, make_resident, doctor):
    r = make_resident(county.v11, "回迁童", birth_date=date(2026, 1, 15), id_number=None)
    e = actions.do_enrol_child(doctor, r, date(2026, 1, 15))
    record(doctor, e, date(2026, 4, 20), "m3", weight_kg=6.2)
    from gongwei.care.actions import do_close
    do_close(doctor, fresh(e), EnrolmentStatus.TRANSFERRED, date(2026, 5, 1), "外出务工随父母")
    again = actions.do_enrol_child(doctor, r, date(2026, 7, 20))
    # Back on 2026-07-20: the 3-month check is done; the 6-month check (due 07-15, on time
    # until 08-14) is next.
    assert again.state == {"done": ["m3"]}
    assert (again.next_due, again.window_end) == (date(2026, 7, 15), date(2026, 8, 14))


def test_a_child_with_every_check_done_is_not_enrolled_again(county, make_resident, doctor):
    r = make_resident(county.v11, "完成童", birth_date=date(2020, 6, 1), id_number=None)
    e = actions.do_enrol_child(doctor, r, date(2026, 6, 5))
    record(doctor, e, date(2026, 6, 10), "y6", weight_kg=21.0)
    with pytest.raises(actions.ChildError):
        actions.do_enrol_child(doctor, r, date(2026, 7, 1))
