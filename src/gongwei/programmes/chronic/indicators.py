"""Programme indicators of hypertension and diabetes management (NORMS §5.3).

Each is computed per village with set-based queries (ARCHITECTURE.md idea 3) and rolled up
the tree by adding numerators and denominators, never by averaging rates.

- 管理人数 (managed): patients under management at any time in the period: enrolled on or
  before its end and not closed before its start.
- 规范管理率: managed patients with the required face-to-face follow-ups in the period ÷
  managed. Required = 4 a year (NORMS §5.3, ChronicConfig.standard_min_followups), pro-rated
  for shorter periods (1 a quarter, 2 a half-year; a month needs 1 only if one was due,
  which we approximate as 1 — local decision), plus the annual health check when the period
  is a whole year.
- 血压控制率 / 血糖控制率: managed patients whose last follow-up in the period was classed
  控制满意 ÷ managed.
- 管理率: managed ÷ estimated patients = residents aged 35+ on the register × prevalence set by
  the county (PrevalenceSetting).
"""

import math
from dataclasses import dataclass, field
from datetime import date

from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import FirstValue, RowNumber

from gongwei.care.indicators import PERCENT, IndicatorDef, cached, declare
from gongwei.care.models import Enrolment, Visit
from gongwei.care.periods import Period
from gongwei.orgs.access import prefix_filter
from gongwei.people.models import Resident, Status

from .models import PrevalenceSetting
from .rules import DEFAULT


@dataclass
class Counts:
    managed: int = 0
    standard: int = 0
    controlled: int = 0
    population_35: int = 0
    estimated: float = 0.0
    units: list = field(default_factory=list)

    def add(self, other: "Counts") -> None:
        self.managed += other.managed
        self.standard += other.standard
        self.controlled += other.controlled
        self.population_35 += other.population_35
        self.estimated += other.estimated

    @staticmethod
    def rate(numerator, denominator):
        return None if not denominator else round(100 * numerator / denominator, 1)

    @property
    def standard_rate(self):
        return self.rate(self.standard, self.managed)

    @property
    def control_rate(self):
        return self.rate(self.controlled, self.managed)

    @property
    def management_rate(self):
        return self.rate(self.managed, self.estimated)


def required_followups(period: Period) -> int:
    return max(1, math.ceil(DEFAULT.standard_min_followups * period.months / 12))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def managed_enrolments(programme: str, period: Period, under: str = ""):
    return Enrolment.objects.filter(
        prefix_filter("village_id", under), programme=programme, enrolled_on__lte=period.end,
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))


def _visits(period: Period, programme: str | None, **filters):
    """The period's visits (of ``programme`` when given: a visit carries its enrolment's
    programme, care.actions.do_record_visit), to be semi-joined to the managed enrolments."""
    visits = Visit.objects.filter(date__gte=period.start, date__lte=period.end, **filters)
    return visits.filter(programme=programme) if programme else visits


# The numerators are set-based where the database is faster so (measured at 500,000
# residents, see programmes/chronic/bench.py): PostgreSQL took seconds for the correlated
# subquery per enrolment these replace.

def standard_enrolments(managed, period: Period, programme: str | None = None):
    """Managed enrolments with the required face-to-face follow-ups (and, for a whole year,
    the annual check) in the period: one GROUP BY over the period's visits, semi-joined."""
    per_enrolment = _visits(period, programme).values("enrolment_id").annotate(
        f2f=Count("id", filter=Q(kind="followup", face_to_face=True)),
        exams=Count("id", filter=Q(kind="annual_exam")),
    ).filter(f2f__gte=required_followups(period))
    if period.months == 12:
        per_enrolment = per_enrolment.filter(exams__gte=1)
    return managed.filter(pk__in=per_enrolment.values("enrolment_id"))


def controlled_enrolments(managed, period: Period, programme: str | None = None):
    """Managed enrolments whose last follow-up in the period (by date, then id) was 控制满意.

    PostgreSQL: one window over the period's follow-ups, semi-joined (about twice as fast as the
    correlated form). SQLite: the correlated subquery per enrolment, which it answers from
    the (enrolment, date) index 4× faster than it sorts for the window. Same rows either way.
    """
    if connections[managed.db].vendor == "postgresql":
        latest_first = {"partition_by": [F("enrolment_id")], "order_by": [F("date").desc(), F("id").desc()]}
        # Both conditions refer to windows, so both filter the windowed rows (not the
        # visits): one row per enrolment, its last follow-up, kept when it was controlled.
        last = _visits(period, programme, kind="followup").annotate(
            n=Window(RowNumber(), **latest_first),
            last_class=Window(FirstValue("classification"), **latest_first),
        ).filter(n=1, last_class="1")
        return managed.filter(pk__in=last.values("enrolment_id"))
    last_class = (_visits(period, None, kind="followup").filter(enrolment=OuterRef("pk"))
                  .order_by("-date", "-id").values("classification")[:1])
    return managed.annotate(last=Subquery(last_class)).filter(last="1")


