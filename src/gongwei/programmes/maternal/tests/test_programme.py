"""A pregnancy through the care engine, dates worked by hand from NORMS §2.3.

LMP 2026-01-01 (see test_rules): 12+6 = 1 Apr; windows anc2 23 Apr–27 May, anc3 28 May–24 Jun,
anc4 16 Jul–16 Sep, anc5 17 Sep–14 Oct; EDD 8 Oct.
"""

from datetime import date

import pytest

from gongwei.audit.models import AuditEvent
from gongwei.care import worklists
from gongwei.care.actions import CareError
from gongwei.care.models import EnrolmentStatus, Referral, Visit
from gongwei.people import services as people

from ..models import AntenatalCheck, HighRiskCase, Pregnancy
from .helpers import LMP, antenatal, book, deliver, enrolment, postpartum, ultrasound, woman


@pytest.fixture
def doctor(county, rf_for):
    return rf_for(county.user("doctor_v11"))


@pytest.fixture
def booked(county, make_resident, doctor):
    return book(doctor, woman(county, make_resident))


def test_booking_at_8_weeks_is_early_and_the_second_check_is_due_at_16_weeks(booked):
    # 1 Mar = day 59 = 8+3, before 13 weeks. Next: anc2, 16+0 (23 Apr) to 20+6 (27 May).
    p = booked
    assert (p.early_booking, p.edd, p.effective_lmp, p.dating_basis) == (True, date(2026, 10, 8), LMP, "lmp")
    e = enrolment(p)
    assert (e.programme, e.enrolled_on, e.next_due, e.window_end) == ("maternal", date(2026, 3, 1), date(2026, 4, 23), date(2026, 5, 27))
    assert e.state["done"] == ["anc1"] and e.state["next"] == "anc2"
    check = AntenatalCheck.objects.get(pregnancy=p)
    assert (check.window, check.ga_days, check.visit.kind) == ("anc1", 59, "booking")


def test_booking_at_14_weeks_is_late_but_still_the_first_check(county, make_resident, doctor):
    # 10 Apr = day 99 = 14+1 ≥ 13+0: not early. anc1 is done by the booking; anc2 opens 23 Apr.
    p = book(doctor, woman(county, make_resident), booked_on=date(2026, 4, 10))
    assert not p.early_booking
    e = enrolment(p)
    assert (e.next_due, e.window_end, e.state["done"]) == (date(2026, 4, 23), date(2026, 5, 27), ["anc1"])


def test_booking_on_the_last_day_of_12_weeks_is_early(county, make_resident, doctor):
    assert book(doctor, woman(county, make_resident), booked_on=date(2026, 4, 1)).early_booking       # 12+6
    assert not book(doctor, woman(county, make_resident, "乙"), booked_on=date(2026, 4, 2)).early_booking  # 13+0


def test_ultrasound_correction_moves_the_edd_and_every_window(county, make_resident, doctor):
    # Scan 5 Mar at 8+0 → implied LMP 8 Jan, 7 days from the reported one > 5 (band < 9+0):
    # redated, EDD 15 Oct; anc2 = 8 Jan + 112 days = 30 Apr … + 146 = 3 Jun.
    p = book(doctor, woman(county, make_resident), booked_on=date(2026, 3, 5),
             ultrasound=ultrasound(date(2026, 3, 5), 8, 0))
    assert (p.dating_basis, p.effective_lmp, p.edd) == ("ultrasound", date(2026, 1, 8), date(2026, 10, 15))
    e = enrolment(p)
    assert (e.next_due, e.window_end) == (date(2026, 4, 30), date(2026, 6, 3))


def test_the_whole_pregnancy_moves_the_due_dates_and_closes_at_the_42_day_check(county, doctor, booked):
    p = booked
    antenatal(doctor, p, date(2026, 5, 1))      # day 120 = 17+1: anc2
    assert (enrolment(p).next_due, enrolment(p).window_end) == (date(2026, 5, 28), date(2026, 6, 24))
    antenatal(doctor, p, date(2026, 6, 10))     # day 160 = 22+6: anc3 → anc4 16 Jul–16 Sep
    assert enrolment(p).next_due == date(2026, 7, 16)
    antenatal(doctor, p, date(2026, 9, 20))     # day 262 = 37+3: anc5; anc4 was missed
    e = enrolment(p)
    assert e.state["done"] == ["anc1", "anc2", "anc3", "anc5"]
    # No window left and no delivery record: delivery follow-up from 41+0 (day 287 = 15 Oct)
    # to 42+6 (day 300 = 28 Oct).
    assert (e.next_due, e.window_end, e.state["next"]) == (date(2026, 10, 15), date(2026, 10, 28), "delivery")
    deliver(doctor, p, date(2026, 10, 5), discharge=date(2026, 10, 8))
    e = enrolment(p)
    # Postpartum home visit: discharge day 8 Oct to 8 + 7 = 15 Oct.
    assert (e.next_due, e.window_end, e.state["next"]) == (date(2026, 10, 8), date(2026, 10, 15), "postpartum_visit")
    postpartum(doctor, p, "postpartum_visit", date(2026, 10, 10))
    e = enrolment(p)
    # 42-day check: 5 Oct + 42 = 16 Nov, on time until 16 Nov + 14 = 30 Nov.
    assert (e.next_due, e.window_end) == (date(2026, 11, 16), date(2026, 11, 30))
    postpartum(doctor, p, "check42", date(2026, 11, 18), disposal="1")
    e = enrolment(p)
    assert (e.status, e.closed_on, e.next_due) == (EnrolmentStatus.CLOSED, date(2026, 11, 18), None)
    assert Visit.objects.filter(enrolment=e).count() == 7  # booking, 3 checks, delivery, 2 postpartum


