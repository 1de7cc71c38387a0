"""Maternal indicators (NORMS §5.2, §5.5; MCH-SUPPLEMENT), per village, set-based.

The cohort is the women whose pregnancy ENDED IN THE PERIOD by a delivery (分娩: outcome live
birth or stillbirth; a miscarriage or termination is not a delivery), by the village of the
pregnancy (the woman's, which follows her when she moves, as the enrolment does). What they
received during that pregnancy is what counts, whenever it was given: a woman who delivered in
January had her booking the year before.

"Live births" (活产数) = the sum of ``Delivery.live_births`` of the deliveries in the period:
twins count twice. NORMS §5.2 and §5.5 divide by live births where it says so; numerators
count women, so with twins a rate can fall short of 100% even when every woman was served —
as in the national MCH statistics.

- mch.early_booking 早孕建册率: women who delivered in the period and had booked before 13
  weeks (Pregnancy.early_booking, gestational age at booking ≤ 12+6 after the ultrasound
  correction) ÷ live births. Denominator NORMS §5.2 [S71]; numerator wording unconfirmed.
- mch.antenatal5 产前检查率（5次及以上）: women who delivered in the period with ≥ 5 antenatal
  checks recorded (the booking check included; NORMS §2.3: 1 + 2 + 2) ÷ women who delivered.
  Decision: checks are counted, not the windows they fall in.
- mch.postpartum_visit 产后访视率: women who delivered in the period and had a postpartum home
  visit within 28 days of discharge (of delivery, without a discharge date) ÷ live births
  (NORMS §5.2; the 28 days are "unconfirmed", POSTPARTUM_VISIT_COUNTED_DAYS).
- mch.systematic 孕产妇系统管理率: women who delivered in the period with all three: early
  booking, ≥ 5 antenatal checks and the postpartum visit as above ÷ live births (NORMS §5.2,
  definition unconfirmed).
- mch.hospital_delivery 住院分娩率: live births of hospital deliveries ÷ live births.
- mch.high_risk_screened 高危孕产妇筛查率 (妊娠风险筛查率): women who delivered in the period with a
  risk assessment on or before the delivery date ÷ women who delivered.
- mch.high_risk_managed 高危孕产妇管理率: of the women who delivered in the period and were
  graded orange, red or purple at any assessment, those whose case has a named responsible
  person and a case plan ÷ those women. No drill-down: the list of women would tell a
  village doctor who is purple because of a PMTCT result (access.py).
- mch.maternal_mortality 孕产妇死亡率: maternal deaths in the period during pregnancy or within
  42 days of its end, accidental causes excluded ÷ live births × 100,000 (NORMS §5.5); lower
  is better. Deaths count for the village of the pregnancy when the death was registered.
"""

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from gongwei.care.indicators import PER_100K, PERCENT, IndicatorDef, declare
from gongwei.care.periods import Period
from gongwei.orgs.access import prefix_filter
from gongwei.people.models import Resident

from .models import (BIRTH_OUTCOMES, AntenatalCheck, Delivery, HighRiskCase, MaternalDeath, Place, PostpartumCheck,
                     PostpartumKind, RiskAssessment)

POSTPARTUM_VISIT_COUNTED_DAYS = 28   # NORMS §5.2 "within 28 days" (unconfirmed)
MIN_ANTENATAL_CHECKS = 5             # NORMS §2.3: 1 in the first trimester + 2 + 2
VILLAGE = "pregnancy__village_id"


def deliveries(period: Period, under: str = ""):
    """Every pregnancy end recorded in the period (live births are summed over these)."""
    return Delivery.objects.filter(prefix_filter(VILLAGE, under), date__gte=period.start, date__lte=period.end)


def births(period: Period, under: str = ""):
    """The cohort: deliveries (live birth or stillbirth) in the period."""
    return deliveries(period, under).filter(outcome__in=BIRTH_OUTCOMES)


def early_booked(qs):
    return qs.filter(pregnancy__early_booking=True)


def five_checks(qs):
    counted = (AntenatalCheck.objects.filter(pregnancy=OuterRef("pregnancy_id")).values("pregnancy")
               .annotate(n=Count("pk")).values("n"))
    return qs.annotate(checks=Subquery(counted)).filter(checks__gte=MIN_ANTENATAL_CHECKS)


def visited(qs):
    visits = PostpartumCheck.objects.filter(pregnancy=OuterRef("pregnancy_id"), kind=PostpartumKind.HOME_VISIT,
                                            days_after_discharge__lte=POSTPARTUM_VISIT_COUNTED_DAYS)
    return qs.filter(Exists(visits))


def systematic(qs):
    return five_checks(visited(early_booked(qs)))


def in_hospital(qs):
    return qs.filter(place=Place.HOSPITAL)


def screened(qs):
    return qs.filter(Exists(RiskAssessment.objects.filter(pregnancy=OuterRef("pregnancy_id"), date__lte=OuterRef("date"))))


def high_risk(qs):
    return qs.filter(Exists(RiskAssessment.objects.filter(pregnancy=OuterRef("pregnancy_id"), needs_case=True)))


def managed_high_risk(qs):
    cases = HighRiskCase.objects.filter(pregnancy=OuterRef("pregnancy_id"), responsible__isnull=False).exclude(case_plan="")
    return high_risk(qs).filter(Exists(cases))


def maternal_deaths(period: Period, under: str = ""):
    """Counted deaths (NORMS §5.5): within 42 days, not accidental."""
    return MaternalDeath.objects.filter(prefix_filter("village_id", under), date__gte=period.start,
                                        date__lte=period.end, within_42_days=True, accidental=False)


