"""Immunization indicators (NORMS §5.2), per village, set-based; townships and the county are sums.

Every population is a set of residents counted by the village they live in now, as the
register has them (merged records never). "On the register at a day" = active, or their
status (death, moving out, lost) changed after that day. Month ages follow NORMS §2.2
(``rules.birth_range``); in SQL, "x on or before b + n months" is written exactly with the
year, month and day of both dates (``_on_or_before``), so no date arithmetic differs between
SQLite and PostgreSQL. A dose counts when its stored verdict is valid (``validate_given``).

imm.card 预防接种建证率 = children who got their card in time ÷ children who should have one.
    NORMS §5.2: "children with a certificate this year ÷ children who should have one" [S71];
    §3.2: within 1 month of birth [S85]. Decisions: a child "should have one" in the period
    when its deadline arises in it: children of this place are counted in the period they
    are born (deadline: the day they turn 1 month), migrant children (registered elsewhere,
    arrived after birth, rules.is_migrant) in the period they have lived here
    ``Config.migrant_residence`` (deadline: that day), if under 7 at the period's end. In the
    numerator when the card is dated on or before the deadline, so a child born late in the
    period may still count after the period ends. Not counted: children who died or left the
    register on or before their deadline without a card.
imm.timely_hepb1 乙肝疫苗首针及时接种率 = live births of the period with a valid HepB dose 1 within
    24 h (``is_timely``: the birth date or the next day) ÷ live births of the period (born in
    it, any status but merged) [S84].
imm.coverage.<dose> 接种率, per vaccine dose (hepb3, bcg, polio3, dtap3, mmr1, je1) = children
    due for that dose by the period's last day who received it (a valid dose given by then,
    before age 7) ÷ children due for it. NORMS §5.2: "vaccinated ÷ children due for it"
    [S71][S102]. Decisions: "due by the period's end" = had reached the dose's recommended age
    (NORMS §3.1, the schedule in force on that day) by then, under 7 then (§3.2 statistics
    rule [S84]: older children are not counted) and on the register then: a snapshot of the
    children 0–6 old enough for the dose, so a month, a quarter and a year ending on the same
    day agree. je1: JE-L dose 1 or JE-I dose 1 (alternatives, NORMS §3.1).
imm.full 全程接种率 = children who reached ``Config.full_age_months`` (12) in the period with
    every dose recommended at or before that age (``schedule.doses_by_age``, one of each
    alternative pair) valid and given before that birthday ÷ those children (on the register
    at the period's end). NORMS §3.2: the primary doses are "complete before 12 months".
"""

from functools import reduce
from operator import and_, or_

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from gongwei.care.indicators import PERCENT, IndicatorDef, declare
from gongwei.care.periods import Period
from gongwei.orgs.access import prefix_filter
from gongwei.people.models import Resident, Status

from . import rules
from .models import DoseRecord, Validity
from .programme import CONFIG, PROGRAMME, SCHEDULE
from .schedule import doses_by_age

# Key doses with a coverage indicator: code → (series that count, dose, Chinese name).
KEY_DOSES = {
    "hepb3": (("HepB",), 3, "乙肝疫苗第3剂"),
    "bcg": (("BCG",), 1, "卡介苗"),
    "polio3": (("polio",), 3, "脊灰疫苗第3剂"),
    "dtap3": (("DTaP",), 3, "百白破疫苗第3剂"),
    "mmr1": (("MMR",), 1, "麻腮风疫苗第1剂"),
    "je1": (("JE-L", "JE-I"), 1, "乙脑疫苗第1剂"),
}


# --- Building blocks ----------------------------------------------------------------------------

def residents(under: str = ""):
    return Resident.objects.filter(prefix_filter("village_id", under)).exclude(status=Status.MERGED)


def on_register(day) -> Q:
    return Q(status=Status.ACTIVE) | Q(status_date__gt=day)


