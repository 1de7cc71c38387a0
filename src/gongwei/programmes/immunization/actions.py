"""Writes of the immunization programme: each one transaction with its audit event.

Why doses do not go through ``care.actions.do_record_visit``
    That function fits a follow-up, where the latest visit decides the next one. A child's
    vaccination schedule is a function of *all* its doses, and two of its rules break that:
    it refuses a date before the enrolment, but the birth doses (HepB 1, BCG at the birth
    hospital) and a migrant child's doses from elsewhere always predate the card and are
    copied onto it afterwards; and it leaves the schedule alone when the visit is dated
    before the last one, whereas a dose copied from an older certificate changes what is due
    (and may change the validity and numbering of later doses). So ``do_record_dose`` is the
    programme's own action: it writes the dose, re-judges every dose of the child
    (``schedule.validate_given``), recomputes the stored schedule (``rules.stored_schedule``)
    and moves ``Enrolment.next_due`` / ``window_end`` with the engine's version check
    (``filter(pk, version).update(..., version + 1)``, refused when another dose was recorded
    meanwhile), all in one transaction, audited. No care Visit row is written: the doses are
    the record, and they appear on the resident's timeline through ``people.timeline.SOURCES``.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongwei.audit.log import record as audit
from gongwei.audit.models import Action
from gongwei.care import actions as care
from gongwei.care.models import Enrolment, EnrolmentStatus
from gongwei.orgs.access import prefix_filter
from gongwei.orgs.models import OrgUnit
from gongwei.people.models import Resident, Status

from . import programme, rules
from .models import AEFI, DoseRecord, NextDose, Route, VaccinationCard, Validity
from .programme import PROGRAMME, SCHEDULE
from .schedule import GivenDose, is_timely, validate_given


class ImmunizationError(care.CareError):
    pass


def max_dose(vaccine: str) -> int:
    """The most doses the series of ``vaccine`` has in any version of the schedule."""
    series = SCHEDULE.series_of(vaccine)
    if series is None:
        return 0
    return max(len(v.get(series).doses) for v in SCHEDULE.versions if v.get(series) is not None)


def default_route(vaccine: str) -> str:
    return SCHEDULE.vaccine(vaccine).route.lower()


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- The card ----------------------------------------------------------------------------------

@transaction.atomic
def do_issue_card(request, resident: Resident, day: date, clinic: OrgUnit, number: str = "") -> VaccinationCard:
    """建卡: the child's vaccination card, and its enrolment in the programme.

    A child whose card exists but whose management ended (moved away and back, closed by
    hand) gets the same card reopened, with its history.

    The card number is the one printed on the certificate when the clinic writes it, else the
    child's health record number (Decision: unique, already known, NORMS §6.3).
    """
    if resident.status != Status.ACTIVE:
        raise ImmunizationError(_("Only residents on the register can be given a card."))
    if day < resident.birth_date:
        raise ImmunizationError(_("The card date is before the date of birth."))
    if day > timezone.localdate():
        raise ImmunizationError(_("The card date is in the future."))
    if _age(resident.birth_date, day) >= programme.CONFIG.card_under_years:
        raise ImmunizationError(_("Vaccination cards are for children under %(age)d.")
                                % {"age": programme.CONFIG.card_under_years})
    if clinic.kind != OrgUnit.Kind.TOWNSHIP:
        raise ImmunizationError(_("Cards are issued by the vaccination clinic of a township health centre."))
    existing = VaccinationCard.objects.filter(resident=resident).select_related("enrolment").first()
    if existing is not None:
        if existing.enrolment.status == EnrolmentStatus.MANAGED:
            raise ImmunizationError(_("This child already has a vaccination card."))
        return _reopen(request, existing, resident, day)
    number = (number or "").strip() or resident.record_number
    if VaccinationCard.objects.filter(number=number).exists():
        raise ImmunizationError(_("Another child has the card number %(number)s.") % {"number": number})
    enrolment = care.do_enrol(request, resident, PROGRAMME, day, doctor=resident.doctor)
    card = VaccinationCard.objects.create(
        resident=resident, village_id=resident.village_id, enrolment=enrolment, number=number, date=day,
        clinic=clinic, issued_by=request.user,
        due_by=rules.card_due_date(resident.birth_date, resident.registration, resident.residence_since,
                                   programme.CONFIG, SCHEDULE),
        migrant=rules.is_migrant(resident.registration, resident.birth_date, resident.residence_since))
    store_schedule(card, enrolment, resident, _given(resident), timezone.localdate())
    audit(request, Action.CREATE, obj=card, resident_id=resident.pk,
          detail={"on_time": card.on_time, "migrant": card.migrant})
    return card


def _reopen(request, card: VaccinationCard, resident: Resident, day: date) -> VaccinationCard:
    """A child back on the register (or whose management was closed) keeps its card and
    history: a new enrolment, the card pointed at it, the schedule recomputed."""
    enrolment = care.do_enrol(request, resident, PROGRAMME, day, doctor=resident.doctor)
    VaccinationCard.objects.filter(pk=card.pk).update(enrolment=enrolment, village_id=resident.village_id)
    NextDose.objects.filter(card=card).delete()
    card.enrolment, card.village_id = enrolment, resident.village_id
    DoseRecord.objects.filter(resident=resident).update(village_id=resident.village_id)
    store_schedule(card, enrolment, resident, _given(resident), timezone.localdate())
    audit(request, Action.UPDATE, obj=card, resident_id=resident.pk, detail={"reopened": day.isoformat()})
    return card


# --- Doses -------------------------------------------------------------------------------------

def _given(resident) -> list[tuple[int, GivenDose]]:
    return [(pk, GivenDose(v, n, d)) for pk, v, n, d in
            DoseRecord.objects.filter(resident=resident).order_by("date", "id")
            .values_list("pk", "vaccine", "dose", "date")]


def judge(resident, doses: list[tuple[int, GivenDose]]) -> dict[int, dict]:
    """The stored verdict of every dose (``validate_given`` over all of them): pk → fields."""
    birth = resident.birth_date
    out = {}
    for (pk, g), c in zip(doses, validate_given(birth, [g for _pk, g in doses], schedule=SCHEDULE)):
        out[pk] = {
            "series": c.series or "", "counted_as": c.counted_as, "validity": c.status,
            "validity_reason": c.reason[:400],
            "timely": bool(c.valid and is_timely(c.series, c.counted_as, birth, g.date, schedule=SCHEDULE)),
        }
    return out


def _rejudge(resident, doses) -> dict[int, dict]:
    verdicts = judge(resident, doses)
    current = {row["pk"]: row for row in DoseRecord.objects.filter(pk__in=verdicts).values(
        "pk", "series", "counted_as", "validity", "validity_reason", "timely")}
    for pk, fields in verdicts.items():
        if any(current[pk][k] != v for k, v in fields.items()):
            DoseRecord.objects.filter(pk=pk).update(**fields)
    return verdicts


def store_schedule(card: VaccinationCard, enrolment: Enrolment, resident, doses, today: date,
                   last_dose: date | None = None) -> rules.Stored:
    """Store the child's next doses and move the enrolment's due dates (version checked)."""
    stored = programme.stored_for(resident, [g for _pk, g in doses], today)
    last = enrolment.last_visit_on
    if last_dose is not None and (last is None or last_dose > last):
        last = last_dose
    updated = Enrolment.objects.filter(pk=enrolment.pk, version=enrolment.version).update(
        next_due=stored.next_due, window_end=stored.window_end, last_visit_on=last, version=F("version") + 1)
    if not updated:
        raise ImmunizationError(_("Another dose was recorded for this child at the same time. "
                                  "Reload the card and check before entering it again."))
    enrolment.next_due, enrolment.window_end, enrolment.last_visit_on = stored.next_due, stored.window_end, last
    enrolment.version += 1
    write_next_doses(card, stored)
    return stored


def write_next_doses(card: VaccinationCard, stored: rules.Stored) -> None:
    NextDose.objects.filter(card=card).delete()
    NextDose.objects.bulk_create([NextDose(
        card=card, village_id=card.village_id, series=d.series, dose=d.dose, vaccine=d.vaccine,
        earliest=d.earliest, recommended=d.recommended, overdue_from=d.overdue_from,
        catch_up_from=d.catch_up_from, too_late_from=d.too_late_from) for d in stored.next_doses])
    VaccinationCard.objects.filter(pk=card.pk).update(refresh_on=stored.refresh_on)
    card.refresh_on = stored.refresh_on


DOSE_FIELDS = ("vaccine", "dose", "date", "batch", "manufacturer", "site", "route", "clinic", "vaccinator",
               "elsewhere")


@transaction.atomic
def do_record_dose(request, enrolment: Enrolment, data: dict) -> DoseRecord:
    """Record one dose on the child's card; returns it with its verdict.

    ``data``: the DOSE_FIELDS. A dose given too early is recorded and flagged invalid with
    the reason (NORMS §3.1/§3.2 via ``validate_given``): it must be repeated, and the due
    lists show the dose again.
    """
    if enrolment.programme != PROGRAMME:
        raise ImmunizationError(_("This is not a vaccination card."))
    if enrolment.status != EnrolmentStatus.MANAGED:
        raise ImmunizationError(_("This card is closed."))
    resident = enrolment.resident
    if resident.status != Status.ACTIVE:
        raise ImmunizationError(_("Only residents on the register can be vaccinated."))
    day = data["date"]
    if day < resident.birth_date:
        raise ImmunizationError(_("The date is before the date of birth."))
    if day > timezone.localdate():
        raise ImmunizationError(_("The date is in the future."))
    vaccine = data["vaccine"]
    if SCHEDULE.series_of(vaccine) is None:
        raise ImmunizationError(_("Unknown vaccine."))
    if not 1 <= data["dose"] <= max_dose(vaccine):
        raise ImmunizationError(_("This vaccine has %(n)d doses.") % {"n": max_dose(vaccine)})
    route = data.get("route") or default_route(vaccine)
    if (route == Route.ORAL) != (default_route(vaccine) == Route.ORAL):
        raise ImmunizationError(_("The route does not fit the vaccine."))
    if not (data.get("clinic") or (data.get("elsewhere") or "").strip()):
        raise ImmunizationError(_("Say where the dose was given."))
    card = VaccinationCard.objects.get(enrolment=enrolment)
    dose = DoseRecord.objects.create(
        resident=resident, village_id=resident.village_id, route=route, recorded_by=request.user,
        validity=Validity.NOT_COUNTED, age_days=(day - resident.birth_date).days,
        age_months=rules.age_months(resident.birth_date, day),
        **{f: data.get(f) or ("" if f in ("batch", "manufacturer", "site", "elsewhere") else None)
           for f in DOSE_FIELDS if f not in ("route",)})
    doses = _given(resident)
    verdicts = _rejudge(resident, doses)
    for field, value in verdicts[dose.pk].items():
        setattr(dose, field, value)
    store_schedule(card, enrolment, resident, doses, timezone.localdate(), last_dose=day)
    audit(request, Action.CREATE, obj=dose, resident_id=resident.pk,
          detail={"vaccine": vaccine, "dose": data["dose"], "validity": dose.validity})
    return dose


# --- Suspected adverse events ----------------------------------------------------------------

AEFI_FIELDS = ("onset_date", "symptoms", "severity", "hospitalised", "reported_on")


@transaction.atomic
def do_report_aefi(request, dose: DoseRecord, data: dict) -> AEFI:
    onset, reported = data["onset_date"], data["reported_on"]
    today = timezone.localdate()
    if onset < dose.date:
        raise ImmunizationError(_("The onset is before the dose was given."))
    if reported < onset:
        raise ImmunizationError(_("The report is dated before the onset."))
    if onset > today or reported > today:
        raise ImmunizationError(_("The date is in the future."))
    aefi = AEFI.objects.create(dose=dose, resident_id=dose.resident_id, village_id=dose.village_id,
                               reported_by=request.user, **{f: data[f] for f in AEFI_FIELDS})
    audit(request, Action.CREATE, obj=aefi, resident_id=dose.resident_id,
          detail={"vaccine": dose.vaccine, "severity": aefi.severity})
    return aefi


@transaction.atomic
def do_classify_aefi(request, aefi: AEFI, classification: str, outcome: str, note: str, day: date) -> None:
    """The county CDC's investigation: classification, outcome, note."""
    if day < aefi.reported_on:
        raise ImmunizationError(_("The classification is dated before the report."))
    if day > timezone.localdate():
        raise ImmunizationError(_("The date is in the future."))
    AEFI.objects.filter(pk=aefi.pk).update(classification=classification, outcome=outcome, note=note,
                                           classified_by=request.user, classified_on=day)
    aefi.classification, aefi.outcome, aefi.note = classification, outcome, note
    aefi.classified_by, aefi.classified_on = request.user, day
    audit(request, Action.UPDATE, obj=aefi, resident_id=aefi.resident_id,
          detail={"classification": classification, "outcome": outcome})