def test_a_referral_at_a_check_is_followed_up_within_two_weeks(county, doctor, booked):
    antenatal(doctor, booked, date(2026, 5, 1), referral=True, referral_reason="血压偏高",
              referral_institution="县妇幼保健院", sbp=150, dbp=95)
    ref = Referral.objects.get()
    assert (ref.follow_up_by, ref.institution, ref.reason) == (date(2026, 5, 15), "县妇幼保健院", "血压偏高")


def test_a_42_day_check_that_refers_keeps_her_due_until_the_case_is_closed(county, doctor, booked):
    deliver(doctor, booked, date(2026, 10, 5), discharge=date(2026, 10, 8))
    postpartum(doctor, booked, "check42", date(2026, 11, 16), disposal="2", referral_reason="子宫复旧不良",
               referral_institution="县人民医院")
    e = enrolment(booked)
    # Referred on 16 Nov: followed up by 16 + 14 = 30 Nov.
    assert (e.status, e.next_due, e.window_end) == (EnrolmentStatus.MANAGED, date(2026, 11, 30), date(2026, 11, 30))
    assert Referral.objects.get().follow_up_by == date(2026, 11, 30)
    postpartum(doctor, booked, "check42", date(2026, 11, 20), disposal="1")
    assert enrolment(booked).status == EnrolmentStatus.CLOSED


def test_a_miscarriage_closes_the_management(county, doctor, booked):
    deliver(doctor, booked, date(2026, 4, 20), outcome="3", live=0)
    e = enrolment(booked)
    assert (e.status, e.closed_on) == (EnrolmentStatus.CLOSED, date(2026, 4, 20))


def test_no_antenatal_check_after_the_delivery_and_no_second_delivery(county, doctor, booked):
    deliver(doctor, booked, date(2026, 10, 5))
    with pytest.raises(CareError):
        antenatal(doctor, booked, date(2026, 10, 6))
    with pytest.raises(CareError):
        deliver(doctor, booked, date(2026, 10, 6))


def test_a_delivery_before_the_last_antenatal_check_is_refused(county, doctor, booked):
    antenatal(doctor, booked, date(2026, 6, 10))
    with pytest.raises(CareError):
        deliver(doctor, booked, date(2026, 6, 1))


def test_one_pregnancy_at_a_time_and_women_only(county, make_resident, doctor, booked):
    with pytest.raises(CareError):
        book(doctor, booked.resident, booked_on=date(2026, 3, 10))
    with pytest.raises(CareError):
        book(doctor, make_resident(county.v11, "男人", sex="1", birth_date=date(1990, 1, 1)))


def test_registration_is_audited(county, booked):
    actions_ = set(AuditEvent.objects.filter(resident_id=booked.resident_id).values_list("object_type", "action"))
    assert {("enrolment", "create"), ("pregnancy", "create"), ("visit", "create"), ("riskassessment", "create")} <= actions_


def test_she_is_on_the_due_list_and_leaves_it_once_seen(county, doctor, booked):
    user = county.user("doctor_v11")
    # On 1 May the anc2 window (23 Apr–27 May) is open.
    assert [e.pk for e in worklists.due(user, date(2026, 5, 1), date(2026, 5, 31), programme="maternal")] == [booked.enrolment_id]
    # On 28 May it has closed unvisited: overdue.
    assert [e.pk for e in worklists.overdue(user, date(2026, 5, 28), programme="maternal")] == [booked.enrolment_id]
    antenatal(doctor, booked, date(2026, 5, 1))
    assert not worklists.overdue(user, date(2026, 5, 28), programme="maternal").exists()
    assert not worklists.due(county.user("doctor_v12"), date(2026, 5, 1), date(2026, 5, 31), programme="maternal").exists()


def test_death_closes_the_pregnancy_and_its_case(county, doctor, booked):
    from .. import actions

    actions.do_assess_risk(doctor, Pregnancy.objects.get(pk=booked.pk), date(2026, 4, 1), ["heart_disease"])
    people.do_register_death(doctor, booked.resident, date(2026, 5, 1), "心衰")
    assert enrolment(booked).status == EnrolmentStatus.DIED
    assert HighRiskCase.objects.get(pregnancy=booked).closed_on == date(2026, 5, 1)


def test_transfer_moves_the_open_pregnancy_and_its_case(county, rf_for, doctor, booked):
    from .. import actions

    actions.do_assess_risk(doctor, Pregnancy.objects.get(pk=booked.pk), date(2026, 4, 1), ["heart_disease"])
    people.do_transfer_resident(rf_for(county.user("ph_t1")), booked.resident, county.v21, date(2026, 5, 1))
    assert Pregnancy.objects.get(pk=booked.pk).village_id == county.v21.code
    assert HighRiskCase.objects.get(pregnancy=booked).village_id == county.v21.code
    assert Pregnancy.objects.for_user(county.user("doctor_v21")).filter(pk=booked.pk).exists()
    # The checks stay readable by the unit that recorded them.
    assert AntenatalCheck.objects.for_user(county.user("doctor_v11")).filter(pregnancy=booked).exists()