def _on_or_before(qs, name: str, x: str, base: str, months: int):
    """``qs`` annotated, and the condition "x ≤ add_months(base, months)" (NORMS §2.2).

    With md = months from base's month to x's month: x ≤ base + n months ⇔ md < n, or md = n
    and x's day ≤ base's day (when base's day is past the end of x's month, the month's last
    day is the limit and every day of it passes, as the second test says). NULL → false.
    """
    qs = qs.annotate(**{
        f"{name}_md": (ExtractYear(x) - ExtractYear(base)) * 12 + ExtractMonth(x) - ExtractMonth(base),
        f"{name}_xd": ExtractDay(x), f"{name}_bd": ExtractDay(base)})
    return qs, Q(**{f"{name}_md__lt": months}) | Q(**{f"{name}_md": months, f"{name}_xd__lte": F(f"{name}_bd")})


def _valid_doses(**filters):
    return DoseRecord.objects.filter(resident=OuterRef("pk"), validity=Validity.VALID, **filters)


def _flag(condition: Q):
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _by_village(qs) -> dict[str, tuple[int, int]]:
    rows = (qs.order_by().values("village_id")
            .annotate(n=Count("pk", filter=Q(in_numerator=True)), d=Count("pk"))
            .values_list("village_id", "n", "d"))
    return {village: (n, d) for village, n, d in rows}


def _migrant() -> Q:
    return (~Q(registration=rules.LOCAL) & Q(residence_since__isnull=False)
            & Q(residence_since__gt=F("birth_date")))


# --- Populations, each annotated with in_numerator ------------------------------------------

def card_population(period: Period, under: str = ""):
    residence = CONFIG.migrant_residence
    if residence.days:
        raise ValueError("Config.migrant_residence must be whole months for the indicator")
    months = residence.total_months
    lo, hi = rules.birth_range(months, period.start, period.end)
    migrant = _migrant()
    qs = residents(under).filter(
        (~migrant & Q(birth_date__gte=period.start, birth_date__lte=period.end))
        | (migrant & Q(residence_since__gte=lo, residence_since__lte=hi,
                       birth_date__gt=rules.last_birth_aged(period.end))))
    qs, card_here = _on_or_before(qs, "card_b", "vaccination_card__date", "birth_date", 1)
    qs, card_migrant = _on_or_before(qs, "card_r", "vaccination_card__date", "residence_since", months)
    qs, left_here = _on_or_before(qs, "left_b", "status_date", "birth_date", 1)
    qs, left_migrant = _on_or_before(qs, "left_r", "status_date", "residence_since", months)
    carded = Q(vaccination_card__isnull=False)
    should = Q(status=Status.ACTIVE) | carded | (~migrant & ~left_here) | (migrant & ~left_migrant)
    return qs.filter(should).annotate(in_numerator=_flag((~migrant & card_here) | (migrant & card_migrant)))


def live_births(period: Period, under: str = ""):
    return residents(under).filter(birth_date__gte=period.start, birth_date__lte=period.end)


def hepb1_population(period: Period, under: str = ""):
    return live_births(period, under).annotate(
        in_numerator=Exists(_valid_doses(series="HepB", counted_as=1, timely=True)))


def recommended_months(series: str, dose: int, period: Period) -> int:
    return SCHEDULE.series_on(series, period.end).dose(dose).recommended_age.total_months


def coverage_population(key: str, period: Period, under: str = ""):
    series, dose, _name = KEY_DOSES[key]
    old_enough = rules.birth_range(recommended_months(series[0], dose, period), period.end, period.end)[1]
    given = _valid_doses(series__in=series, counted_as=dose, date__lte=period.end,
                         age_months__lt=12 * CONFIG.statistics_under_years)
    return (residents(under).filter(on_register(period.end), birth_date__lte=old_enough,
                                    birth_date__gt=rules.last_birth_aged(period.end))
            .annotate(in_numerator=Exists(given)))


