"""Cards and doses through the actions: what is stored, worked by hand from NORMS §3.

The child of most tests is born 2026-03-10 (a boy in 一村). Month ages (NORMS §2.2): 1 month
= 04-10, 2 months = 05-10, 3 months = 06-10, 6 months = 09-10, 8 months = 11-10. Stored dates
are computed as of the day after the dose is entered (rules.stored_schedule).
"""

from datetime import date

import pytest
from django.utils import translation

from gongwei.audit.models import AuditEvent
from gongwei.care import actions as care
from gongwei.care.models import Enrolment, EnrolmentStatus
from gongwei.people import services as people
from gongwei.programmes.immunization import actions
from gongwei.programmes.immunization.models import DoseRecord, NextDose, VaccinationCard

from .helpers import child, clock, give, issue  # noqa: F401 - clock is a fixture

BORN = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def english():
    # The messages are matched in English whatever the catalogue holds.
    with translation.override("en"):
        yield


@pytest.fixture
def baby(county, make_resident, rf_for, clock):
    clock(date(2026, 3, 20))
    r = child(county, make_resident, "小明", BORN)
    issue(county, rf_for, r, date(2026, 3, 20))
    return r


def next_doses(resident):
    return {n.series: (n.dose, n.earliest) for n in NextDose.objects.filter(card__resident=resident)}


def enrolment(resident):
    return Enrolment.objects.get(resident=resident, programme="immunization", status="managed")


def test_the_card_enrols_the_child_and_stores_the_first_doses(county, baby):
    card = VaccinationCard.objects.get(resident=baby)
    e = enrolment(baby)
    # NORMS §3.2: within 1 month of birth → by 04-10; issued 03-20: on time.
    assert (card.due_by, card.on_time, card.migrant, card.clinic_id) == (date(2026, 4, 10), True, False, county.t1.code)
    assert card.number == baby.record_number and card.village_id == county.v11.code
    # Nothing given: HepB 1 and BCG from birth, HepB 1 overdue after its 24 hours (from 03-12).
    assert (e.status, e.enrolled_on, e.next_due, e.window_end) == ("managed", date(2026, 3, 20), BORN, date(2026, 3, 11))
    assert next_doses(baby)["HepB"] == (1, BORN) and next_doses(baby)["DTaP"] == (1, date(2026, 5, 10))
    assert len(next_doses(baby)) == 9 and card.refresh_on == date(2030, 3, 10)   # BCG too late at 4 years
    assert AuditEvent.objects.filter(object_type="vaccinationcard", action="create").count() == 1


def test_birth_doses_copied_onto_the_card_later_move_the_schedule(county, rf_for, baby):
    # Given at the birth hospital on 03-10, entered on 03-20 — before the card was made, which
    # care.actions.do_record_visit would refuse.
    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    dose = give(county, rf_for, baby, "BCG", 1, BORN, elsewhere="县人民医院")
    assert (dose.validity, dose.series, dose.counted_as, dose.clinic_id) == ("valid", "BCG", 1, None)
    hepb1 = DoseRecord.objects.get(resident=baby, vaccine="HepB")
    assert hepb1.timely and hepb1.age_days == 0              # within 24 h (NORMS §3.1)
    # HepB 2 from max(1 month 04-10, 03-10 + 28 d = 04-07) = 04-10; BCG done.
    e = enrolment(baby)
    assert next_doses(baby)["HepB"] == (2, date(2026, 4, 10)) and "BCG" not in next_doses(baby)
    # The first overdue now: HepB 2 from 2 months (05-10) → due by 05-09.
    assert (e.next_due, e.window_end, e.last_visit_on, e.version) == (date(2026, 4, 10), date(2026, 5, 9), BORN, 4)


def test_a_dose_entered_after_a_later_one_still_moves_the_schedule(county, rf_for, baby, clock):
    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    clock(date(2026, 5, 12))
    give(county, rf_for, baby, "DTaP", 1, date(2026, 5, 12))
    give(county, rf_for, baby, "HepB", 2, date(2026, 4, 12))      # copied late from the certificate
    # HepB 3 from max(6 months 09-10, 04-12 + 60 d = 06-11) = 09-10 (NORMS §3.1).
    assert next_doses(baby)["HepB"] == (3, date(2026, 9, 10))
    assert enrolment(baby).last_visit_on == date(2026, 5, 12)


