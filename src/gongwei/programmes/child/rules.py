"""What the child programme adds to schedule.py and growth.py: pure rules, no Django.

- The schedule the care engine stores for a child (NORMS §2.2 month-age semantics [S20]):
  ``next_due`` = the day the next visit falls due, ``window_end`` = the last day before it is
  overdue (the day before month N+1); once the next window opens the visit is missed and the
  stored schedule moves on (``actions.do_refresh_schedules``). The programme ends on the 7th
  birthday ("0–6", schedule.ScheduleConfig.programme_end_months).
- One assessment of a measurement: WHO z-scores (growth.zscores), findings (growth.classify)
  and the weak-child conditions (schedule.weak_child_conditions).
- 儿童系统管理率 (NORMS §5.2, definition marked unconfirmed there): the required checks of a
  child in a period, from the "4-2-2-1" rhythm of NORMS §2.2 [S19] (see SystematicConfig).
- The warning signs of the development screen (儿童心理行为发育问题预警征象筛查表).

Decisions where the norms are silent are marked "Decision:".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from . import growth
from .schedule import (BIRTH_HISTORY, DEFAULT_SCHEDULE, DEFAULT_WEAK_CHILD, VISITS, Condition, ScheduleConfig,
                       VisitWindow, WeakChildConfig, add_months, age_in_months, visit_windows,
                       weak_child_conditions)

ONE_DAY = timedelta(days=1)
VISIT_NAMES = {v.code: v.name_zh for v in VISITS}
VISIT_MONTHS = {v.code: v.month for v in VISITS}

# Decision (local, like the chronic programme's): a referral is followed up within 2 weeks.
REFERRAL_FOLLOW_UP_DAYS = 14
# Decision (local): a weak-child follow-up is late 14 days after its due date.
WEAK_FOLLOWUP_LATE_DAYS = 14
# NORMS §5.2 新生儿访视率: "visited at least once within 28 days of birth".
NEWBORN_VISIT_WITHIN_DAYS = 28


# --- The stored schedule -------------------------------------------------------------------

def stored_window(window: VisitWindow | None) -> tuple[date | None, date | None]:
    """(next_due, window_end) as the care engine stores them: due from the due day, on time
    up to the day before it is overdue. (None, None) when no visit is left."""
    if window is None:
        return None, None
    return window.due, window.overdue_from - ONE_DAY


@lru_cache(maxsize=65536)
def _end_of_default_programme(birth_date: date) -> date:
    return add_months(birth_date, DEFAULT_SCHEDULE.programme_end_months)


def end_of_programme(birth_date: date, config: ScheduleConfig = DEFAULT_SCHEDULE) -> date:
    """The 7th birthday: the first day the child is no longer in the programme."""
    if config is DEFAULT_SCHEDULE:
        return _end_of_default_programme(birth_date)
    return add_months(birth_date, config.programme_end_months)


def aged_out(birth_date: date, day: date, config: ScheduleConfig = DEFAULT_SCHEDULE) -> bool:
    return day >= end_of_programme(birth_date, config)


@lru_cache(maxsize=65536)
def _default_windows(birth_date: date, discharge_date: date | None) -> tuple[VisitWindow, ...]:
    return tuple(visit_windows(birth_date, discharge_date, DEFAULT_SCHEDULE))


def windows(birth_date: date, discharge_date: date | None = None,
            config: ScheduleConfig = DEFAULT_SCHEDULE) -> tuple[VisitWindow, ...]:
    """schedule.visit_windows, remembered for the default schedule: a child's windows never
    change, and the rules ask for them at every check (the demo for half a million checks)."""
    if config is DEFAULT_SCHEDULE:
        return _default_windows(birth_date, discharge_date)
    return tuple(visit_windows(birth_date, discharge_date, config))


def window_of(code: str, birth_date: date, discharge_date: date | None = None,
              config: ScheduleConfig = DEFAULT_SCHEDULE) -> VisitWindow:
    return next(w for w in windows(birth_date, discharge_date, config) if w.code == code)


def current_visit(birth_date: date, done: Iterable[str], today: date,
                  discharge_date: date | None = None,
                  config: ScheduleConfig = DEFAULT_SCHEDULE) -> VisitWindow | None:
    """The visit the child should have next on ``today`` (not done, not missed); None after
    the 7th birthday or when all are done.

    Exactly schedule.next_visit (the first window not done and not missed; a test holds the
    two equal), over the remembered windows.
    """
    if aged_out(birth_date, today, config):
        return None
    done = set(done)
    for w in windows(birth_date, discharge_date, config):
        if w.code not in done and w.status(today) != "missed":
            return w
    return None


def ordered_codes(codes: Iterable[str]) -> list[str]:
    """Visit codes in the order of the schedule."""
    codes = set(codes)
    return [v.code for v in VISITS if v.code in codes]


def open_codes(birth_date: date, done: Iterable[str], day: date,
               discharge_date: date | None = None,
               config: ScheduleConfig = DEFAULT_SCHEDULE) -> list[VisitWindow]:
    """The visits that may be recorded on ``day``: not done, already open, not yet missed."""
    done = set(done)
    return [w for w in windows(birth_date, discharge_date, config)
            if w.code not in done and w.status(day) in ("open", "due", "overdue")]


# --- One measurement ------------------------------------------------------------------------

@dataclass(frozen=True)
class Assessment:
    z: growth.ZScores | None
    findings: tuple[growth.Finding, ...] = ()
    conditions: tuple[Condition, ...] = ()

    @property
    def abnormal(self) -> bool:
        """Anything found at all (birth history included): the check's classification "2"."""
        return bool(self.findings or self.conditions)


