"""National immunization schedule for children (国家免疫规划疫苗儿童免疫程序) as data, and its rules.

Pure Python, no Django. Sources: NORMS §3 (the 2021 schedule [S30], DTaP changed on 2025-01-01
[S35], HPV from 2025-11-10 [S36]; §3.2 general rules of the 2021 说明), NORMS §2.2 (month-age
semantics [S20]) and NORMS §5.2 (immunization indicators). NORMS's design principle: every
schedule and threshold is data. Values the norm marks **(unconfirmed)** or **(local)** are
configurable defaults and say so; replace a row or field with ``dataclasses.replace`` and pass
your own ``Schedule``. Choices where the norm is silent are marked "Decision:".

Vocabulary
    product  ``Vaccine.code``, what is written on the certificate: HepB, BCG, IPV, bOPV, DTaP ...
    series   ``Series.code``, the doses that form one course: polio = IPV, IPV, bOPV, bOPV.
    dose     1-based number within the series, as on the 预防接种证 (脊灰第3剂 is bOPV).

Statuses of a dose in a due list (``due_doses``)
    not_yet   before its earliest valid date: minimum age, minimum interval after the previous
              dose, cross-series interval, live-vaccine rule.
    due       from the recommended age through the recommended month of age. NORMS §3.1: the
              table's age is the earliest age, "give it as soon as possible after reaching it";
              NORMS §2.2 [S20]: "N 月龄" runs from the day the child turns N months to the day
              before N+1 months, due from month N, overdue from month N+1. Decision: the same
              one-month window for ages the norm gives in years (6 周岁 → 72..72+1 months),
              because the immunization section gives no other rule.
    overdue   the recommended month has passed, the recommended completion age (NORMS §3.2
              推荐完成年龄, "these ages drive overdue and catch-up lists") not yet. Decision: a
              dose without its own row in that table takes the age of the next dose of its
              series that has one (HepB 2 with HepB 3 by 12 months; MPSV-A 1 with A 2 by 18).
    catch_up  past the recommended completion age: 补种 (NORMS §3.2: under-18s, as soon as
              possible, only the missing doses, never restart a series).
    too_late  past the upper age for catch-up: BCG from the 4th birthday (NORMS §3.1 [S81]),
              everything else from the 18th birthday (NORMS §3.2, unconfirmed).

Versions and the 2025 transition (NORMS §3.1, header "Which versions apply")
    NORMS gives three dated states: the 2021 schedule; from 2025-01-01 DTaP at 2, 4, 6, 18
    months and 6 years with DT "discontinued for new cohorts from 2025 (replaced by the 6-year
    DTaP)" [S35]; from 2025-11-10 bivalent HPV for girls aged 13 born on or after 2011-11-10
    [S36]. It says nothing else about the transition. Decisions:
    - The version in force on a day is chosen by that day, not by birth cohort: a due list on
      ``today`` uses the version in force on ``today`` for all remaining doses; a given dose is
      judged by the version in force on the day it was given. A birth-cohort reading would keep
      giving DT to children born in 2024 until 2030, against "DT 1 (until 2024)".
    - Doses already given stay valid and keep their number; the remaining doses follow the new
      ages (NORMS §3.2 catch-up: give only the missing doses, never restart). A child with
      DTaP at 3 and 4 months in 2024 gets dose 3 from 6 months (not 5) once it is 2025.
    - The 6-year DTaP (dose 5) is satisfied by a valid DT dose given before 2025-01-01 ("the
      6-year DT dose is replaced by DTaP"). A DT given from 2025-01-01 does not satisfy it.
    - The 2021 version also applies to days before its notice (dated 2021-02, day unconfirmed):
      the system does not hold the 2016 schedule.
    - HPV appears in due lists from 2025-11-10 only; for girls already 13 then, the due window
      opens on 2025-11-10. A dose given before that day (self-paid) is judged by the HPV rows
      and counts as dose 1 ("girls who already paid for dose 1 can get dose 2 free" [S36]).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

# --- Dates -------------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """The day a child born on ``d`` turns ``months`` months old (NORMS §2.2 month age).

    Decision (as in ``programmes.child.schedule``): a day that does not exist in the target
    month (born 31 January → "31 February") falls on that month's last day.
    """
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Span:
    """An age or an interval as the norm states it: years, months and/or days.

    ``after(d)`` adds the months first (month-age arithmetic), then the days. ``label`` is only
    for display (e.g. "出生24小时内") and takes no part in comparisons.
    """

    years: int = 0
    months: int = 0
    days: int = 0
    label: str | None = field(default=None, compare=False)

    def after(self, d: date) -> date:
        return add_months(d, self.total_months) + timedelta(days=self.days)

    def __add__(self, other: Span) -> Span:
        return Span(self.years + other.years, self.months + other.months, self.days + other.days)

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def age_zh(self) -> str:
        if self.label:
            return self.label
        if self == Span():
            return "出生时"
        parts = []
        if self.years:
            parts.append(f"{self.years}周岁")
        if self.months:
            parts.append(f"{self.months}个月" if self.years else f"{self.months}月龄")
        if self.days:
            parts.append(f"{self.days}天")
        return "".join(parts)

    def interval_zh(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years}年")
        if self.months:
            parts.append(f"{self.months}个月")
        if self.days:
            parts.append(f"{self.days}天")
        return "".join(parts) or "0天"


# --- The schedule as data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Vaccine:
    """A product (NORMS §3.1 "Vaccine (code)" and "Route")."""

    code: str
    name_zh: str
    name_en: str
    live: bool
    route: str               # "IM", "SC", "ID" (intradermal) or "oral"
    source: str

    @property
    def live_injectable(self) -> bool:
        """Subject to the ≥ 28-day rule between injectable live vaccines (NORMS §3.2)."""
        return self.live and self.route != "oral"


@dataclass(frozen=True)
class After:
    """A minimum interval after a dose of another series (MPSV-AC 1 ≥ 12 months after MPSV-A 2).

    Applies only when that dose was actually given (Decision: the norm does not say what to do
    when it is missing; the other series' own rules then apply alone).
    """

    series: str
    dose: int
    span: Span
    source: str


@dataclass(frozen=True)
class Equivalent:
    """A dose of another series that satisfies this dose (DT before 2025 for the 6-year DTaP)."""

    series: str
    dose: int
    given_before: date | None
    source: str


@dataclass(frozen=True)
class DoseRule:
    """One dose of a series.

    recommended_age  the table's age (NORMS §3.1)
    minimum_age      earliest valid age; NORMS §3.1: the table's age IS the earliest age, so it
                     equals recommended_age in the national data (a separate field so a county
                     can differ)
    min_interval     from the previous dose of the same series (None for dose 1)
    max_interval     recommended longest interval (JE-I 1→2 "7–10 days"): when the previous dose
                     was given, the dose is overdue the day after it (Decision)
    due_window       how long the dose is "due" before it is "overdue" (NORMS §2.2: one month)
    complete_by      推荐完成年龄 (NORMS §3.2, unconfirmed): catch-up from this age
    latest_age       upper age for catch-up: too late from this age
    accepted         products that count as this dose (empty: only ``vaccine``)
    counts_for_full  counted for 全程接种 (``fully_vaccinated``)
    test_required_from  catch-up from this age only after a negative PPD/TB-IGRA (BCG [S81])
    """

    dose: int
    vaccine: str
    recommended_age: Span
    minimum_age: Span
    min_interval: Span | None
    complete_by: Span
    latest_age: Span
    source: str
    accepted: tuple[str, ...] = ()
    max_interval: Span | None = None
    after: tuple[After, ...] = ()
    satisfied_by: tuple[Equivalent, ...] = ()
    due_window: Span = Span(months=1)
    counts_for_full: bool = True
    test_required_from: Span | None = None

    @property
    def products(self) -> tuple[str, ...]:
        return self.accepted or (self.vaccine,)


@dataclass(frozen=True)
class Series:
    code: str
    name_zh: str
    name_en: str
    doses: tuple[DoseRule, ...]
    source: str
    sex: str | None = None               # GB/T 2261.1 code; "2" = female
    born_from: date | None = None        # eligible birth cohort
    programme_start: date | None = None  # a newly added vaccine: due windows open no earlier

    def dose(self, n: int) -> DoseRule:
        if not 1 <= n <= len(self.doses):
            raise ValueError(f"{self.code} has {len(self.doses)} doses, not dose {n}")
        return self.doses[n - 1]

    def eligible(self, birth_date: date, sex: str | None) -> bool:
        if self.born_from is not None and birth_date < self.born_from:
            return False
        return self.sex is None or sex == self.sex


@dataclass(frozen=True)
class Alternative:
    """Series that replace one another (NORMS §3.1 "alternative"); the first is the default."""

    code: str
    name_zh: str
    series: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class ScheduleVersion:
    code: str
    effective_from: date
    series: tuple[Series, ...]
    source: str

    def get(self, code: str) -> Series | None:
        return next((s for s in self.series if s.code == code), None)


@dataclass(frozen=True)
class GeneralRules:
    # NORMS §3.2 simultaneous administration (unconfirmed): two injectable live vaccines not
    # given the same day ≥ 28 days apart; inactivated and oral live vaccines: no restriction.
    live_injectable_interval: Span = Span(days=28)
    # NORMS §3.2 statistics rule (local/CDC training) [S84]: catch-up doses of children ≥ 7 are
    # not counted in routine coverage.
    statistics_until: Span = Span(years=7)
    # NORMS §3.2 [S85]: the vaccination certificate is issued within 1 month of birth (建证).
    certificate_within: Span = Span(months=1)


@dataclass(frozen=True)
class Schedule:
    vaccines: tuple[Vaccine, ...]
    versions: tuple[ScheduleVersion, ...]        # ascending effective_from
    alternatives: tuple[Alternative, ...]
    rules: GeneralRules = GeneralRules()
    _vaccines: dict[str, Vaccine] = field(init=False, repr=False, compare=False)
    _product_series: dict[str, str] = field(init=False, repr=False, compare=False)
    _groups: dict[str, Alternative] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.versions:
            raise ValueError("a schedule needs a version")
        if list(self.versions) != sorted(self.versions, key=lambda v: v.effective_from):
            raise ValueError("versions must be in effective-date order")
        vaccines = {v.code: v for v in self.vaccines}
        product_series: dict[str, str] = {}
        for version in self.versions:
            for s in version.series:
                for i, rule in enumerate(s.doses, 1):
                    if rule.dose != i:
                        raise ValueError(f"{version.code} {s.code}: doses must be numbered 1..n")
                    for p in (rule.vaccine, *rule.products):
                        if p not in vaccines:
                            raise ValueError(f"{s.code} dose {i}: unknown product {p}")
                        if product_series.setdefault(p, s.code) != s.code:
                            raise ValueError(f"product {p} belongs to two series")
        groups: dict[str, Alternative] = {}
        for alt in self.alternatives:
            for code in alt.series:
                groups[code] = alt
        object.__setattr__(self, "_vaccines", vaccines)
        object.__setattr__(self, "_product_series", product_series)
        object.__setattr__(self, "_groups", groups)

    def vaccine(self, code: str) -> Vaccine:
        return self._vaccines[code]

    def is_live_injectable(self, product: str) -> bool:
        v = self._vaccines.get(product)
        return v is not None and v.live_injectable

    def series_of(self, product: str) -> str | None:
        """The series a product belongs to; None for products outside the programme."""
        return self._product_series.get(product)

    def version_on(self, d: date) -> ScheduleVersion:
        """The version in force on ``d``; the first version also covers days before it."""
        current = self.versions[0]
        for v in self.versions:
            if v.effective_from <= d:
                current = v
        return current

    def series_on(self, code: str, d: date) -> Series | None:
        """The series' rules in force on ``d``; for a series not in force that day, the rules
        of the nearest version that has it (a DT given in 2025, a self-paid HPV before
        2025-11-10). None when no version has it."""
        s = self.version_on(d).get(code)
        if s is not None:
            return s
        having = [v for v in self.versions if v.get(code) is not None]
        if not having:
            return None
        before = [v for v in having if v.effective_from <= d]
        return (before[-1] if before else having[0]).get(code)

    def alternative_of(self, series_code: str) -> Alternative | None:
        return self._groups.get(series_code)


# Shorthands for the tables below.
def _m(n: int) -> Span:
    return Span(months=n)


def _y(n: int) -> Span:
    return Span(years=n)


BIRTH = Span(label="出生时")
# NORMS §3.1 HepB "Birth (within 24 h)"; §3.2 "complete before 24 hours" (unconfirmed).
# Decision: without a birth time, "within 24 h" = the birth date or the next day.
WITHIN_24H = Span(days=2, label="出生24小时内")
D28 = Span(days=28)
# NORMS §3.2 catch-up applies to under-18s (unconfirmed): too late from the 18th birthday.
UNDER_18 = _y(18)
# Decision: where the norm gives no minimum interval between two doses of a series, 28 days —
# the interval the norm states for HepB 1→2, polio 1–3 and DTaP primaries [S79] and for two
# injectable live vaccines (§3.2). Rows using it are marked "28 d: Decision".
DEFAULT_INTERVAL = D28


def _dose(n: int, vaccine: str, age: Span, *, interval: Span | None, complete_by: Span,
          source: str, latest: Span = UNDER_18, min_age: Span | None = None, **kw) -> DoseRule:
    # NORMS §3.1: "'Age' is the earliest age for that dose" → minimum age = recommended age.
    return DoseRule(n, vaccine, age, age if min_age is None else min_age, interval, complete_by,
                    latest, source, **kw)


VACCINES: tuple[Vaccine, ...] = (
    Vaccine("HepB", "乙肝疫苗", "Hepatitis B vaccine", False, "IM", "NORMS §3.1"),
    Vaccine("BCG", "卡介苗", "BCG vaccine", True, "ID", "NORMS §3.1"),
    Vaccine("IPV", "脊灰灭活疫苗", "Inactivated poliovirus vaccine", False, "IM", "NORMS §3.1"),
    Vaccine("bOPV", "二价脊灰减毒活疫苗", "Bivalent oral poliovirus vaccine (types 1 and 3)", True, "oral",
            "NORMS §3.1"),
    Vaccine("DTaP", "百白破疫苗", "Diphtheria, tetanus and acellular pertussis vaccine", False, "IM",
            "NORMS §3.1"),
    Vaccine("DT", "白破疫苗", "Diphtheria and tetanus vaccine", False, "IM", "NORMS §3.1"),
    Vaccine("MMR", "麻腮风疫苗", "Measles, mumps and rubella vaccine", True, "SC", "NORMS §3.1"),
    # Decision: 麻风 appears in NORMS only as a denominator group of a real appraisal system
    # (§3.2 "Real-system linkage" [S71]); older children's certificates carry it at 8 months,
    # so it is accepted for MMR dose 1. Remove it from MMR dose 1 ``accepted`` to refuse it.
    Vaccine("MR", "麻风疫苗", "Measles and rubella vaccine", True, "SC", "NORMS §3.2 [S71] (Decision)"),
    Vaccine("JE-L", "乙脑减毒活疫苗", "Japanese encephalitis vaccine, live", True, "SC", "NORMS §3.1"),
    Vaccine("JE-I", "乙脑灭活疫苗", "Japanese encephalitis vaccine, inactivated", False, "IM",
            "NORMS §3.1 [S82]"),
    Vaccine("MPSV-A", "A群流脑多糖疫苗", "Meningococcal group A polysaccharide vaccine", False, "SC",
            "NORMS §3.1 [S83]"),
    Vaccine("MPSV-AC", "A群C群流脑多糖疫苗", "Meningococcal group A and C polysaccharide vaccine", False,
            "SC", "NORMS §3.1 [S83]"),
    Vaccine("HepA-L", "甲肝减毒活疫苗", "Hepatitis A vaccine, live", True, "SC", "NORMS §3.1"),
    Vaccine("HepA-I", "甲肝灭活疫苗", "Hepatitis A vaccine, inactivated", False, "IM", "NORMS §3.1"),
    Vaccine("HPV", "双价HPV疫苗", "Bivalent human papillomavirus vaccine", False, "IM", "NORMS §3.1 [S36]"),
)

HEPB = Series("HepB", "乙肝疫苗", "Hepatitis B vaccine", (
    _dose(1, "HepB", BIRTH, interval=None, complete_by=WITHIN_24H, due_window=WITHIN_24H,
          source="NORMS §3.1 birth within 24 h; §3.2 complete before 24 h (unconfirmed). "
                 "HBsAg-positive mother: HepB and HBIG within 12 h [S80]"),
    _dose(2, "HepB", _m(1), interval=D28, complete_by=_m(12),
          source="NORMS §3.1 1→2 ≥ 28 days [S79]; complete by 12 months: Decision, with dose 3 (§3.2)"),
    _dose(3, "HepB", _m(6), interval=Span(days=60), complete_by=_m(12),
          source="NORMS §3.1 2→3 ≥ 60 days (unconfirmed); §3.2 HepB 3 by 12 months (unconfirmed)"),
), source="NORMS §3.1")

BCG = Series("BCG", "卡介苗", "BCG vaccine", (
    # NORMS §3.1 [S81]: < 3 months give directly; 3 months–3 years only if PPD/TB-IGRA negative;
    # ≥ 4 years do not give. Decision: "3 years" runs to the day before the 4th birthday.
    # Due in "0 月龄" (birth .. 1 month, §2.2), overdue to 3 months (§3.2 BCG by 3 months).
    _dose(1, "BCG", BIRTH, interval=None, complete_by=_m(3), latest=_y(4), test_required_from=_m(3),
          source="NORMS §3.1 [S81]; §3.2 complete by 3 months (unconfirmed)"),
), source="NORMS §3.1")

# Decision: any polio vaccine (IPV or bOPV) counts for any polio dose. The norm numbers polio
# doses across products (§3.2 "polio 3", "polio 4") and says nothing on substitution; older
# certificates (one IPV + three bOPV) would otherwise show an IPV dose missing for ever.
_POLIO = ("IPV", "bOPV")
POLIO = Series("polio", "脊灰疫苗", "Poliovirus vaccine", (
    _dose(1, "IPV", _m(2), interval=None, complete_by=_m(12), accepted=_POLIO,
          source="NORMS §3.1; complete by 12 months: Decision, with dose 3 (§3.2)"),
    _dose(2, "IPV", _m(3), interval=D28, complete_by=_m(12), accepted=_POLIO,
          source="NORMS §3.1 polio 1–3 ≥ 28 days [S79]; complete by 12 months: Decision (§3.2)"),
    _dose(3, "bOPV", _m(4), interval=D28, complete_by=_m(12), accepted=_POLIO,
          source="NORMS §3.1 polio 1–3 ≥ 28 days [S79]; §3.2 polio 3 by 12 months (unconfirmed)"),
    _dose(4, "bOPV", _y(4), interval=DEFAULT_INTERVAL, complete_by=_y(5), accepted=_POLIO,
          source="NORMS §3.1; 28 d: Decision; §3.2 polio 4 by 5 years (unconfirmed)"),
), source="NORMS §3.1")

DTAP_2021 = Series("DTaP", "百白破疫苗", "DTaP vaccine", (
    _dose(1, "DTaP", _m(3), interval=None, complete_by=_m(12),
          source="NORMS §3.1 (2021: 3, 4, 5, 18 months); complete by 12 months: Decision (§3.2)"),
    _dose(2, "DTaP", _m(4), interval=D28, complete_by=_m(12),
          source="NORMS §3.1 primary doses ≥ 28 days [S79]; complete by 12 months: Decision (§3.2)"),
    _dose(3, "DTaP", _m(5), interval=D28, complete_by=_m(12),
          source="NORMS §3.1 primary doses ≥ 28 days [S79]; §3.2 DTaP 3 by 12 months (unconfirmed)"),
    _dose(4, "DTaP", _m(18), interval=DEFAULT_INTERVAL, complete_by=_m(24),
          source="NORMS §3.1; 28 d: Decision; §3.2 DTaP 4 by 24 months (unconfirmed)"),
), source="NORMS §3.1 [S30]")

DT = Series("DT", "白破疫苗", "DT vaccine", (
    _dose(1, "DT", _y(6), interval=None, complete_by=_y(7),
          source="NORMS §3.1 (until 2024); §3.2 DT by 7 years (unconfirmed)"),
), source="NORMS §3.1 [S30]; discontinued from 2025 [S35]")

DTAP_2025 = Series("DTaP", "百白破疫苗", "DTaP vaccine", (
    _dose(1, "DTaP", _m(2), interval=None, complete_by=_m(12),
          source="NORMS §3.1 [S35] 2, 4, 6, 18 months, 6 years; complete by 12 months: Decision (§3.2)"),
    _dose(2, "DTaP", _m(4), interval=D28, complete_by=_m(12),
          source="NORMS §3.1 [S35]; primary doses ≥ 28 days [S79]; complete by 12 months: Decision"),
    _dose(3, "DTaP", _m(6), interval=D28, complete_by=_m(12),
          source="NORMS §3.1 [S35]; primary doses ≥ 28 days [S79]; §3.2 DTaP 3 by 12 months (unconfirmed)"),
    _dose(4, "DTaP", _m(18), interval=DEFAULT_INTERVAL, complete_by=_m(24),
          source="NORMS §3.1 [S35]; 28 d: Decision; §3.2 DTaP 4 by 24 months (unconfirmed)"),
    _dose(5, "DTaP", _y(6), interval=DEFAULT_INTERVAL, complete_by=_y(7),
          satisfied_by=(Equivalent("DT", 1, date(2025, 1, 1),
                                   "NORMS §3.1 [S35] the 6-year DT dose is replaced by DTaP"),),
          source="NORMS §3.1 [S35]; 28 d: Decision; §3.2 'DT (now DTaP-6y)' by 7 years (unconfirmed)"),
), source="NORMS §3.1 [S35]")

MMR = Series("MMR", "麻腮风疫苗", "MMR vaccine", (
    _dose(1, "MMR", _m(8), interval=None, complete_by=_m(12), accepted=("MMR", "MR"),
          source="NORMS §3.1; §3.2 MMR 1 by 12 months (unconfirmed); MR accepted: Decision"),
    _dose(2, "MMR", _m(18), interval=D28, complete_by=_m(24),
          source="NORMS §3.1; 28 d: Decision (= §3.2 live-vaccine rule); §3.2 MMR 2 by 24 months (unconfirmed)"),
), source="NORMS §3.1")

JE_L = Series("JE-L", "乙脑减毒活疫苗", "Japanese encephalitis vaccine, live", (
    _dose(1, "JE-L", _m(8), interval=None, complete_by=_m(12),
          source="NORMS §3.1; §3.2 JE-L 1 by 12 months (unconfirmed)"),
    _dose(2, "JE-L", _y(2), interval=D28, complete_by=_y(3),
          source="NORMS §3.1; 28 d: Decision; §3.2 JE-L 2 by 3 years (unconfirmed)"),
), source="NORMS §3.1")

JE_I = Series("JE-I", "乙脑灭活疫苗", "Japanese encephalitis vaccine, inactivated", (
    _dose(1, "JE-I", _m(8), interval=None, complete_by=_m(12),
          source="NORMS §3.1 [S82]; complete by 12 months: Decision, with dose 2 (§3.2)"),
    _dose(2, "JE-I", _m(8), interval=Span(days=7), max_interval=Span(days=10), complete_by=_m(12),
          source="NORMS §3.1 [S82] two doses at 8 months 7–10 days apart; §3.2 JE-I 2 by 12 months"),
    _dose(3, "JE-I", _y(2), interval=DEFAULT_INTERVAL, complete_by=_y(3),
          source="NORMS §3.1 [S82]; 28 d: Decision; §3.2 JE-I 3 by 3 years (unconfirmed)"),
    _dose(4, "JE-I", _y(6), interval=DEFAULT_INTERVAL, complete_by=_y(7),
          source="NORMS §3.1 [S82]; 28 d: Decision; §3.2 JE-I 4 by 7 years (unconfirmed)"),
), source="NORMS §3.1 [S82]")

MPSV_A = Series("MPSV-A", "A群流脑多糖疫苗", "Meningococcal A polysaccharide vaccine", (
    _dose(1, "MPSV-A", _m(6), interval=None, complete_by=_m(18),
          source="NORMS §3.1; complete by 18 months: Decision, with dose 2 (§3.2)"),
    _dose(2, "MPSV-A", _m(9), interval=_m(3), complete_by=_m(18),
          source="NORMS §3.1 ≥ 3 months between doses [S83]; §3.2 MPSV-A 2 by 18 months (unconfirmed)"),
), source="NORMS §3.1 [S83]")

MPSV_AC = Series("MPSV-AC", "A群C群流脑多糖疫苗", "Meningococcal A+C polysaccharide vaccine", (
    _dose(1, "MPSV-AC", _y(3), interval=None, complete_by=_y(4),
          after=(After("MPSV-A", 2, _m(12), "NORMS §3.1 [S83] AC 1 ≥ 12 months after A 2"),),
          source="NORMS §3.1 [S83]; §3.2 MPSV-AC 1 by 4 years (unconfirmed)"),
    _dose(2, "MPSV-AC", _y(6), interval=_y(3), complete_by=_y(7),
          source="NORMS §3.1 [S83] AC doses ≥ 3 years apart; §3.2 MPSV-AC 2 by 7 years (unconfirmed)"),
), source="NORMS §3.1 [S83]")

HEPA_L = Series("HepA-L", "甲肝减毒活疫苗", "Hepatitis A vaccine, live", (
    _dose(1, "HepA-L", _m(18), interval=None, complete_by=_m(24),
          source="NORMS §3.1; §3.2 HepA 1 by 24 months (unconfirmed)"),
), source="NORMS §3.1")

HEPA_I = Series("HepA-I", "甲肝灭活疫苗", "Hepatitis A vaccine, inactivated", (
    _dose(1, "HepA-I", _m(18), interval=None, complete_by=_m(24),
          source="NORMS §3.1; §3.2 HepA 1 by 24 months (unconfirmed)"),
    _dose(2, "HepA-I", _m(24), interval=_m(6), complete_by=_y(3),
          source="NORMS §3.1 ≥ 6 months apart (unconfirmed); §3.2 HepA-I 2 by 3 years (unconfirmed)"),
), source="NORMS §3.1")

HPV_PROGRAMME_START = date(2025, 11, 10)
HPV = Series("HPV", "双价HPV疫苗", "Bivalent HPV vaccine", (
    # Decisions (§3.2 predates HPV, so no completion age): "girls aged 13" = 13th birthday to
    # the day before the 14th → dose 1 complete by 14 years; dose 2 recommended 6 months after
    # the 13th birthday, complete by 14 years 6 months. Catch-up limit: the general 18 years
    # (§3.2). Not counted for 全程接种 of the children's schedule: a girls-only programme with
    # its own coverage; set counts_for_full=True to include it.
    _dose(1, "HPV", _y(13), interval=None, complete_by=_y(14), counts_for_full=False,
          source="NORMS §3.1 [S36] girls aged 13; complete by 14 years: Decision"),
    _dose(2, "HPV", Span(years=13, months=6), min_age=_y(13), interval=_m(6),
          complete_by=Span(years=14, months=6), counts_for_full=False,
          source="NORMS §3.1 [S36] 6 months apart; recommended 13 y 6 m, complete by 14 y 6 m: Decision"),
), source="NORMS §3.1 [S36]", sex="2", born_from=date(2011, 11, 10),
    programme_start=HPV_PROGRAMME_START)

VERSION_2021 = ScheduleVersion(
    "2021", date(2021, 2, 1),
    (HEPB, BCG, POLIO, DTAP_2021, DT, MMR, JE_L, JE_I, MPSV_A, MPSV_AC, HEPA_L, HEPA_I),
    "NORMS §3.1 国卫疾控发〔2021〕10号 [S30] (notice dated 2021-02; day unconfirmed)")
VERSION_2025_DTAP = ScheduleVersion(
    "2025-01", date(2025, 1, 1),
    (HEPB, BCG, POLIO, DTAP_2025, MMR, JE_L, JE_I, MPSV_A, MPSV_AC, HEPA_L, HEPA_I),
    "NORMS §3.1 DTaP 2/4/6/18 months + 6 years, DT discontinued [S35]")
VERSION_2025_HPV = ScheduleVersion(
    "2025-11", HPV_PROGRAMME_START, VERSION_2025_DTAP.series + (HPV,),
    "NORMS §3.1 bivalent HPV for girls aged 13 born on or after 2011-11-10 [S36]")

ALTERNATIVES: tuple[Alternative, ...] = (
    # NORMS §3.1 lists JE-I and HepA-I as "alternative". Decisions: the live vaccine (listed
    # first) is the default in due lists; the first valid dose fixes a child's series; the
    # norm gives no rule for mixing, so doses of the other product are not counted.
    Alternative("JE", "乙脑疫苗", ("JE-L", "JE-I"), "NORMS §3.1"),
    Alternative("HepA", "甲肝疫苗", ("HepA-L", "HepA-I"), "NORMS §3.1"),
)

DEFAULT_SCHEDULE = Schedule(VACCINES, (VERSION_2021, VERSION_2025_DTAP, VERSION_2025_HPV), ALTERNATIVES)

# --- Given doses and their validity ------------------------------------------------------------


@dataclass(frozen=True)
class GivenDose:
    vaccine: str        # product code (Vaccine.code)
    dose: int           # dose number as recorded on the certificate (informational)
    date: date


VALID, TOO_EARLY, NOT_COUNTED = "valid", "too_early", "not_counted"


@dataclass(frozen=True)
class CheckedDose:
    given: GivenDose
    series: str | None
    counted_as: int | None       # the dose of the series this dose is, when valid
    status: str                  # "valid", "too_early" or "not_counted"
    reason: str

    @property
    def valid(self) -> bool:
        return self.status == VALID


def validate_given(birth_date: date, given: Sequence[GivenDose], *,
                   schedule: Schedule = DEFAULT_SCHEDULE) -> list[CheckedDose]:
    """Judge every given dose, in the order of ``given``.

    Doses are taken in date order (same day: list order). Within a series the k-th valid dose
    is dose k, whatever number the record carries (Decision: an invalid dose does not count, so
    the next valid one takes its number; a differing recorded number is noted). A dose is
    judged by the rules in force on the day it was given (see the module docstring).

    too_early (invalid, to be repeated), per NORMS §3.1/§3.2:
      before the minimum age; before the minimum interval after the previous valid dose of the
      series; before a cross-series interval (MPSV-AC after MPSV-A); an injectable live vaccine
      1–27 days after another injectable live vaccine (§3.2, unconfirmed). Decision: an invalid
      live dose still counts as a live vaccine given, for the 28-day rule.
    not_counted: product outside the programme, a dose beyond the series, a product not
      accepted for that dose, or the other product of an alternative pair.
    The upper age limit for catch-up is a rule of what to offer, not of validity.
    """
    for g in given:
        if g.date < birth_date:
            raise ValueError(f"{g.vaccine} given on {g.date}, before birth {birth_date}")
    rules = schedule.rules
    counted: dict[str, list[date]] = {}
    chosen: dict[str, str] = {}           # alternative group → series
    live_dates: list[tuple[date, str]] = []
    out: list[CheckedDose | None] = [None] * len(given)
    for i in sorted(range(len(given)), key=lambda i: (given[i].date, i)):
        g = given[i]
        code = schedule.series_of(g.vaccine)
        live = schedule.is_live_injectable(g.vaccine)
        out[i] = _check(schedule, birth_date, g, code, counted, chosen, live_dates, rules)
        if out[i].valid:
            counted.setdefault(code, []).append(g.date)
            alt = schedule.alternative_of(code)
            if alt is not None:
                chosen.setdefault(alt.code, code)
        if live:
            live_dates.append((g.date, g.vaccine))
    return out  # type: ignore[return-value]


def _check(schedule: Schedule, birth: date, g: GivenDose, code: str | None,
           counted: dict[str, list[date]], chosen: dict[str, str],
           live_dates: list[tuple[date, str]], rules: GeneralRules) -> CheckedDose:
    if code is None:
        return CheckedDose(g, None, None, NOT_COUNTED, f"{g.vaccine}不是国家免疫规划疫苗（NORMS §3.1），不计入")
    series = schedule.series_on(code, g.date)
    assert series is not None
    alt = schedule.alternative_of(code)
    if alt is not None and chosen.get(alt.code, code) != code:
        other = schedule.series_on(chosen[alt.code], g.date)
        return CheckedDose(g, code, None, NOT_COUNTED,
                           f"已按{other.name_zh}程序接种，{series.name_zh}不计入（NORMS §3.1 替代程序）")
    k = len(counted.get(code, [])) + 1
    if k > len(series.doses):
        return CheckedDose(g, code, None, NOT_COUNTED,
                           f"{series.name_zh}已完成全程{len(series.doses)}剂，本剂不计入（NORMS §3.1）")
    rule = series.dose(k)
    name = f"{series.name_zh}第{k}剂"
    if g.vaccine not in rule.products:
        return CheckedDose(g, code, None, NOT_COUNTED,
                           f"{name}不能使用{schedule.vaccine(g.vaccine).name_zh}，不计入（{rule.source}）")
    problems = []
    min_date = rule.minimum_age.after(birth)
    if g.date < min_date:
        problems.append(f"未满最小接种年龄{rule.minimum_age.age_zh()}（{min_date}起可接种，NORMS §3.1）")
    previous = counted.get(code, [])
    if k > 1 and rule.min_interval is not None:
        ok_from = rule.min_interval.after(previous[-1])
        if g.date < ok_from:
            problems.append(f"距第{k - 1}剂（{previous[-1]}）不足{rule.min_interval.interval_zh()}"
                            f"（{ok_from}起可接种，{rule.source}）")
    for a in rule.after:
        ref = counted.get(a.series, [])
        if len(ref) >= a.dose:
            ok_from = a.span.after(ref[a.dose - 1])
            if g.date < ok_from:
                ref_name = schedule.series_on(a.series, g.date).name_zh
                problems.append(f"距{ref_name}第{a.dose}剂不足{a.span.interval_zh()}（{ok_from}起可接种，{a.source}）")
    if schedule.is_live_injectable(g.vaccine):
        for d, product in live_dates:
            ok_from = rules.live_injectable_interval.after(d)
            if d < g.date < ok_from:
                problems.append(f"与{d}接种的{schedule.vaccine(product).name_zh}（注射用减毒活疫苗）未同日接种且间隔不足"
                                f"{rules.live_injectable_interval.interval_zh()}（NORMS §3.2，unconfirmed）")
                break
    if problems:
        return CheckedDose(g, code, None, TOO_EARLY, f"{name}接种过早，无效，需重新接种：" + "；".join(problems))
    note = "" if g.dose == k else f"（记录为第{g.dose}剂，按有效剂次计为第{k}剂）"
    return CheckedDose(g, code, k, VALID, f"{name}有效{note}")


# --- Due doses ---------------------------------------------------------------------------------

NOT_YET, DUE, OVERDUE, CATCH_UP, TOO_LATE = "not_yet", "due", "overdue", "catch_up", "too_late"


@dataclass(frozen=True)
class DueDose:
    series: str
    vaccine: str              # the product the schedule plans for this dose
    dose: int
    name_zh: str
    earliest: date            # earliest valid date (never before the minimum age)
    recommended: date         # the recommended age reached (HPV: not before the programme start)
    overdue_from: date
    catch_up_from: date       # the recommended completion age reached (NORMS §3.2)
    too_late_from: date       # the upper age for catch-up reached
    status: str               # not_yet / due / overdue / catch_up / too_late
    reason: str


@dataclass(frozen=True)
class _Windows:
    recommended: date
    overdue_from: date
    catch_up_from: date
    too_late_from: date


def _windows(birth: date, series: Series, rule: DoseRule, prev_given: date | None) -> _Windows:
    recommended = rule.recommended_age.after(birth)
    overdue_from = (rule.recommended_age + rule.due_window).after(birth)
    if series.programme_start is not None and recommended < series.programme_start:
        recommended = series.programme_start
        overdue_from = max(overdue_from, rule.due_window.after(series.programme_start))
    if rule.max_interval is not None and prev_given is not None:
        # Decision: "7–10 days apart" — overdue the day after the longest interval.
        overdue_from = rule.max_interval.after(prev_given) + timedelta(days=1)
    catch_up_from = rule.complete_by.after(birth)
    return _Windows(recommended, min(overdue_from, catch_up_from), catch_up_from,
                    rule.latest_age.after(birth))


def _satisfied(rule: DoseRule, code: str, counted: dict[tuple[str, int], date]) -> date | None:
    d = counted.get((code, rule.dose))
    if d is not None:
        return d
    for e in rule.satisfied_by:
        d = counted.get((e.series, e.dose))
        if d is not None and (e.given_before is None or d < e.given_before):
            return d
    return None


def _chosen_series(version: ScheduleVersion, schedule: Schedule, checked: Sequence[CheckedDose],
                   birth: date, sex: str | None) -> list[Series]:
    """The series of the version a child follows (eligible, one of each alternative pair)."""
    chosen: dict[str, tuple[date, str]] = {}
    for c in checked:
        if c.valid:
            alt = schedule.alternative_of(c.series)
            if alt is not None and (alt.code not in chosen or c.given.date < chosen[alt.code][0]):
                chosen[alt.code] = (c.given.date, c.series)
    out = []
    for s in version.series:
        if not s.eligible(birth, sex):
            continue
        alt = schedule.alternative_of(s.code)
        if alt is not None:
            pick = chosen[alt.code][1] if alt.code in chosen else alt.series[0]
            if s.code != pick:
                continue
        out.append(s)
    return out


def due_doses(birth_date: date, given: Sequence[GivenDose], today: date, *, sex: str | None = None,
              schedule: Schedule = DEFAULT_SCHEDULE) -> list[DueDose]:
    """Every dose of the schedule in force on ``today`` the child has not had, in table order
    (one series of each alternative pair; doses past the catch-up age are listed as too_late).

    ``given`` may hold any doses; those dated after ``today`` are ignored (the list is "as of"
    ``today``). ``sex`` is the GB/T 2261.1 code: HPV is listed only for girls ("2") born on or
    after 2011-11-10, from 2025-11-10 (NORMS §3.1 [S36]); without it HPV is not listed.

    earliest = max(minimum age, previous dose + minimum interval, cross-series interval, live-
    vaccine rule). A later dose whose previous dose is still missing is projected as if that
    dose were given on max(its earliest, today), so its earliest is a real possibility, never
    a date before the missing dose could be valid. Statuses: see the module docstring.
    """
    if today < birth_date:
        raise ValueError("today is before the birth date")
    past = [g for g in given if g.date <= today]
    checked = validate_given(birth_date, past, schedule=schedule)
    counted = {(c.series, c.counted_as): c.given.date for c in checked if c.valid}
    live_dates = [g.date for g in past if schedule.is_live_injectable(g.vaccine)]
    version = schedule.version_on(today)
    rules = schedule.rules
    out = []
    for series in _chosen_series(version, schedule, checked, birth_date, sex):
        prev: date | None = None          # previous dose: given, or projected
        prev_given = False
        for rule in series.doses:
            done = _satisfied(rule, series.code, counted)
            if done is not None:
                prev, prev_given = done, True
                continue
            earliest, why = _earliest(schedule, birth_date, series, rule, prev, prev_given, counted,
                                      live_dates, today, rules)
            w = _windows(birth_date, series, rule, prev if prev_given else None)
            status, reason = _status(schedule, birth_date, series, rule, earliest, why, w, today, rules)
            out.append(DueDose(series.code, rule.vaccine, rule.dose, f"{series.name_zh}第{rule.dose}剂",
                               earliest, w.recommended, w.overdue_from, w.catch_up_from, w.too_late_from,
                               status, reason))
            prev, prev_given = max(earliest, today), False
    return out


def _earliest(schedule: Schedule, birth: date, series: Series, rule: DoseRule, prev: date | None,
              prev_given: bool, counted: dict[tuple[str, int], date], live_dates: list[date],
              today: date, rules: GeneralRules) -> tuple[date, list[tuple[date, str]]]:
    """Earliest valid date and the constraints behind it (date, Chinese reason)."""
    limits = [(rule.minimum_age.after(birth), f"最小接种年龄{rule.minimum_age.age_zh()}")]
    if rule.dose > 1 and rule.min_interval is not None and prev is not None:
        before = "" if prev_given else f"（第{rule.dose - 1}剂尚未接种）"
        limits.append((rule.min_interval.after(prev),
                       f"须在第{rule.dose - 1}剂后间隔≥{rule.min_interval.interval_zh()}{before}"))
    for a in rule.after:
        ref = counted.get((a.series, a.dose))
        if ref is not None:
            ref_name = schedule.series_on(a.series, today).name_zh
            limits.append((a.span.after(ref), f"须在{ref_name}第{a.dose}剂后≥{a.span.interval_zh()}"))
    earliest = max(d for d, _ in limits)
    if schedule.is_live_injectable(rule.vaccine) and live_dates:
        gap = rules.live_injectable_interval
        older = [d for d in live_dates if d < today]
        if older:
            d = max(older)
            limits.append((gap.after(d), f"须与{d}接种的减毒活疫苗间隔≥{gap.interval_zh()}"))
            earliest = max(earliest, gap.after(d))
        if today in live_dates and earliest > today:
            # Same day is allowed (NORMS §3.2); from tomorrow the 28 days apply.
            limits.append((gap.after(today), f"今日已接种减毒活疫苗：可同日接种，否则须间隔≥{gap.interval_zh()}"))
            earliest = max(earliest, gap.after(today))
    return earliest, [x for x in limits if x[0] == earliest]


def _status(schedule: Schedule, birth: date, series: Series, rule: DoseRule, earliest: date,
            why: list[tuple[date, str]], w: _Windows, today: date, rules: GeneralRules) -> tuple[str, str]:
    alt = schedule.alternative_of(series.code)
    alt_note = ""
    if alt is not None and rule.dose == 1:      # nothing of the pair given yet: name the other
        others = [o for o in (schedule.series_on(c, today) for c in alt.series if c != series.code) if o]
        alt_note = "；亦可选用" + "、".join(f"{o.name_zh}（{len(o.doses)}剂）" for o in others) + \
            "（NORMS §3.1 替代程序）"
    if today >= w.too_late_from or earliest >= w.too_late_from:
        if earliest >= w.too_late_from and today < w.too_late_from:
            return TOO_LATE, (f"按最小间隔最早{earliest}才能接种，已超过补种年龄上限"
                              f"{rule.latest_age.age_zh()}（{rule.source}；NORMS §3.2）")
        if series.code == "BCG":
            return TOO_LATE, f"已满{rule.latest_age.age_zh()}，不予补种（NORMS §3.1 [S81]）"
        return TOO_LATE, f"已满{rule.latest_age.age_zh()}，不在补种范围（NORMS §3.2 补种适用于<18周岁）"
    if today < earliest:
        text = "；".join(f"{t}（{d}起）" for d, t in why)
        late = "；已超过推荐接种时间" if today >= w.overdue_from else ""
        return NOT_YET, f"暂不能接种：{text}{late}{alt_note}"
    if today < w.overdue_from:
        return DUE, (f"已到推荐接种时间（{rule.recommended_age.age_zh()}，{w.recommended}），应尽早接种；"
                     f"{w.overdue_from}起逾期（NORMS §3.1、§2.2）{alt_note}")
    if today < w.catch_up_from:
        return OVERDUE, (f"已过推荐接种时间（{rule.recommended_age.age_zh()}），应尽快接种；"
                         f"推荐{rule.complete_by.age_zh()}前完成（NORMS §3.2）{alt_note}")
    parts = [f"未在推荐年龄（{rule.complete_by.age_zh()}）前完成，需补种：只补未完成剂次，无需重新开始全程"
             f"（NORMS §3.2）"]
    if rule.test_required_from is not None and today >= rule.test_required_from.after(birth):
        parts.append("3月龄～3岁须PPD或TB-IGRA检测阴性后补种（NORMS §3.1 [S81]）")
    if today >= rules.statistics_until.after(birth):
        parts.append("≥7岁补种剂次不纳入常规接种率统计（NORMS §3.2 [S84]）")
    return CATCH_UP, "；".join(parts) + alt_note


# --- Indicators (NORMS §5.2) -------------------------------------------------------------------


def is_timely(vaccine: str, dose: int, birth_date: date, given_date: date, *,
              schedule: Schedule = DEFAULT_SCHEDULE) -> bool:
    """Whether a dose was given on time, for the timeliness indicator (NORMS §5.2).

    ``vaccine`` is a series code ("polio") or a product code ("IPV"). HepB dose 1: within 24 h
    = the birth date or the next day (NORMS §5.2 "HepB birth dose within 24 h" [S84]; Decision
    without a birth time). Other doses: the norm defines no timeliness; Decision: within the
    recommended month of age, from the recommended age to the day before overdue (NORMS §2.2
    month-age semantics), i.e. exactly the "due" window of ``due_doses`` (for JE-I dose 2 the
    month window, as the previous dose is not known here). Dates only: check validity (e.g.
    intervals) with ``validate_given``.
    """
    code = vaccine if _is_series(schedule, vaccine) else schedule.series_of(vaccine)
    if code is None:
        raise ValueError(f"unknown vaccine {vaccine!r}")
    series = schedule.series_on(code, given_date)
    rule = series.dose(dose)
    w = _windows(birth_date, series, rule, None)
    start = max(w.recommended, rule.minimum_age.after(birth_date))
    return start <= given_date < w.overdue_from


def _is_series(schedule: Schedule, code: str) -> bool:
    return any(v.get(code) is not None for v in schedule.versions)


def counted_in_routine_statistics(birth_date: date, given_date: date, *,
                                  schedule: Schedule = DEFAULT_SCHEDULE) -> bool:
    """False for doses given at 7 years or older (NORMS §3.2 statistics rule, local [S84])."""
    return given_date < schedule.rules.statistics_until.after(birth_date)


def fully_vaccinated(birth_date: date, given: Sequence[GivenDose], on_date: date, age_months: int, *,
                     sex: str | None = None, schedule: Schedule = DEFAULT_SCHEDULE) -> bool:
    """全程接种: on ``on_date``, every dose counted for 全程接种 whose recommended age is at most
    ``age_months`` months has a valid dose given on or before ``on_date``.

    Decisions: doses are those of the version in force on ``on_date``; one of each alternative
    pair (the child's, else the default); the 6-year DTaP may be a DT given before 2025; doses
    given at 7 years or older do not count (NORMS §3.2 statistics rule [S84]: catch-up at ≥ 7
    is not counted in routine coverage). HPV is not counted (see the HPV rows).
    """
    if age_months < 0:
        raise ValueError("age_months must not be negative")
    past = [g for g in given if g.date <= on_date]
    checked = validate_given(birth_date, past, schedule=schedule)
    counted = {(c.series, c.counted_as): c.given.date for c in checked
               if c.valid and counted_in_routine_statistics(birth_date, c.given.date, schedule=schedule)}
    version = schedule.version_on(on_date)
    for series in _chosen_series(version, schedule, checked, birth_date, sex):
        for rule in series.doses:
            if rule.counts_for_full and rule.recommended_age.total_months <= age_months \
                    and _satisfied(rule, series.code, counted) is None:
                return False
    return True


def certificate_due_date(birth_date: date, *, schedule: Schedule = DEFAULT_SCHEDULE) -> date:
    """Last day to issue the 预防接种证: within 1 month of birth (NORMS §3.2 [S85]; 建证率 §5.2).

    Decision: "within 1 month" includes the day the child turns 1 month.
    """
    return schedule.rules.certificate_within.after(birth_date)


def doses_by_age(on: date, age_months: int, *, schedule: Schedule = DEFAULT_SCHEDULE,
                 alternatives: bool = False) -> list[tuple[str, int]]:
    """(series, dose) of the version in force on ``on`` recommended at or before ``age_months``;
    only the default of each alternative pair unless ``alternatives``. HPV excluded."""
    out = []
    for s in schedule.version_on(on).series:
        alt = schedule.alternative_of(s.code)
        if s.sex is not None or (not alternatives and alt is not None and alt.series[0] != s.code):
            continue
        out += [(s.code, r.dose) for r in s.doses if r.recommended_age.total_months <= age_months]
    return out