def test_a_dose_given_too_early_is_recorded_invalid_with_the_reason_and_stays_due(county, rf_for, baby, clock):
    clock(date(2026, 5, 5))
    early = give(county, rf_for, baby, "DTaP", 1, date(2026, 5, 5))     # 2 months is 05-10
    assert early.validity == "too_early" and early.counted_as is None and "2026-05-10" in early.validity_reason
    assert next_doses(baby)["DTaP"] == (1, date(2026, 5, 10))
    clock(date(2026, 5, 10))
    again = give(county, rf_for, baby, "DTaP", 1, date(2026, 5, 10))
    assert (again.validity, again.counted_as) == ("valid", 1)
    # DTaP 2 from max(4 months 07-10, 05-10 + 28 d = 06-07) = 07-10.
    assert next_doses(baby)["DTaP"] == (2, date(2026, 7, 10))
    assert DoseRecord.objects.get(pk=early.pk).validity == "too_early"


def test_a_dose_copied_later_renumbers_the_doses_after_it(county, rf_for, baby, clock):
    clock(date(2026, 5, 12))
    written_as_2 = give(county, rf_for, baby, "HepB", 2, date(2026, 4, 12))
    # The only HepB on the card: counted as dose 1, with a note (validate_given).
    assert written_as_2.counted_as == 1 and "记录为第2剂" in written_as_2.validity_reason
    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    again = DoseRecord.objects.get(pk=written_as_2.pk)
    assert (again.counted_as, again.validity, again.validity_reason) == (2, "valid", "乙肝疫苗第2剂有效")


def test_a_stale_card_is_refused_and_nothing_is_written(county, rf_for, baby):
    stale = enrolment(baby)
    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    with pytest.raises(actions.ImmunizationError):
        actions.do_record_dose(rf_for(county.user("ph_t1")), stale, {
            "vaccine": "BCG", "dose": 1, "date": BORN, "elsewhere": "县人民医院"})
    assert DoseRecord.objects.filter(resident=baby).count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"date": date(2026, 3, 9)}, "before the date of birth"),
    ({"date": date(2026, 3, 21)}, "future"),
    ({"vaccine": "Hib"}, "Unknown vaccine"),
    ({"vaccine": "BCG", "dose": 2}, "1 doses"),
    ({"vaccine": "bOPV", "route": "im"}, "route"),
    ({"clinic": None, "elsewhere": ""}, "where"),
])
def test_impossible_doses_are_refused(county, rf_for, baby, change, message):
    data = {"vaccine": "HepB", "dose": 1, "date": BORN, "clinic": county.t1, "elsewhere": "", **change}
    with pytest.raises(actions.ImmunizationError, match=message):
        actions.do_record_dose(rf_for(county.user("ph_t1")), enrolment(baby), data)
    assert not DoseRecord.objects.exists()


def test_one_card_per_child_from_a_township_clinic(county, make_resident, rf_for, baby):
    with pytest.raises(actions.ImmunizationError, match="already"):
        issue(county, rf_for, baby, date(2026, 3, 20))
    other = child(county, make_resident, "小红", BORN, sex="2")
    with pytest.raises(actions.ImmunizationError, match="township"):
        actions.do_issue_card(rf_for(county.user("ph_t1")), other, date(2026, 3, 20), county.v11)
    with pytest.raises(actions.ImmunizationError, match="before the date of birth"):
        issue(county, rf_for, other, date(2026, 3, 9))
    adult = make_resident(county.v11, "成人", birth_date=date(2000, 1, 1))
    with pytest.raises(actions.ImmunizationError, match="under 18"):
        issue(county, rf_for, adult, date(2026, 3, 20))


def test_a_migrant_childs_card_is_due_three_months_after_arriving(county, make_resident, rf_for, clock):
    clock(date(2026, 5, 1))
    r = child(county, make_resident, "流动", date(2024, 6, 1), registration="2", residence_since=date(2026, 1, 15))
    card = issue(county, rf_for, r, date(2026, 5, 1))
    # 2026-01-15 + 3 months = 04-15; the card of 05-01 is late.
    assert (card.migrant, card.due_by, card.on_time) == (True, date(2026, 4, 15), False)


