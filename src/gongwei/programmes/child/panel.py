"""The child's section on the resident page (people.timeline.PANELS): schedule, checks, growth
charts, weak-child cases and a death report; and the timeline entries of deaths."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongwei.care.models import Enrolment, EnrolmentStatus
from gongwei.people import timeline

from . import chart, rules
from .models import ChildCheck, ChildDeath, WeakChildCase
from .programme import CHILD, SCHEDULE, _day


def next_visit_for(enrolment, done, today):
    state = enrolment.state or {}
    return rules.current_visit(enrolment.resident.birth_date, done, today, _day(state.get("discharge")), SCHEDULE)


def child_panel(resident, user):
    today = timezone.localdate()
    checks = list(ChildCheck.objects.for_user(user).filter(resident=resident).order_by("date", "visit_id"))
    enrolments = list(Enrolment.objects.for_user(user).filter(resident=resident, programme=CHILD)
                      .select_related("resident").order_by("-enrolled_on", "-id"))
    young = resident.birth_date <= today and not rules.aged_out(resident.birth_date, today, SCHEDULE)
    if not (checks or enrolments or young):
        return None
    managed = next((e for e in enrolments if e.status == EnrolmentStatus.MANAGED), None)
    done = [c.visit_code for c in checks]
    window = next_visit_for(managed, done, today) if managed else None
    charts = []
    if checks:
        weights = [(c.age_days, c.weight_kg, c.get_visit_code_display()) for c in checks if c.weight_kg is not None]
        lengths = [(c.age_days, c.length_height_cm, c.get_visit_code_display()) for c in checks
                   if c.length_height_cm is not None]
        if weights:
            charts.append(chart.growth_chart(resident.sex, "wfa", weights))
        if lengths:
            charts.append(chart.growth_chart(resident.sex, "lhfa", lengths))
    last = enrolments[0] if enrolments else None
    # Enrol again only a child who left (moved, lost) and still has checks ahead.
    can_enrol = (young and managed is None and (last is None or last.status in (EnrolmentStatus.TRANSFERRED,
                                                                                 EnrolmentStatus.LOST))
                 and rules.current_visit(resident.birth_date, done, today) is not None)
    return {
        "resident": resident, "young": young, "can_enrol": can_enrol, "active": resident.status == "active",
        "enrolment": managed or (enrolments[0] if enrolments else None), "managed": managed,
        "window": window, "status": window.status(today) if window else "",
        "checks": checks, "charts": charts,
        "cases": list(WeakChildCase.objects.for_user(user).filter(resident=resident).select_related("enrolment")),
        "death": ChildDeath.objects.for_user(user).filter(resident=resident).first(),
    }


def death_entries(resident, user):
    for d in ChildDeath.objects.for_user(user).filter(resident=resident):
        yield timeline.Entry(d.date, "child_death", _("Child death report"), d.cause, d.get_review_status_display())


def connect() -> None:
    timeline.PANELS.append(("child/_resident_panel.html", child_panel))
    timeline.SOURCES.append(death_entries)
