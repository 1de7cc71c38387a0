"""The demo step writes what the actions would have written (checked against the rules)."""

import random
from datetime import date, timedelta

import pytest

from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.people.models import Resident
from gongwei.programmes.child import actions, demo, programme, rules
from gongwei.programmes.child.models import ChildCheck, ChildDeath, WeakChildCase, WeakChildFollowUp

TODAY = date(2026, 11, 23)


@pytest.fixture
def generated(county, make_resident, monkeypatch):
    rng = random.Random(3)
    for i in range(60):
        born = TODAY - timedelta(days=rng.randint(0, 7 * 365 + 30))
        village = county.v11 if i % 2 else county.v21
        make_resident(village, f"演示童{i}", birth_date=born, id_number=None, sex=rng.choice("12"),
                      doctor=county.user("doctor_v11" if i % 2 else "doctor_v21"))
    monkeypatch.setattr(demo, "CHILD_DEATH", 0.05)          # make sure some die in a small sample
    monkeypatch.setattr(demo, "INFANT_DEATH", 0.2)
    summary = demo.generate_children(random.Random(5), county.county.code, TODAY)
    return county, summary


def test_every_child_under_seven_is_enrolled_once(generated):
    county, summary = generated
    under_seven = Resident.objects.filter(birth_date__gt=rules.last_birth_date_aged_out(TODAY))
    enrolled = Enrolment.objects.filter(programme=programme.CHILD)
    assert sorted(enrolled.values_list("resident_id", flat=True)) == sorted(under_seven.values_list("pk", flat=True))
    assert summary.children == enrolled.count() and summary.checks == ChildCheck.objects.count() > 100


def test_stored_schedules_are_what_the_rules_say_today(generated):
    for e in Enrolment.objects.filter(programme=programme.CHILD, status=EnrolmentStatus.MANAGED).select_related("resident"):
        done = set(ChildCheck.objects.filter(resident=e.resident).values_list("visit_code", flat=True))
        assert e.state.get("done", []) == [code for code in rules.VISIT_NAMES if code in done]
        w = rules.current_visit(e.resident.birth_date, done, TODAY, programme._day(e.state.get("discharge")))
        assert (e.next_due, e.window_end) == rules.stored_window(w)
        assert e.version >= 1 + Visit.objects.filter(enrolment=e).count()
    # Nothing is left for the nightly refresh to move.
    assert actions.do_refresh_schedules(None, TODAY) == {"moved": 0, "closed": 0}


def test_checks_hold_the_z_scores_the_rules_compute(generated):
    for c in ChildCheck.objects.select_related("resident", "visit")[:300]:
        a = rules.assess(c.resident.sex, c.resident.birth_date, c.date, weight_kg=c.weight_kg,
                         length_height_cm=c.length_height_cm, measured_lying=c.measured_lying, hb_g_l=c.hb_g_l,
                         rickets=c.rickets)
        assert (c.waz, c.lhaz, c.whz) == tuple(actions._z(x) for x in (a.z.waz, a.z.lhaz, a.z.whz))
        assert c.findings == rules.findings_json(a.findings)
        window = rules.window_of(c.visit_code, c.resident.birth_date, c.visit.enrolment.state.get("discharge")
                                 and date.fromisoformat(c.visit.enrolment.state["discharge"]))
        assert c.window_last_day == window.overdue_from - timedelta(days=1) and c.on_time == window.on_time(c.date)
        assert window.opens <= c.date < window.missed_from and c.date <= TODAY


def test_visits_are_numbered_in_date_order(generated):
    dates = list(Visit.objects.filter(programme__in=(programme.CHILD, programme.WEAK)).order_by("pk").values_list("date", flat=True))
    assert dates == sorted(dates)
    for r in Referral.objects.filter(enrolment__programme__in=(programme.CHILD, programme.WEAK)):
        assert r.visit.date == r.date and r.visit.enrolment_id == r.enrolment_id


def test_weak_cases_follow_the_rules(generated):
    for case in WeakChildCase.objects.select_related("enrolment", "source_check"):
        assert case.enrolment.programme == programme.WEAK and case.source_check.date == case.opened_on
        followups = list(WeakChildFollowUp.objects.filter(case=case).order_by("date"))
        assert all(f.visit.enrolment_id == case.enrolment_id for f in followups)
        if case.enrolment.close_reason == actions.CASE_CLOSED_NORMAL:
            assert [f.normal for f in followups[-3:]] == [True, True, True]


def test_deaths_are_registered_and_end_the_managements(generated):
    deaths = list(ChildDeath.objects.select_related("resident"))
    assert deaths, "the raised death rates of the fixture should give some deaths"
    for d in deaths:
        assert d.resident.status == "dead" and d.resident.status_date == d.date
        assert d.age_days == (d.date - d.resident.birth_date).days
        for e in Enrolment.objects.filter(resident=d.resident):
            assert e.status in (EnrolmentStatus.DIED, EnrolmentStatus.CLOSED) and e.closed_on <= d.date
        assert not ChildCheck.objects.filter(resident=d.resident, date__gte=d.date).exists()


def test_the_sequences_continue_after_the_generated_ids(generated, rf_for, make_resident):
    county, _ = generated
    r = make_resident(county.v11, "后来童", birth_date=TODAY - timedelta(days=3), id_number=None)
    e = actions.do_enrol_child(rf_for(county.user("doctor_v11")), r, TODAY - timedelta(days=3))
    assert e.pk > Enrolment.objects.exclude(pk=e.pk).order_by("-pk").first().pk
