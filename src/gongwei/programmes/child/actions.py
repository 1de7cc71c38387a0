"""Writes of the child programme: each one transaction with its audit event.

Enrolments and visits go through the care engine (care.actions.do_enrol / do_record_visit /
do_close); these functions add the child's own rows and rules around them.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import actions as care
from gongwei.care.models import Enrolment, EnrolmentStatus
from gongwei.orgs.access import prefix_filter
from gongwei.people import services as people
from gongwei.people.models import Resident, Status

from . import programme, rules
from .models import ChildCheck, ChildDeath, WeakChildCase, WeakChildFollowUp
from .programme import CHILD, WEAK
from .schedule import age_in_months

# The form fields of ChildCheck written as typed (everything else is computed here).
CHECK_FIELDS = (
    "place", "discharge_date", "birth_weight_g", "birth_length_cm", "gestational_weeks", "delivery",
    "asphyxia", "birth_defect", "newborn_screening", "hearing_screening", "bcg_given", "hepb1_given",
    "jaundice", "cord", "temperature_c", "feeds_per_day", "weight_kg", "length_height_cm",
    "measured_lying", "head_circumference_cm", "oedema", "feeding", "vitamin_d", "outdoor_hours",
    "teeth", "caries", "warning_signs", "hb_g_l", "eye_result", "visual_acuity_left",
    "visual_acuity_right", "hearing_result", "rickets", "rickets_signs", "illness", "other_findings",
    "guidance", "refer", "referral_reason", "referral_institution", "note")
FOLLOWUP_FIELDS = ("weight_kg", "length_height_cm", "measured_lying", "oedema", "hb_g_l", "rickets",
                   "guidance", "referral_institution")
CLOSED_AFTER_SIX = "6岁健康检查完成，儿童健康管理结束"
CLOSED_AT_SEVEN = "满7岁，儿童健康管理结束"
CASE_CLOSED_NORMAL = "连续3次随访正常，结案"


class ChildError(care.CareError):
    pass


def _z(value):
    return None if value is None else Decimal(str(value))


def _open_referral(enrolment: Enrolment) -> bool:
    return enrolment.pk is not None and enrolment.referrals.filter(outcome_date__isnull=True).exists()


def _birth_facts(enrolment: Enrolment, data: dict) -> tuple:
    state = enrolment.state or {}
    bw = data.get("birth_weight_g") or state.get("birth_weight_g")
    ga = data.get("gestational_weeks") or state.get("gestational_weeks")
    discharge = data.get("discharge_date") or programme._day(state.get("discharge"))
    return bw, ga, discharge


# --- Enrolment -------------------------------------------------------------------------------

@transaction.atomic
def do_enrol_child(request, resident: Resident, day: date, *, discharge_date: date | None = None,
                   doctor=None) -> Enrolment:
    """Enrol a child 0–6 (NORMS §2.2). ``discharge_date`` moves the newborn visit's window.

    A child enrolled again (back from elsewhere) keeps the checks already recorded: the
    stored schedule starts at the first visit neither done nor missed.
    """
    if day < resident.birth_date:
        raise ChildError(_("The enrolment date is before the date of birth."))
    if rules.aged_out(resident.birth_date, day, programme.SCHEDULE):
        raise ChildError(_("Child health management is for children under 7."))
    if discharge_date is not None and not resident.birth_date <= discharge_date <= timezone.localdate():
        raise ChildError(_("The discharge date must lie between the birth and today."))
    done = rules.ordered_codes(done_codes(resident))
    nxt = rules.current_visit(resident.birth_date, done, day, discharge_date, programme.SCHEDULE)
    if nxt is None:
        raise ChildError(_("Every check of the programme is already recorded for this child."))
    enrolment = care.do_enrol(request, resident, CHILD, day, doctor=doctor)
    if discharge_date is not None or done:
        state = {"done": done} if done else {}
        if discharge_date is not None:
            state["discharge"] = discharge_date.isoformat()
        due, end = rules.stored_window(nxt)
        Enrolment.objects.filter(pk=enrolment.pk).update(state=state, next_due=due, window_end=end)
        enrolment.state, enrolment.next_due, enrolment.window_end = state, due, end
    return enrolment


# --- Checks ----------------------------------------------------------------------------------

def done_codes(resident: Resident) -> list[str]:
    return list(ChildCheck.objects.filter(resident=resident).values_list("visit_code", flat=True))


def check_window(enrolment: Enrolment, code: str, day: date, discharge: date | None):
    """The window of ``code``, or ChildError when ``day`` cannot be that visit."""
    birth = enrolment.resident.birth_date
    if rules.aged_out(birth, day, programme.SCHEDULE):
        raise ChildError(_("The child was 7 or older on that day."))
    window = rules.window_of(code, birth, discharge, programme.SCHEDULE)
    name = rules.VISIT_NAMES[code]
    if day < window.opens:
        raise ChildError(_("The %(visit)s can be done from %(date)s.") % {"visit": name, "date": window.opens})
    if day >= window.missed_from:
        raise ChildError(_("The window of the %(visit)s closed on %(date)s, when the next visit's window opened.")
                         % {"visit": name, "date": window.missed_from})
    return window


def _zscores(assessment) -> dict:
    z = assessment.z
    return {"waz": _z(z and z.waz), "lhaz": _z(z and z.lhaz), "whz": _z(z and z.whz), "bmiz": _z(z and z.bmiz)}


def check_values(resident_id, village_id, birth: date, day: date, code: str, window, data: dict,
                 assessment: rules.Assessment) -> dict:
    """The ChildCheck columns of one check (besides ``visit``), as do_record_check stores them."""
    return {
        "resident_id": resident_id, "village_id": village_id, "date": day, "visit_code": code,
        "age_days": (day - birth).days, "age_months": age_in_months(birth, day), "on_time": window.on_time(day),
        "window_last_day": window.overdue_from - rules.ONE_DAY,
        **{f: data[f] for f in CHECK_FIELDS if f in data and data[f] is not None},
        **_zscores(assessment), "findings": rules.findings_json(assessment.findings),
        "z_notes": list(assessment.z.notes) if assessment.z else [],
        "conditions": rules.conditions_json(assessment.conditions)}


def followup_values(resident_id, village_id, birth: date, day: date, data: dict,
                    assessment: rules.Assessment, result) -> dict:
    """The WeakChildFollowUp columns (besides ``visit`` and ``case``) of one follow-up."""
    return {
        "resident_id": resident_id, "village_id": village_id, "date": day,
        "age_months": age_in_months(birth, day),
        **{f: data[f] for f in FOLLOWUP_FIELDS if f in data and data[f] is not None},
        **_zscores(assessment), "findings": rules.findings_json(assessment.findings),
        "conditions": rules.conditions_json(assessment.conditions),
        "normal": result.classification == "1", "referral_reasons": list(result.state.get("referral_reasons", []))}


@transaction.atomic
def do_record_check(request, enrolment: Enrolment, day: date, data: dict):
    """Record one child check; returns (visit, result, weak case opened or None).

    ``data``: the ChildCheck form fields plus "visit_code". Computes the WHO z-scores and
    findings, moves the stored schedule (through the engine), opens an urgent referral for
    severe malnutrition, opens a weak-child case when the rules say so, and closes the
    enrolment when no visit is left (after the 6-year check).
    """
    if enrolment.programme != CHILD:
        raise ChildError(_("This is not a child health enrolment."))
    resident = enrolment.resident
    code = data["visit_code"]
    done = done_codes(resident)
    if code in done:
        raise ChildError(_("The %(visit)s is already recorded.") % {"visit": rules.VISIT_NAMES[code]})
    bw, ga, discharge = _birth_facts(enrolment, data)
    if discharge is not None and discharge < resident.birth_date:
        raise ChildError(_("The discharge date is before the date of birth."))
    window = check_window(enrolment, code, day, discharge)
    birth = resident.birth_date
    history = rules.birth_history_applies(birth, day)
    assessment = rules.assess(
        resident.sex, birth, day, weight_kg=data.get("weight_kg"), length_height_cm=data.get("length_height_cm"),
        measured_lying=data.get("measured_lying"), oedema=bool(data.get("oedema")), hb_g_l=data.get("hb_g_l"),
        rickets=bool(data.get("rickets")), birth_weight_g=bw if history else None,
        gestational_weeks=ga if history else None)
    facts = {**data, "done": done, "assessment": assessment, "open_referral": _open_referral(enrolment)}
    saved = {}

    def save_detail(visit):
        saved["check"] = ChildCheck.objects.create(
            visit=visit, **check_values(resident.pk, visit.village_id, birth, day, code, window, data, assessment))

    visit, result = care.do_record_visit(request, enrolment, day, facts, kind="check",
                                         face_to_face=True, institution=data.get("referral_institution") or "",
                                         save_detail=save_detail)
    if result.next_due is None and enrolment.last_visit_on == day:
        care.do_close(request, enrolment, EnrolmentStatus.CLOSED, day, CLOSED_AFTER_SIX)
    case = None
    open_case = WeakChildCase.objects.filter(resident=resident, enrolment__status=EnrolmentStatus.MANAGED).exists()
    had_birth_case = _had_birth_case(resident)
    if resident.status == Status.ACTIVE and rules.should_open_case(assessment.conditions, open_case, had_birth_case):
        case = do_open_weak_case(request, resident, day, assessment.conditions, saved["check"],
                                 data.get("weight_kg"))
    return visit, result, case


def _had_birth_case(resident) -> bool:
    for conditions in WeakChildCase.objects.filter(resident=resident).values_list("conditions", flat=True):
        if any(c.get("code") in rules.BIRTH_HISTORY for c in conditions or ()):
            return True
    return False


# --- The stored schedule moves on when a window is missed -------------------------------------

@transaction.atomic
def do_refresh_schedules(request_or_user, today: date, under: str = "") -> dict:
    """Move every child's stored schedule to today (NORMS §2.2 [S20]) and close at 7.

    The engine moves next_due only when a visit is recorded. A window that was not used is
    "missed when the next visit's window opens": this finds the enrolments whose window has
    ended (window_end < today: the overdue index) and stores the visit that is current now;
    children who turned 7 are closed on their 7th birthday (their weak-child cases too). Run daily (``gongwei
    child_refresh``); rows are updated only if nobody recorded a visit meanwhile.
    """
    cutoff = rules.last_birth_date_aged_out(today, programme.SCHEDULE)
    rows = (Enrolment.objects.filter(prefix_filter("village_id", under), programme=CHILD,
                                     status=EnrolmentStatus.MANAGED)
            .filter(Q(window_end__lt=today) | Q(next_due__isnull=True) | Q(resident__birth_date__lte=cutoff))
            .values_list("pk", "version", "state", "next_due", "window_end", "resident_id",
                         "resident__birth_date"))
    moved = closed = 0
    for pk, version, state, next_due, window_end, resident_id, birth in rows:
        same = Enrolment.objects.filter(pk=pk, version=version)
        if rules.aged_out(birth, today, programme.SCHEDULE):
            closed += same.update(status=EnrolmentStatus.CLOSED, closed_on=rules.end_of_programme(birth),
                                  close_reason=CLOSED_AT_SEVEN, next_due=None, window_end=None,
                                  version=F("version") + 1)
            continue
        state = state or {}
        # The records, not the state: a check entered late does not update the state.
        done = ChildCheck.objects.filter(resident_id=resident_id).values_list("visit_code", flat=True)
        nxt = rules.current_visit(birth, list(done), today, programme._day(state.get("discharge")),
                                  programme.SCHEDULE)
        due, end = rules.stored_window(nxt)
        if (due, end) != (next_due, window_end):
            moved += same.update(next_due=due, window_end=end, version=F("version") + 1)
    # Weak-child management ends at 7 too (MCH-SUPPLEMENT [M4]: children under 7).
    for pk, birth in (Enrolment.objects.filter(prefix_filter("village_id", under), programme=WEAK,
                                               status=EnrolmentStatus.MANAGED, resident__birth_date__lte=cutoff)
                      .values_list("pk", "resident__birth_date")):
        closed += Enrolment.objects.filter(pk=pk, status=EnrolmentStatus.MANAGED).update(
            status=EnrolmentStatus.CLOSED, closed_on=rules.end_of_programme(birth), close_reason=CLOSED_AT_SEVEN,
            next_due=None, window_end=None, version=F("version") + 1)
    counts = {"moved": moved, "closed": closed}
    if moved or closed:
        audit(request_or_user, Action.UPDATE, object_type="child_schedule", record_unit=under,
              detail={**counts, "today": today.isoformat()})
    return counts


# --- Weak children -----------------------------------------------------------------------------

@transaction.atomic
def do_open_weak_case(request, resident: Resident, day: date, conditions, source_check=None,
                      weight_kg=None) -> WeakChildCase:
    """Open 体弱儿专案管理 for the conditions found (MCH-SUPPLEMENT): an enrolment in
    "weak_child" whose first follow-up falls one interval later."""
    conditions = list(conditions)
    if not conditions:
        raise ChildError(_("A weak-child case needs at least one condition."))
    if rules.aged_out(resident.birth_date, day, programme.SCHEDULE):
        raise ChildError(_("Child health management is for children under 7."))
    if WeakChildCase.objects.filter(resident=resident, enrolment__status=EnrolmentStatus.MANAGED).exists():
        raise ChildError(_("The child already has an open weak-child case."))
    enrolment = care.do_enrol(request, resident, WEAK, day, doctor=resident.doctor)
    state = {"episode": [programme.episode_entry(day, conditions, weight_kg)]}
    Enrolment.objects.filter(pk=enrolment.pk).update(state=state)
    enrolment.state = state
    case = WeakChildCase.objects.create(
        enrolment=enrolment, resident=resident, village_id=resident.village_id, opened_on=day,
        source_check=source_check, conditions=rules.conditions_json(conditions),
        opening_weight_kg=weight_kg)
    audit(request, Action.CREATE, obj=case, resident_id=resident.pk,
          detail={"conditions": [c.code for c in conditions]})
    return case


@transaction.atomic
def do_record_weak_followup(request, enrolment: Enrolment, day: date, data: dict):
    """One follow-up of a weak child; closes the case after 3 normal follow-ups [M5]."""
    if enrolment.programme != WEAK:
        raise ChildError(_("This is not a weak-child enrolment."))
    case = WeakChildCase.objects.get(enrolment=enrolment)
    resident = enrolment.resident
    birth = resident.birth_date
    if rules.aged_out(birth, day, programme.SCHEDULE):
        raise ChildError(_("The child was 7 or older on that day."))
    if day < case.opened_on:
        raise ChildError(_("The follow-up is before the case was opened."))
    assessment = rules.assess(
        resident.sex, birth, day, weight_kg=data.get("weight_kg"), length_height_cm=data.get("length_height_cm"),
        measured_lying=data.get("measured_lying"), oedema=bool(data.get("oedema")), hb_g_l=data.get("hb_g_l"),
        rickets=bool(data.get("rickets")))
    facts = {**data, "assessment": assessment, "open_referral": _open_referral(enrolment)}
    # The engine calls the same pure rule; its advice is kept on the follow-up row too.
    advice = programme.weak_on_visit(enrolment, {**facts, "visit_date": day, "kind": "followup"})

    def save_detail(visit):
        WeakChildFollowUp.objects.create(visit=visit, case=case, **followup_values(
            resident.pk, visit.village_id, birth, day, data, assessment, advice))

    visit, result = care.do_record_visit(request, enrolment, day, facts, kind="followup",
                                         institution=data.get("referral_institution") or "",
                                         save_detail=save_detail)
    if enrolment.last_visit_on == day and result.next_due is None:
        reason = CASE_CLOSED_NORMAL if result.state.get("can_close") else CLOSED_AT_SEVEN
        care.do_close(request, enrolment, EnrolmentStatus.CLOSED, day, reason)
    return visit, result


# --- Deaths ------------------------------------------------------------------------------------

@transaction.atomic
def do_register_child_death(request, resident: Resident, day: date, cause: str, place: str) -> ChildDeath:
    """儿童死亡报告; also registers the death in the resident register (NORMS §2.1), which
    closes every enrolment. A death already in the register on the same day is completed."""
    if ChildDeath.objects.filter(resident=resident).exists():
        raise ChildError(_("This child's death is already reported."))
    if day < resident.birth_date:
        raise ChildError(_("The date of death is before the date of birth."))
    if rules.aged_out(resident.birth_date, day, programme.SCHEDULE):
        raise ChildError(_("The child death report is for children under 7; use the register's death form."))
    if resident.status == Status.DEAD:
        if resident.status_date != day:
            raise ChildError(_("The register has this death on %(date)s.") % {"date": resident.status_date})
    else:
        try:
            people.do_register_death(request, resident, day, cause)
        except people.ActionError as error:
            raise ChildError(str(error)) from error
    death = ChildDeath.objects.create(
        resident=resident, village_id=resident.village_id, date=day, age_days=(day - resident.birth_date).days,
        age_months=age_in_months(resident.birth_date, day), cause=cause, place=place,
        reported_by=request.user, reported_on=timezone.localdate())
    audit(request, Action.CREATE, obj=death, resident_id=resident.pk)
    return death


@transaction.atomic
def do_review_child_death(request, death: ChildDeath, conclusion: str, notes: str, day: date) -> None:
    """The county MCH's review (儿童死亡评审): conclusion and notes."""
    if day < death.date:
        raise ChildError(_("The review date is before the death."))
    if day > timezone.localdate():
        raise ChildError(_("The review date is in the future."))
    ChildDeath.objects.filter(pk=death.pk).update(
        review_status="reviewed", review_conclusion=conclusion, review_notes=notes,
        reviewed_by=request.user, reviewed_on=day)
    death.review_status, death.review_conclusion, death.review_notes = "reviewed", conclusion, notes
    death.reviewed_by, death.reviewed_on = request.user, day
    audit(request, Action.UPDATE, obj=death, resident_id=death.resident_id, detail={"review": conclusion})