# --- Per village ------------------------------------------------------------------------------

def _women(qs) -> dict[str, int]:
    return dict(qs.values(VILLAGE).annotate(n=Count("pk")).values_list(VILLAGE, "n"))


def _live_births(qs) -> dict[str, int]:
    return {v: n or 0 for v, n in qs.values(VILLAGE).annotate(n=Sum("live_births")).values_list(VILLAGE, "n")}


def _pairs(numerator: dict, denominator: dict) -> dict[str, tuple[int, int]]:
    return {v: (numerator.get(v, 0), denominator.get(v, 0)) for v in sorted(set(numerator) | set(denominator))}


# What each indicator counts: (numerator, denominator) as functions of (period, under).
def _live(period, under):
    return _live_births(deliveries(period, under))


COMPUTE = {
    "mch.early_booking": lambda p, u: _pairs(_women(early_booked(births(p, u))), _live(p, u)),
    "mch.antenatal5": lambda p, u: _pairs(_women(five_checks(births(p, u))), _women(births(p, u))),
    "mch.postpartum_visit": lambda p, u: _pairs(_women(visited(births(p, u))), _live(p, u)),
    "mch.systematic": lambda p, u: _pairs(_women(systematic(births(p, u))), _live(p, u)),
    "mch.hospital_delivery": lambda p, u: _pairs(_live_births(in_hospital(deliveries(p, u))), _live(p, u)),
    "mch.high_risk_screened": lambda p, u: _pairs(_women(screened(births(p, u))), _women(births(p, u))),
    "mch.high_risk_managed": lambda p, u: _pairs(_women(managed_high_risk(births(p, u))),
                                                  _women(high_risk(births(p, u)))),
    "mch.maternal_mortality": lambda p, u: _pairs(
        dict(maternal_deaths(p, u).values("village_id").annotate(n=Count("pk")).values_list("village_id", "n")),
        _live(p, u)),
}


def _compute(code):
    def compute(period: Period, under: str = "") -> dict[str, tuple[int, int]]:
        return COMPUTE[code](period, under)
    return compute


# --- Drill-down: the women behind a figure -----------------------------------------------------

def _members(numerator):
    """The women who delivered in the period, each marked in or out of the numerator."""

    def members(period: Period, under: str):
        cohort = births(period, under)
        hits = numerator(cohort).values("pregnancy__resident_id")
        return Resident.objects.filter(pk__in=cohort.values("pregnancy__resident_id")).annotate(
            in_numerator=Exists(hits.filter(pregnancy__resident_id=OuterRef("pk"))))

    return members


def _mortality_members(period: Period, under: str):
    deaths = maternal_deaths(period, under)
    return Resident.objects.filter(Q(pk__in=births(period, under).values("pregnancy__resident_id"))
                                   | Q(pk__in=deaths.values("resident_id"))).annotate(
        in_numerator=Exists(deaths.filter(resident_id=OuterRef("pk"))))


def declare_all() -> None:
    def d(code, zh, en, numerator, denominator, members, norm="NORMS §5.2", **kw):
        return IndicatorDef(code=code, name_zh=zh, name_en=en, numerator=numerator, denominator=denominator,
                            unit=kw.pop("unit", PERCENT), norm=norm, programme="maternal",
                            compute=_compute(code), members=members, **kw)

    delivered = "统计期内分娩（活产或死胎死产）的产妇"
    live = "统计期内辖区产妇分娩的活产数"
    declare(
        d("mch.early_booking", "早孕建册率", "Early booking rate",
          f"{delivered}中孕13周前（≤12+6周，超声核对孕周后）建册并做第1次产前检查的人数", live,
          _members(early_booked)),
        d("mch.antenatal5", "产前检查率（5次及以上）", "Antenatal care rate (5 or more checks)",
          f"{delivered}中产前检查（含第1次）5次及以上的人数", f"{delivered}人数",
          _members(five_checks), norm="NORMS §2.3"),
        d("mch.postpartum_visit", "产后访视率", "Postpartum visit rate",
          f"{delivered}中出院后28天内（无出院日期按分娩日期）接受产后访视的人数", live, _members(visited)),
        d("mch.systematic", "孕产妇系统管理率", "Systematic maternal management rate",
          f"{delivered}中早孕建册、产前检查5次及以上且28天内产后访视的人数", live, _members(systematic)),
        d("mch.hospital_delivery", "住院分娩率", "Hospital delivery rate",
          "统计期内在医疗机构住院分娩的活产数", live, _members(in_hospital)),
        d("mch.high_risk_screened", "孕产妇妊娠风险筛查率", "Pregnancy risk screening rate",
          f"{delivered}中分娩前做过妊娠风险评估的人数", f"{delivered}人数", _members(screened),
          norm="MCH-SUPPLEMENT [M1][M2]"),
        d("mch.high_risk_managed", "高危孕产妇管理率", "High-risk pregnancy management rate",
          f"{delivered}中评为橙、红、紫色且专案有责任人和管理计划的人数",
          f"{delivered}中评为橙、红、紫色的人数", None, norm="MCH-SUPPLEMENT [M2]"),
        d("mch.maternal_mortality", "孕产妇死亡率", "Maternal mortality ratio",
          "统计期内妊娠期或妊娠终止后42天内的孕产妇死亡数（不含意外死亡）", live, _mortality_members,
          norm="NORMS §5.5", unit=PER_100K, higher_is_better=False),
    )