def assess(sex: str, birth_date: date, day: date, *, weight_kg=None, length_height_cm=None,
           measured_lying: bool | None = None, oedema: bool = False, hb_g_l=None,
           rickets: bool = False, birth_weight_g=None, gestational_weeks=None,
           weak: WeakChildConfig = DEFAULT_WEAK_CHILD) -> Assessment:
    """WHO z-scores, findings and weak-child conditions of one check (MCH-SUPPLEMENT).

    Without a weight or a length no z-score is computed (``z`` None when neither is given).
    """
    z = None
    findings: tuple = ()
    if weight_kg is not None or length_height_cm is not None:
        z = growth.zscores(sex, (day - birth_date).days,
                           float(weight_kg) if weight_kg is not None else None,
                           float(length_height_cm) if length_height_cm is not None else None,
                           measured_lying=measured_lying, oedema=oedema)
        findings = tuple(growth.classify(z))
    conditions = tuple(weak_child_conditions(
        birth_weight_g=float(birth_weight_g) if birth_weight_g is not None else None,
        gestational_weeks=float(gestational_weeks) if gestational_weeks is not None else None,
        findings=findings, hb_g_l=float(hb_g_l) if hb_g_l is not None else None,
        age_months=age_in_months(birth_date, day), rickets=rickets, config=weak))
    return Assessment(z, findings, conditions)


def conditions_json(conditions: Iterable[Condition]) -> list[dict]:
    return [{"code": c.code, "label": c.label, "severity": c.severity} for c in conditions]


def conditions_from_json(rows: Iterable[dict]) -> tuple[Condition, ...]:
    return tuple(Condition(r["code"], r.get("label", r["code"]), r.get("severity")) for r in rows or ())


def findings_json(findings: Iterable[growth.Finding]) -> list[dict]:
    return [{"code": f.code, "label": f.label, "indicator": f.indicator, "severity": f.severity,
             "z": f.z} for f in findings]


def severe_malnutrition(conditions: Iterable[Condition]) -> bool:
    """MCH-SUPPLEMENT [M5][M6]: severe malnutrition is referred at once to county level."""
    return any(c.code == "malnutrition" and c.severity == "severe" for c in conditions)


# Decision (MCH-SUPPLEMENT [M7] names premature and low-birth-weight infants as weak children
# but gives no duration): birth weight and gestational age are weighed at the checks of the
# first year of life only; later checks judge the child's own growth.
BIRTH_HISTORY_MONTHS = 12


