"""How the schedule (``schedule.py``) is stored, listed and counted. Pure Python, no Django.

``schedule.py`` answers questions about one child on one day. The programme needs three more
things, each a pure function here:

- Which date a child should have a vaccination card by (建证/建卡, NORMS §3.2, §5.2).
- What to store after each dose, so that due lists are index ranges over stored dates
  (ARCHITECTURE.md idea 2) instead of a Python pass over every child: the next dose of each
  series and the child-level ``next_due`` / ``window_end`` of the care engine.
- Birth-date ranges for the indicator cohorts ("children who turned 12 months in the period").

Choices where the norm is silent are marked "Decision:".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .schedule import (
    CATCH_UP,
    DEFAULT_SCHEDULE,
    DUE,
    NOT_YET,
    OVERDUE,
    TOO_LATE,
    DueDose,
    GivenDose,
    Schedule,
    Span,
    add_months,
    certificate_due_date,
    due_doses,
)

ONE_DAY = timedelta(days=1)
LOCAL = "1"         # people.models.Registration.LOCAL (户籍)


@dataclass(frozen=True)
class Config:
    """The programme's configurable defaults (NORMS: every threshold is data)."""

    # Migrant children (户籍在外地): a card once they have lived here this long. NORMS §3.2
    # gives no length: it says only that the certificate is issued within 1 month of birth by
    # the vaccination unit where the child lives [S85]. Decision: 3 months, the rule of the
    # national 预防接种工作规范 (children registered elsewhere living here ≥ 3 months get a card
    # and are managed as resident children); not in NORMS, so unconfirmed. Change it here.
    migrant_residence: Span = Span(months=3)
    # Cards are for children who may still be vaccinated: catch-up is for under-18s
    # (NORMS §3.2). The statistics count children 0–6 only (NORMS §1 row 3, §3.2 [S84]).
    card_under_years: int = 18
    statistics_under_years: int = 7
    # 全程接种率 (imm.full): children reaching this age in the period, with every dose recommended
    # at or before it given (valid) before it. Decision: 12 months, the age by which §3.2 has
    # the primary series complete (HepB 3, polio 3, DTaP 3, MMR 1, JE-L 1 "complete before
    # 12 months"); doses are those of ``schedule.doses_by_age`` (as ``fully_vaccinated``).
    full_age_months: int = 12


DEFAULT = Config()


# --- The card (建证 / 建卡) ---------------------------------------------------------------------

def is_migrant(registration: str, birth: date, residence_since: date | None) -> bool:
    """A child registered elsewhere who came to live here after birth.

    Decision: a child registered elsewhere but living here since birth (``residence_since`` empty
    or not after the birth) is a child of this place like any other: the certificate is due
    within 1 month of birth where the child lives (NORMS §3.2 [S85]).
    """
    return registration != LOCAL and residence_since is not None and residence_since > birth


def card_due_date(birth: date, registration: str, residence_since: date | None,
                  config: Config = DEFAULT, schedule: Schedule = DEFAULT_SCHEDULE) -> date:
    """The last day the child should have a card by.

    Children of this place: within 1 month of birth (NORMS §3.2 [S85]; ``certificate_due_date``,
    the day the child turns 1 month included). Migrant children: the day they have lived here
    ``config.migrant_residence`` (Decision: from then on they "should have one", like a
    newborn on the day it turns 1 month).
    """
    if is_migrant(registration, birth, residence_since):
        return config.migrant_residence.after(residence_since)
    return certificate_due_date(birth, schedule=schedule)


# --- What is stored after each dose ----------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    """What the programme stores for a child (see ``stored_schedule``)."""

    next_doses: tuple[DueDose, ...]   # the next dose of each series the child still needs
    next_due: date | None             # Enrolment.next_due: the earliest of their earliest dates
    window_end: date | None           # Enrolment.window_end: the day before the first is overdue
    refresh_on: date | None           # recompute on this day even if no dose is recorded


