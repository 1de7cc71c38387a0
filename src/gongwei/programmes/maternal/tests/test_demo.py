"""The maternal demo step: how many, in which stage, which colours, the newborns — and that its
bulk-written rows are exactly what the actions would have written (replayed here through
them, event by event, on the same data)."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.test import RequestFactory

from gongwei.care import actions as care
from gongwei.care.models import Enrolment, Referral, Visit
from gongwei.orgs.demo import generate_county
from gongwei.orgs.models import Role, User
from gongwei.people.demo import generate_residents
from gongwei.people.models import Resident

from .. import access, actions, demo, rules
from ..models import (AntenatalCheck, Delivery, HighRiskCase, InfectionScreening, MaternalDeath, PostpartumCheck,
                      Pregnancy, RiskAssessment)

# Not later than the day the suite runs: the actions refuse dates in the future.
TODAY = date(2026, 11, 16)
RESIDENTS = 5_000


@pytest.fixture
def demo_county(db):
    rng = random.Random(11)
    county = generate_county(rng)
    generate_residents(rng, county, RESIDENTS, TODAY)
    summary = demo.generate(random.Random(5), county, TODAY)
    return county, summary


def test_about_nine_births_a_year_per_thousand_residents(demo_county):
    _, summary = demo_county
    last_year = Delivery.objects.filter(date__gt=TODAY - timedelta(days=365), date__lte=TODAY, outcome__in="12")
    births = sum(last_year.values_list("live_births", flat=True))
    # 5,000 residents × 9 ‰ = 45 expected; a Poisson count within ±3 standard deviations (±20).
    assert 25 <= births <= 65
    assert summary.live_births == sum(Delivery.objects.values_list("live_births", flat=True))


def test_pregnancies_are_in_every_stage_today(demo_county):
    open_ = Pregnancy.objects.filter(enrolment__status="managed").select_related("enrolment")
    stages = Counter()
    for p in open_:
        state = p.enrolment.state
        if state.get("delivery"):
            stages[state["next"]] += 1
        else:
            weeks = (TODAY - p.effective_lmp).days // 7
            stages["first" if weeks < 14 else "second" if weeks < 28 else "third"] += 1
    assert {"first", "second", "third", "postpartum_visit", "check42"} <= set(stages)
    assert Enrolment.objects.filter(programme="maternal", status="closed", close_reason=actions.CLOSE_REASON).exists()
    assert Enrolment.objects.filter(programme="maternal", status="closed", close_reason=actions.TERMINATION_REASON).exists()
    assert Pregnancy.objects.filter(early_booking=False).exists() and Pregnancy.objects.filter(dating_basis="ultrasound").exists()


def test_about_a_fifth_yellow_a_few_orange_or_red_and_a_purple_one_open(demo_county):
    open_ = list(Pregnancy.objects.filter(enrolment__status="managed"))
    colours = Counter(p.colour for p in open_)
    assert 0.10 <= colours["yellow"] / len(open_) <= 0.35
    assert colours["orange"] + colours["red"] >= 1
    assert colours["red"] >= 1 and any(p.purple or p.pmtct_purple for p in open_)
    assert HighRiskCase.objects.filter(closed_on__isnull=True, pregnancy__enrolment__status="managed").exists()
    assert HighRiskCase.objects.filter(responsible__isnull=False).exclude(case_plan="").exists()


def test_every_live_born_baby_is_a_resident_of_the_mothers_household(demo_county):
    _, summary = demo_county
    newborns = Resident.objects.filter(no_id_reason="新生儿")
    assert newborns.count() == summary.newborns == summary.live_births
    relations = {"02": {"20", "30"}, "12": {"20", "30"}, "38": {"41", "42"}, "30": {"43", "44"}}
    for d in Delivery.objects.filter(live_births__gt=0).select_related("pregnancy__resident"):
        mother = d.pregnancy.resident
        babies = list(newborns.filter(birth_date=d.date, household_id=mother.household_id, village_id=mother.village_id))
        assert len(babies) >= d.live_births
        for baby in babies:
            assert (baby.document_type, baby.id_number, baby.status) == ("12", None, "active")
            assert baby.relation_to_head in relations.get(mother.relation_to_head, {"97", "99"})
            assert baby.record_number.startswith(mother.village_id) and baby.record_created >= d.date
            assert baby.memberships.get().household_id == mother.household_id
    assert len(set(Resident.objects.values_list("record_number", flat=True))) == Resident.objects.count()


def test_a_maternal_death_registers_the_womans_death(demo_county):
    death = MaternalDeath.objects.select_related("resident", "pregnancy__enrolment").first()
    assert death is not None and death.counted
    assert (death.resident.status, death.resident.status_date) == ("dead", death.date)
    assert death.pregnancy.enrolment.status == "died"


# --- Replay through the actions ----------------------------------------------------------------

def _fingerprint():
    def rows(qs, *fields):
        return sorted(qs.values_list(*fields), key=repr)

    return {
        "enrolments": rows(Enrolment.objects.filter(programme="maternal"), "resident_id", "village_id", "doctor_id",
                           "enrolled_on", "status", "next_due", "window_end", "last_visit_on", "state", "closed_on",
                           "close_reason", "version"),
        "pregnancies": rows(Pregnancy.objects, "resident_id", "village_id", "booked_on", "lmp", "ultrasound_date",
                            "ultrasound_ga_days", "dating_basis", "effective_lmp", "edd", "early_booking", "gravida",
                            "para", "handbook_number", "colour", "purple", "pmtct_purple", "assessed_on"),
        "visits": rows(Visit.objects.filter(programme="maternal"), "resident_id", "village_id", "date", "kind",
                       "face_to_face", "classification", "next_due", "doctor_id"),
        "antenatal": rows(AntenatalCheck.objects, "pregnancy__resident_id", "visit__date", "ga_days", "window",
                          "weight_kg", "height_cm", "bmi", "sbp", "dbp", "haemoglobin", "classification", "referral",
                          "referral_institution", "next_visit_date"),
        "deliveries": rows(Delivery.objects, "pregnancy__resident_id", "date", "ga_days", "place", "mode", "outcome",
                           "live_births", "stillbirths", "discharge_date"),
        "postpartum": rows(PostpartumCheck.objects, "pregnancy__resident_id", "visit__date", "kind",
                           "days_after_discharge", "classification", "disposal", "referral"),
        "risks": sorted(((r.pregnancy.resident_id, r.date, r.visit.kind if r.visit else None, tuple(sorted(r.conditions)),
                          r.colour, r.purple, r.pmtct_purple, r.needs_case, r.assessed_by_id)
                         for r in RiskAssessment.objects.select_related("pregnancy", "visit")), key=repr),
        "cases": rows(HighRiskCase.objects, "pregnancy__resident_id", "village_id", "opened_on", "pmtct_only",
                      "responsible_id", "case_plan", "referral_escort", "escort_by", "designated_hospital",
                      "reported_on", "closed_on", "close_reason"),
        "screenings": rows(InfectionScreening.objects, "pregnancy__resident_id", "hiv_result", "syphilis_result",
                           "hbsag_result", "hbsag_date", "recorded_by_id"),
        "referrals": rows(Referral.objects.filter(enrolment__programme="maternal"), "resident_id", "date", "urgent",
                          "reason", "institution", "follow_up_by", "outcome", "outcome_date"),
        "deaths": rows(MaternalDeath.objects, "resident_id", "date", "cause", "within_42_days", "days_after_end",
                       "accidental", "review_status", "avoidability", "review_conclusion", "reviewed_by_id",
                       "reviewed_on", "registered_by_id"),
        "dead": rows(Resident.objects.filter(status="dead", maternal_deaths__isnull=False), "id", "status_date",
                     "death_cause", "version"),
    }


CHECK_FIELDS = ["weight_kg", "height_cm", "sbp", "dbp", "fundal_height_cm", "abdominal_circumference_cm",
                "fetal_position", "fetal_heart_rate", "haemoglobin", "urine_protein", "complaints", "classification",
                "abnormal_text", "guidance", "guidance_other", "referral", "referral_reason", "referral_institution",
                "next_visit_date"]
POSTPARTUM_FIELDS = ["temperature", "general", "mental", "sbp", "dbp", "breasts", "breasts_note", "lochia",
                     "lochia_note", "uterus", "uterus_note", "wound", "wound_note", "other", "classification",
                     "abnormal_text", "guidance", "guidance_other", "disposal", "referral", "referral_reason",
                     "referral_institution", "next_visit_date"]


def _chosen(visit_id):
    """The conditions a doctor ticked at that visit: not derived, not PMTCT (the action adds those)."""
    ra = RiskAssessment.objects.filter(visit_id=visit_id).first()
    return [c for c in (ra.conditions if ra else []) if c not in access.DERIVED_CONDITIONS | access.PMTCT_CONDITIONS]


def _events(p: Pregnancy) -> list:
    """Everything the demo wrote for ``p``, as (date, order, what, payload) in the order of the actions."""
    out = []
    for v in Visit.objects.filter(enrolment_id=p.enrolment_id).order_by("date", "id"):
        if v.kind in ("booking", "antenatal"):
            d = AntenatalCheck.objects.get(visit=v)
            out.append((v.date, 1, v.kind, (v, {f: getattr(d, f) for f in CHECK_FIELDS}, _chosen(v.pk))))
        elif v.kind == "delivery":
            d = Delivery.objects.get(visit=v)
            out.append((v.date, 1, "delivery", (v, {f: getattr(d, f) for f in (
                "date", "place", "institution", "mode", "outcome", "live_births", "stillbirths", "discharge_date")})))
        else:
            d = PostpartumCheck.objects.get(visit=v)
            out.append((v.date, 1, v.kind, (v, {f: getattr(d, f) for f in POSTPARTUM_FIELDS}, _chosen(v.pk))))
    for s in InfectionScreening.objects.filter(pregnancy=p):
        data = {f: getattr(s, f) for f in ("hiv_result", "hiv_date", "syphilis_result", "syphilis_date",
                                           "hbsag_result", "hbsag_date", "note")}
        out.append((s.hbsag_date, 0, "screening", (s.recorded_by, data)))
    for r in Referral.objects.filter(enrolment_id=p.enrolment_id, outcome_date__isnull=False):
        out.append((r.outcome_date, 2, "outcome", (r.date, r.reason, r.outcome)))
    case = HighRiskCase.objects.filter(pregnancy=p, responsible__isnull=False).first()
    if case is not None:
        out.append((case.opened_on, 3, "case", {f: getattr(case, f) for f in actions.CASE_FIELDS}))
    e = Enrolment.objects.get(pk=p.enrolment_id)
    if e.status == "lost":
        out.append((e.closed_on, 4, "lost", e.close_reason))
    death = MaternalDeath.objects.filter(pregnancy=p).first()
    if death is not None:
        out.append((death.date, 5, "death", death))
    return sorted(out, key=lambda x: (x[0], x[1]))


def _replay(p, events, users):
    rf = RequestFactory()

    def request(user):
        r = rf.post("/")
        r.user = user
        return r

    def fresh():
        return Pregnancy.objects.select_related("enrolment", "resident").get(resident_id=p.resident_id,
                                                                             booked_on=p.booked_on)

    for day, _order, what, payload in events:
        if what == "booking":
            v, check, chosen = payload
            us = rules.Ultrasound(p.ultrasound_date, p.ultrasound_ga_days) if p.ultrasound_date else None
            actions.do_register_pregnancy(request(users[v.doctor_id]), Resident.objects.get(pk=p.resident_id), {
                "booked_on": p.booked_on, "lmp": p.lmp, "ultrasound": us, "gravida": p.gravida, "para": p.para,
                "handbook_number": p.handbook_number}, check, chosen)
        elif what == "antenatal":
            v, check, chosen = payload
            actions.do_record_antenatal(request(users[v.doctor_id]), fresh(), day, check, chosen)
        elif what == "delivery":
            v, data = payload
            actions.do_record_delivery(request(users[v.doctor_id]), fresh(), data)
        elif what in ("postpartum_visit", "check42"):
            v, data, chosen = payload
            actions.do_record_postpartum(request(users[v.doctor_id]), fresh(), what, day, data, chosen)
        elif what == "screening":
            recorder, data = payload
            actions.do_record_screening(request(recorder), fresh(), data)
        elif what == "outcome":
            when, reason, outcome = payload
            ref = Referral.objects.get(enrolment_id=fresh().enrolment_id, date=when, reason=reason)
            care.do_record_referral_outcome(request(users[None]), ref, outcome, day)
        elif what == "case":
            actions.do_update_case(request(users["mch"]), HighRiskCase.objects.get(pregnancy=fresh()), payload)
        elif what == "lost":
            care.do_close(request(users[None]), fresh().enrolment, "lost", day, payload)
        elif what == "death":
            d = payload
            death = actions.do_register_maternal_death(request(users[d.registered_by_id]), fresh(), day, d.cause,
                                                       d.accidental)
            if d.review_status == "reviewed":
                actions.do_review_maternal_death(request(users[d.reviewed_by_id]), death, {
                    "review_conclusion": d.review_conclusion, "avoidability": d.avoidability,
                    "accidental": d.accidental, "reviewed_on": d.reviewed_on})


def test_the_demo_is_what_the_actions_would_have_written(demo_county):
    before = _fingerprint()
    pregnancies = list(Pregnancy.objects.order_by("booked_on", "id"))
    script = [(p, _events(p)) for p in pregnancies]
    users = {u.pk: u for u in User.objects.all()}
    users[None] = User.objects.filter(role=Role.COUNTY_MCH).first()
    users["mch"] = users[None]
    # Start again from the register as it was before the maternal step (the newborns stay).
    dead = list(MaternalDeath.objects.values_list("resident_id", flat=True))
    for model in (MaternalDeath, InfectionScreening, HighRiskCase, RiskAssessment, AntenatalCheck, Delivery,
                  PostpartumCheck):
        model.objects.all().delete()
    Referral.objects.filter(enrolment__programme="maternal").delete()
    Visit.objects.filter(programme="maternal").delete()
    enrolments = list(Pregnancy.objects.values_list("enrolment_id", flat=True))
    Pregnancy.objects.all().delete()
    Enrolment.objects.filter(pk__in=enrolments).delete()
    Resident.objects.filter(pk__in=dead).update(status="active", status_date=None, death_cause="", version=1)
    for p, events in script:
        _replay(p, events, users)
    after = _fingerprint()
    assert {key: len(rows) > 0 for key, rows in before.items()} == {key: True for key in before}
    for key in before:
        assert after[key] == before[key], key
