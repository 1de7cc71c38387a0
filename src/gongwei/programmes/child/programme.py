"""Children 0–6 and weak children plugged into the care engine (NORMS §2.2, MCH-SUPPLEMENT).

Two programmes:

- "child" (0～6岁儿童健康管理): one enrolment per child. Its schedule is the 13 visits of
  NORMS §2.2: ``next_due`` is the day the next visit falls due, ``window_end`` the last day
  before it is overdue (month N+1); schedule.visit_windows/next_visit decide which visit is
  next. ``state`` = {"done": [visit codes], "discharge": ISO date, "birth_weight_g",
  "gestational_weeks"}. After the 6-year check nothing is left: next_due None, and
  actions.do_record_check closes the enrolment.
- "weak_child" (体弱儿专案管理): one enrolment per episode (WeakChildCase). Follow-up every
  month under 3 years, every 3 months from 3 (schedule.followup_interval_months), referral by
  schedule.referral, closing after 3 normal follow-ups (schedule.can_close). ``state`` =
  {"episode": [{"on", "conditions", "weight"}], opening assessment first}.

The rules below are pure: they read the enrolment (birth date, state) and the visit facts,
and never write. Facts the caller prepares: "visit_code", "assessment" (rules.Assessment),
"done" (visit codes already recorded, from the records), "open_referral" (bool).
"""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from gongwei.care import registry
from gongwei.care.registry import ReferralNeed, VisitResult

from . import rules
from .schedule import (DEFAULT_SCHEDULE, DEFAULT_WEAK_CHILD, FollowUp,
                       age_in_months, can_close, is_normal, next_followup_due, referral)

CHILD, WEAK = "child", "weak_child"
SCHEDULE = DEFAULT_SCHEDULE
WEAK_CONFIG = DEFAULT_WEAK_CHILD


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


_ordered = rules.ordered_codes


# --- "child" ------------------------------------------------------------------------------

def child_first_due(day: date, resident) -> tuple[date | None, date | None]:
    """The first visit not yet missed on the enrolment day (NORMS §2.2); a child enrolled at
    3 years is due the 36-month check, the earlier ones are past."""
    return rules.stored_window(rules.current_visit(resident.birth_date, (), day, None, SCHEDULE))


def child_state(state: dict, facts: dict) -> dict:
    """The enrolment state after a check: done codes, and birth facts once known."""
    new = dict(state)
    done = facts.get("done")
    done = list(state.get("done", [])) if done is None else list(done)
    new["done"] = _ordered([*done, facts["visit_code"]])
    for key in ("discharge_date", "birth_weight_g", "gestational_weeks"):
        value = facts.get(key)
        if value not in (None, ""):
            name = "discharge" if key == "discharge_date" else key
            new[name] = value.isoformat() if isinstance(value, date) else value
    return new


def child_on_visit(enrolment, facts: dict) -> VisitResult:
    birth = enrolment.resident.birth_date
    day = facts["visit_date"]
    state = child_state(enrolment.state or {}, facts)
    nxt = rules.current_visit(birth, state["done"], day, _day(state.get("discharge")), SCHEDULE)
    next_due, window_end = rules.stored_window(nxt)
    assessment = facts.get("assessment")
    reasons = []
    if assessment is not None:
        reasons = [f.label for f in assessment.findings] + [c.label for c in assessment.conditions
                                                            if c.code not in ("overweight", "obesity")]
    if facts.get("warning_signs"):
        reasons.append("发育评估有预警征象")
    need = None
    if not facts.get("open_referral"):
        follow_up_by = day + timedelta(days=rules.REFERRAL_FOLLOW_UP_DAYS)
        if assessment is not None and rules.severe_malnutrition(assessment.conditions):
            # MCH-SUPPLEMENT [M5][M6]: severe malnutrition → refer at once to county level.
            need = ReferralNeed(reason=facts.get("referral_reason") or "重度营养不良：立即转诊至县级医疗机构",
                                urgent=True, follow_up_by=follow_up_by)
        elif facts.get("refer"):
            need = ReferralNeed(reason=facts.get("referral_reason") or "；".join(reasons) or "儿童健康检查异常",
                                urgent=False, follow_up_by=follow_up_by)
    classification = "2" if reasons else "1"
    return VisitResult(classification, next_due, window_end, state, need, tuple(reasons))


# --- "weak_child" -------------------------------------------------------------------------

def weak_window(due: date) -> tuple[date, date]:
    return due, due + timedelta(days=rules.WEAK_FOLLOWUP_LATE_DAYS)


def weak_first_due(day: date, resident) -> tuple[date, date]:
    """First follow-up one interval after the case is opened ([M5][M6], by age)."""
    return weak_window(next_followup_due(day, age_in_months(resident.birth_date, day), WEAK_CONFIG))


def episode(state: dict) -> list[FollowUp]:
    return [FollowUp(_day(f["on"]), rules.conditions_from_json(f.get("conditions")), f.get("weight"))
            for f in state.get("episode", [])]


def episode_entry(day: date, conditions, weight_kg) -> dict:
    return {"on": day.isoformat(), "conditions": rules.conditions_json(conditions),
            "weight": float(weight_kg) if weight_kg is not None else None}


def weak_on_visit(enrolment, facts: dict) -> VisitResult:
    birth = enrolment.resident.birth_date
    day = facts["visit_date"]
    assessment = facts["assessment"]
    state = dict(enrolment.state or {})
    entries = [*state.get("episode", []), episode_entry(day, assessment.conditions, facts.get("weight_kg"))]
    state["episode"] = entries
    ep = episode(state)
    normal = is_normal(assessment.conditions)
    closing = can_close(ep, WEAK_CONFIG)
    advice = referral(ep, WEAK_CONFIG)
    state["can_close"] = closing
    state["referral_reasons"] = list(advice.reasons)
    need = None
    if not facts.get("open_referral"):
        follow_up_by = day + timedelta(days=rules.REFERRAL_FOLLOW_UP_DAYS)
        if advice.refer:
            need = ReferralNeed("；".join(advice.reasons), advice.urgent, follow_up_by)
        elif facts.get("refer"):
            need = ReferralNeed(facts.get("referral_reason") or "体弱儿随访：医生建议转诊", False, follow_up_by)
    due = next_followup_due(day, age_in_months(birth, day), WEAK_CONFIG)
    if closing or rules.aged_out(birth, due, SCHEDULE):
        # Closed after 3 normal follow-ups [M5]; or the next one would fall after the 7th
        # birthday, when the child leaves the programme (Decision).
        next_due = window_end = None
    else:
        next_due, window_end = weak_window(due)
    reasons = tuple(c.label for c in assessment.conditions) + advice.reasons
    return VisitResult("1" if normal else "2", next_due, window_end, state, need, reasons)


def register_all() -> None:
    registry.register(registry.ProgrammeSpec(
        code=CHILD, name=_("Child health (0–6)"), min_age=0, first_due=child_first_due,
        on_visit=child_on_visit, visit_kinds=("check",), visit_url_name="child:check"))
    registry.register(registry.ProgrammeSpec(
        code=WEAK, name=_("Weak child management"), min_age=0, first_due=weak_first_due,
        on_visit=weak_on_visit, visit_kinds=("followup",), visit_url_name="child:weak_followup"))