def stored_schedule(birth: date, sex: str | None, given: Sequence[GivenDose], as_of: date,
                    schedule: Schedule = DEFAULT_SCHEDULE) -> Stored:
    """The doses to store for lists, from ``schedule.due_doses(birth, given, as_of)``.

    Kept: the first dose not yet given of each series (one of each alternative pair), unless it
    is too late (past the catch-up age). Later doses of a series are left out: they cannot be
    given before that one, and their earliest dates are projections that change with time,
    whereas the next dose's dates depend only on the doses given. ``next_due`` = the smallest
    ``earliest``; ``window_end`` = the day before the smallest ``overdue_from`` (the care
    engine's "due by": overdue when window_end < today). Both equal the minimum over every open
    dose, because within a series the later doses' dates are never earlier.

    Callers pass ``as_of`` = the day after the doses were entered: the day's session is over,
    and from tomorrow a live vaccine given today holds the others 28 days (NORMS §3.2; on the
    day itself the same-day exception would show them as still due).

    ``refresh_on``: the stored dates stay right until a dose drops out (its ``too_late_from``)
    or another schedule version comes into force; the refresh command recomputes then.
    """
    if as_of < birth:
        as_of = birth
    first: dict[str, DueDose | None] = {}
    for d in due_doses(birth, given, as_of, sex=sex, schedule=schedule):
        first.setdefault(d.series, d if d.status != TOO_LATE else None)
    kept = tuple(d for d in first.values() if d is not None)
    later_versions = [v.effective_from for v in schedule.versions if v.effective_from > as_of]
    if not kept:
        return Stored((), None, None, min(later_versions, default=None))
    return Stored(
        next_doses=kept,
        next_due=min(d.earliest for d in kept),
        window_end=min(d.overdue_from for d in kept) - ONE_DAY,
        refresh_on=min([d.too_late_from for d in kept] + later_versions[:1]),
    )


def status_on(d, today: date) -> str:
    """The status of a stored next dose on ``today``, from its dates alone (as ``due_doses``).

    ``d`` has earliest, overdue_from, catch_up_from and too_late_from (a NextDose row or a
    DueDose).
    """
    if today >= d.too_late_from:
        return TOO_LATE
    if today < d.earliest:
        return NOT_YET
    if today < d.overdue_from:
        return DUE
    if today < d.catch_up_from:
        return OVERDUE
    return CATCH_UP


# --- Lists --------------------------------------------------------------------------------------

DUE_TAB, OVERDUE_TAB, CATCH_UP_TAB, ALL_TAB = "due", "overdue", "catch_up", "all"
TABS = (DUE_TAB, OVERDUE_TAB, CATCH_UP_TAB, ALL_TAB)


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - ONE_DAY


def in_tab(d, tab: str, today: date) -> bool:
    """Whether a stored next dose belongs to a list on ``today`` (the month of ``today``).

    due       can be given this month (earliest on or before the month's last day) and not
              yet overdue;
    overdue   past its recommended month, before the recommended completion age (NORMS §3.2);
    catch_up  past the completion age, before the catch-up limit (补种, NORMS §3.2);
    all       any of the three.
    The same conditions are written as queries in ``lists.py``.
    """
    if today >= d.too_late_from:
        return False
    due = d.earliest <= month_end(today) and d.overdue_from > today
    overdue = d.overdue_from <= today < d.catch_up_from
    catch_up = d.catch_up_from <= today
    return {DUE_TAB: due, OVERDUE_TAB: overdue, CATCH_UP_TAB: catch_up,
            ALL_TAB: due or overdue or catch_up}[tab]


# --- Cohorts of the indicators -------------------------------------------------------------------

def birth_range(months: int, start: date, end: date) -> tuple[date, date]:
    """Birth dates of the children who turn ``months`` months old between ``start`` and ``end``
    (both included), with NORMS §2.2 month ages (``add_months``, clamped to the month's end).

    ``add_months(b, n)`` never decreases as ``b`` grows, so the children form one range.
    """
    lo = add_months(start, -months)
    while add_months(lo - ONE_DAY, months) >= start:
        lo -= ONE_DAY
    while add_months(lo, months) < start:
        lo += ONE_DAY
    hi = add_months(end, -months)
    while add_months(hi + ONE_DAY, months) <= end:
        hi += ONE_DAY
    while add_months(hi, months) > end:
        hi -= ONE_DAY
    return lo, hi


def last_birth_aged(day: date, years: int = DEFAULT.statistics_under_years) -> date:
    """The latest birth date of a child who is ``years`` or older on ``day``."""
    return birth_range(12 * years, day, day)[1]


def age_months(birth: date, day: date) -> int:
    """Completed months of age on ``day`` (NORMS §2.2: N months from the day the child turns N)."""
    n = (day.year - birth.year) * 12 + day.month - birth.month
    while n > 0 and add_months(birth, n) > day:
        n -= 1
    return max(n, 0)
