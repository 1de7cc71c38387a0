"""Immunization plugged into the care engine (NORMS §3).

One enrolment per child, created with its vaccination card (actions.do_issue_card). Its
stored ``next_due`` is the earliest date any dose the child needs can be given, and
``window_end`` the day before the first of them is overdue (rules.stored_schedule), so the
care engine's work list and the resident page show vaccinations like any other programme.

Doses are not care "visits": they are recorded by ``actions.do_record_dose``, which moves the
stored dates with the engine's version check (see its docstring for why not
``care.actions.do_record_visit``). The spec's ``on_visit`` is still the programme's schedule
rule, pure, for anyone who asks the engine what a set of doses means.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongwei.care import registry
from gongwei.care.registry import VisitResult

from . import rules
from .schedule import DEFAULT_SCHEDULE, GivenDose

PROGRAMME = "immunization"
SCHEDULE = DEFAULT_SCHEDULE
CONFIG = rules.DEFAULT


def given_doses(resident) -> list[GivenDose]:
    """The child's doses as the schedule reads them, in the order they were entered."""
    from .models import DoseRecord

    if resident.pk is None:
        return []
    return [GivenDose(v, n, d) for v, n, d in
            DoseRecord.objects.filter(resident_id=resident.pk).order_by("date", "id")
            .values_list("vaccine", "dose", "date")]


def stored_for(resident, given, today: date) -> rules.Stored:
    """What to store for ``resident`` after doses were entered on ``today`` (as of the next day)."""
    return rules.stored_schedule(resident.birth_date, resident.sex, given, today + timedelta(days=1), SCHEDULE)


def first_due(day: date, resident) -> tuple[date | None, date | None]:
    stored = stored_for(resident, given_doses(resident), max(day, timezone.localdate()))
    return stored.next_due, stored.window_end


def on_visit(enrolment, facts: dict) -> VisitResult:
    """facts: "given" (GivenDose list; read from the records when absent), "visit_date"."""
    resident = enrolment.resident
    given = facts.get("given")
    if given is None:
        given = given_doses(resident)
    stored = stored_for(resident, given, max(facts["visit_date"], timezone.localdate()))
    return VisitResult("", stored.next_due, stored.window_end, dict(enrolment.state or {}))


def register_all() -> None:
    registry.register(registry.ProgrammeSpec(
        code=PROGRAMME, name=_("Immunization"), min_age=0, first_due=first_due, on_visit=on_visit,
        visit_kinds=("dose",), visit_url_name="immunization:card"))
