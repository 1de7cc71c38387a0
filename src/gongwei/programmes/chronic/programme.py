"""Hypertension and type 2 diabetes plugged into the care engine (NORMS §2.5, §2.6)."""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from gongwei.care import registry
from gongwei.care.registry import ReferralNeed, VisitResult

from . import rules

HTN, DM = "htn", "dm"
CONFIG = rules.DEFAULT
# NORMS §2.5/2.6: residents aged 35 and over.
MIN_AGE = 35


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def first_due(day: date, resident) -> tuple[date, date]:
    """A newly enrolled patient is first followed up after the routine interval (local)."""
    due = day + timedelta(days=CONFIG.routine_interval_days)
    return due, due + timedelta(days=CONFIG.routine_late_days)


def _facts(enrolment, facts: dict) -> rules.FollowUpFacts:
    def number(key):
        value = facts.get(key)
        return None if value in (None, "") else value

    return rules.FollowUpFacts(
        visit_date=facts["visit_date"], age=_age(enrolment.resident.birth_date, facts["visit_date"]),
        sbp=number("sbp"), dbp=number("dbp"),
        fpg=float(facts["fpg"]) if number("fpg") is not None else None,
        random_glucose=None,
        adverse_reaction=bool(facts.get("adverse_reaction")),
        hard_to_control_adverse_reaction=bool(facts.get("hard_to_control_adverse_reaction")),
        new_or_worse_complication=bool(facts.get("new_or_worse_complication")),
        emergency_signs=tuple(facts.get("emergency_signs") or ()),
        pregnant_or_lactating=bool(facts.get("pregnant_or_lactating")),
        heart_rate=number("heart_rate"),
    )


def _on_visit(classify):
    def on_visit(enrolment, facts: dict) -> VisitResult:
        if facts.get("kind") == "annual_exam":
            # The yearly health check counts toward 规范管理 but does not move the follow-up.
            return VisitResult("", enrolment.next_due, enrolment.window_end, dict(enrolment.state))
        previous = rules.PreviousState(
            consecutive_uncontrolled=int(enrolment.state.get("uncontrolled", 0)),
            open_referral=enrolment.pk is not None and enrolment.referrals.filter(outcome_date__isnull=True).exists())
        out = classify(_facts(enrolment, facts), previous, CONFIG)
        referral = None
        if out.action in (rules.Action.REFER, rules.Action.URGENT_REFER):
            referral = ReferralNeed(reason=facts.get("referral_reason") or "；".join(out.reasons),
                                    urgent=out.action == rules.Action.URGENT_REFER,
                                    follow_up_by=out.referral_followup_by or out.window_end)
        return VisitResult(out.visit_class.value, out.next_due, out.window_end,
                           {"uncontrolled": out.consecutive_uncontrolled}, referral, tuple(out.reasons))

    return on_visit


def register_all() -> None:
    registry.register(registry.ProgrammeSpec(
        code=HTN, name=_("Hypertension"), min_age=MIN_AGE, first_due=first_due,
        on_visit=_on_visit(rules.classify_hypertension), visit_kinds=("followup", "annual_exam"),
        visit_url_name="chronic:followup", classification_labels=rules.VISIT_CLASS_LABELS))
    registry.register(registry.ProgrammeSpec(
        code=DM, name=_("Type 2 diabetes"), min_age=MIN_AGE, first_due=first_due,
        on_visit=_on_visit(rules.classify_diabetes), visit_kinds=("followup", "annual_exam"),
        visit_url_name="chronic:followup", classification_labels=rules.VISIT_CLASS_LABELS))


def resident_links(resident, user):
    """The chronic-disease actions on a resident's page (people.timeline.PANELS)."""
    from gongwei.care.models import Enrolment, EnrolmentStatus

    if resident.status != "active":
        return None
    managed = Enrolment.objects.for_user(user).filter(resident=resident, programme__in=(HTN, DM),
                                                      status=EnrolmentStatus.MANAGED)
    return {"resident": resident, "managed": list(managed)}
