"""Hypertension and diabetes through the engine: enrol, follow up, due lists, referrals.

Expected dates are worked by hand from NORMS §2.5 (controlled → next in 90 days, the local
quarterly default; first uncontrolled → within 2 weeks; twice in a row → refer and follow
the referral up within 2 weeks; SBP ≥ 180 → urgent referral).
"""

from datetime import date

import pytest
from django.utils import timezone

from gongwei.care import actions, worklists
from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.people import services as people
from gongwei.programmes.chronic.models import ChronicFollowUp

TODAY = date(2026, 11, 23)


@pytest.fixture
def patient(county, make_resident, rf_for):
    r = make_resident(county.v11, "高血压", birth_date=date(1960, 5, 17))
    e = actions.do_enrol(rf_for(county.user("doctor_v11")), r, "htn", date(2026, 1, 5))
    return r, e


def visit(county, rf_for, e, day, **facts):
    return actions.do_record_visit(rf_for(county.user("doctor_v11")), Enrolment.objects.get(pk=e.pk), day, facts)


def test_enrolment_is_due_after_the_routine_interval(patient):
    _, e = patient
    # 2026-01-05 + 90 days = 2026-04-05; window closes 15 days later, 2026-04-20.
    assert (e.next_due, e.window_end) == (date(2026, 4, 5), date(2026, 4, 20))


def test_controlled_visit_books_the_next_in_three_months(county, rf_for, patient):
    _, e = patient
    v, result = visit(county, rf_for, e, date(2026, 4, 1), sbp=132, dbp=84)
    assert v.classification == "1"  # 控制满意
    e.refresh_from_db()
    assert e.next_due == date(2026, 6, 30)  # 2026-04-01 + 90 days
    assert e.last_visit_on == date(2026, 4, 1)


def test_first_uncontrolled_visit_is_seen_again_within_two_weeks(county, rf_for, patient):
    _, e = patient
    visit(county, rf_for, e, date(2026, 4, 1), sbp=152, dbp=92)
    e.refresh_from_db()
    assert (e.next_due, e.window_end) == (date(2026, 4, 15), date(2026, 4, 15))
    assert not Referral.objects.exists()


def test_second_uncontrolled_visit_in_a_row_refers_and_stays_on_the_list(county, rf_for, patient):
    _, e = patient
    visit(county, rf_for, e, date(2026, 4, 1), sbp=152, dbp=92)
    visit(county, rf_for, e, date(2026, 4, 14), sbp=150, dbp=95)
    referral = Referral.objects.get()
    assert referral.follow_up_by == date(2026, 4, 28) and not referral.urgent
    assert list(worklists.open_referrals(county.user("doctor_v11"))) == [referral]
    actions.do_record_referral_outcome(rf_for(county.user("doctor_v11")), referral, "县医院调整用药", date(2026, 4, 20))
    assert not worklists.open_referrals(county.user("doctor_v11")).exists()


def test_emergency_reading_opens_an_urgent_referral(county, rf_for, patient):
    _, e = patient
    visit(county, rf_for, e, date(2026, 4, 1), sbp=185, dbp=100)
    assert Referral.objects.get().urgent


def test_controlled_visit_resets_the_uncontrolled_count(county, rf_for, patient):
    _, e = patient
    visit(county, rf_for, e, date(2026, 4, 1), sbp=152, dbp=92)
    visit(county, rf_for, e, date(2026, 4, 14), sbp=128, dbp=80)
    visit(county, rf_for, e, date(2026, 7, 10), sbp=150, dbp=92)
    assert not Referral.objects.exists()  # uncontrolled once again, not twice in a row


def test_diabetes_uses_fasting_glucose_seven(county, make_resident, rf_for):
    r = make_resident(county.v11, "糖尿病", birth_date=date(1958, 3, 2))
    e = actions.do_enrol(rf_for(county.user("doctor_v11")), r, "dm", date(2026, 1, 5))
    v, _ = visit(county, rf_for, e, date(2026, 4, 1), fpg=6.9, sbp=130, dbp=80)
    assert v.classification == "1"
    v, _ = visit(county, rf_for, e, date(2026, 7, 1), fpg=7.0, sbp=130, dbp=80)
    assert v.classification == "2"


def test_under_35_cannot_be_enrolled(county, make_resident, rf_for):
    r = make_resident(county.v11, "年轻人", birth_date=date(1995, 1, 1))
    with pytest.raises(actions.CareError):
        actions.do_enrol(rf_for(county.user("doctor_v11")), r, "htn", date(2026, 1, 5))


def test_one_managed_enrolment_per_programme(county, rf_for, patient):
    r, _ = patient
    with pytest.raises(actions.CareError):
        actions.do_enrol(rf_for(county.user("doctor_v11")), r, "htn", date(2026, 2, 5))