def birth_history_applies(birth_date: date, day: date) -> bool:
    return age_in_months(birth_date, day) < BIRTH_HISTORY_MONTHS


def should_open_case(conditions: Iterable[Condition], has_open_case: bool,
                     had_birth_history_case: bool) -> bool:
    """Whether a check opens a weak-child case (体弱儿专案).

    Decision: any condition opens one unless a case is already open; a child with only birth
    history (LBW, preterm) gets one case for it, not a new one at every check of the first
    year after that case was closed.
    """
    conditions = list(conditions)
    if has_open_case or not conditions:
        return False
    if all(c.code in BIRTH_HISTORY for c in conditions):
        return not had_birth_history_case
    return True


def last_birth_date_aged_out(today: date, config: ScheduleConfig = DEFAULT_SCHEDULE) -> date:
    """The latest birth date of a child who is 7 or older on ``today``."""
    d = today - timedelta(days=int(config.programme_end_months * 30.4375) - 40)
    while not aged_out(d, today, config):
        d -= ONE_DAY
    while aged_out(d + ONE_DAY, today, config):
        d += ONE_DAY
    return d


# --- 儿童系统管理率: the required checks in a period ----------------------------------------

@dataclass(frozen=True)
class SystematicConfig:
    """The "4-2-2-1" rhythm of NORMS §2.2 [S19] as the visits of each year of life.

    4 checks in year 1 (3, 6, 8, 12 months), 2 in year 2 (18, 24), 2 in year 3 (30, 36), then
    1 a year (4, 5, 6 years): exactly the month visits of the §2.2 schedule. The newborn home
    visit and the full-month visit are not part of it (they have their own indicator,
    新生儿访视率). NORMS marks the definition unconfirmed: a county changes the rhythm (e.g.
    drops a visit: fewer required) or tolerates missing checks with ``allowed_missing``.
    """

    rhythm: tuple[tuple[str, ...], ...] = (
        ("m3", "m6", "m8", "m12"), ("m18", "m24"), ("m30", "m36"), ("y4",), ("y5",), ("y6",))
    under_3_years: int = 3              # the first three groups are "0–3"
    allowed_missing: int = 0            # checks a systematically managed child may lack

    @property
    def visits_0_3(self) -> tuple[str, ...]:
        return tuple(code for group in self.rhythm[:self.under_3_years] for code in group)

    @property
    def visits_0_6(self) -> tuple[str, ...]:
        return tuple(code for group in self.rhythm for code in group)

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(len(group) for group in self.rhythm)


DEFAULT_SYSTEMATIC = SystematicConfig()


def window_last_day(birth_date: date, month: int) -> date:
    """Last on-time day of the visit of month N: the day before the child reaches month N+1."""
    return add_months(birth_date, month + 1) - ONE_DAY


def required_visits(birth_date: date, start: date, end: date, codes: Iterable[str]) -> list[str]:
    """The checks a child must have had in the period [start, end].

    Definition (儿童系统管理率; Decision, NORMS §5.2 leaves it unconfirmed): a check of the
    rhythm is required in a period when its on-time window ends inside the period (the last
    day before month N+1 lies in [start, end]). A window that ends later is not yet required
    (the child still has time), one that ended before belongs to an earlier period. Over a
    child's life every check is required in exactly one period of a partition (months,
    quarters, years), and a whole year requires the rhythm's checks of about one year of life.
    """
    return [c for c in codes if start <= window_last_day(birth_date, VISIT_MONTHS[c]) <= end]


def birth_range(month: int, start: date, end: date) -> tuple[date, date] | None:
    """The birth dates b for which the window of month ``month`` ends in [start, end].

    ``window_last_day(b, month)`` never decreases as b grows, so the set is an interval: the
    first b whose window ends on or after ``start`` up to the last whose window ends on or
    before ``end``. Found by bisection on day numbers (exact with month-end clamping).
    """
    def first_birth(target: date) -> date:       # smallest b with window_last_day(b) >= target
        lo = target.toordinal() - 31 * (month + 2)
        hi = target.toordinal()
        while lo < hi:
            mid = (lo + hi) // 2
            if window_last_day(date.fromordinal(mid), month) >= target:
                hi = mid
            else:
                lo = mid + 1
        return date.fromordinal(lo)

    lo = first_birth(start)
    hi = first_birth(end + ONE_DAY) - ONE_DAY
    return (lo, hi) if lo <= hi else None


