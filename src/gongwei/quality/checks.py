"""The data-quality rules (数据质量校验), one plain function each.

A check takes the code prefix of the units to look at and the thresholds, runs ONE
set-based query (no loop over people: a county has tens of thousands), and yields a
:class:`Hit` per bad record. The only Python per row is formatting the message of rows
already found bad. Each hit names the unit that owns the record (its scope field), so the
finding lands in the list of the village that must correct it.

Severity:
- ``error``: the record contradicts itself or the facts (a visit after death); it is wrong.
- ``suspect``: possible fabrication (NORMS §7.7, 数据造假). It may be true, but the doctor
  whose records are in question does not clear it: township or county staff do.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Min, Q, Value, When, Window
from django.db.models.functions import (Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, Lag,
                                        Length, LPad, Substr)
from django.utils import timezone, translation
from django.utils.translation import get_language

from gongwei.care import registry as programmes
from gongwei.care.indicators import PERCENT, all_indicators
from gongwei.care.models import Enrolment, EnrolmentStatus, Visit
from gongwei.care.periods import Period
from gongwei.indicators.models import IndicatorValue
from gongwei.orgs.access import prefix_filter
from gongwei.people import idnumber
from gongwei.people.models import Encounter, Resident, Status
from gongwei.programmes.chronic.models import BloodPressureReading, ChronicFollowUp

from .config import Thresholds

ERROR, SUSPECT = "error", "suspect"


@dataclass(frozen=True)
class Hit:
    unit: str  # code of the unit owning the record
    resident_id: int | None
    record_type: str  # visit, encounter, bp_reading, enrolment, resident, indicator
    record_id: int | None
    message: str  # short, Chinese: what is wrong with the values seen
    # What makes this the same finding on the next run; indicator values are deleted and
    # re-inserted on every recompute, so their id is not stable and they set a key.
    key: str = ""

    @property
    def identity(self) -> str:
        return self.key or f"{self.record_type}:{self.record_id}"


@dataclass(frozen=True)
class Check:
    code: str
    name_zh: str
    name_en: str
    severity: str
    norm: str  # the clause or reason the rule rests on
    run: Callable[[str, Thresholds], Iterator[Hit]]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


CHECKS: list[Check] = []


def check(code, name_zh, name_en, severity, norm):
    def register(run):
        CHECKS.append(Check(code, name_zh, name_en, severity, norm, run))
        return run

    return register


def get(code: str) -> Check:
    return next(c for c in CHECKS if c.code == code)


def _dated_records(under: str, condition: Q):
    """Visits and encounters (the two kinds of dated service) matching ``condition`` on the
    resident, as one UNION: (type, id, unit, resident, date, resident's status date)."""
    columns = ("rtype", "pk", "place", "resident_id", "date", "resident__status_date", "resident__birth_date")
    visits = (Visit.objects.under(under).filter(condition)
              .annotate(rtype=Value("visit", CharField()), place=F("village_id")).order_by().values_list(*columns))
    encounters = (Encounter.objects.under(under).filter(condition)
                  .annotate(rtype=Value("encounter", CharField()), place=F("unit_id")).order_by().values_list(*columns))
    # order_by(): both models have a default ordering, which a UNION's parts may not carry.
    return visits.union(encounters, all=True)


_KIND_ZH = {"visit": "随访/服务", "encounter": "接诊"}


@check("after_death", "死亡后仍有服务记录", "Service recorded after death", ERROR,
       "NORMS §2.1 终止: death ends the record; nothing can be done for the resident after it")
def after_death(under: str, t: Thresholds) -> Iterator[Hit]:
    rows = _dated_records(under, Q(resident__status=Status.DEAD, date__gt=F("resident__status_date")))
    for kind, pk, unit, resident, day, died, _born in rows:
        yield Hit(unit, resident, kind, pk, f"{_KIND_ZH[kind]}日期 {day} 晚于死亡日期 {died}")


@check("before_birth", "服务日期早于出生日期", "Service dated before birth", ERROR,
       "Logic: a service needs the person to be born (NORMS §2.1 part 4 encounters, §2 visits)")
def before_birth(under: str, t: Thresholds) -> Iterator[Hit]:
    rows = _dated_records(under, Q(date__lt=F("resident__birth_date")))
    for kind, pk, unit, resident, day, _died, born in rows:
        yield Hit(unit, resident, kind, pk, f"{_KIND_ZH[kind]}日期 {day} 早于出生日期 {born}")


def _chronic(under: str):
    # The follow-up form has no scope of its own: it belongs to its visit's unit.
    return ChronicFollowUp.objects.filter(prefix_filter("visit__village_id", under))


def _bp_problems(sbp, dbp, t: Thresholds) -> str:
    problems = []
    if sbp is not None and not t.sbp_low <= sbp <= t.sbp_high:
        problems.append(f"收缩压不在 {t.sbp_low}–{t.sbp_high} 之间")
    if dbp is not None and not t.dbp_low <= dbp <= t.dbp_high:
        problems.append(f"舒张压不在 {t.dbp_low}–{t.dbp_high} 之间")
    if sbp is not None and dbp is not None and dbp >= sbp:
        problems.append("舒张压不低于收缩压")
    return "，".join(problems)


@check("bp_range", "血压值不合理", "Implausible blood pressure", ERROR,
       "Plausibility (local): SBP 70–260, DBP 40–150 mmHg, DBP below SBP; NORMS §2.5 readings")
def bp_range(under: str, t: Thresholds) -> Iterator[Hit]:
    bad = (Q(sbp__lt=t.sbp_low) | Q(sbp__gt=t.sbp_high) | Q(dbp__lt=t.dbp_low)
           | Q(dbp__gt=t.dbp_high) | Q(dbp__gte=F("sbp")))
    columns = ("rtype", "pk", "place", "rid", "day", "sbp", "dbp")
    followups = (_chronic(under).filter(bad).annotate(
        rtype=Value("visit", CharField()), place=F("visit__village_id"), rid=F("visit__resident_id"),
        day=F("visit__date")).order_by().values_list(*columns))
    # 首诊测血压 readings of residents not (yet) managed are typed in the same way.
    readings = (BloodPressureReading.objects.under(under).filter(bad).annotate(
        rtype=Value("bp_reading", CharField()), place=F("village_id"), rid=F("resident_id"),
        day=F("date")).order_by().values_list(*columns))
    for kind, pk, unit, resident, day, sbp, dbp in followups.union(readings, all=True):
        yield Hit(unit, resident, kind, pk, f"{day} 血压 {sbp}/{dbp} mmHg：{_bp_problems(sbp, dbp, t)}")


@check("fpg_range", "空腹血糖值不合理", "Implausible fasting glucose", ERROR,
       "Plausibility (local): 1–35 mmol/L, the range glucometers read; NORMS §2.6 readings")
def fpg_range(under: str, t: Thresholds) -> Iterator[Hit]:
    low, high = Decimal(str(t.fpg_low)), Decimal(str(t.fpg_high))
    rows = (_chronic(under).filter(Q(fpg__lt=low) | Q(fpg__gt=high))
            .values_list("pk", "visit__village_id", "visit__resident_id", "visit__date", "fpg"))
    for pk, unit, resident, day, fpg in rows:
        yield Hit(unit, resident, "visit", pk,
                  f"{day} 空腹血糖 {fpg} mmol/L 不在 {t.fpg_low:g}–{t.fpg_high:g} 之间")


@check("copied_vitals", "连续多次随访体征完全相同", "Identical readings copied across follow-ups", SUSPECT,
       "NORMS §7.7 数据造假: anomaly detection, identical vitals; run length configurable (local: 4)")
def copied_vitals(under: str, t: Thresholds) -> Iterator[Hit]:
    """The follow-up that completes a run of ``copied_run_length`` identical (SBP, DBP,
    weight) in a row of one enrolment: one hit per run, on a visit that stays the same while
    the run grows, so the finding keeps its identity.

    Consecutive rows are compared with LAG, which both databases have and Django can filter
    on; a form missing one of the three gets a key of its own, so it breaks a run.
    """
    n = t.copied_run_length
    key = Case(
        When(sbp__isnull=False, dbp__isnull=False, weight_kg__isnull=False,
             then=Concat(Cast("sbp", CharField()), Value("/"), Cast("dbp", CharField()), Value("/"),
                         Cast("weight_kg", CharField()), output_field=CharField())),
        default=Concat(Value("#"), Cast("visit_id", CharField()), output_field=CharField()))

    def lag(k):
        return Window(Lag("key", k, default=Value("")), partition_by=[F("visit__enrolment_id")],
                      order_by=[F("visit__date").asc(), F("visit_id").asc()])

    rows = (_chronic(under).annotate(key=key).annotate(**{f"lag{k}": lag(k) for k in range(1, n + 1)})
            .filter(**{f"lag{k}": F("key") for k in range(1, n)}).exclude(**{f"lag{n}": F("key")})
            .values_list("pk", "visit__village_id", "visit__resident_id", "visit__date", "sbp", "dbp",
                         "weight_kg"))
    for pk, unit, resident, day, sbp, dbp, weight in rows:
        yield Hit(unit, resident, "visit", pk,
                  f"截至 {day} 连续 {n} 次随访血压 {sbp}/{dbp} mmHg、体重 {weight} kg 完全相同，疑似复制")


@check("visit_density", "单日随访次数超出一名医生的能力", "More visits in a day than one doctor can make",
       SUSPECT, "NORMS §7.7 数据造假: impossible visit density; daily limit configurable (local: 40)")
def visit_density(under: str, t: Thresholds) -> Iterator[Hit]:
    """Face-to-face visits of one doctor on one day, counted over every village (a township
    doctor's round crosses villages), reported in each village where they were recorded.
    Phone follow-ups are left out: forty calls a day are possible.

    Window counts over the visits of the doctors who worked in the scope (one pass, no
    per-row subquery); one row per (doctor, day, unit) survives, its first visit. The scope
    is applied to those few rows afterwards: filtering the query by unit would also shrink
    the day's total to the part recorded in the scope.
    """
    day = [F("doctor_id"), F("date")]
    here = [*day, F("village_id")]
    doctors = Visit.objects.under(under).filter(face_to_face=True).values("doctor_id")
    rows = (Visit.objects.filter(face_to_face=True, doctor__in=doctors)
            .annotate(total=Window(Count("pk"), partition_by=day), here=Window(Count("pk"), partition_by=here),
                      first=Window(Min("pk"), partition_by=here))
            .filter(total__gt=t.max_visits_per_doctor_day, first=F("pk")).order_by()
            .values_list("pk", "doctor_id", "doctor__full_name", "doctor__username", "date", "village_id",
                         "total", "here"))
    for pk, doctor, full_name, username, on, unit, total, n in rows:
        if unit.startswith(under):
            yield Hit(unit, None, "doctor_day", pk,
                      f"{full_name or username} 在 {on} 记录面对面随访 {total} 次（本单位 {n} 次），"
                      f"超过每日 {t.max_visits_per_doctor_day} 次",
                      key=f"doctor_day:{doctor}:{on}:{unit}")


def _number(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


@check("rate_over_100", "率超过100%（分子大于分母）", "Rate above 100% (numerator above denominator)", ERROR,
       "NORMS §5: a rate's numerator is a subset of its denominator")
def rate_over_100(under: str, t: Thresholds) -> Iterator[Hit]:
    """Village values only: a township or county value is the sum of its villages, so it is
    above 100% only if some village is, and the village is where it gets corrected."""
    names = {d.code: d.name_zh for d in all_indicators() if d.unit == PERCENT}
    rows = (IndicatorValue.objects.under(under)
            .filter(unit__kind="village", indicator__in=list(names), numerator__gt=F("denominator"))
            .values_list("pk", "unit_id", "indicator", "period_kind", "period_start", "period_end",
                         "numerator", "denominator"))
    for pk, unit, code, kind, start, end, num, den in rows:
        rate = f"{num * 100 / den:.1f}%" if den else "∞"
        yield Hit(unit, None, "indicator", pk,
                  f"{names[code]}（{Period(kind, start, end).label}）：分子 {_number(num)} 大于分母 "
                  f"{_number(den)}，率 {rate}",
                  key=f"indicator:{code}:{unit}:{kind}:{start}")


_ENDED_ZH = {Status.DEAD: "死亡", Status.MOVED: "迁出", Status.MERGED: "合并到另一份档案"}


def _programme_zh(code: str) -> str:
    try:
        name = programmes.get(code).name
    except KeyError:
        return code
    with translation.override("zh-hans"):  # the message is stored, in Chinese
        return str(name)


@check("managed_after_exit", "已死亡、迁出或合并的居民仍在管理", "Still managed after death, moving out or merging",
       ERROR, "NORMS §2.1 终止 and §8 item 2: death and moving out end management (结案/注销)")
def managed_after_exit(under: str, t: Thresholds) -> Iterator[Hit]:
    rows = (Enrolment.objects.under(under)
            .filter(status=EnrolmentStatus.MANAGED, resident__status__in=list(_ENDED_ZH))
            .values_list("pk", "village_id", "resident_id", "programme", "resident__status",
                         "resident__status_date"))
    for pk, unit, resident, programme, status, day in rows:
        yield Hit(unit, resident, "enrolment", pk,
                  f"居民已{_ENDED_ZH[status]}（{day or '日期未填'}），{_programme_zh(programme)}管理仍为“在管”")


_ODD, _EVEN = list("13579"), list("02468")


def _yyyymmdd(field: str):
    def part(extract, width):
        return LPad(Cast(extract(field), CharField()), width, Value("0"))

    return Concat(part(ExtractYear, 4), part(ExtractMonth, 2), part(ExtractDay, 2), output_field=CharField())


@check("id_mismatch", "身份证号与出生日期或性别不符", "ID number disagrees with birth date or sex", ERROR,
       "NORMS §6.4 (GB 11643: digits 7–14 birth date, digit 17 odd = male) and §8 item 3")
def id_mismatch(under: str, t: Thresholds) -> Iterator[Hit]:
    """Compared as text in SQL, so a malformed number cannot make the query fail; the
    message then comes from people.idnumber, the same words the resident form uses."""
    rows = (Resident.objects.under(under).exclude(status=Status.MERGED)
            .annotate(id_len=Length("id_number"), id_birth=Substr("id_number", 7, 8),
                      id_sex=Substr("id_number", 17, 1), birth=_yyyymmdd("birth_date"))
            .filter(id_len=18)
            .filter(~Q(id_birth=F("birth")) | Q(sex="1", id_sex__in=_EVEN) | Q(sex="2", id_sex__in=_ODD))
            .values_list("pk", "village_id", "id_number", "sex", "birth_date"))
    for pk, unit, number, sex, born in rows:
        try:
            info = idnumber.validate(number, today=timezone.localdate())
        except idnumber.IdNumberError as error:
            message = error.message_zh
        else:
            message = "；".join(e.message_zh for e in idnumber.agrees_with(info, sex=sex, birth_date=born))
        if message:
            yield Hit(unit, pk, "resident", pk, message)