# --- Keeping the stored schedule current -------------------------------------------------------

def recompute(card: VaccinationCard, today: date) -> rules.Stored | None:
    """Recompute a card's stored schedule from its doses (inside a transaction).

    A closed management keeps no next doses. A child off the register (moved out of the
    county, lost to follow-up) whose management is still open keeps none either, and is looked
    at again the next day, in case the child is back.
    """
    enrolment = Enrolment.objects.select_related("resident").get(pk=card.enrolment_id)
    resident = enrolment.resident
    if enrolment.status != EnrolmentStatus.MANAGED or resident.status != Status.ACTIVE:
        NextDose.objects.filter(card=card).delete()
        again = today + timedelta(days=1) if enrolment.status == EnrolmentStatus.MANAGED else None
        VaccinationCard.objects.filter(pk=card.pk).update(refresh_on=again)
        return None
    doses = _given(resident)
    _rejudge(resident, doses)
    return store_schedule(card, enrolment, resident, doses, today)


@transaction.atomic
def do_refresh_schedules(request_or_user, today: date, under: str = "", everything: bool = False) -> int:
    """Recompute the cards whose stored dates expire by ``today`` (a dose past its catch-up
    age, a new schedule version: rules.Stored.refresh_on), and those of children who left the
    register or whose management was closed (their next doses go); or every card. Run daily
    (``gongwei immunization_refresh``): the due lists read the stored dates."""
    cards = VaccinationCard.objects.filter(prefix_filter("village_id", under))
    if not everything:
        gone = (~Q(enrolment__status=EnrolmentStatus.MANAGED) | ~Q(resident__status=Status.ACTIVE))
        left = NextDose.objects.filter(prefix_filter("village_id", under)).filter(
            card__in=VaccinationCard.objects.filter(gone)).values("card_id")
        cards = cards.filter(Q(refresh_on__lte=today) | Q(pk__in=left))
    count = 0
    for card in cards.order_by("pk").iterator():
        recompute(card, today)
        count += 1
    if count:
        audit(request_or_user, Action.UPDATE, object_type="immunization_schedule", record_unit=under,
              detail={"cards": count, "today": today.isoformat()})
    return count