def full_required(period: Period) -> list[list[tuple[str, int]]]:
    """What 全程 requires of the cohort of ``period``: for each series (or alternative pair),
    the ways to satisfy it, each (series, highest dose due by the age). A valid dose k means
    doses 1..k-1 are valid too (validate_given numbers valid doses in order)."""
    age = CONFIG.full_age_months
    highest: dict[str, int] = {}
    for series, dose in doses_by_age(period.end, age, schedule=SCHEDULE, alternatives=True):
        highest[series] = max(highest.get(series, 0), dose)
    groups: dict[str, list[tuple[str, int]]] = {}
    for series, dose in highest.items():
        alt = SCHEDULE.alternative_of(series)
        groups.setdefault(alt.code if alt else series, []).append((series, dose))
    return list(groups.values())


def full_population(period: Period, under: str = ""):
    age = CONFIG.full_age_months
    lo, hi = rules.birth_range(age, period.start, period.end)
    before = {"age_months__lt": min(age, 12 * CONFIG.statistics_under_years)}
    conditions = []
    for ways in full_required(period):
        options = []
        for series, dose in ways:
            option = Exists(_valid_doses(series=series, counted_as=dose, **before))
            rule = SCHEDULE.series_on(series, period.end).dose(dose)
            for e in rule.satisfied_by:    # the 6-year DTaP may be a DT given before 2025
                extra = {"date__lt": e.given_before} if e.given_before else {}
                option = option | (Exists(_valid_doses(series=series, counted_as=dose - 1, **before))
                                   & Exists(_valid_doses(series=e.series, counted_as=e.dose, **before, **extra)))
            options.append(option)
        conditions.append(reduce(or_, options))
    return (residents(under).filter(on_register(period.end), birth_date__gte=lo, birth_date__lte=hi)
            .annotate(in_numerator=_flag(reduce(and_, conditions))))


# --- Declarations -------------------------------------------------------------------------------

def _compute(population):
    def compute(period, under=""):
        return _by_village(population(period, under))
    return compute


def _coverage(key):
    return lambda period, under="": coverage_population(key, period, under)


def declare_all() -> None:
    common = {"unit": PERCENT, "programme": PROGRAMME}
    declare(
        IndicatorDef(
            code="imm.card", name_zh="预防接种建证率", name_en="Vaccination card rate",
            numerator="按时建卡（证）的儿童数：本地儿童满1月龄前，流动儿童居住满3个月前",
            denominator="统计期内应建卡（证）的儿童数：统计期内出生的本地儿童，及居住满3个月的7岁以下流动儿童",
            norm="NORMS §3.2, §5.2", compute=_compute(card_population), members=card_population, **common),
        IndicatorDef(
            code="imm.full", name_zh="全程接种率（1岁儿童）", name_en="Full immunization rate (age 1)",
            numerator="满1周岁前按免疫程序完成全部1岁内应种疫苗（有效剂次）的儿童数",
            denominator="统计期内满1周岁的儿童数", norm="NORMS §3.2, §5.2",
            compute=_compute(full_population), members=full_population, **common),
        IndicatorDef(
            code="imm.timely_hepb1", name_zh="乙肝疫苗首针及时接种率", name_en="HepB birth dose within 24 h",
            numerator="出生24小时内接种乙肝疫苗第1剂的活产儿数", denominator="统计期内活产数",
            norm="NORMS §3.1, §5.2", compute=_compute(hepb1_population), members=hepb1_population, **common),
    )
    for key, (series, dose, name) in KEY_DOSES.items():
        english = "/".join(series) + f" dose {dose}"
        declare(IndicatorDef(
            code=f"imm.coverage.{key}", name_zh=f"{name}接种率", name_en=f"Coverage, {english}",
            numerator=f"期末已达{name}接种月龄的7岁以下儿童中，期末前已有效接种者",
            denominator=f"期末已达{name}接种月龄的7岁以下在册儿童数（应种人数）",
            norm="NORMS §3.1, §5.2", compute=_compute(_coverage(key)), members=_coverage(key), **common))
