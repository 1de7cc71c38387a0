"""Writes of the maternal programme: each one transaction with its audit event.

Visits go through care.actions.do_record_visit (which moves the enrolment's due date with the
programme's rule, programme.on_visit) with the form row written by ``save_detail``; the risk
grade of the visit, and the high-risk case it may open, in the same transaction.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import actions as care
from gongwei.care.actions import CareError
from gongwei.care.models import EnrolmentStatus
from gongwei.people import services as people
from gongwei.people.models import Resident, Status

from . import access, rules
from .models import (AntenatalCheck, Colour, Delivery, Disposal, HighRiskCase, InfectionScreening,
                     MaternalDeath, Outcome, PostpartumCheck, Pregnancy, ReviewStatus, RiskAssessment,
                     TestResult)
from .programme import CONFIG, MATERNAL, window_for

# A miscarriage or termination ends the management at once (decision: the postpartum home
# visit and the 42-day check are for deliveries).
TERMINATION_REASON = "妊娠终止（流产/引产）"
CLOSE_REASON = "产后42天检查结案"
# PMTCT result → risk condition (access.PMTCT_CONDITIONS).
SCREENING_CONDITIONS = (("hiv_result", "hiv"), ("syphilis_result", "syphilis"), ("hbsag_result", "viral_hepatitis"))


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _bmi(weight, height) -> Decimal | None:
    if not weight or not height:
        return None
    return Decimal(str(round(float(weight) / (float(height) / 100) ** 2, 1)))


# --- Risk ---------------------------------------------------------------------------------

def grade(conditions) -> dict:
    """Colour and flags of a list of condition codes (MCH-SUPPLEMENT [M1][M2], rules.assess_risk)."""
    full = rules.assess_risk(conditions)
    public = rules.assess_risk([c for c in conditions if c not in access.PMTCT_CONDITIONS])
    return {"colour": str(full.colour.value), "purple": public.purple,
            "pmtct_purple": full.purple and not public.purple, "needs_case": full.needs_case_management}


def _assess(request, pregnancy: Pregnancy, day: date, chosen, *, visit=None, bmi=None, note="",
            add=()) -> RiskAssessment:
    """A risk assessment: the conditions ticked + those derived from age (and BMI when measured)
    + those carried from the last assessment that nobody ticks by hand (PMTCT results, booking
    BMI) + ``add``."""
    latest = RiskAssessment.objects.filter(pregnancy=pregnancy).order_by("-date", "-id").first()
    carried = [c for c in (latest.conditions if latest else [])
               if c in access.PMTCT_CONDITIONS or (bmi is None and c in access.BMI_CONDITIONS)]
    derived = rules.conditions_from_measures(_age(pregnancy.resident.birth_date, day),
                                             float(bmi) if bmi is not None else None, CONFIG)
    manual = [c for c in chosen if c not in access.DERIVED_CONDITIONS]
    conditions = list(dict.fromkeys([*derived, *manual, *carried, *add]))
    g = grade(conditions)
    ra = RiskAssessment.objects.create(pregnancy=pregnancy, village_id=pregnancy.village_id, visit=visit,
                                       date=day, conditions=conditions, note=note,
                                       assessed_by=request.user, **g)
    if pregnancy.assessed_on is None or day >= pregnancy.assessed_on:
        Pregnancy.objects.filter(pk=pregnancy.pk).update(
            colour=g["colour"], purple=g["purple"], pmtct_purple=g["pmtct_purple"], assessed_on=day)
        pregnancy.colour, pregnancy.purple, pregnancy.pmtct_purple = g["colour"], g["purple"], g["pmtct_purple"]
        pregnancy.assessed_on = day
    if g["needs_case"]:
        _open_case(request, pregnancy, day, public=g["colour"] in (Colour.ORANGE, Colour.RED) or g["purple"])
    audit(request, Action.CREATE, obj=ra, resident_id=pregnancy.resident_id, detail={"colour": g["colour"]})
    return ra


def _open_case(request, pregnancy, day, public: bool) -> None:
    """发现一例、登记一例: the case is opened by the assessment that calls for it [M2]."""
    case = HighRiskCase.objects.filter(pregnancy=pregnancy).first()
    if case is None:
        case = HighRiskCase.objects.create(pregnancy=pregnancy, village_id=pregnancy.village_id, opened_on=day,
                                           pmtct_only=not public)
        audit(request, Action.CREATE, obj=case, resident_id=pregnancy.resident_id)
    elif public and case.pmtct_only and case.closed_on is None:
        HighRiskCase.objects.filter(pk=case.pk).update(pmtct_only=False)


@transaction.atomic
def do_assess_risk(request, pregnancy: Pregnancy, day: date, conditions, note: str = "") -> RiskAssessment:
    """A reassessment outside a visit, when her condition changes [M2 "dynamic"]."""
    _check_open(pregnancy)
    if day > timezone.localdate():
        raise CareError(_("The date is in the future."))
    if day < pregnancy.booked_on:
        raise CareError(_("The date is before the booking."))
    return _assess(request, pregnancy, day, conditions, note=note)


# --- The pregnancy and its visits ------------------------------------------------------------

def _check_open(pregnancy: Pregnancy) -> None:
    if pregnancy.enrolment.status != EnrolmentStatus.MANAGED:
        raise CareError(_("This pregnancy's management is closed."))


def _check_fields(check: dict) -> dict:
    """The AntenatalCheck columns of a cleaned form (other keys are the visit's facts)."""
    columns = {f.attname for f in AntenatalCheck._meta.concrete_fields}
    return {k: v for k, v in check.items() if k in columns}


def _facts(check: dict, classification: str) -> dict:
    return {"classification": classification, "referral": bool(check.get("referral")),
            "referral_reason": check.get("referral_reason", ""), "urgent": bool(check.get("urgent"))}


@transaction.atomic
def do_register_pregnancy(request, resident: Resident, booking: dict, check: dict, conditions=()) -> Pregnancy:
    """早孕建册: enrol the pregnancy and record its first antenatal check (NORMS §2.3).

    ``booking``: booked_on, lmp, ultrasound (rules.Ultrasound or None), gravida, para,
    handbook_number. ``check``: the AntenatalCheck form fields.
    """
    if resident.sex != "2":
        raise CareError(_("Only a woman can be registered as pregnant."))
    day = booking["booked_on"]
    try:
        ga = rules.gestational_age(booking.get("lmp"), day, booking.get("ultrasound"), CONFIG)
    except ValueError:
        raise CareError(_("The dating gives a gestational age outside the pregnancy.")) from None
    e = care.do_enrol(request, resident, MATERNAL, day, doctor=resident.doctor)
    us = booking.get("ultrasound")
    p = Pregnancy.objects.create(
        enrolment=e, resident=resident, village_id=resident.village_id, booked_on=day, lmp=booking.get("lmp"),
        ultrasound_date=us.scan_date if us else None, ultrasound_ga_days=us.ga_days if us else None,
        dating_basis=ga.basis, effective_lmp=ga.lmp, edd=ga.edd,
        early_booking=rules.is_early_booking(ga.lmp, day, CONFIG), gravida=booking["gravida"],
        para=booking["para"], handbook_number=booking.get("handbook_number", ""))
    p.enrolment = e
    audit(request, Action.CREATE, obj=p, resident_id=resident.pk, detail={"early_booking": p.early_booking})
    bmi = _bmi(check.get("weight_kg"), check.get("height_cm"))
    classification = check.get("classification") or "1"

    def save_detail(visit):
        AntenatalCheck.objects.create(visit=visit, pregnancy=p, village_id=p.village_id, ga_days=ga.days,
                                      window="anc1", **{**_check_fields(check), "bmi": bmi})

    visit, _result = care.do_record_visit(
        request, e, day, {**_facts(check, classification), "lmp": booking.get("lmp"), "ultrasound": us},
        kind="booking", institution=check.get("referral_institution", ""), save_detail=save_detail)
    _assess(request, p, day, conditions, visit=visit, bmi=bmi)
    return p


def _ga_days(pregnancy: Pregnancy, day: date) -> int:
    return (day - pregnancy.effective_lmp).days


@transaction.atomic
def do_record_antenatal(request, pregnancy: Pregnancy, day: date, check: dict, conditions=()):
    """第2～5次产前随访 (or any further antenatal check)."""
    _check_open(pregnancy)
    if hasattr(pregnancy, "delivery"):
        raise CareError(_("The delivery is recorded: record a postpartum visit instead."))
    if day < pregnancy.booked_on:
        raise CareError(_("The date is before the booking."))
    window = window_for(pregnancy.effective_lmp, day)
    classification = check.get("classification") or "1"

    def save_detail(visit):
        AntenatalCheck.objects.create(visit=visit, pregnancy=pregnancy, village_id=pregnancy.village_id,
                                      ga_days=_ga_days(pregnancy, day), window=window,
                                      **{**_check_fields(check), "height_cm": None, "bmi": None})

    visit, result = care.do_record_visit(
        request, pregnancy.enrolment, day, _facts(check, classification), kind="antenatal",
        institution=check.get("referral_institution", ""), save_detail=save_detail)
    _assess(request, pregnancy, day, conditions, visit=visit)
    return visit, result


@transaction.atomic
def do_record_delivery(request, pregnancy: Pregnancy, data: dict):
    """分娩记录 (from the delivery hospital's information): the schedule turns to the
    postpartum visit and the 42-day check; a miscarriage or termination closes the management."""
    _check_open(pregnancy)
    if hasattr(pregnancy, "delivery"):
        raise CareError(_("The delivery of this pregnancy is already recorded."))
    day = data["date"]
    last_check = (AntenatalCheck.objects.filter(pregnancy=pregnancy).order_by("-visit__date")
                  .values_list("visit__date", flat=True).first())
    if last_check and day < last_check:
        raise CareError(_("An antenatal check is recorded after this delivery date."))
    fields = {k: v for k, v in data.items() if k in {f.attname for f in Delivery._meta.concrete_fields}}

    def save_detail(visit):
        Delivery.objects.create(visit=visit, pregnancy=pregnancy, village_id=pregnancy.village_id,
                                ga_days=max(0, _ga_days(pregnancy, day)), **fields)

    visit, result = care.do_record_visit(
        request, pregnancy.enrolment, day, {"discharge_date": data.get("discharge_date")}, kind="delivery",
        face_to_face=False, save_detail=save_detail)
    if data["outcome"] == Outcome.MISCARRIAGE:
        care.do_close(request, pregnancy.enrolment, EnrolmentStatus.CLOSED, day, TERMINATION_REASON)
        _close_case(pregnancy, day, TERMINATION_REASON)
    return visit, result


@transaction.atomic
def do_record_postpartum(request, pregnancy: Pregnancy, kind: str, day: date, data: dict, conditions=()):
    """产后访视 or 产后42天健康检查; a 42-day check that closes the case (结案) ends the management."""
    _check_open(pregnancy)
    delivery = getattr(pregnancy, "delivery", None)
    if delivery is None:
        raise CareError(_("Record the delivery first."))
    if day < delivery.date:
        raise CareError(_("The visit date is before the delivery."))
    start = delivery.discharge_date or delivery.date
    refer = kind == "check42" and data.get("disposal") == Disposal.REFER
    data = {**data, "referral": bool(data.get("referral")) or refer}
    columns = {f.attname for f in PostpartumCheck._meta.concrete_fields}
    fields = {k: v for k, v in data.items() if k in columns}
    classification = data.get("classification") or "1"

    def save_detail(visit):
        PostpartumCheck.objects.create(visit=visit, pregnancy=pregnancy, village_id=pregnancy.village_id,
                                       kind=kind, days_after_discharge=max(0, (day - start).days), **fields)

    visit, result = care.do_record_visit(
        request, pregnancy.enrolment, day, _facts(data, classification), kind=kind,
        institution=data.get("referral_institution", ""), save_detail=save_detail)
    _assess(request, pregnancy, day, conditions, visit=visit)
    if kind == "check42" and data.get("disposal") == Disposal.CLOSE:
        pregnancy.enrolment.refresh_from_db()
        care.do_close(request, pregnancy.enrolment, EnrolmentStatus.CLOSED, day, CLOSE_REASON)
        _close_case(pregnancy, day, CLOSE_REASON)
    return visit, result


def _close_case(pregnancy, day, reason) -> None:
    HighRiskCase.objects.filter(pregnancy=pregnancy, closed_on__isnull=True).update(closed_on=day, close_reason=reason)


# --- High-risk case management, PMTCT --------------------------------------------------------

CASE_FIELDS = ("responsible", "case_plan", "referral_escort", "escort_by", "designated_hospital", "reported_on")


@transaction.atomic
def do_update_case(request, case: HighRiskCase, data: dict) -> HighRiskCase:
    if case.closed_on is not None:
        raise CareError(_("This case is closed."))
    changed = sorted(f for f in CASE_FIELDS if f in data and getattr(case, f) != data[f])
    for f in CASE_FIELDS:
        if f in data:
            setattr(case, f, data[f])
    case.save()
    audit(request, Action.UPDATE, obj=case, resident_id=case.pregnancy.resident_id, detail={"fields": changed})
    return case


@transaction.atomic
def do_record_screening(request, pregnancy: Pregnancy, data: dict) -> InfectionScreening:
    """PMTCT results; a positive one adds its purple condition to the risk grade [M2]."""
    if not access.sees_pmtct(request.user):
        raise CareError(_("Only MCH officers record PMTCT results."))
    s = InfectionScreening.objects.create(pregnancy=pregnancy, village_id=pregnancy.village_id,
                                          recorded_by=request.user, **data)
    # Only codes and the fact of a record in the audit: the results stay in the record itself.
    audit(request, Action.CREATE, object_type="pmtct", object_id=s.pk, resident_id=pregnancy.resident_id,
          record_unit=pregnancy.village_id)
    positive = [code for field, code in SCREENING_CONDITIONS if data.get(field) == TestResult.POSITIVE]
    if positive and pregnancy.enrolment.status == EnrolmentStatus.MANAGED:
        dates = [d for d in (data.get("hiv_date"), data.get("syphilis_date"), data.get("hbsag_date")) if d]
        day = max([*dates, pregnancy.booked_on])
        latest = RiskAssessment.objects.filter(pregnancy=pregnancy).order_by("-date", "-id").first()
        chosen = [c for c in (latest.conditions if latest else []) if c not in access.DERIVED_CONDITIONS]
        _assess(request, pregnancy, day, chosen, add=positive, note="PMTCT")
    return s


# --- Deaths ---------------------------------------------------------------------------------

def within_42_days(pregnancy: Pregnancy, day: date) -> tuple[bool, int | None]:
    """NORMS §5.5: during pregnancy or within 42 days of its end (the delivery record's date).

    Without a delivery record the death was during pregnancy."""
    delivery = getattr(pregnancy, "delivery", None)
    if delivery is None or day < delivery.date:
        return True, None
    days = (day - delivery.date).days
    return days <= 42, days


@transaction.atomic
def do_register_maternal_death(request, pregnancy: Pregnancy, day: date, cause: str,
                               accidental: bool = False) -> MaternalDeath:
    """孕产妇死亡: the death of the woman is registered too (people.services.do_register_death,
    which closes her enrolments); already registered, its date must agree."""
    if hasattr(pregnancy, "maternal_death"):
        raise CareError(_("This death is already registered."))
    if day < pregnancy.booked_on:
        raise CareError(_("The date of death is before the booking."))
    resident = Resident.objects.get(pk=pregnancy.resident_id)
    if resident.status == Status.DEAD:
        if resident.status_date != day:
            raise CareError(_("The resident's death is registered on %(date)s.") % {"date": resident.status_date})
    else:
        try:
            people.do_register_death(request, resident, day, cause)
        except people.ActionError as error:
            raise CareError(str(error)) from None
    counted, days = within_42_days(pregnancy, day)
    death = MaternalDeath.objects.create(
        pregnancy=pregnancy, resident=resident, village_id=pregnancy.village_id, date=day, cause=cause,
        within_42_days=counted, days_after_end=days, accidental=accidental, registered_by=request.user)
    _close_case(pregnancy, day, "死亡")
    audit(request, Action.CREATE, obj=death, resident_id=resident.pk, detail={"within_42_days": counted})
    return death


@transaction.atomic
def do_review_maternal_death(request, death: MaternalDeath, data: dict) -> MaternalDeath:
    """孕产妇死亡评审 by the county MCH officer: conclusion, avoidability, accidental or not."""
    if request.user.role not in access.REVIEW_ROLES and not request.user.is_superuser:
        raise CareError(_("Maternal deaths are reviewed by the county MCH officer."))
    MaternalDeath.objects.filter(pk=death.pk).update(
        review_status=ReviewStatus.REVIEWED, review_conclusion=data["review_conclusion"],
        avoidability=data.get("avoidability", ""), accidental=data.get("accidental", death.accidental),
        reviewed_by=request.user, reviewed_on=data.get("reviewed_on") or timezone.localdate())
    death.refresh_from_db()
    audit(request, Action.UPDATE, obj=death, resident_id=death.resident_id, detail={"review": True})
    return death
