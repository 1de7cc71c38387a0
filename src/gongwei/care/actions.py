"""Writes of the care engine: each one transaction with its audit event (STYLE: Zulip)."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.people.models import Resident, Status

from . import registry
from .models import Enrolment, EnrolmentStatus, Referral, Visit


class CareError(Exception):
    pass


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def do_enrol(request, resident: Resident, programme: str, day: date, doctor=None) -> Enrolment:
    spec = registry.get(programme)
    if resident.status != Status.ACTIVE:
        raise CareError(_("Only residents on the register can be enrolled."))
    if _age_on(resident.birth_date, day) < spec.min_age:
        raise CareError(_("This programme is for residents aged %(age)d and over.") % {"age": spec.min_age})
    if day > timezone.localdate():
        raise CareError(_("The enrolment date is in the future."))
    if Enrolment.objects.filter(resident=resident, programme=programme, status=EnrolmentStatus.MANAGED).exists():
        raise CareError(_("The resident is already managed in this programme."))
    due, window_end = spec.first_due(day, resident)
    enrolment = Enrolment.objects.create(
        resident=resident, programme=programme, village_id=resident.village_id,
        doctor=doctor or request.user, enrolled_on=day, next_due=due, window_end=window_end)
    audit(request, Action.CREATE, obj=enrolment, resident_id=resident.pk, detail={"programme": programme})
    return enrolment


@transaction.atomic
def do_record_visit(request, enrolment: Enrolment, day: date, facts: dict, *, kind: str = "followup",
                    face_to_face: bool = True, institution: str = "", save_detail=None) -> tuple[Visit, registry.VisitResult]:
    """Record a visit and move the enrolment's due date in the same transaction.

    ``save_detail(visit)`` writes the programme's own form row. The enrolment row is updated
    only if nobody else recorded a visit in between (version check), so two doctors on two
    PCs cannot both move the same due date.
    """
    if enrolment.status != EnrolmentStatus.MANAGED:
        raise CareError(_("This enrolment is closed."))
    if day > timezone.localdate():
        raise CareError(_("The visit date is in the future."))
    if day < enrolment.resident.birth_date or day < enrolment.enrolled_on:
        raise CareError(_("The visit date is before the enrolment."))
    spec = registry.get(enrolment.programme)
    result = spec.on_visit(enrolment, {**facts, "visit_date": day, "kind": kind})
    visit = Visit.objects.create(
        enrolment=enrolment, resident_id=enrolment.resident_id, programme=enrolment.programme,
        village_id=enrolment.village_id, date=day, kind=kind, face_to_face=face_to_face,
        classification=result.classification, next_due=result.next_due, doctor=request.user)
    if save_detail is not None:
        save_detail(visit)
    later_visit_exists = enrolment.last_visit_on and enrolment.last_visit_on > day
    if not later_visit_exists:
        # A visit entered late (before the last one) is kept but does not move the schedule.
        updated = Enrolment.objects.filter(pk=enrolment.pk, version=enrolment.version).update(
            next_due=result.next_due, window_end=result.window_end, last_visit_on=day,
            state=result.state, version=F("version") + 1)
        if not updated:
            raise CareError(_("Another visit was recorded for this patient at the same time. "
                              "Reload the work list and check before entering it again."))
        enrolment.next_due, enrolment.window_end, enrolment.last_visit_on = result.next_due, result.window_end, day
        enrolment.state, enrolment.version = result.state, enrolment.version + 1
    if result.referral is not None:
        Referral.objects.create(
            enrolment=enrolment, resident_id=enrolment.resident_id, visit=visit,
            village_id=enrolment.village_id, date=day, urgent=result.referral.urgent,
            reason=result.referral.reason, institution=institution or "",
            follow_up_by=result.referral.follow_up_by)
    audit(request, Action.CREATE, obj=visit, resident_id=enrolment.resident_id,
          detail={"programme": enrolment.programme, "classification": result.classification})
    return visit, result


@transaction.atomic
def do_record_referral_outcome(request, referral: Referral, outcome: str, day: date) -> None:
    if referral.outcome_date:
        raise CareError(_("The outcome of this referral is already recorded."))
    if day < referral.date:
        raise CareError(_("The outcome date is before the referral."))
    Referral.objects.filter(pk=referral.pk).update(outcome=outcome, outcome_date=day)
    audit(request, Action.UPDATE, obj=referral, resident_id=referral.resident_id, detail={"referral_outcome": True})


@transaction.atomic
def do_close(request, enrolment: Enrolment, status: str, day: date, reason: str = "") -> None:
    if status == EnrolmentStatus.MANAGED:
        raise CareError(_("Choose why the management ends."))
    if enrolment.status != EnrolmentStatus.MANAGED:
        raise CareError(_("This enrolment is closed."))
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=status, closed_on=day, close_reason=reason, next_due=None, window_end=None,
        version=F("version") + 1)
    audit(request, Action.STATUS, obj=enrolment, resident_id=enrolment.resident_id,
          detail={"programme": enrolment.programme, "status": status})