def systematically_managed(required: int, done: int,
                           config: SystematicConfig = DEFAULT_SYSTEMATIC) -> bool:
    return required > 0 and done >= required - config.allowed_missing


# --- Development screen (发育评估) ------------------------------------------------------------
# 儿童心理行为发育问题预警征象筛查表 (NHFPC 2013), used by the 3rd-edition check forms: four
# warning signs per age; any one present → refer for assessment. (unconfirmed) NORMS §2.2 only
# says "developmental/behavioural assessment"; the table is kept as data.

WARNING_SIGNS: dict[str, tuple[tuple[str, str], ...]] = {
    "m3": (("1", "对很大声音没有反应"), ("2", "逗引时不发音或不会微笑"), ("3", "不注视人脸，不追视移动人或物品"),
           ("4", "俯卧时不会抬头")),
    "m6": (("1", "发音少，不会笑出声"), ("2", "不会伸手抓物"), ("3", "紧握拳松不开"), ("4", "不能扶坐")),
    "m8": (("1", "听到声音无应答"), ("2", "不会区分生人和熟人"), ("3", "双手间不会传递玩具"), ("4", "不会独坐")),
    "m12": (("1", "呼唤名字无反应"), ("2", "不会模仿“再见”或“欢迎”动作"), ("3", "不会用拇食指对捏小物品"),
            ("4", "不会扶物站立")),
    "m18": (("1", "不会有意识叫“爸爸”或“妈妈”"), ("2", "不会按要求指人或物"), ("3", "与人无目光交流"),
            ("4", "不会独走")),
    "m24": (("1", "不会说3个物品的名称"), ("2", "不会按吩咐做简单事情"), ("3", "不会用勺吃饭"),
            ("4", "不会扶栏上楼梯/台阶")),
    "m30": (("1", "不会说2～3个字的短语"), ("2", "兴趣单一、刻板"), ("3", "不会示意大小便"), ("4", "不会跑")),
    "m36": (("1", "不会说自己的名字"), ("2", "不会玩“拿棍当马骑”等假想游戏"), ("3", "不会模仿画圆"),
            ("4", "不会双脚跳")),
    "y4": (("1", "不会说带形容词的句子"), ("2", "不能按要求等待或轮流"), ("3", "不会独立穿衣"), ("4", "不会单脚站立")),
    "y5": (("1", "不能简单叙说事情经过"), ("2", "不知道自己的性别"), ("3", "不会用筷子吃饭"), ("4", "不会单脚跳")),
    "y6": (("1", "不会表达自己的感受或想法"), ("2", "不会玩角色扮演的集体游戏"), ("3", "不会画方形"),
           ("4", "不会奔跑")),
}


@dataclass(frozen=True)
class FormParts:
    """Which parts of the check form apply at a visit (NORMS §2.2 and its tests)."""

    newborn: bool                  # birth history, jaundice, cord, vaccines, screening
    head_circumference: bool       # 0–3 years
    hb: bool                       # scheduled Hb test (schedule.TESTS)
    hearing: bool
    visual_acuity: bool            # 4–6 years: acuity chart
    warning_signs: tuple[tuple[str, str], ...] = field(default=())


@lru_cache(maxsize=None)
def form_parts(code: str) -> FormParts:
    from .schedule import visit_tests

    tests = {t.test_code for t in visit_tests(code)}
    month = VISIT_MONTHS[code]
    return FormParts(
        newborn=code in ("newborn", "full_month"),
        head_circumference=month is None or month <= 36,
        hb="hb" in tests, hearing="hearing" in tests,
        visual_acuity=month is not None and month >= 48,
        warning_signs=WARNING_SIGNS.get(code, ()))