def test_the_card_and_history_follow_the_child_and_stop_at_death(county, rf_for, baby):
    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    people.do_transfer_resident(rf_for(county.user("ph_t1")), baby, county.v21, date(2026, 3, 20))
    assert set(VaccinationCard.objects.values_list("village_id", flat=True)) == {county.v21.code}
    assert set(DoseRecord.objects.values_list("village_id", flat=True)) == {county.v21.code}
    assert set(NextDose.objects.values_list("village_id", flat=True)) == {county.v21.code}
    assert enrolment(baby).village_id == county.v21.code
    people.do_register_death(rf_for(county.user("ph_t2")), baby, date(2026, 3, 20), "意外")
    e = Enrolment.objects.get(resident=baby)
    assert (e.status, e.next_due) == (EnrolmentStatus.DIED, None)
    assert not NextDose.objects.exists()
    with pytest.raises(care.CareError):
        give(county, rf_for, baby, "BCG", 1, BORN, user="ph_t2", elsewhere="县人民医院")


def test_the_nightly_refresh_drops_a_dose_past_its_catch_up_age(county, make_resident, rf_for, clock):
    # Born 2022-01-10, no doses, card on 2025-12-01: BCG is stored until it is too late at 4
    # years (2026-01-10, NORMS §3.1 [S81]); on that day the refresh removes it.
    clock(date(2025, 12, 1))
    r = child(county, make_resident, "补卡", date(2022, 1, 10))
    card = issue(county, rf_for, r, date(2025, 12, 1))
    assert card.refresh_on == date(2026, 1, 10) and "BCG" in next_doses(r)
    assert actions.do_refresh_schedules(None, date(2026, 1, 9)) == 0
    clock(date(2026, 1, 10))
    assert actions.do_refresh_schedules(None, date(2026, 1, 10)) == 1
    assert "BCG" not in next_doses(r)
    assert VaccinationCard.objects.get(pk=card.pk).refresh_on == date(2040, 1, 10)   # 18 years


def test_the_engine_rule_agrees_with_the_stored_dates(county, rf_for, baby):
    from gongwei.care import registry

    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    e = Enrolment.objects.select_related("resident").get(pk=enrolment(baby).pk)
    result = registry.get("immunization").on_visit(e, {"visit_date": date(2026, 3, 20)})
    assert (result.next_due, result.window_end) == (e.next_due, e.window_end)


def test_a_child_who_moved_out_of_the_county_leaves_the_lists_and_comes_back_with_its_card(
        county, rf_for, baby, clock):
    from gongwei.programmes.immunization import lists, rules

    ph = county.user("ph_t1")
    give(county, rf_for, baby, "HepB", 1, BORN, elsewhere="县人民医院")
    assert [r["card_id"] for r in lists.children(ph, rules.ALL_TAB, date(2026, 3, 20))]
    people.do_set_status(rf_for(ph), baby, "moved", date(2026, 3, 20), "迁往外省")
    # The engine ends the management; the stored doses go in the same transaction.
    assert enrolment_status(baby) == [EnrolmentStatus.TRANSFERRED]
    assert not NextDose.objects.exists()
    assert list(lists.children(ph, rules.ALL_TAB, date(2026, 3, 20))) == []
    people.do_set_status(rf_for(ph), baby, "active", date(2026, 4, 2))
    clock(date(2026, 4, 2))
    card = issue(county, rf_for, baby, date(2026, 4, 2))
    # The same card and history, a new management: HepB 2 from 1 month (04-10).
    assert card.date == date(2026, 3, 20) and DoseRecord.objects.filter(resident=baby).count() == 1
    assert next_doses(baby)["HepB"] == (2, date(2026, 4, 10))
    assert sorted(enrolment_status(baby)) == [EnrolmentStatus.MANAGED, EnrolmentStatus.TRANSFERRED]


def enrolment_status(resident):
    return list(Enrolment.objects.filter(resident=resident).values_list("status", flat=True))


def test_closing_the_management_by_hand_empties_the_stored_doses_at_night(county, rf_for, baby):
    care.do_close(rf_for(county.user("ph_t1")), enrolment(baby), EnrolmentStatus.LOST, date(2026, 3, 20))
    assert actions.do_refresh_schedules(None, date(2026, 3, 20)) == 1
    assert not NextDose.objects.exists() and VaccinationCard.objects.get(resident=baby).refresh_on is None
    assert actions.do_refresh_schedules(None, date(2026, 3, 21)) == 0
