"""Rules of hypertension and type 2 diabetes management (NORMS §2.5, §2.6, §5.3).

Pure Python, no Django: screening, follow-up classification, the next due date and the
standardized-management test. Every number lives in ``ChronicConfig`` (NORMS "design
principle"); values the norm marks (unconfirmed) or (local) say so next to their field.

Decisions where the norm is silent are marked "Decision:" below.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import mean


@dataclass(frozen=True)
class ChronicConfig:
    # --- Follow-up control targets (NORMS §2.5 / §2.6 classification tables) ---
    htn_target_sbp: int = 140                  # controlled = SBP < 140 and DBP < 90
    htn_target_dbp: int = 90
    # 3rd edition: ≥ 65 years < 150/90, "lower to 140/90 if tolerated" — the age-specific
    # target is (partly unconfirmed) in NORMS §2.5; switch off to use 140/90 for everyone.
    use_elderly_target: bool = True
    elderly_age: int = 65
    elderly_target_sbp: int = 150
    elderly_target_dbp: int = 90
    dm_target_fpg: float = 7.0                 # controlled = FPG < 7.0 mmol/L (NORMS §2.6, §5.3)

    # --- Emergencies (危急情况) → urgent referral (NORMS §2.5 step 1, §2.6) ---
    emergency_sbp: int = 180                   # SBP ≥ 180 and/or DBP ≥ 110
    emergency_dbp: int = 110
    emergency_glucose_high: float = 16.7       # glucose ≥ 16.7 or ≤ 3.9 mmol/L (NORMS §2.6)
    emergency_glucose_low: float = 3.9
    # (unconfirmed) NORMS §2.6: "persistent tachycardia > 100/min"; None switches it off.
    dm_emergency_heart_rate_above: int | None = 100
    # (unconfirmed) NORMS §2.6: "raised glucose in pregnancy or lactation".
    dm_emergency_pregnancy_raised_glucose: bool = True

    # --- Intervals and on-time windows ---
    two_weeks_days: int = 14                   # "within 2 weeks" (NORMS §2.5, §2.6): the 14th day is the deadline
    two_weeks_early_days: int = 13             # Decision: such a window opens the day after the visit
    routine_interval_days: int = 90            # quarterly: (unconfirmed / local) NORMS §2.5, (local) §2.6
    routine_early_days: int = 15               # (local) project default window: due − 15 … due + 15
    routine_late_days: int = 15

    # --- 规范管理 (NORMS §5.3: ≥ 4 face-to-face follow-ups + annual exam; operational definition unconfirmed) ---
    standard_min_followups: int = 4
    standard_requires_annual_exam: bool = True

    # --- Hypertension screening (NORMS §2.5) ---
    screening_min_age: int = 35                # 首诊测血压 for residents ≥ 35
    raised_sbp: int = 140                      # diagnosis threshold; kept apart from the control target,
    raised_dbp: int = 90                       # which newer guidelines lower (NORMS §2.5, 2025 guideline)
    diagnosis_days: int = 3                    # raised on 3 separate days → preliminary diagnosis
    high_normal_sbp: int = 130                 # high-normal: SBP 130–139 and/or DBP 85–89
    high_normal_dbp: int = 85
    overweight_bmi: float = 24.0
    obese_bmi: float = 28.0
    waist_men_cm: float = 90
    waist_women_cm: float = 85
    heavy_drinking_spirits_ml: float = 100     # ≥ 100 ml spirits/day
    risk_age: int = 55

    # --- Diabetes diagnosis, WHO 1999 (NORMS §2.6) ---
    dm_fpg_diabetes: float = 7.0
    dm_random_diabetes: float = 11.1
    dm_ogtt_diabetes: float = 11.1
    ifg_low: float = 6.1                       # IFG 6.1–< 7.0
    igt_low: float = 7.8                       # IGT 2 h 7.8–< 11.1


DEFAULT = ChronicConfig()


class VisitClass(StrEnum):
    """此次随访分类 of the national follow-up form."""
    CONTROLLED = "1"
    UNCONTROLLED = "2"
    ADVERSE_REACTION = "3"
    COMPLICATION = "4"


VISIT_CLASS_LABELS = {
    VisitClass.CONTROLLED: "控制满意",
    VisitClass.UNCONTROLLED: "控制不满意",
    VisitClass.ADVERSE_REACTION: "不良反应",
    VisitClass.COMPLICATION: "并发症",
}


class Action(StrEnum):
    ROUTINE = "routine"
    ADJUST_RECHECK = "adjust_recheck"
    REFER = "refer"
    URGENT_REFER = "urgent_refer"


ACTION_LABELS = {
    Action.ROUTINE: "预约下次常规随访",
    Action.ADJUST_RECHECK: "调整用药，2周内随访",
    Action.REFER: "转诊，2周内主动随访转诊情况",
    Action.URGENT_REFER: "紧急处理后紧急转诊，2周内主动随访转诊情况",
}

# NORMS §2.5 step 1 (confirmed).
HYPERTENSION_EMERGENCY_SIGNS = {
    "consciousness_change": "意识改变",
    "severe_headache_dizziness": "剧烈头痛或头晕",
    "nausea_vomiting": "恶心呕吐",
    "blurred_vision": "视力模糊",
    "eye_pain": "眼痛",
    "palpitations": "心悸",
    "chest_tightness": "胸闷",
    "cannot_lie_flat": "喘憋不能平卧",
    "other_unmanageable": "存在不能处理的其他疾病",
}

# NORMS §2.6: the whole list is (unconfirmed) detail of the 3rd edition. Tachycardia and
# pregnancy are judged from FollowUpFacts.heart_rate / pregnant_or_lactating instead.
DIABETES_EMERGENCY_SIGNS = {
    "consciousness_change": "意识或行为改变",
    "acetone_breath": "呼气有烂苹果样丙酮味",
    "palpitations": "心悸",
    "sweating": "出汗",
    "anorexia": "食欲减退",
    "nausea_vomiting": "恶心、呕吐",
    "polydipsia": "多饮",
    "polyuria": "多尿",
    "abdominal_pain": "腹痛",
    "deep_rapid_breathing": "深大呼吸",
    "flushed_skin": "皮肤潮红",
    "high_fever": "体温超过39℃",
    "sudden_vision_drop": "视力突然骤降",
    "foot_ulcer": "足部溃疡",
    "other_unmanageable": "存在不能处理的其他疾病",
}


@dataclass(frozen=True)
class FollowUpFacts:
    visit_date: date
    age: int
    sbp: int | None = None
    dbp: int | None = None
    fpg: float | None = None                   # mmol/L
    random_glucose: float | None = None        # mmol/L
    adverse_reaction: bool = False
    hard_to_control_adverse_reaction: bool = False
    new_or_worse_complication: bool = False
    emergency_signs: tuple[str, ...] = ()      # codes of the two tables above
    pregnant_or_lactating: bool = False
    heart_rate: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "emergency_signs", tuple(self.emergency_signs))
        unknown = set(self.emergency_signs) - HYPERTENSION_EMERGENCY_SIGNS.keys() - DIABETES_EMERGENCY_SIGNS.keys()
        if unknown:
            raise ValueError(f"unknown emergency sign codes: {sorted(unknown)}")


@dataclass(frozen=True)
class PreviousState:
    consecutive_uncontrolled: int = 0          # uncontrolled visits in a row before this one
    open_referral: bool = False


@dataclass(frozen=True)
class Outcome:
    visit_class: VisitClass
    action: Action
    next_due: date
    window_end: date
    referral_followup_by: date | None
    consecutive_uncontrolled: int              # after this visit
    reasons: tuple[str, ...]


def _num(v) -> str:
    """6.9 → "6.9", 7 → "7", 7.0 → "7.0", None → "—"."""
    if v is None:
        return "—"
    if isinstance(v, int):
        return str(v)
    s = f"{v:.2f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def _bp_emergencies(facts: FollowUpFacts, c: ChronicConfig) -> list[str]:
    found = []
    if facts.sbp is not None and facts.sbp >= c.emergency_sbp:
        found.append(f"收缩压 {facts.sbp} mmHg ≥ {c.emergency_sbp}：危急情况")
    if facts.dbp is not None and facts.dbp >= c.emergency_dbp:
        found.append(f"舒张压 {facts.dbp} mmHg ≥ {c.emergency_dbp}：危急情况")
    return found


def _signs(facts: FollowUpFacts, table: dict[str, str]) -> list[str]:
    return [f"危急症状：{table[code]}" for code in facts.emergency_signs if code in table]


def _decide(facts: FollowUpFacts, previous: PreviousState, c: ChronicConfig,
            emergencies: list[str], on_target: bool, control_reason: str) -> Outcome:
    """The classification table shared by NORMS §2.5 and §2.6."""
    reasons = [*emergencies, control_reason]
    # Decision: the count follows the measurement only; a visit on target with an ADR or a
    # complication restarts it. A referral does not restart it (the caller may pass 0).
    count = 0 if on_target else previous.consecutive_uncontrolled + 1
    hard_adr = facts.hard_to_control_adverse_reaction
    adr = facts.adverse_reaction or hard_adr
    complication = facts.new_or_worse_complication
    if adr:
        reasons.append("药物不良反应，难以控制" if hard_adr else "药物不良反应")
    if complication:
        reasons.append("出现新的并发症或并发症加重")
    # Decision: the form takes one class; the highest-numbered one that applies wins.
    if complication:
        visit_class = VisitClass.COMPLICATION
    elif adr:
        visit_class = VisitClass.ADVERSE_REACTION
    elif not on_target:
        visit_class = VisitClass.UNCONTROLLED
    else:
        visit_class = VisitClass.CONTROLLED

    if emergencies:                                               # emergency first
        action = Action.URGENT_REFER
    elif count >= 2 or hard_adr or complication:                  # third row of the table
        action = Action.REFER
        if count >= 2:
            reasons.append(f"连续 {count} 次控制不满意：转诊")
    elif previous.open_referral and visit_class is not VisitClass.CONTROLLED:
        # Decision: with a referral still open, a visit that is not controlled keeps
        # following the referral up instead of adjusting medication locally.
        action = Action.REFER
        reasons.append("转诊尚未结束：继续追踪转诊结果")
    elif visit_class is not VisitClass.CONTROLLED:                # first uncontrolled or ADR
        action = Action.ADJUST_RECHECK
    else:
        action = Action.ROUTINE
        if previous.open_referral:
            reasons.append("转诊后控制满意：可结束转诊追踪")
    reasons.append(ACTION_LABELS[action])

    if action is Action.ROUTINE:
        next_due = facts.visit_date + timedelta(days=c.routine_interval_days)
        window_end = next_due + timedelta(days=c.routine_late_days)
    else:
        next_due = window_end = facts.visit_date + timedelta(days=c.two_weeks_days)
    referral_by = next_due if action in (Action.REFER, Action.URGENT_REFER) else None
    return Outcome(visit_class, action, next_due, window_end, referral_by, count, tuple(reasons))


def classify_hypertension(facts: FollowUpFacts, previous: PreviousState,
                          config: ChronicConfig = DEFAULT) -> Outcome:
    """Classify a hypertension follow-up and decide the next one (NORMS §2.5)."""
    c = config
    emergencies = _bp_emergencies(facts, c) + _signs(facts, HYPERTENSION_EMERGENCY_SIGNS)
    sbp, dbp = facts.sbp, facts.dbp
    if facts.pregnant_or_lactating and ((sbp or 0) >= c.raised_sbp or (dbp or 0) >= c.raised_dbp):
        emergencies.append(f"妊娠或哺乳期且血压 {_num(sbp)}/{_num(dbp)} mmHg 高于正常：危急情况")

    elderly = c.use_elderly_target and facts.age >= c.elderly_age
    t_sbp, t_dbp = (c.elderly_target_sbp, c.elderly_target_dbp) if elderly else (c.htn_target_sbp, c.htn_target_dbp)
    target = f"{t_sbp}/{t_dbp}" + (f"（≥{c.elderly_age}岁目标）" if elderly else "")
    bp = f"血压 {_num(sbp)}/{_num(dbp)} mmHg"
    if (sbp is not None and sbp >= t_sbp) or (dbp is not None and dbp >= t_dbp):
        on_target, why = False, f"{bp} ≥ {target}：控制不满意"
    elif sbp is None or dbp is None:
        # Decision: the norm's first step is to measure BP; a visit without both readings
        # cannot show control, so it counts as uncontrolled (recheck within 2 weeks).
        on_target, why = False, f"{bp} 未测全：无法判定控制满意，按控制不满意处理"
    else:
        on_target, why = True, f"{bp} < {target}：控制满意"
    return _decide(facts, previous, c, emergencies, on_target, why)


def classify_diabetes(facts: FollowUpFacts, previous: PreviousState,
                      config: ChronicConfig = DEFAULT) -> Outcome:
    """Classify a type 2 diabetes follow-up and decide the next one (NORMS §2.6)."""
    c = config
    emergencies = []
    for name, value in (("空腹血糖", facts.fpg), ("随机血糖", facts.random_glucose)):
        if value is not None and value >= c.emergency_glucose_high:
            emergencies.append(f"{name} {_num(value)} mmol/L ≥ {_num(c.emergency_glucose_high)}：危急情况")
        elif value is not None and value <= c.emergency_glucose_low:
            emergencies.append(f"{name} {_num(value)} mmol/L ≤ {_num(c.emergency_glucose_low)}：危急情况")
    emergencies += _bp_emergencies(facts, c) + _signs(facts, DIABETES_EMERGENCY_SIGNS)
    limit = c.dm_emergency_heart_rate_above
    if limit is not None and facts.heart_rate is not None and facts.heart_rate > limit:
        emergencies.append(f"心率 {facts.heart_rate} 次/分 > {limit}：危急情况")
    # Decision: "raised glucose" in pregnancy = FPG on or above the control target, or a
    # random glucose at the diagnostic level (the norm gives no number).
    raised = ((facts.fpg is not None and facts.fpg >= c.dm_target_fpg)
              or (facts.random_glucose is not None and facts.random_glucose >= c.dm_random_diabetes))
    if c.dm_emergency_pregnancy_raised_glucose and facts.pregnant_or_lactating and raised:
        emergencies.append("妊娠或哺乳期且血糖升高：危急情况")

    fpg, target = facts.fpg, _num(c.dm_target_fpg)
    if fpg is None:
        # Decision: as for BP, a visit without a fasting glucose cannot show control.
        on_target, why = False, "未测空腹血糖：无法判定控制满意，按控制不满意处理"
    elif fpg >= c.dm_target_fpg:
        on_target, why = False, f"空腹血糖 {_num(fpg)} mmol/L ≥ {target}：控制不满意"
    else:
        on_target, why = True, f"空腹血糖 {_num(fpg)} mmol/L < {target}：控制满意"
    return _decide(facts, previous, c, emergencies, on_target, why)


def is_on_time(outcome: Outcome, visit_date: date, config: ChronicConfig = DEFAULT) -> bool:
    """Whether a visit on ``visit_date`` meets ``outcome``: due − early days … window_end."""
    early = config.routine_early_days if outcome.action is Action.ROUTINE else config.two_weeks_early_days
    return outcome.next_due - timedelta(days=early) <= visit_date <= outcome.window_end


class ScreeningStatus(StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NORMAL = "normal"
    HIGH_NORMAL = "high_normal"
    RECHECK = "recheck"
    PRELIMINARY_DIAGNOSIS = "preliminary_diagnosis"


SCREENING_STATUS_LABELS = {
    ScreeningStatus.NOT_APPLICABLE: "不在首诊测血压范围",
    ScreeningStatus.NORMAL: "血压正常",
    ScreeningStatus.HIGH_NORMAL: "正常高值",
    ScreeningStatus.RECHECK: "血压升高，需非同日复查",
    ScreeningStatus.PRELIMINARY_DIAGNOSIS: "非同日3次血压升高，初步诊断高血压",
}


@dataclass(frozen=True)
class ScreeningResult:
    status: ScreeningStatus
    raised_days: tuple[date, ...]
    reasons: tuple[str, ...]


def screen_blood_pressure(readings: list[tuple[date, int, int]], age: int,
                          config: ChronicConfig = DEFAULT) -> ScreeningResult:
    """首诊测血压 and its rechecks (NORMS §2.5 screening).

    Decisions: several readings on one day count as one day, judged on their mean (the
    usual practice of averaging repeat readings at a sitting). A later normal day does not
    cancel an earlier raised one; excluding the suspicion is the clinician's call. The
    caller chooses which readings belong to one screening episode.
    """
    c = config
    if age < c.screening_min_age:
        return ScreeningResult(ScreeningStatus.NOT_APPLICABLE, (),
                               (f"{age} 岁 < {c.screening_min_age} 岁：不在首诊测血压范围",))
    if not readings:
        raise ValueError("screen_blood_pressure needs at least one reading")
    by_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for day, sbp, dbp in readings:
        by_day[day].append((sbp, dbp))
    raised, reasons, high_normal = [], [], False
    for day in sorted(by_day):
        sbp, dbp = mean(s for s, _ in by_day[day]), mean(d for _, d in by_day[day])
        text = f"{day.isoformat()} 血压 {_num(sbp)}/{_num(dbp)} mmHg"
        if len(by_day[day]) > 1:
            text += f"（同日 {len(by_day[day])} 次取均值，计 1 天）"
        if sbp >= c.raised_sbp or dbp >= c.raised_dbp:
            raised.append(day)
            reasons.append(f"{text} ≥ {c.raised_sbp}/{c.raised_dbp}：升高")
        elif sbp >= c.high_normal_sbp or dbp >= c.high_normal_dbp:
            high_normal = True
            reasons.append(f"{text}：正常高值")
        else:
            reasons.append(f"{text}：正常")
    if len(raised) >= c.diagnosis_days:
        status = ScreeningStatus.PRELIMINARY_DIAGNOSIS
    elif raised:
        status = ScreeningStatus.RECHECK
    else:
        status = ScreeningStatus.HIGH_NORMAL if high_normal else ScreeningStatus.NORMAL
    if raised:
        reasons.append(f"非同日升高 {len(raised)} 天（需 {c.diagnosis_days} 天）")
    reasons.append(SCREENING_STATUS_LABELS[status])
    return ScreeningResult(status, tuple(raised), tuple(reasons))


RISK_FACTOR_LABELS = {
    "high_normal_bp": "血压正常高值",
    "overweight_obesity": "超重、肥胖或中心型肥胖",
    "family_history": "高血压家族史",
    "high_salt": "长期高盐膳食",
    "heavy_drinking": "长期过量饮酒",
    "age": "年龄≥55岁",
}


def hypertension_risk_factors(*, sbp: int | None = None, dbp: int | None = None,
                              bmi: float | None = None, waist_cm: float | None = None,
                              sex: str | None = None, family_history: bool = False,
                              high_salt: bool = False, spirits_ml_per_day: float | None = None,
                              age: int | None = None, config: ChronicConfig = DEFAULT) -> tuple[str, ...]:
    """The six high-risk factors of NORMS §2.5, as codes of RISK_FACTOR_LABELS in norm order.

    Decision: a raised reading (≥ 140/90) is not "high-normal"; it belongs to screening.
    Waist is judged only for sex "1" (male) or "2" (female).
    """
    c = config
    found = []
    raised = (sbp or 0) >= c.raised_sbp or (dbp or 0) >= c.raised_dbp
    if not raised and ((sbp or 0) >= c.high_normal_sbp or (dbp or 0) >= c.high_normal_dbp):
        found.append("high_normal_bp")
    waist_limit = {"1": c.waist_men_cm, "2": c.waist_women_cm}.get(sex)
    if (bmi is not None and bmi >= c.overweight_bmi) or (
            waist_cm is not None and waist_limit is not None and waist_cm >= waist_limit):
        found.append("overweight_obesity")
    if family_history:
        found.append("family_history")
    if high_salt:
        found.append("high_salt")
    if spirits_ml_per_day is not None and spirits_ml_per_day >= c.heavy_drinking_spirits_ml:
        found.append("heavy_drinking")
    if age is not None and age >= c.risk_age:
        found.append("age")
    return tuple(found)


def diabetes_glycaemia(fpg: float | None = None, random_glucose: float | None = None,
                       ogtt_2h: float | None = None, symptoms: bool = False,
                       config: ChronicConfig = DEFAULT) -> str:
    """WHO 1999 category of one day's glucose values (NORMS §2.6).

    Returns "diabetes", "diabetes_needs_repeat", "ifg", "igt" or "normal".
    Decisions: without symptoms any diabetic value needs a repeat on another day, and a
    random ≥ 11.1 without symptoms also asks for that repeat. When both IFG and IGT apply,
    "igt" is returned (the OGTT is the more informative test; both are prediabetes).
    """
    c = config
    if fpg is None and random_glucose is None and ogtt_2h is None:
        raise ValueError("diabetes_glycaemia needs at least one glucose value")
    if ((fpg is not None and fpg >= c.dm_fpg_diabetes)
            or (ogtt_2h is not None and ogtt_2h >= c.dm_ogtt_diabetes)
            or (random_glucose is not None and random_glucose >= c.dm_random_diabetes)):
        return "diabetes" if symptoms else "diabetes_needs_repeat"
    if ogtt_2h is not None and ogtt_2h >= c.igt_low:
        return "igt"
    if fpg is not None and fpg >= c.ifg_low:
        return "ifg"
    return "normal"


def bmi(weight_kg: float, height_cm: float) -> float:
    """Body-mass index, kg/m², rounded to 1 decimal."""
    if weight_kg <= 0 or height_cm <= 0:
        raise ValueError("weight and height must be positive")
    return round(weight_kg / (height_cm / 100) ** 2, 1)


def is_standard_management(face_to_face_followups_in_year: int, had_annual_exam: bool,
                           config: ChronicConfig = DEFAULT) -> bool:
    """规范管理: ≥ 4 face-to-face follow-ups in the year plus the annual exam (NORMS §5.3)."""
    return (face_to_face_followups_in_year >= config.standard_min_followups
            and (had_annual_exam or not config.standard_requires_annual_exam))
