"""Who may do what with a report. Pure functions; the actions enforce them, views ask them
only to decide which buttons to show.

- A village's report is prepared and submitted by its village doctor, and reviewed
  (returned or approved) by the township's officers of the form's programme.
- A township's report is prepared and submitted by those officers, and accepted (or
  returned) by the county's officers of the programme.

Superusers get no part in this: a report is a statement of the unit responsible for it,
not something IT staff sign for.
"""

from gongwei.orgs.models import Role

from .forms_catalogue import TOWNSHIP, VILLAGE, FormDef, get_form
from .models import Status


def level_of(unit_code: str) -> str | None:
    return {12: VILLAGE, 9: TOWNSHIP}.get(len(unit_code))


def may_prepare(user, form: FormDef, unit_code: str) -> bool:
    if not user.is_authenticated or user.unit_id != unit_code:
        return False
    if level_of(unit_code) == VILLAGE:
        return user.role == Role.VILLAGE_DOCTOR
    return level_of(unit_code) == TOWNSHIP and user.role in form.township_roles


def may_review(user, report) -> bool:
    """Return or approve a village's report: its township's officers."""
    form = get_form(report.form)
    return (report.level == VILLAGE and user.is_authenticated and user.role in form.township_roles
            and user.unit_id == report.unit_id[:9])


def may_accept(user, report) -> bool:
    """Return or accept a township's report: the county's officers."""
    form = get_form(report.form)
    return (report.level == TOWNSHIP and user.is_authenticated and user.role in form.county_roles
            and user.unit_id == report.unit_id[:6])


def allowed(user, report) -> set[str]:
    """The actions ``user`` may take on ``report`` in its current state."""
    out = set()
    if report.editable and may_prepare(user, get_form(report.form), report.unit_id):
        out |= {"save", "fill", "submit"}
    if report.status == Status.SUBMITTED:
        if may_review(user, report):
            out |= {"return", "approve"}
        if may_accept(user, report):
            out |= {"return", "accept"}
    return out