def test_patient_leaves_the_due_list_once_visited(county, rf_for, patient):
    _, e = patient
    user = county.user("doctor_v11")
    today = date(2026, 4, 3)
    assert [x.pk for x in worklists.due(user, today, date(2026, 4, 30))] == [e.pk]
    visit(county, rf_for, e, today, sbp=130, dbp=80)
    assert not worklists.due(user, today, date(2026, 4, 30)).exists()


def test_overdue_is_past_the_window_and_counted_per_village(county, rf_for, patient):
    _, e = patient
    today = date(2026, 4, 21)  # the window closed on 2026-04-20
    user = county.user("ph_t1")
    assert [x.pk for x in worklists.overdue(user, today)] == [e.pk]
    assert not worklists.overdue(user, date(2026, 4, 20)).exists()
    [row] = [r for r in worklists.counts_by_village(user, today) if r["village_id"] == county.v11.code]
    assert (row["managed"], row["overdue"]) == (1, 1)
    assert not worklists.overdue(county.user("doctor_v12"), today).exists()


def test_visit_entered_late_does_not_move_the_schedule_back(county, rf_for, patient):
    _, e = patient
    visit(county, rf_for, e, date(2026, 4, 1), sbp=130, dbp=80)
    visit(county, rf_for, e, date(2026, 3, 1), sbp=130, dbp=80)
    e.refresh_from_db()
    assert e.next_due == date(2026, 6, 30) and Visit.objects.count() == 2


def test_stale_enrolment_is_refused(county, rf_for, patient):
    _, e = patient
    stale = Enrolment.objects.get(pk=e.pk)
    visit(county, rf_for, e, date(2026, 4, 1), sbp=130, dbp=80)
    with pytest.raises(actions.CareError):
        actions.do_record_visit(rf_for(county.user("doctor_v11")), stale, date(2026, 4, 2), {"sbp": 130, "dbp": 80})


def test_death_closes_every_enrolment(county, rf_for, patient):
    r, e = patient
    people.do_register_death(rf_for(county.user("doctor_v11")), r, date(2026, 5, 1), "心梗")
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.DIED and e.next_due is None


def test_transfer_moves_management_with_the_patient(county, rf_for, patient):
    r, e = patient
    people.do_transfer_resident(rf_for(county.user("ph_t1")), r, county.v21, date(2026, 5, 1))
    e.refresh_from_db()
    assert e.village_id == county.v21.code
    assert worklists.managed(county.user("doctor_v21")).filter(pk=e.pk).exists()


def test_followup_form_is_prefilled_and_moves_the_due_date(client, county, rf_for, patient):
    r, e = patient
    visit(county, rf_for, e, date(2026, 4, 1), sbp=130, dbp=80)
    ChronicFollowUp.objects.create(visit=Visit.objects.get(), height_cm=165, medicines=[{"name": "氨氯地平片", "dose": "5mg", "frequency": "每日1次"}])
    client.force_login(county.user("doctor_v11"))
    page = client.get(f"/programmes/chronic/followup/{e.pk}/").content.decode()
    assert "氨氯地平片 5mg 每日1次" in page and 'value="165.0"' in page
    day = timezone.localdate()
    response = client.post(f"/programmes/chronic/followup/{e.pk}/", {
        "visit_date": day.isoformat(), "mode": "1", "sbp": "128", "dbp": "78", "weight_kg": "70",
        "height_cm": "165", "medicines": "氨氯地平片 5mg 每日1次"})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.last_visit_on == day
    assert ChronicFollowUp.objects.get(visit__date=day).bmi is not None


def test_followup_form_keeps_input_and_explains_bad_pressure(client, county, patient):
    _, e = patient
    client.force_login(county.user("doctor_v11"))
    page = client.post(f"/programmes/chronic/followup/{e.pk}/", {
        "visit_date": "2026-04-01", "mode": "1", "sbp": "80", "dbp": "120"}).content.decode()
    assert "舒张压" in page and 'value="120"' in page


def test_moving_out_of_the_county_ends_management(county, rf_for, patient):
    r, e = patient
    people.do_set_status(rf_for(county.user("doctor_v11")), r, "moved", date(2026, 5, 1), "外省")
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.TRANSFERRED and e.next_due is None


def test_merging_two_managed_records_keeps_one_management(county, make_resident, rf_for, patient):
    r, e = patient
    twin = make_resident(county.v11, "高血压", birth_date=date(1960, 5, 17), id_number=None)
    other = actions.do_enrol(rf_for(county.user("doctor_v11")), twin, "htn", date(2026, 2, 1))
    people.do_merge(rf_for(county.user("ph_t1")), r, twin, "同一人")
    assert Enrolment.objects.filter(resident=r, status=EnrolmentStatus.MANAGED).count() == 1
    assert Enrolment.objects.get(pk=other.pk).status == EnrolmentStatus.CLOSED