def adults_35(period: Period, under: str = ""):
    return Resident.objects.filter(prefix_filter("village_id", under),
                                   birth_date__lte=_years_before(period.end, 35),
                                   record_created__lte=period.end).filter(
        Q(status=Status.ACTIVE) | Q(status_date__gt=period.end))


def by_village(programme: str, period: Period, under: str = "") -> dict[str, Counts]:
    """Counts per village code under ``under`` (a code prefix; "" for everything)."""
    result: dict[str, Counts] = {}

    def put(qs, attr):
        for village, n in qs.values("village_id").annotate(n=Count("id")).values_list("village_id", "n"):
            setattr(result.setdefault(village, Counts()), attr, n)

    managed = managed_enrolments(programme, period, under)
    put(managed, "managed")
    put(standard_enrolments(managed, period, programme), "standard")
    put(controlled_enrolments(managed, period, programme), "controlled")
    put(adults_35(period, under), "population_35")
    prevalence = PrevalenceSetting.rate_for(programme, under or "")
    for counts in result.values():
        counts.estimated = counts.population_35 * prevalence
    return result


# --- Declarations for the indicator registry (care.indicators) ------------------------------

def _compute(programme, numerator, denominator):
    def compute(period, under=""):
        counts = cached(("chronic", programme, period, under), lambda: by_village(programme, period, under))
        return {v: (getattr(c, numerator), getattr(c, denominator)) for v, c in counts.items()}
    return compute


def _members(programme, which):
    """Residents behind a value: the denominator, each marked in or out of the numerator."""

    def members(period, under):
        managed = managed_enrolments(programme, period, under)
        if which == "management":
            people = adults_35(period, under)
            hits = managed.values("resident_id")
        else:
            people = Resident.objects.filter(pk__in=managed.values("resident_id"))
            hits = (standard_enrolments(managed, period, programme) if which == "standard"
                    else controlled_enrolments(managed, period, programme)).values("resident_id")
        return people.annotate(in_numerator=Exists(hits.filter(resident_id=OuterRef("pk"))))

    return members


def declare_all() -> None:
    names = {"htn": ("高血压", "hypertension", "血压"), "dm": ("2型糖尿病", "type 2 diabetes", "血糖")}
    for programme, (zh, en, measure) in names.items():
        declare(
            IndicatorDef(
                code=f"{programme}.standard", name_zh=f"{zh}患者规范管理率",
                name_en=f"Standardized management rate, {en}",
                numerator=f"统计期内按规范完成面对面随访（全年另含年度健康体检）的{zh}患者数",
                denominator=f"统计期内管理的{zh}患者数", unit=PERCENT, norm="NORMS §5.3",
                programme=programme, compute=_compute(programme, "standard", "managed"),
                members=_members(programme, "standard")),
            IndicatorDef(
                code=f"{programme}.control", name_zh=f"管理人群{measure}控制率",
                name_en=f"{'BP' if programme == 'htn' else 'Glucose'} control rate, {en}",
                numerator=f"统计期内最近一次随访{measure}控制满意的患者数",
                denominator=f"统计期内管理的{zh}患者数", unit=PERCENT, norm="NORMS §5.3",
                programme=programme, compute=_compute(programme, "controlled", "managed"),
                members=_members(programme, "control")),
            IndicatorDef(
                code=f"{programme}.management", name_zh=f"{zh}患者管理率",
                name_en=f"Management rate, {en}",
                numerator=f"统计期内管理的{zh}患者数",
                denominator="35岁及以上在册居民数 × 县设定患病率（估算患者数）", unit=PERCENT,
                norm="NORMS §5.3", programme=programme,
                compute=_compute(programme, "managed", "estimated"),
                members=_members(programme, "management")),
        )


def rollup(villages: dict[str, Counts], level: int) -> dict[str, Counts]:
    """Sum village counts to the units whose codes are ``level`` digits long (9 or 6)."""
    out: dict[str, Counts] = {}
    for code, counts in villages.items():
        out.setdefault(code[:level], Counts()).add(counts)
    return out
