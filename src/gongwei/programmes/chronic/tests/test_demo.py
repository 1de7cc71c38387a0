"""The chronic demo step: who is enrolled, and that its bulk-written history is exactly what
the engine would have written (replayed here through care.actions, visit by visit)."""

import random
from datetime import date

import pytest
from django.test import RequestFactory

from gongwei.care import actions, worklists
from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.orgs.demo import generate_county
from gongwei.orgs.models import User
from gongwei.people.demo import generate_residents
from gongwei.people.models import Resident, Status
from gongwei.programmes.chronic import demo
from gongwei.programmes.chronic.models import ChronicFollowUp

# Not later than the day the suite runs: the actions refuse dates in the future.
TODAY = date(2026, 11, 16)
RESIDENTS = 3_000


def _age(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@pytest.fixture
def county(db):
    rng = random.Random(11)
    county = generate_county(rng)
    generate_residents(rng, county, RESIDENTS, TODAY)
    summary = demo.generate_patients(random.Random(5), county, TODAY)
    return county, summary


def _fingerprint():
    enrolments = list(Enrolment.objects.order_by("resident_id", "programme").values_list(
        "resident_id", "programme", "village_id", "doctor_id", "enrolled_on", "next_due", "window_end",
        "last_visit_on", "state", "version"))
    visits = list(Visit.objects.order_by("enrolment__resident_id", "enrolment__programme", "date", "id")
                  .values_list("resident_id", "programme", "date", "kind", "face_to_face", "classification",
                               "next_due", "chronic__sbp", "chronic__dbp", "chronic__fpg",
                               "chronic__medicines"))
    referrals = list(Referral.objects.order_by("resident_id", "date", "id").values_list(
        "resident_id", "date", "urgent", "reason", "institution", "follow_up_by", "outcome", "outcome_date"))
    return enrolments, visits, referrals


def test_patients_are_residents_aged_35_and_over_in_the_expected_shares(county):
    _, summary = county
    enrolments = list(Enrolment.objects.select_related("resident"))
    assert len(enrolments) == summary.htn + summary.dm
    for e in enrolments:
        r = e.resident
        assert _age(r.birth_date, e.enrolled_on) >= 35
        assert r.status == Status.ACTIVE and e.status == EnrolmentStatus.MANAGED
        assert r.record_created <= e.enrolled_on <= TODAY
        assert e.village_id == r.village_id and e.doctor_id == r.doctor_id
    residents = Resident.objects.count()
    assert 0.09 < summary.htn / residents < 0.15    # about 12%
    assert 0.03 < summary.dm / residents < 0.07     # about 5%
    old = sum(1 for e in enrolments if _age(e.resident.birth_date, TODAY) >= 55)
    assert old / len(enrolments) > 0.6               # concentrated in older ages
    assert not Enrolment.objects.filter(enrolled_on__lt="2016-01-01").exists()
    assert Enrolment.objects.filter(enrolled_on__lt="2020-01-01").exists()


def test_a_year_of_follow_ups_with_realistic_adherence(county):
    _, summary = county
    followups = Visit.objects.filter(kind="followup")
    assert followups.count() == ChronicFollowUp.objects.count() == summary.followups
    assert not followups.filter(date__gt=TODAY).exists()
    assert not followups.filter(date__lt=date(2025, 11, 16)).exists()
    per_patient = summary.followups / (summary.htn + summary.dm)
    assert 3 < per_patient < 5.5                                  # about quarterly, plus rechecks
    uncontrolled = followups.exclude(classification="1").count() / followups.count()
    assert 0.25 < uncontrolled < 0.4                              # about a third
    exams = Visit.objects.filter(kind="annual_exam").values("enrolment").distinct().count()
    assert 0.6 < exams / (summary.htn + summary.dm) < 0.8
    assert followups.filter(face_to_face=False).exists()          # some by phone
    dm = ChronicFollowUp.objects.filter(visit__programme="dm")
    assert not dm.filter(fpg__isnull=True).exists()
    names = {m["name"] for medicines in dm.values_list("medicines", flat=True) for m in medicines}
    assert names and names <= {d[0] for d in demo.DM_DRUGS}
    htn = ChronicFollowUp.objects.filter(visit__programme="htn")
    assert {m["name"] for medicines in htn.values_list("medicines", flat=True) for m in medicines} >= {"氨氯地平片"}


def test_work_lists_have_overdue_and_due_patients_and_open_referrals(county):
    _, summary = county
    officer = User.objects.get(username="county")
    month = worklists.this_month(TODAY)
    due = list(worklists.due(officer, TODAY, month.end))
    overdue = list(worklists.overdue(officer, TODAY))
    referrals = list(worklists.open_referrals(officer))
    managed = summary.htn + summary.dm
    assert len(due) == summary.due_this_month > 0
    assert len(overdue) == summary.overdue
    assert 0.08 < len(overdue) / managed < 0.18
    assert len(referrals) == summary.open_referrals > 0
    assert Referral.objects.filter(outcome_date__isnull=False).exists()
    assert Referral.objects.filter(urgent=True).exists()
    # Rows the work list shows for a village doctor are theirs.
    doctor = User.objects.get(username="t01v01")
    for e in worklists.overdue(doctor, TODAY):
        assert e.village_id == doctor.unit_id


def _facts(detail: ChronicFollowUp) -> dict:
    return {name: getattr(detail, name) for name in (
        "sbp", "dbp", "fpg", "heart_rate", "adverse_reaction", "hard_to_control_adverse_reaction",
        "new_or_worse_complication", "emergency_signs", "pregnant_or_lactating", "referral_reason")}


def _request(user):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    request.user = user
    return request


def _sample(rng):
    referred = sorted(set(Referral.objects.values_list("enrolment_id", flat=True)))
    reopened = sorted(set(Referral.objects.filter(outcome_date__isnull=False).values_list("enrolment_id", flat=True)))
    examined = sorted(set(Visit.objects.filter(kind="annual_exam").values_list("enrolment_id", flat=True)))
    everyone = sorted(Enrolment.objects.values_list("id", flat=True))
    chosen = set(rng.sample(referred, 12) + rng.sample(reopened, 6) + rng.sample(examined, 6)
                 + rng.sample(everyone, 12))
    return sorted(chosen)


def test_replaying_the_history_through_the_engine_gives_the_stored_rows(county):
    """Re-enter a sample of generated histories with do_enrol / do_record_visit /
    do_record_referral_outcome, in date order, and compare every stored value."""
    seen = {"visits": 0, "referrals": 0, "outcomes": 0, "exams": 0}
    for pk in _sample(random.Random(3)):
        original = Enrolment.objects.select_related("resident", "doctor").get(pk=pk)
        visits = list(Visit.objects.filter(enrolment=original).order_by("date", "id")
                      .select_related("chronic"))
        referrals = {r.visit_id: r for r in Referral.objects.filter(enrolment=original)}
        # Make room for a second managed enrolment of the same resident and programme.
        Enrolment.objects.filter(pk=pk).update(status=EnrolmentStatus.CLOSED)
        request = _request(original.doctor)
        copy = actions.do_enrol(request, original.resident, original.programme, original.enrolled_on,
                                doctor=original.doctor)
        outcomes = []   # (date, original referral, replayed referral) still to record
        for v in visits:
            for entry in [o for o in outcomes if o[0] < v.date]:
                actions.do_record_referral_outcome(request, entry[2], entry[1].outcome, entry[0])
                outcomes.remove(entry)
            if v.kind == "followup":
                assert all(o[0] != v.date for o in outcomes), "an outcome on the day of a follow-up is ambiguous"
            copy = Enrolment.objects.select_related("resident").get(pk=copy.pk)
            if v.kind == "annual_exam":
                new, result = actions.do_record_visit(request, copy, v.date, {}, kind="annual_exam")
            else:
                d = v.chronic
                new, result = actions.do_record_visit(
                    request, copy, v.date, _facts(d), face_to_face=v.face_to_face,
                    institution=d.referral_institution)
            assert (new.classification, new.next_due, new.face_to_face, new.doctor_id) == \
                (v.classification, v.next_due, v.face_to_face, v.doctor_id), (pk, v.date)
            seen["visits"] += 1
            seen["exams"] += v.kind == "annual_exam"
            replayed = Referral.objects.filter(visit=new).first()
            stored = referrals.get(v.id)
            assert (replayed is None) == (stored is None), (pk, v.date)
            if stored is not None:
                assert (replayed.date, replayed.urgent, replayed.reason, replayed.institution,
                        replayed.follow_up_by) == (stored.date, stored.urgent, stored.reason,
                                                   stored.institution, stored.follow_up_by)
                seen["referrals"] += 1
                if stored.outcome_date:
                    seen["outcomes"] += 1
                    outcomes.append((stored.outcome_date, stored, replayed))
        for day, stored, replayed in outcomes:
            actions.do_record_referral_outcome(request, replayed, stored.outcome, day)
        copy.refresh_from_db()
        assert (copy.next_due, copy.window_end, copy.last_visit_on, copy.state, copy.version) == \
            (original.next_due, original.window_end, original.last_visit_on, original.state,
             original.version), pk
        assert Referral.objects.filter(enrolment=copy, outcome_date__isnull=True).count() == \
            Referral.objects.filter(enrolment=original, outcome_date__isnull=True).count()
        Enrolment.objects.filter(pk=copy.pk).update(status=EnrolmentStatus.CLOSED)
    assert seen["visits"] > 100 and seen["exams"] >= 6 and seen["referrals"] >= 12 and seen["outcomes"] >= 6, seen


def test_same_seed_gives_the_same_history(county):
    c, _ = county
    first = _fingerprint()
    Referral.objects.all().delete()
    ChronicFollowUp.objects.all().delete()
    Visit.objects.all().delete()
    Enrolment.objects.all().delete()
    demo.generate_patients(random.Random(5), c, TODAY)
    assert _fingerprint() == first


def test_the_generate_command_runs_the_programme_steps():
    from gongwei.web.management.commands.generate import STEPS

    assert STEPS[:2] == ["gongwei.orgs.demo", "gongwei.people.demo"]
    assert "gongwei.programmes.chronic.demo" in STEPS
