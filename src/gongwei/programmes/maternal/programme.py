"""Pregnancy plugged into the care engine (NORMS §2.3): one enrolment per pregnancy.

The schedule rule is ``rules.next_maternal_due``: before delivery the antenatal windows by
gestational week from the (ultrasound-corrected) LMP, after it the postpartum home visit from
discharge and the 42-day check. The enrolment's ``state`` holds what the rule needs, written by
the visits themselves:

    {"lmp": "2026-01-01", "us": ["2026-03-05", 59] | None, "done": ["anc1", …],
     "delivery": "2026-10-05" | None, "discharge": "2026-10-08" | None, "next": "anc2" | None}

Visit kinds: "booking" (早孕建册 + first check, always counts as anc1), "antenatal" (counts for
the window it falls in; none in the gaps 13–15 and 25–27 weeks), "delivery", "postpartum_visit",
"check42".

Decisions where the norm is silent:
* A referral at any visit is followed up within 2 weeks (NORMS §2.3 for the first check and
  the mid-pregnancy checks; used for all).
* Past the last antenatal window with no delivery record, the woman is due for a delivery
  follow-up (分娩信息追访: find out whether and where she delivered) from 41+0 to 42+6 weeks,
  so she does not drop off every list (code "delivery").
* A 42-day check that refers her keeps the pregnancy open, due again when the referral is to be
  followed up; the next 42-day check that closes the case (结案) closes the enrolment.
"""

from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from gongwei.care import registry
from gongwei.care.registry import ReferralNeed, VisitResult

from . import rules

MATERNAL = "maternal"
CONFIG = rules.DEFAULT
# Decision: the register refuses a pregnancy of a girl under 10 (a wrong resident picked).
MIN_AGE = 10
REFERRAL_FOLLOW_UP_DAYS = 14          # NORMS §2.3: follow up the referral within 2 weeks
DELIVERY_FOLLOW_UP_FROM = 41 * 7      # 41+0 (local decision, see above)
DELIVERY_FOLLOW_UP_TO = 42 * 7 + 6    # 42+6

KINDS = ("booking", "antenatal", "delivery", "postpartum_visit", "check42")
ANTENATAL_KINDS = ("booking", "antenatal")

LABELS = {v.code: v.name_zh for v in CONFIG.antenatal_visits}
LABELS.update({"postpartum_visit": "产后访视", "check42": "产后42天健康检查", "delivery": "分娩信息追访"})
KIND_LABELS = {"booking": "早孕建册（第1次产前检查）", "antenatal": "产前随访", "delivery": "分娩记录",
               "postpartum_visit": "产后访视", "check42": "产后42天健康检查"}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def ultrasound_of(state: dict) -> rules.Ultrasound | None:
    us = state.get("us")
    return rules.Ultrasound(date.fromisoformat(us[0]), int(us[1])) if us else None


def effective_lmp(state: dict) -> date:
    lmp, _, _ = rules.dating(_day(state.get("lmp")), ultrasound_of(state), CONFIG)
    return lmp


def window_for(lmp: date, day: date) -> str:
    """The antenatal window ``day`` falls in, "" in a gap or outside them all."""
    for w in rules.antenatal_windows(lmp, config=CONFIG):
        if w.start <= day <= w.end:
            return w.code
    return ""


def first_due(day: date, resident) -> tuple[date, date]:
    """Enrolment and the first check are one act (actions.do_register_pregnancy): due at once,
    and moved by the booking visit recorded in the same transaction."""
    return day, day


def on_visit(enrolment, facts: dict) -> VisitResult:
    kind, day = facts["kind"], facts["visit_date"]
    if kind not in KINDS:
        raise ValueError(f"unknown maternal visit kind {kind!r}")
    state = dict(enrolment.state or {})
    done = list(state.get("done", []))
    if kind == "booking":
        us = facts.get("ultrasound")
        state["lmp"] = _iso(facts.get("lmp"))
        state["us"] = [us.scan_date.isoformat(), us.ga_days] if us else None
        done.append("anc1")
    elif kind == "antenatal":
        code = window_for(effective_lmp(state), day)
        if code:
            done.append(code)
    elif kind == "delivery":
        state["delivery"] = _iso(day)
        state["discharge"] = _iso(facts.get("discharge_date"))
    else:
        done.append(kind)
    state["done"] = sorted(set(done), key=lambda c: rules.MATERNAL_CODES.index(c))
    referral = None
    if facts.get("referral"):
        referral = ReferralNeed(reason=facts.get("referral_reason") or "", urgent=bool(facts.get("urgent")),
                                follow_up_by=day + timedelta(days=REFERRAL_FOLLOW_UP_DAYS))
    delivery = _day(state.get("delivery"))
    due = rules.next_maternal_due(_day(state.get("lmp")), state["done"], day, ultrasound=ultrasound_of(state),
                                  delivery_date=delivery, discharge_date=_day(state.get("discharge")),
                                  config=CONFIG)
    if due is not None:
        next_due, window_end, code = due.window.start, due.window.end, due.window.code
    elif delivery is None:
        lmp = effective_lmp(state)
        next_due = max(lmp + timedelta(days=DELIVERY_FOLLOW_UP_FROM), day + timedelta(days=1))
        window_end = max(lmp + timedelta(days=DELIVERY_FOLLOW_UP_TO), next_due)
        code = "delivery"
    elif kind == "check42" and referral is not None:
        next_due = window_end = referral.follow_up_by
        code = "check42"
    else:
        next_due = window_end = code = None
    state["next"] = code
    return VisitResult(facts.get("classification", ""), next_due, window_end, state, referral,
                       (LABELS[code],) if code else ())


def register_all() -> None:
    registry.register(registry.ProgrammeSpec(
        code=MATERNAL, name=_("Pregnancy and postpartum care"), min_age=MIN_AGE, first_due=first_due,
        on_visit=on_visit, visit_kinds=KINDS, visit_url_name="maternal:visit"))


def next_label(enrolment) -> str:
    code = (enrolment.state or {}).get("next")
    return LABELS.get(code, "") if code else ""


def resident_panel(resident, user):
    """The pregnancies on a woman's page (people.timeline.PANELS); nothing for men."""
    from . import access
    from .models import Pregnancy

    if resident.sex != "2":
        return None
    pregnancies = list(Pregnancy.objects.for_user(user).filter(resident=resident)
                       .select_related("enrolment", "high_risk_case").order_by("-booked_on"))
    managed = any(p.enrolment.status == "managed" for p in pregnancies)
    rows = [{"p": p, "purple": access.purple_for(p, user), "next": next_label(p.enrolment),
             "case": access.case_visible(getattr(p, "high_risk_case", None), user)}
            for p in pregnancies]
    access.note_purple_shown(user, pregnancies, "resident_page")
    can_register = resident.status == "active" and not managed
    if not rows and not can_register:
        return None
    return {"resident": resident, "rows": rows, "can_register": can_register,
            "pmtct": access.sees_pmtct(user)}
