"""Visit schedule of children 0–6 and weak-child (体弱儿) management rules.

Pure Python, no Django. Sources: NORMS §2.2 (visit schedule, tests, month-age semantics) and
MCH-SUPPLEMENT "Nutritional disease management of children 0–6" ([M4]–[M7]). Every number is
in a config dataclass (NORMS "design principle"); (unconfirmed)/(local) values say so.
Decisions where the texts are silent are marked "Decision:".
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:            # only a type: the schedule works without loading the WHO tables
    from .growth import Finding

# --- Dates -------------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """The day a child born on ``d`` turns ``months`` months old.

    Decision: a birthday that does not exist in the target month (born 31 January → "31
    February") falls on that month's last day (the usual calendar arithmetic).
    """
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def age_in_months(birth_date: date, on: date) -> int:
    """Completed months of age ("N 月龄" = from the day the child turns N months, NORMS §2.2)."""
    if on < birth_date:
        raise ValueError("date before birth")
    months = (on.year - birth_date.year) * 12 + on.month - birth_date.month
    if add_months(birth_date, months) > on:
        months -= 1
    return months


# --- Visit schedule (NORMS §2.2) ---------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledVisit:
    code: str
    name_zh: str
    month: int | None          # month of age the visit belongs to; None for the two newborn visits


# NORMS §2.2 table [S13][S14][S16]: newborn home visit, full-month, 3/6/8/12, 18/24/30/36 months,
# yearly at 4, 5, 6 years.
VISITS: tuple[ScheduledVisit, ...] = (
    ScheduledVisit("newborn", "新生儿家庭访视", None),
    ScheduledVisit("full_month", "新生儿满月健康管理", None),
    ScheduledVisit("m3", "3月龄健康检查", 3),
    ScheduledVisit("m6", "6月龄健康检查", 6),
    ScheduledVisit("m8", "8月龄健康检查", 8),
    ScheduledVisit("m12", "12月龄健康检查", 12),
    ScheduledVisit("m18", "18月龄健康检查", 18),
    ScheduledVisit("m24", "24月龄健康检查", 24),
    ScheduledVisit("m30", "30月龄健康检查", 30),
    ScheduledVisit("m36", "36月龄健康检查", 36),
    ScheduledVisit("y4", "4岁健康检查", 48),
    ScheduledVisit("y5", "5岁健康检查", 60),
    ScheduledVisit("y6", "6岁健康检查", 72),
)
VISIT_CODES = tuple(v.code for v in VISITS)


@dataclass(frozen=True)
class ScheduleConfig:
    visits: tuple[ScheduledVisit, ...] = VISITS
    newborn_visit_days: int = 7        # within 7 days after discharge (NORMS §2.2 [S13][S14][S15])
    full_month_first_day: int = 28     # day 28–30 of life (NORMS §2.2 [S13])
    full_month_last_day: int = 30
    # (local) NORMS §2.2 [S73]: systems let counties open a window early ("advance days").
    # 0 = the window opens on the due day, as the month-age rule says.
    early_days: int = 0
    # Decision: the programme ends at the 7th birthday ("0–6"), so the 6-year visit is missed then.
    programme_end_months: int = 84


DEFAULT_SCHEDULE = ScheduleConfig()


@dataclass(frozen=True)
class VisitWindow:
    code: str
    name_zh: str
    opens: date           # may be done from this day
    due: date             # due from this day
    overdue_from: date    # late from this day
    missed_from: date     # no longer counted from this day (the next window has opened)

    def status(self, today: date) -> str:
        """"upcoming", "open" (before due, only with early_days), "due", "overdue" or "missed"."""
        if today < self.opens:
            return "upcoming"
        if today < self.due:
            return "open"
        if today < self.overdue_from:
            return "due"
        if today < self.missed_from:
            return "overdue"
        return "missed"

    def on_time(self, visit_date: date) -> bool:
        return self.opens <= visit_date < self.overdue_from


def visit_windows(birth_date: date, discharge_date: date | None = None,
                  config: ScheduleConfig = DEFAULT_SCHEDULE) -> list[VisitWindow]:
    """All 13 visit windows of a child (NORMS §2.2 schedule and month-age semantics [S20]).

    Month visits: due from the day the child reaches month N, overdue from month N+1, missed
    when the next visit's window opens. Decisions for the two newborn visits:
    - newborn home visit: discharge day .. discharge + 7 days on time (the discharge day itself
      counts; the visit may happen the day the child comes home), overdue from day 8 after
      discharge. Without a discharge date (home birth, not yet reported) the birth date is used.
    - full-month visit: day of life 28..30 (birth day = day 0), overdue from day 31.
    - A window is never missed before it is overdue: missed_from = max(next opens, overdue_from)
      (matters for a child discharged late, e.g. from neonatal care).
    """
    if discharge_date is not None and discharge_date < birth_date:
        raise ValueError("discharge date before birth date")
    c = config
    early = timedelta(days=c.early_days)
    rows = []   # (visit, due, overdue_from)
    for v in c.visits:
        if v.code == "newborn":
            start = discharge_date or birth_date
            rows.append((v, start, start + timedelta(days=c.newborn_visit_days + 1)))
        elif v.code == "full_month":
            rows.append((v, birth_date + timedelta(days=c.full_month_first_day),
                         birth_date + timedelta(days=c.full_month_last_day + 1)))
        else:
            rows.append((v, add_months(birth_date, v.month), add_months(birth_date, v.month + 1)))
    windows = []
    for i, (v, due, overdue_from) in enumerate(rows):
        # Decision: the newborn visit opens on its due day (it cannot be earlier than discharge).
        opens = due if v.code == "newborn" else due - early
        if i + 1 < len(rows):
            nxt = rows[i + 1]
            next_opens = nxt[1] if nxt[0].code == "newborn" else nxt[1] - early
        else:
            next_opens = add_months(birth_date, c.programme_end_months)
        windows.append(VisitWindow(v.code, v.name_zh, opens, due, overdue_from,
                                   max(next_opens, overdue_from)))
    return windows


def next_visit(birth_date: date, done_codes: Iterable[str], today: date,
               discharge_date: date | None = None,
               config: ScheduleConfig = DEFAULT_SCHEDULE) -> VisitWindow | None:
    """The first visit not done and not missed on ``today``; None when nothing is left.

    Use ``window.status(today)`` for upcoming/due/overdue. Missed visits are skipped, not
    returned (they appear in the missed list of a due-list report instead).
    """
    done = set(done_codes)
    unknown = done - {v.code for v in config.visits}
    if unknown:
        raise ValueError(f"unknown visit codes: {sorted(unknown)}")
    for w in visit_windows(birth_date, discharge_date, config):
        if w.code not in done and w.status(today) != "missed":
            return w
    return None


# --- Tests attached to the visits (NORMS §2.2) ---------------------------------------------------


@dataclass(frozen=True)
class ScheduledTest:
    code: str
    name_zh: str
    # One entry per required occasion; each lists the visits at which that one occasion may be
    # done (Hb "once at 6–8 months" = the 6- or the 8-month visit).
    occasions: tuple[tuple[str, ...], ...]
    confirmed: bool
    source: str


TESTS: tuple[ScheduledTest, ...] = (
    # NORMS §2.2 [S14]: once each at 6–8, 18 and 30 months; the preschool row [S16] adds an Hb
    # test to the yearly 4/5/6-year check.
    ScheduledTest("hb", "血常规（或血红蛋白）检测",
                  (("m6", "m8"), ("m18",), ("m30",), ("y4",), ("y5",), ("y6",)),
                  True, "NORMS §2.2 [S14][S16]"),
    # (unconfirmed) for the 3rd edition; the 2011 ear/hearing spec focuses on these ages [S17].
    ScheduledTest("hearing", "听力筛查（行为观察）",
                  (("m6",), ("m12",), ("m24",), ("m36",)),
                  False, "NORMS §2.2 [S17] (unconfirmed)"),
    # NHC 2021: 13 eye and vision checks, one at each of the 13 visits [S18].
    ScheduledTest("eye", "眼保健和视力检查",
                  tuple((code,) for code in VISIT_CODES),
                  True, "NORMS §2.2 [S18]"),
)


@dataclass(frozen=True)
class DueTest:
    test_code: str
    name_zh: str
    occasion: int          # index into ScheduledTest.occasions
    confirmed: bool


def visit_tests(visit_code: str, done: Iterable[tuple[str, int]] = (),
                tests: tuple[ScheduledTest, ...] = TESTS) -> list[DueTest]:
    """Tests to do at ``visit_code``; ``done`` holds (test_code, occasion) pairs already done."""
    done = set(done)
    due = []
    for t in tests:
        for i, visits in enumerate(t.occasions):
            if visit_code in visits and (t.code, i) not in done:
                due.append(DueTest(t.code, t.name_zh, i, t.confirmed))
    return due


# --- Weak-child management (MCH-SUPPLEMENT nutritional disease management) ----------------------


@dataclass(frozen=True)
class AnaemiaBand:
    from_month: int          # inclusive, completed months of age
    to_month: int            # exclusive
    anaemia_below: float     # Hb g/L
    moderate_below: float
    severe_below: float


@dataclass(frozen=True)
class WeakChildConfig:
    low_birth_weight_below_g: int = 2500        # MCH-SUPPLEMENT [M4][M7]
    preterm_below_weeks: int = 37               # "premature" [M7]; < 37 completed weeks (WHO definition)
    # (unconfirmed) Hb cut-offs: WHO 2011 "Haemoglobin concentrations for the diagnosis of
    # anaemia" (VMNIS): 6–59 months < 110 g/L (mild 100–109, moderate 70–99, severe < 70);
    # 5–11 years < 115 (mild 110–114, moderate 80–109, severe < 80). Neither NORMS nor the
    # supplement gives numbers, and the 2012 Chinese norm's own table was not retrieved; replace
    # these bands with it if it differs. Under 6 months WHO gives no cut-off: no judgement.
    anaemia_bands: tuple[AnaemiaBand, ...] = (
        AnaemiaBand(6, 60, 110, 100, 70),
        AnaemiaBand(60, 84, 115, 110, 80),
    )
    # Follow-up interval [M5][M6], two local texts — keep configurable:
    #   "by_age": under 3 years monthly, 3 years and over every 3 months (one local text)
    #   "monthly": monthly until normal growth resumes (the other)
    followup_policy: str = "by_age"
    followup_age_split_months: int = 36
    followup_months_young: int = 1
    followup_months_old: int = 3
    # Referral [M5][M6]: severe malnutrition at once; moderate not normal after 3 follow-ups;
    # or no weight gain twice (None switches the weight rule off).
    refer_moderate_after_followups: int = 3
    refer_after_no_weight_gain: int | None = 2
    close_after_normal_followups: int = 3        # 结案 [M5]


DEFAULT_WEAK_CHILD = WeakChildConfig()


@dataclass(frozen=True)
class Condition:
    code: str                # low_birth_weight, preterm, malnutrition, anaemia, rickets, overweight, obesity
    label: str
    severity: str | None = None
    source: str = ""


# Decision: birth history (LBW, preterm) never "resolves"; a follow-up with only these is normal.
BIRTH_HISTORY = frozenset({"low_birth_weight", "preterm"})

_SEVERITY_ZH = {"moderate": "中度", "severe": "重度", "mild": "轻度"}


def weak_child_conditions(birth_weight_g: float | None = None, gestational_weeks: float | None = None,
                          findings: Sequence[Finding] = (), hb_g_l: float | None = None,
                          age_months: int | None = None, rickets: bool = False,
                          config: WeakChildConfig = DEFAULT_WEAK_CHILD) -> list[Condition]:
    """The weak-child conditions of one child at one check, in a fixed order.

    ``findings`` come from ``growth.classify``; ``age_months`` = completed months (for the Hb
    cut-off). Overweight/obesity are reported too: the same 2012 norm manages them [M4].
    "implausible" findings are data problems, not conditions, and are ignored here.
    """
    c = config
    out = []
    if birth_weight_g is not None and birth_weight_g < c.low_birth_weight_below_g:
        out.append(Condition("low_birth_weight", f"低出生体重（{birth_weight_g:g} g < {c.low_birth_weight_below_g} g）",
                             None, "MCH-SUPPLEMENT [M4][M7]"))
    if gestational_weeks is not None and gestational_weeks < c.preterm_below_weeks:
        out.append(Condition("preterm", f"早产（胎龄 {gestational_weeks:g} 周 < {c.preterm_below_weeks} 周）",
                             None, "MCH-SUPPLEMENT [M7]"))
    mal = [f for f in findings if f.severity in ("moderate", "severe")]
    if mal:
        severity = "severe" if any(f.severity == "severe" for f in mal) else "moderate"
        names = "、".join(f.label for f in mal)
        out.append(Condition("malnutrition", f"{_SEVERITY_ZH[severity]}营养不良（{names}）", severity,
                             "MCH-SUPPLEMENT [M4][M5]"))
    if hb_g_l is not None and age_months is not None:
        band = next((b for b in c.anaemia_bands if b.from_month <= age_months < b.to_month), None)
        if band is not None and hb_g_l < band.anaemia_below:
            severity = ("severe" if hb_g_l < band.severe_below
                        else "moderate" if hb_g_l < band.moderate_below else "mild")
            out.append(Condition("anaemia", f"{_SEVERITY_ZH[severity]}贫血（Hb {hb_g_l:g} g/L < {band.anaemia_below:g}）",
                                 severity, "MCH-SUPPLEMENT [M4]; cut-off WHO 2011 (unconfirmed)"))
    if rickets:
        out.append(Condition("rickets", "维生素D缺乏性佝偻病", None, "MCH-SUPPLEMENT [M4]"))
    for f in findings:
        if f.code in ("overweight", "obesity"):
            out.append(Condition(f.code, f.label, None, "MCH-SUPPLEMENT [M4]; WHO cut-offs"))
    return out


def is_normal(conditions: Iterable[Condition]) -> bool:
    """A follow-up is normal when nothing but birth history is found (Decision, see BIRTH_HISTORY)."""
    return all(c.code in BIRTH_HISTORY for c in conditions)


def followup_interval_months(age_months: int, config: WeakChildConfig = DEFAULT_WEAK_CHILD) -> int:
    """Months to the next weak-child follow-up [M5][M6] (policy configurable, see WeakChildConfig)."""
    c = config
    if c.followup_policy == "monthly":
        return c.followup_months_young
    if c.followup_policy != "by_age":
        raise ValueError(f"unknown follow-up policy {c.followup_policy!r}")
    return c.followup_months_young if age_months < c.followup_age_split_months else c.followup_months_old


def next_followup_due(visit_date: date, age_months: int,
                      config: WeakChildConfig = DEFAULT_WEAK_CHILD) -> date:
    return add_months(visit_date, followup_interval_months(age_months, config))


@dataclass(frozen=True)
class FollowUp:
    """One visit of a weak-child management episode; the episode's first one is the enrolment."""
    on: date
    conditions: tuple[Condition, ...] = ()
    weight_kg: float | None = None


@dataclass(frozen=True)
class Referral:
    refer: bool
    urgent: bool
    reasons: tuple[str, ...] = field(default=())


def _malnutrition(f: FollowUp) -> Condition | None:
    return next((c for c in f.conditions if c.code == "malnutrition"), None)


def referral(episode: Sequence[FollowUp], config: WeakChildConfig = DEFAULT_WEAK_CHILD) -> Referral:
    """Whether the latest visit of ``episode`` (date order, enrolment first) calls for referral.

    [M5][M6]: severe malnutrition → refer at once to county level; moderate malnutrition not
    normal after 3 follow-ups, or no weight gain twice → refer. Decisions: the enrolment visit
    is not a follow-up; "not normal after 3 follow-ups" = malnutrition at each of the last 3
    follow-ups in a row; "no weight gain twice" = at each of the last 2 follow-ups in a row the
    weight was not above the visit before, while malnutrition is still present. The norm's
    referral rules cover malnutrition only; other conditions are left to the clinician.
    """
    if not episode:
        raise ValueError("empty episode")
    c = config
    latest = episode[-1]
    mal = _malnutrition(latest)
    if mal is None:
        return Referral(False, False)
    if mal.severity == "severe":
        return Referral(True, True, (f"{mal.label}：立即转诊至县级（上级）医疗机构",))
    reasons = []
    followups = episode[1:]
    n = c.refer_moderate_after_followups
    if len(followups) >= n and all(_malnutrition(f) is not None for f in followups[-n:]):
        reasons.append(f"中度营养不良经 {n} 次随访仍未恢复正常：转诊")
    k = c.refer_after_no_weight_gain
    if k is not None and len(episode) > k:
        pairs = list(zip(episode[-k - 1:-1], episode[-k:]))
        if all(a.weight_kg is not None and b.weight_kg is not None and b.weight_kg <= a.weight_kg
               for a, b in pairs):
            reasons.append(f"连续 {k} 次随访体重不增：转诊")
    return Referral(bool(reasons), False, tuple(reasons))


def can_close(episode: Sequence[FollowUp], config: WeakChildConfig = DEFAULT_WEAK_CHILD) -> bool:
    """结案 after 3 consecutive normal follow-ups [M5] (the enrolment visit does not count)."""
    n = config.close_after_normal_followups
    followups = list(episode[1:])
    return len(followups) >= n and all(is_normal(f.conditions) for f in followups[-n:])
