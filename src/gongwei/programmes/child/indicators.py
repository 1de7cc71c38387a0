"""Child indicators (NORMS §5.2, §5.5), per village, set-based; townships and the county are sums.

Populations (Decisions; NORMS names the quantities, not how a system counts them):

- Live births of a period (活产数): residents of the village born in the period, as the
  people register has them now (every status except records merged into another; a child
  who died or moved away afterwards was still born here). Counted by the village the child
  is registered in. Stillbirths are not residents, so they are not counted. A county that
  keeps the MCH birth register's figure instead can change ``live_births`` alone.
- Children 0–6 (0～6岁儿童数): residents under 7 on the last day of the period (born in the 7
  years before it, on or before it), on the register that day (active, or their status changed
  later), with a record created by then; merged records never.

Indicators:

- child.newborn_visit 新生儿访视率 = live births of the period visited at least once within 28
  days of birth (a child check — the newborn home visit, or the full-month visit on day 28 —
  at age ≤ 28 days, whatever the date of the visit) ÷ live births of the period. A child
  born in the last 4 weeks of a period can still be counted when visited after it ends.
- child.health_management 儿童健康管理率 = children 0–6 with at least one child check dated in
  the period ÷ children 0–6.
- child.systematic_0_3 / child.systematic_0_6 儿童系统管理率 = children with every required
  check of the period done ÷ children 0–6 with at least one required check in the period.
  Required checks (rules.required_visits, SystematicConfig): the checks of the "4-2-2-1"
  rhythm (3, 6, 8, 12 | 18, 24 | 30, 36 months for 0–3; plus 4, 5, 6 years for 0–6) whose
  on-time window ends inside the period. Done = a check recorded for that visit on or
  before the period's last day, late or not. ``SYSTEMATIC.allowed_missing`` tolerates gaps.
- child.infant_mortality 婴儿死亡率 / child.u5_mortality 5岁以下儿童死亡率 = child deaths
  reported (ChildDeath) in the period before the 1st / 5th birthday ÷ live births of the period
  × 1,000, each by the village the child lived in. The deaths need not be of children born
  in the period (the usual period rate).
"""

from functools import reduce
from operator import add

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from gongwei.care.indicators import PERCENT, PERMILLE, IndicatorDef, declare
from gongwei.care.periods import Period
from gongwei.orgs.access import prefix_filter
from gongwei.people.models import Resident, Status

from . import rules
from .models import ChildCheck, ChildDeath

SYSTEMATIC = rules.DEFAULT_SYSTEMATIC
PROGRAMME = "child"


# --- Populations ---------------------------------------------------------------------------

def live_births(period: Period, under: str = ""):
    return (Resident.objects.filter(prefix_filter("village_id", under), birth_date__gte=period.start,
                                    birth_date__lte=period.end).exclude(status=Status.MERGED))


def children_0_6(period: Period, under: str = ""):
    oldest_out = rules.last_birth_date_aged_out(period.end)
    return (Resident.objects.filter(prefix_filter("village_id", under), birth_date__gt=oldest_out,
                                    birth_date__lte=period.end, record_created__lte=period.end)
            .filter(Q(status=Status.ACTIVE) | Q(status_date__gt=period.end)).exclude(status=Status.MERGED))


def _visited_as_newborn():
    return ChildCheck.objects.filter(resident=OuterRef("pk"), age_days__lte=rules.NEWBORN_VISIT_WITHIN_DAYS)


def _checked_in(period: Period):
    return ChildCheck.objects.filter(resident=OuterRef("pk"), date__gte=period.start, date__lte=period.end)


def _codes(which: str) -> tuple[str, ...]:
    return SYSTEMATIC.visits_0_3 if which == "0_3" else SYSTEMATIC.visits_0_6


def with_required(period: Period, which: str, under: str = ""):
    """Children 0–6 annotated with ``required`` (checks due in the period) and ``done``."""
    parts = []
    for code in _codes(which):
        span = rules.birth_range(rules.VISIT_MONTHS[code], period.start, period.end)
        if span is not None:
            parts.append(Case(When(birth_date__gte=span[0], birth_date__lte=span[1], then=Value(1)),
                              default=Value(0), output_field=IntegerField()))
    required = reduce(add, parts) if parts else Value(0, output_field=IntegerField())
    done = (ChildCheck.objects.filter(resident=OuterRef("pk"), visit_code__in=_codes(which),
                                      window_last_day__gte=period.start, window_last_day__lte=period.end,
                                      date__lte=period.end)
            .order_by().values("resident").annotate(n=Count("pk")).values("n"))
    return (children_0_6(period, under).annotate(required=required).filter(required__gte=1)
            .annotate(done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0))))


def _systematic_hit():
    return Q(done__gte=F("required") - SYSTEMATIC.allowed_missing)


def deaths(period: Period, under: str = "", before_months: int = 12):
    return ChildDeath.objects.filter(prefix_filter("village_id", under), date__gte=period.start,
                                     date__lte=period.end, age_months__lt=before_months)


# --- compute: {village: (numerator, denominator)} ----------------------------------------------

