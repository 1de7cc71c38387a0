"""Rules of pregnant and postpartum women's health management.

Pure Python, no Django. Sources: NORMS §2.3 (antenatal visits by gestational week, postpartum
home visit, 42-day check) and MCH-SUPPLEMENT "Pregnancy risk assessment and management"
([M1]–[M3], the five colours). Every number is in ``MaternalConfig`` or a data table (NORMS
"design principle"); (unconfirmed)/(local) values say so. Decisions where the texts are silent
are marked "Decision:".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# --- Configuration -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AntenatalVisit:
    code: str
    name_zh: str
    first_day: int          # gestational age in days (completed weeks × 7 + days), inclusive
    last_day: int           # inclusive


def _ga(weeks: int, days: int = 0) -> int:
    return weeks * 7 + days


# NORMS §2.3 [S21][S22]: 1 visit before 13 weeks + 16–20 + 21–24 + 28–36 + 37–40 weeks.
# Decision: "16–20 weeks" includes the whole 20th week (20+0 … 20+6), so that the windows of the
# norm join up (the next one starts at 21+0); likewise 24+6, 36+6 and 40+6. The first visit has no
# lower bound in the norm: its window opens at the LMP. A visit in a gap (13+0–15+6, 25+0–27+6)
# counts for no window.
ANTENATAL_VISITS: tuple[AntenatalVisit, ...] = (
    AntenatalVisit("anc1", "第1次产前检查（早孕建册）", 0, _ga(13) - 1),     # "before 13 weeks" = ≤ 12+6
    AntenatalVisit("anc2", "第2次产前检查（孕16～20周）", _ga(16), _ga(20, 6)),
    AntenatalVisit("anc3", "第3次产前检查（孕21～24周）", _ga(21), _ga(24, 6)),
    AntenatalVisit("anc4", "第4次产前检查（孕28～36周）", _ga(28), _ga(36, 6)),
    AntenatalVisit("anc5", "第5次产前检查（孕37～40周）", _ga(37), _ga(40, 6)),
)


@dataclass(frozen=True)
class RedatingBand:
    below_ga_days: int      # band applies while the ultrasound gestational age is below this
    max_difference_days: int


@dataclass(frozen=True)
class MaternalConfig:
    edd_days: int = 280                     # EDD = LMP + 280 days (Naegele)
    early_booking_before_days: int = _ga(13)   # 早孕建册: before 13 weeks (NORMS §2.3, §5.2)
    antenatal_visits: tuple[AntenatalVisit, ...] = ANTENATAL_VISITS
    postpartum_visit_days: int = 7          # within 1 week after discharge (NORMS §2.3, 3rd edition)
    # (local/unconfirmed) NORMS §2.3 says only "around day 42": on time from day 42 (delivery day
    # = day 0) to day 42 + 14. Counties set their own slack here.
    check42_day: int = 42
    check42_early_days: int = 0
    check42_late_days: int = 14
    # (local/unconfirmed) Ultrasound correction of the LMP dating. Neither NORMS nor the
    # supplement gives a rule. Default: use the ultrasound dating when it differs from the LMP
    # dating on the scan day by MORE than the band's number of days; the bands are recalled from
    # ACOG Committee Opinion 700 (2017), by the ultrasound gestational age:
    #   < 9+0: 5 days; 9+0–15+6: 7; 16+0–21+6: 10; 22+0–27+6: 14; ≥ 28+0: 21.
    # A county that uses one fixed number (e.g. 7 days) sets a single band.
    redating_bands: tuple[RedatingBand, ...] = (
        RedatingBand(_ga(9), 5),
        RedatingBand(_ga(16), 7),
        RedatingBand(_ga(22), 10),
        RedatingBand(_ga(28), 14),
        RedatingBand(_ga(45), 21),
    )
    # (unconfirmed) BMI bands for the yellow "under/overweight" example of the supplement; the
    # orange BMI ≥ 28 and the ages are the supplement's [M3].
    underweight_bmi_below: float = 18.5
    overweight_bmi_above: float = 25.0
    orange_bmi_from: float = 28.0
    yellow_age_from: int = 35
    yellow_age_to: int = 18                  # ≤ 18
    orange_age_from: int = 40


DEFAULT = MaternalConfig()


# --- Gestational age ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ultrasound:
    scan_date: date
    ga_days: int            # gestational age measured at the scan, e.g. 8+3 → 59

    @classmethod
    def of(cls, scan_date: date, weeks: int, days: int = 0) -> Ultrasound:
        return cls(scan_date, _ga(weeks, days))


@dataclass(frozen=True)
class GestationalAge:
    days: int               # completed days since the (effective) LMP
    basis: str              # "lmp" or "ultrasound"
    lmp: date               # effective LMP: the reported one, or the one implied by the scan
    edd: date
    reason: str

    @property
    def weeks(self) -> int:
        return self.days // 7

    @property
    def extra_days(self) -> int:
        return self.days % 7

    @property
    def label(self) -> str:
        return f"孕{self.weeks}+{self.extra_days}周"


def expected_delivery_date(lmp: date, config: MaternalConfig = DEFAULT) -> date:
    """EDD = LMP + 280 days."""
    return lmp + timedelta(days=config.edd_days)


def dating(lmp: date | None, ultrasound: Ultrasound | None = None,
           config: MaternalConfig = DEFAULT) -> tuple[date, str, str]:
    """(effective LMP, basis, reason) after the ultrasound correction rule of ``MaternalConfig``."""
    if lmp is None and ultrasound is None:
        raise ValueError("need the LMP or an ultrasound dating")
    if ultrasound is None:
        return lmp, "lmp", "按末次月经推算"
    us_lmp = ultrasound.scan_date - timedelta(days=ultrasound.ga_days)
    if lmp is None:
        return us_lmp, "ultrasound", "末次月经不详：按超声推算"
    band = next((b for b in config.redating_bands if ultrasound.ga_days < b.below_ga_days), None)
    if band is None:
        raise ValueError(f"no redating band for an ultrasound gestational age of {ultrasound.ga_days} days")
    difference = abs((lmp - us_lmp).days)
    if difference > band.max_difference_days:
        return us_lmp, "ultrasound", f"超声孕周与末次月经相差 {difference} 天 > {band.max_difference_days} 天：按超声核对孕周"
    return lmp, "lmp", f"超声孕周与末次月经相差 {difference} 天 ≤ {band.max_difference_days} 天：按末次月经推算"


def gestational_age(lmp: date | None, on_date: date, ultrasound: Ultrasound | None = None,
                    config: MaternalConfig = DEFAULT) -> GestationalAge:
    """Gestational age on ``on_date`` (LMP day = 0+0), corrected by ultrasound (see the config)."""
    effective, basis, reason = dating(lmp, ultrasound, config)
    days = (on_date - effective).days
    if days < 0:
        raise ValueError("date before the last menstrual period")
    return GestationalAge(days, basis, effective, expected_delivery_date(effective, config), reason)


def is_early_booking(lmp: date, booking_date: date, config: MaternalConfig = DEFAULT) -> bool:
    """早孕建册: first check + booking before 13 weeks (NORMS §2.3, §5.2), i.e. at ≤ 12+6."""
    return 0 <= (booking_date - lmp).days < config.early_booking_before_days


# --- Visit windows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MaternalWindow:
    code: str
    name_zh: str
    start: date
    end: date               # inclusive

    def status(self, today: date) -> str:
        """"upcoming", "due" or "missed" (the first antenatal check: "late" instead of missed)."""
        if today < self.start:
            return "upcoming"
        if today <= self.end:
            return "due"
        return "late" if self.code == "anc1" else "missed"

    def on_time(self, visit_date: date) -> bool:
        return self.start <= visit_date <= self.end


def antenatal_windows(lmp: date | None = None, *, edd: date | None = None,
                      config: MaternalConfig = DEFAULT) -> list[MaternalWindow]:
    """The 5 antenatal check windows of NORMS §2.3 by gestational week, from the LMP or the EDD.

    Pass the effective LMP (``gestational_age(...).lmp``) when an ultrasound corrected it.
    """
    if (lmp is None) == (edd is None):
        raise ValueError("give exactly one of lmp and edd")
    if lmp is None:
        lmp = edd - timedelta(days=config.edd_days)
    return [MaternalWindow(v.code, v.name_zh, lmp + timedelta(days=v.first_day), lmp + timedelta(days=v.last_day))
            for v in config.antenatal_visits]


def postpartum_windows(delivery_date: date, discharge_date: date | None = None,
                       config: MaternalConfig = DEFAULT) -> list[MaternalWindow]:
    """产后访视 within 7 days after discharge and the 42-day check (NORMS §2.3).

    Decisions: the discharge day itself counts (the visit is done together with the newborn
    visit, same rule as the child schedule); without a discharge date the delivery date is used.
    """
    if discharge_date is not None and discharge_date < delivery_date:
        raise ValueError("discharge date before delivery date")
    c = config
    start = discharge_date or delivery_date
    day42 = delivery_date + timedelta(days=c.check42_day)
    return [
        MaternalWindow("postpartum_visit", "产后访视", start, start + timedelta(days=c.postpartum_visit_days)),
        MaternalWindow("check42", "产后42天健康检查", day42 - timedelta(days=c.check42_early_days),
                       day42 + timedelta(days=c.check42_late_days)),
    ]


MATERNAL_CODES = tuple(v.code for v in ANTENATAL_VISITS) + ("postpartum_visit", "check42")


@dataclass(frozen=True)
class MaternalDue:
    window: MaternalWindow
    status: str


def next_maternal_due(lmp: date | None, done_codes: Iterable[str], today: date, *,
                      ultrasound: Ultrasound | None = None, delivery_date: date | None = None,
                      discharge_date: date | None = None,
                      config: MaternalConfig = DEFAULT) -> MaternalDue | None:
    """The next visit a woman needs on ``today``; None when nothing is left.

    Decisions: before delivery, the first check (booking) stays due until done — late after
    12+6, since every later check builds on it — then the first antenatal window not done and
    not yet over. Once a delivery date is known the antenatal windows no longer apply and the
    postpartum visit, then the 42-day check, follow. Postpartum windows need the delivery date,
    so a pregnancy past its last antenatal window without one returns None.
    """
    done = set(done_codes)
    unknown = done - set(MATERNAL_CODES) - {v.code for v in config.antenatal_visits}
    if unknown:
        raise ValueError(f"unknown visit codes: {sorted(unknown)}")
    if delivery_date is None:
        effective, _, _ = dating(lmp, ultrasound, config)
        windows = antenatal_windows(effective, config=config)
    else:
        windows = postpartum_windows(delivery_date, discharge_date, config)
    for w in windows:
        status = w.status(today)
        if w.code not in done and status != "missed":
            return MaternalDue(w, status)
    return None


# --- Five-colour pregnancy risk (MCH-SUPPLEMENT [M1][M2][M3]) -----------------------------------


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"
    PURPLE = "purple"


COLOUR_LABELS = {
    Colour.GREEN: "绿色（低风险）",
    Colour.YELLOW: "黄色（一般风险）",
    Colour.ORANGE: "橙色（较高风险）",
    Colour.RED: "红色（高风险）",
    Colour.PURPLE: "紫色（传染性疾病）",
}
_RANK = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.ORANGE: 2, Colour.RED: 3}


@dataclass(frozen=True)
class RiskCondition:
    label: str
    colour: Colour          # minimum colour this condition gives


# The supplement's examples (local summaries [M3]) as DATA: condition code → minimum colour. The
# national assessment form is a much longer checklist; counties replace or extend this mapping
# (e.g. from the database) and pass it to ``assess_risk`` — the supplement says never to hard-code
# it. Green ("no complications found") is what remains when no condition applies.
DEFAULT_RISK_TABLE: Mapping[str, RiskCondition] = {
    # 黄 yellow — general risk
    "age_35_or_over": RiskCondition("年龄≥35岁", Colour.YELLOW),
    "age_18_or_under": RiskCondition("年龄≤18岁", Colour.YELLOW),
    "underweight": RiskCondition("体重过低", Colour.YELLOW),
    "overweight": RiskCondition("超重", Colour.YELLOW),
    "scarred_uterus": RiskCondition("瘢痕子宫", Colour.YELLOW),
    "gestational_diabetes": RiskCondition("妊娠期糖尿病", Colour.YELLOW),
    "hypertension": RiskCondition("妊娠期高血压", Colour.YELLOW),
    "twins": RiskCondition("双胎妊娠", Colour.YELLOW),
    "ivf": RiskCondition("辅助生殖（试管婴儿）妊娠", Colour.YELLOW),
    "mild_anaemia": RiskCondition("轻度贫血", Colour.YELLOW),
    "thrombocytopenia": RiskCondition("血小板减少", Colour.YELLOW),
    "polyhydramnios": RiskCondition("羊水过多", Colour.YELLOW),
    "oligohydramnios": RiskCondition("羊水过少", Colour.YELLOW),
    # 橙 orange — higher risk
    "age_40_or_over": RiskCondition("年龄≥40岁", Colour.ORANGE),
    "bmi_28_or_over": RiskCondition("BMI≥28", Colour.ORANGE),
    "immune_disease": RiskCondition("免疫性疾病", Colour.ORANGE),
    "epilepsy": RiskCondition("癫痫", Colour.ORANGE),
    "diabetes": RiskCondition("糖尿病合并妊娠", Colour.ORANGE),
    "thyroid_disease": RiskCondition("甲状腺疾病", Colour.ORANGE),
    "pre_eclampsia": RiskCondition("子痫前期", Colour.ORANGE),
    "heart_disease": RiskCondition("心脏病", Colour.ORANGE),
    "placenta_praevia": RiskCondition("前置胎盘", Colour.ORANGE),
    "severe_anaemia": RiskCondition("重度贫血", Colour.ORANGE),
    # 红 red — high risk: continuing the pregnancy may endanger life
    "severe_hypertension": RiskCondition("严重高血压", Colour.RED),
    "severe_heart_disease": RiskCondition("严重心脏病（继续妊娠可能危及生命）", Colour.RED),
    "pernicious_placenta_praevia": RiskCondition("凶险性前置胎盘", Colour.RED),
    # 紫 purple — infectious disease; may carry another colour at the same time
    "viral_hepatitis": RiskCondition("病毒性肝炎", Colour.PURPLE),
    "syphilis": RiskCondition("梅毒", Colour.PURPLE),
    "hiv": RiskCondition("艾滋病病毒感染", Colour.PURPLE),
    "tuberculosis": RiskCondition("结核病", Colour.PURPLE),
    "severe_infectious_pneumonia": RiskCondition("重症感染性肺炎", Colour.PURPLE),
}


@dataclass(frozen=True)
class RiskResult:
    colour: Colour                    # green/yellow/orange/red; purple is the separate flag
    purple: bool
    needs_case_management: bool       # orange, red or purple → 高危孕产妇专案管理 [M2]
    report_upward: bool = False       # orange and red are reported upward promptly [M2]
    level2_care: bool = False         # all but green: care and delivery at level-2+ institutions [M2]
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        text = COLOUR_LABELS[self.colour]
        return f"{text}+{COLOUR_LABELS[Colour.PURPLE]}" if self.purple else text


def assess_risk(conditions: Iterable[str],
                table: Mapping[str, RiskCondition] = DEFAULT_RISK_TABLE) -> RiskResult:
    """Five-colour grading [M1][M2]: the highest minimum colour of the conditions present.

    Purple combines with the others: a woman with syphilis and pre-eclampsia is orange + purple;
    with syphilis alone green + purple. Unknown condition codes raise ValueError.
    """
    codes = list(dict.fromkeys(conditions))
    unknown = [c for c in codes if c not in table]
    if unknown:
        raise ValueError(f"unknown risk condition codes: {unknown}")
    colour, purple, reasons = Colour.GREEN, False, []
    for code in codes:
        cond = table[code]
        reasons.append(f"{cond.label}：{COLOUR_LABELS[cond.colour]}")
        if cond.colour is Colour.PURPLE:
            purple = True
        elif _RANK[cond.colour] > _RANK[colour]:
            colour = cond.colour
    if not codes:
        reasons.append("未发现妊娠风险因素：绿色")
    high = colour in (Colour.ORANGE, Colour.RED)
    if high or purple:
        reasons.append("纳入高危孕产妇专案管理")
    return RiskResult(colour, purple, high or purple, report_upward=high,
                      level2_care=colour is not Colour.GREEN or purple, reasons=tuple(reasons))


def conditions_from_measures(age_years: int | None = None, bmi: float | None = None,
                             config: MaternalConfig = DEFAULT) -> list[str]:
    """Risk condition codes implied by age and BMI (supplement [M3]; BMI bands see the config)."""
    c = config
    codes = []
    if age_years is not None:
        if age_years >= c.orange_age_from:
            codes.append("age_40_or_over")
        elif age_years >= c.yellow_age_from:
            codes.append("age_35_or_over")
        elif age_years <= c.yellow_age_to:
            codes.append("age_18_or_under")
    if bmi is not None:
        if bmi >= c.orange_bmi_from:
            codes.append("bmi_28_or_over")
        elif bmi > c.overweight_bmi_above:
            codes.append("overweight")
        elif bmi < c.underweight_bmi_below:
            codes.append("underweight")
    return codes
