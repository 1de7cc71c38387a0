"""Programmes plug into the engine by registering a :class:`ProgrammeSpec`.

A programme lives in one folder under ``gongwei/programmes/`` (a Django app found by
``config.settings``) and registers itself in its ``AppConfig.ready``. The engine knows
nothing of blood pressure or gestational weeks; it asks the programme's schedule rule what a
visit means for the enrolment, and stores the answer.

Schedule shapes the rules produce, all as (next due, window end) pairs:
- periodic follow-ups (chronic diseases): due = last visit + interval depending on the
  classification; window end = the norm's deadline;
- windows by gestational week (pregnancy): due/window = the next check's week range,
  computed from the last menstrual period;
- visits by age (children): due = the day the child reaches month N, window end the day
  before month N+1 (NORMS §2.2);
- doses by age with minimum intervals (immunization): due = max(recommended age, previous
  dose + minimum interval).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ReferralNeed:
    reason: str
    urgent: bool
    follow_up_by: date


@dataclass(frozen=True)
class VisitResult:
    classification: str
    next_due: date | None
    window_end: date | None
    state: dict = field(default_factory=dict)
    referral: ReferralNeed | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    min_age: int
    # (enrolment date, resident) → (first due, window end)
    first_due: Callable[[date, object], tuple[date, date]]
    # (enrolment, visit facts) → VisitResult; pure, no writes
    on_visit: Callable[[object, dict], VisitResult]
    visit_kinds: tuple[str, ...] = ("followup",)
    # URL names (taking the enrolment's pk) of the programme's own visit form.
    visit_url_name: str = ""
    # How the resident's timeline names a visit's kind and classification code.
    kind_labels: dict = field(default_factory=dict)
    classification_labels: dict = field(default_factory=dict)
    indicators: tuple = ()


_REGISTRY: dict[str, ProgrammeSpec] = {}


def register(spec: ProgrammeSpec) -> None:
    _REGISTRY[spec.code] = spec


def get(code: str) -> ProgrammeSpec:
    return _REGISTRY[code]


def all_programmes() -> list[ProgrammeSpec]:
    return list(_REGISTRY.values())