def _count(qs) -> dict[str, int]:
    return dict(qs.order_by().values("village_id").annotate(n=Count("pk")).values_list("village_id", "n"))


def _pairs(numerators: dict, denominators: dict) -> dict[str, tuple[int, int]]:
    return {v: (numerators.get(v, 0), denominators.get(v, 0)) for v in set(numerators) | set(denominators)}


def newborn_visit(period: Period, under: str = ""):
    births = live_births(period, under)
    return _pairs(_count(births.filter(Exists(_visited_as_newborn()))), _count(births))


def health_management(period: Period, under: str = ""):
    children = children_0_6(period, under)
    return _pairs(_count(children.filter(Exists(_checked_in(period)))), _count(children))


def systematic(which: str):
    def compute(period: Period, under: str = ""):
        due = with_required(period, which, under)
        return _pairs(_count(due.filter(_systematic_hit())), _count(due))
    return compute


def mortality(before_months: int):
    def compute(period: Period, under: str = ""):
        return _pairs(_count(deaths(period, under, before_months)), _count(live_births(period, under)))
    return compute


# --- members: the residents behind a figure ---------------------------------------------------

def _members_newborn(period, under):
    return live_births(period, under).annotate(in_numerator=Exists(_visited_as_newborn()))


def _members_health(period, under):
    return children_0_6(period, under).annotate(in_numerator=Exists(_checked_in(period)))


def _members_systematic(which):
    def members(period, under):
        return with_required(period, which, under).annotate(
            in_numerator=Case(When(_systematic_hit(), then=Value(True)), default=Value(False)))
    return members


def _members_mortality(before_months):
    def members(period, under):
        died = deaths(period, under, before_months)
        return (Resident.objects.filter(Q(pk__in=live_births(period, under).values("pk"))
                                        | Q(pk__in=died.values("resident_id")))
                .annotate(in_numerator=Exists(died.filter(resident_id=OuterRef("pk")))))
    return members


NORM_52, NORM_55 = "NORMS §5.2, §2.2", "NORMS §5.5"
LIVE_BIRTHS = "统计期内出生、登记在本村的活产数（居民档案出生日期在统计期内，不含被合并的重复档案）"
CHILDREN = "统计期末在册的0～6岁（未满7岁）儿童数"

DEFINITIONS = (
    IndicatorDef(
        code="child.newborn_visit", name_zh="新生儿访视率", name_en="Newborn visit rate",
        numerator="统计期内活产数中，出生后28天内接受过1次及以上访视的新生儿数",
        denominator=LIVE_BIRTHS, unit=PERCENT, norm=NORM_52, programme=PROGRAMME,
        compute=newborn_visit, members=_members_newborn),
    IndicatorDef(
        code="child.health_management", name_zh="儿童健康管理率", name_en="Child health management rate",
        numerator="统计期内接受1次及以上儿童健康检查（含新生儿访视）的0～6岁儿童数",
        denominator=CHILDREN, unit=PERCENT, norm=NORM_52, programme=PROGRAMME,
        compute=health_management, members=_members_health),
    IndicatorDef(
        code="child.systematic_0_3", name_zh="3岁以下儿童系统管理率", name_en="Systematic management rate, under 3",
        numerator="按“4-2-2”要求完成统计期内应查的全部健康检查的儿童数（3、6、8、12、18、24、30、36月龄，"
                  "检查时限在统计期内结束者为应查）",
        denominator="统计期内至少有1次3岁以下健康检查应查的在册儿童数", unit=PERCENT, norm=NORM_52,
        programme=PROGRAMME, compute=systematic("0_3"), members=_members_systematic("0_3")),
    IndicatorDef(
        code="child.systematic_0_6", name_zh="0～6岁儿童系统管理率", name_en="Systematic management rate, 0–6",
        numerator="按“4-2-2-1”要求完成统计期内应查的全部健康检查的儿童数（另含4、5、6岁每年1次）",
        denominator="统计期内至少有1次健康检查应查的在册0～6岁儿童数", unit=PERCENT, norm=NORM_52,
        programme=PROGRAMME, compute=systematic("0_6"), members=_members_systematic("0_6")),
    IndicatorDef(
        code="child.infant_mortality", name_zh="婴儿死亡率", name_en="Infant mortality rate",
        numerator="统计期内死亡的未满1周岁儿童数（儿童死亡报告）", denominator=LIVE_BIRTHS, unit=PERMILLE,
        norm=NORM_55, programme=PROGRAMME, compute=mortality(12), members=_members_mortality(12),
        higher_is_better=False),
    IndicatorDef(
        code="child.u5_mortality", name_zh="5岁以下儿童死亡率", name_en="Under-5 mortality rate",
        numerator="统计期内死亡的未满5周岁儿童数（儿童死亡报告）", denominator=LIVE_BIRTHS, unit=PERMILLE,
        norm=NORM_55, programme=PROGRAMME, compute=mortality(60), members=_members_mortality(60),
        higher_is_better=False),
)


def declare_all() -> None:
    declare(*DEFINITIONS)
