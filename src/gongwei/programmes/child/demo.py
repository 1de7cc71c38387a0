"""Demo step: every child 0–6 enrolled, their checks since birth, weak children, child deaths.

Generator step of ``gongwei generate`` (``run(ctx)``), after the population step (and after
the maternal step, whose newborns are residents too); deterministic for the seed and
``ctx.today``.

Who
    Every resident under 7 on ``ctx.today`` who is on the register, or who died under 7 (the
    register's own deaths, plus a few drawn here: about 3 infant deaths per 1,000 children
    born in the last two years, most in the first month, and a few deaths at 1–6 years).
    Each is enrolled on the day of birth (discharge 1–5 days after birth for the 92% born in a
    facility). Children who moved away or were lost are not enrolled.

Checks (NORMS §2.2 windows through schedule.visit_windows)
    Families are regular (72%: almost every visit, mostly on time), irregular (22%: about
    three visits in four, often late) or drop out (6%: regular until an age between 6 months
    and 4 years). The preschool checks are done a little less often. A check's date falls
    inside its window (or, late, before the next window opens) and never after today.
    Measurements are drawn around the WHO 2006 medians: each child has its own weight and
    length z (about N(0.1, 0.75)) with visit-to-visit noise; about 1.5% are underweight, 1.5%
    stunted (some recover with time) and 2.5% overweight; preterm and low-birth-weight babies
    start low and catch up over the first months. After 60 months the curves are continued
    at WHO-like yearly gains (no WHO 2006 standard; growth.py computes no z there). Hb at the
    scheduled tests, about 5% below the anaemia cut-off; development warning signs, rickets,
    the newborn items, guidance as a doctor would record them.

Weak children and referrals
    Everything goes through the programme's own rules as the actions call them:
    rules.assess (z-scores, findings, conditions), programme.child_on_visit (schedule, urgent
    referral for severe malnutrition; a doctor's referral for development warning signs),
    rules.should_open_case (体弱儿专案), programme.weak_on_visit (monthly or 3-monthly
    follow-ups, referral, closing after 3 normal follow-ups). Weak children's anaemia responds
    to iron within a few months; malnutrition recovers in some, not in others.

Exactly what the engine would have written
    Enrolment rows hold next_due/window_end as the last visit stored them, moved to today's
    current visit when that window had passed (as ``gongwei child_refresh`` does nightly),
    closed after the 6-year check, at death or (weak cases) after 3 normal follow-ups; version
    = 1 + every update. Visit, ChildCheck (actions.check_values), WeakChildCase,
    WeakChildFollowUp (actions.followup_values), Referral and ChildDeath rows as the actions
    write them; drawn deaths update the resident as people.services.do_register_death does.
    No audit rows for generated history. Rows are tuples written with executemany (SQLite) or
    COPY (PostgreSQL), as the people and chronic steps do, ids assigned here.
"""

import gc
import json
import math
import random

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.orgs.access import prefix_filter
from gongwei.orgs.models import Role, User
from gongwei.people.models import Resident, Status

from . import actions, growth, programme, rules
from .models import ChildCheck, ChildDeath, WeakChildCase, WeakChildFollowUp
from .schedule import add_months, age_in_months

BATCH = 5_000
FACILITY_BIRTH = 0.92
FAMILIES = (("regular", 0.72, 0.96, 0.12), ("irregular", 0.22, 0.74, 0.40), ("dropout", 0.06, 0.96, 0.12))
PRESCHOOL_FACTOR = 0.9
PRETERM = 0.06
UNDERWEIGHT, STUNTED, OVERWEIGHT, WASTED = 0.012, 0.012, 0.015, 0.004
INFANT_DEATH = 0.003          # of children born in the last two years (with the register's own: ~5‰)
CHILD_DEATH = 0.0008          # of older children, over the last two years
WEAK_ATTENDANCE = 0.88
OUTCOME_RECORDED = 0.8
HOSPITALS = ("演示县妇幼保健院", "演示县人民医院")
INFANT_CAUSES = ("早产、低出生体重", "新生儿窒息", "先天性心脏病", "肺炎", "新生儿败血症", "意外窒息", "腹泻")
CHILD_CAUSES = ("溺水", "交通事故", "肺炎", "意外跌落", "白血病", "先天性心脏病")
REVIEW_NOTES = {"1": "家长看护不到位，未及时就医", "2": "转诊及时性不足，基层识别能力待加强", "3": "先天性疾病，救治条件下难以避免"}
OUTCOMES = ("已到县妇幼保健院就诊，按医嘱治疗后回基层随访", "上级医院确诊后制定干预方案，社区继续随访",
            "已就诊，营养干预中，1个月后复查")
# Median head circumference (cm) of boys by month (WHO 2006, rounded); girls about 0.9 cm less.
HEAD_MEDIAN = ((0, 34.5), (1, 37.3), (2, 39.1), (3, 40.5), (6, 43.3), (8, 44.6), (12, 46.1),
               (18, 47.4), (24, 48.3), (30, 49.1), (36, 49.7), (48, 50.5))
GUIDANCE = ("feeding", "growth", "prevention", "injury", "oral", "eye")


@dataclass
class Summary:
    children: int = 0
    checks: int = 0
    newborn: int = 0
    cases: int = 0
    open_cases: int = 0
    followups: int = 0
    referrals: int = 0
    deaths: int = 0
    infant_deaths: int = 0
    overdue: int = 0

    def line(self) -> str:
        return (f"儿童：0～6岁儿童 {self.children} 人纳入管理；健康检查 {self.checks} 次（新生儿家庭访视 {self.newborn} 次）；"
                f"目前逾期未查 {self.overdue} 人；体弱儿专案 {self.cases} 例（在管 {self.open_cases} 例，随访 {self.followups} 次）；"
                f"转诊 {self.referrals} 次；儿童死亡报告 {self.deaths} 例（婴儿 {self.infant_deaths} 例）")


# --- Stand-ins for what the rules read ------------------------------------------------------

class _Resident:
    __slots__ = ("birth_date",)

    def __init__(self, birth_date):
        self.birth_date = birth_date


class _Enrolment:
    __slots__ = ("resident", "state")

    def __init__(self, birth_date, state):
        self.resident = _Resident(birth_date)
        self.state = state


# --- Writing rows -------------------------------------------------------------------------

class _Table:
    """Rows of ``model`` from dicts keyed by attname; missing columns get their default.

    JSON columns are serialised here (as JSONField stores them: json.dumps); dates, Decimals
    and booleans go to the driver as they are (Django registers Decimal for SQLite).
    """

    def __init__(self, model):
        self.model = model
        fields = model._meta.concrete_fields
        self.names = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.json = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        self.pairs = [(f.attname, json.dumps(f.get_default()) if f.get_internal_type() == "JSONField"
                       else f.get_default()) for f in fields]
        self.rows = []

    def add(self, values: dict) -> None:
        get = values.get
        row = [get(name, default) for name, default in self.pairs]
        for i in self.json:
            value = row[i]
            if value == []:
                row[i] = "[]"
            elif not isinstance(value, str):
                row[i] = json.dumps(value)
        self.rows.append(tuple(row))

    def insert(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        qn = connection.ops.quote_name
        table, columns = qn(self.model._meta.db_table), ", ".join(qn(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.columns))})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[start:start + BATCH])


# --- Growth ---------------------------------------------------------------------------------

def _lms(table: str, sex: str, day: int):
    return growth._table(table)[sex][min(day, growth.MAX_AGE_DAYS)]


def measurement(table: str, sex: str, day: int, z: float) -> float:
    """The value at ``z`` SD for the age; after 60 months continued at WHO-like yearly gains
    (weight about 2.2 kg, height about 6 cm a year), in proportion to the child's own size."""
    value = growth._sd_value(*_lms(table, sex, day), z)
    if day > growth.MAX_AGE_DAYS:
        years = (day - growth.MAX_AGE_DAYS) / 365.25
        median = _lms(table, sex, growth.MAX_AGE_DAYS)[1]
        value += years * (2.2 if table == "wfa" else 6.0) * value / median
    return value


def body(sex: str, day: int, zl: float, whz: float) -> tuple[float, float]:
    """(length or height, weight): the length/height at ``zl`` for the age, and the weight at
    ``whz`` for that length (WHO weight-for-length below 731 days, -for-height from 731), so
    that weight-for-length z is what was drawn; outside the tables, weight-for-age."""
    length = measurement("lhfa", sex, day, zl)
    name, (low, high) = ("wfl", growth.WFL_RANGE_CM) if day < growth.LYING_BELOW_DAYS else ("wfh", growth.WFH_RANGE_CM)
    if low <= length <= high:
        return length, growth._sd_value(*growth._table(name)[sex][round(length * 10)], whz)
    return length, measurement("wfa", sex, day, 0.6 * zl + 0.6 * whz)


def head_median(sex: str, months: float) -> float:
    for (m0, v0), (m1, v1) in zip(HEAD_MEDIAN, HEAD_MEDIAN[1:]):
        if months <= m1:
            value = v0 + (v1 - v0) * (months - m0) / (m1 - m0)
            break
    else:
        value = HEAD_MEDIAN[-1][1]
    return value - (0.9 if sex == "F" else 0.0)


class _Child:
    __slots__ = ("id", "village", "birth", "sex", "code", "doctor", "status", "status_date", "death_cause",
                 "discharge", "bw", "ga", "birth_length", "family", "p_done", "p_late", "stop",
                 "zw", "zl", "shift_w", "shift_l", "recover", "catch_up", "catch_l", "zh", "hb_base", "warning",
                 "rickets_age", "death")


@dataclass
class _Case:
    id: int
    enrolment_id: int
    opened: date
    closed: date | None = None
    birth_history: bool = False       # LBW or preterm among its conditions (actions._had_birth_case)
    anaemia: bool = False
    hb: float = 0.0


@dataclass
class _Generator:
    rng: random.Random
    today: date
    ids: dict
    mch_reviewer: int | None
    summary: Summary = field(default_factory=Summary)
    seq: int = 0
    visits: list = field(default_factory=list)      # (date, seq, kind, payload)

    # -- Traits --------------------------------------------------------------------------
    def traits(self, c: _Child) -> None:
        rng = self.rng
        c.code = "M" if c.sex == "1" else "F"
        c.discharge = c.birth + timedelta(days=rng.choice((1, 1, 2, 2, 3, 3, 4, 5))) if rng.random() < FACILITY_BIRTH else None
        # Birth length from the WHO length-for-age at birth, birth weight from the weight-for-
        # length at that length: the two agree as they do in real babies. Preterm babies are
        # shorter and thinner (against the term standard) the earlier they are born.
        if rng.random() < PRETERM:
            c.ga = rng.randint(31, 36)
            zl_birth, whz_birth = rng.gauss(-1.2 - 0.35 * (36 - c.ga), 0.6), rng.gauss(-0.7, 0.6)
        else:
            c.ga = rng.choice((37, 38, 38, 39, 39, 39, 40, 40, 40, 41))
            zl_birth, whz_birth = rng.gauss(-0.1, 0.8), rng.gauss(0.0, 0.7)
        c.birth_length = round(min(55.0, max(38.0, measurement("lhfa", c.code, 0, zl_birth))), 1)
        if c.birth_length >= growth.WFL_RANGE_CM[0]:
            weight = growth._sd_value(*growth._table("wfl")[c.code][round(c.birth_length * 10)], whz_birth)
        else:
            weight = measurement("wfa", c.code, 0, 0.7 * zl_birth + 0.7 * whz_birth)
        c.bw = int(round(min(4.8, max(1.0, weight)) * 1000))
        roll, cumulative = rng.random(), 0.0
        for name, share, p_done, p_late in FAMILIES:
            cumulative += share
            if roll < cumulative:
                break
        c.family, c.p_done, c.p_late = name, p_done, p_late
        c.stop = add_months(c.birth, rng.randint(6, 48)) if name == "dropout" else None
        # Own length z and weight-for-length z, persistent shifts for a few, fading with time.
        c.zl, c.zw = rng.gauss(-0.05, 0.8), rng.gauss(0.3, 0.65)
        c.shift_w = c.shift_l = 0.0
        c.recover = rng.choice((4.0, 8.0, 8.0, 16.0, math.inf))   # months for a shift to fade by 1/e
        roll = rng.random()
        if roll < UNDERWEIGHT:
            c.shift_l, c.shift_w = -rng.uniform(1.1, 1.6), -rng.uniform(1.2, 1.8)
        elif roll < UNDERWEIGHT + STUNTED:
            c.shift_l, c.shift_w = -rng.uniform(2.3, 3.0), rng.uniform(0.0, 0.3)
        elif roll < UNDERWEIGHT + STUNTED + OVERWEIGHT:
            c.shift_w = rng.uniform(2.0, 2.8)
            c.recover = rng.choice((6.0, 12.0, 24.0))
        elif roll < UNDERWEIGHT + STUNTED + OVERWEIGHT + WASTED:
            c.shift_w = -rng.uniform(2.2, 2.8)
        # Small and preterm babies catch up over the first months (exp(−months/3)).
        c.catch_l, c.catch_up = zl_birth - c.zl, whz_birth - c.zw
        c.zh = rng.gauss(0, 0.8)
        c.hb_base = rng.gauss(127, 7)
        c.warning = rng.random() < 0.015
        c.rickets_age = rng.randint(3, 24) if rng.random() < 0.003 else None
        c.death = None

    def z_at(self, c: _Child, day: date) -> tuple[float, float]:
        """(length z, weight-for-length z) of the child on ``day``."""
        months = (day - c.birth).days / growth.DAYS_PER_MONTH
        fade = math.exp(-months / c.recover) if math.isfinite(c.recover) else 1.0
        onset = min(1.0, months / 4)          # a shift develops over the first months
        birth = math.exp(-months / 3)
        rng = self.rng
        zl = c.zl + c.catch_l * birth + c.shift_l * onset * fade + rng.gauss(0, 0.15)
        zw = c.zw + c.catch_up * birth + c.shift_w * onset * fade + rng.gauss(0, 0.2)
        return zl, zw

    def measure(self, c: _Child, day: date, lying: bool) -> tuple[Decimal, Decimal]:
        """(weight kg, length/height cm as measured) on ``day``."""
        days = (day - c.birth).days
        if days <= 10:           # the newborn visit: birth weight, a little lost and regained
            weight = c.bw / 1000 * (1 - 0.06 + 0.012 * days) + self.rng.gauss(0, 0.03)
            length = c.birth_length + 0.1 * days
        else:
            zl, zw = self.z_at(c, day)
            length, weight = body(c.code, days, zl, zw)
        if lying and days >= growth.LYING_BELOW_DAYS:
            length += growth.MEASURE_CORRECTION_CM      # lying length is 0.7 cm more than height
        return Decimal(f"{weight:.2f}") if days < 365 else Decimal(f"{weight:.1f}"), Decimal(f"{length:.1f}")

    # -- One child's history ---------------------------------------------------------------
    def history(self, c: _Child, out: dict) -> None:
        rng, today = self.rng, self.today
        end = min(today, c.death - timedelta(days=1)) if c.death else today
        if c.stop:
            end = min(end, c.stop)
        enrolment_id = self.ids["enrolment"]
        self.ids["enrolment"] += 1
        state = {"discharge": c.discharge.isoformat()} if c.discharge else {}
        stand_in = _Enrolment(c.birth, state)
        due, window_end = rules.stored_window(rules.current_visit(c.birth, (), c.birth, c.discharge))
        version, last_visit, status, closed_on, close_reason = 1, None, EnrolmentStatus.MANAGED, None, ""
        done: list[str] = []
        open_referral_until: date | None = None
        cases: list[_Case] = []
        hb_done: set = set()
        for w in rules.windows(c.birth, c.discharge):
            if w.opens > end or status != EnrolmentStatus.MANAGED:
                break
            preschool = w.code in ("y4", "y5", "y6")
            if rng.random() >= c.p_done * (PRESCHOOL_FACTOR if preschool else 1.0):
                continue
            late = rng.random() < c.p_late and w.missed_from > w.overdue_from
            lo, hi = (w.overdue_from, w.missed_from - timedelta(days=1)) if late else (w.opens, w.overdue_from - timedelta(days=1))
            span = (hi - lo).days
            day = lo + timedelta(days=int(rng.triangular(0, span, 0 if not late else span * 0.3)) if span > 0 else 0)
            if day > end:
                continue
            data = self.check_data(c, w.code, day, hb_done)
            history_applies = rules.birth_history_applies(c.birth, day)
            bw = state.get("birth_weight_g") if w.code != "newborn" else c.bw
            ga = state.get("gestational_weeks") if w.code != "newborn" else c.ga
            assessment = rules.assess(
                c.code, c.birth, day, weight_kg=data.get("weight_kg"), length_height_cm=data.get("length_height_cm"),
                measured_lying=data.get("measured_lying"), oedema=False, hb_g_l=data.get("hb_g_l"),
                rickets=bool(data.get("rickets")), birth_weight_g=bw if history_applies else None,
                gestational_weeks=ga if history_applies else None)
            open_referral = open_referral_until is not None and open_referral_until > day
            facts = {**data, "visit_code": w.code, "visit_date": day, "kind": "check", "done": list(done),
                     "assessment": assessment, "open_referral": open_referral}
            stand_in.state = state
            result = programme.child_on_visit(stand_in, facts)
            done.append(w.code)
            state = result.state
            visit_id = self.add_visit(day, "check", {
                "enrolment_id": enrolment_id, "resident_id": c.id, "programme": programme.CHILD,
                "village_id": c.village, "date": day, "kind": "check", "face_to_face": True,
                "classification": result.classification, "next_due": result.next_due, "doctor_id": c.doctor})
            out["checks"].add({"visit_id": visit_id, **actions.check_values(
                c.id, c.village, c.birth, day, w.code, w, data, assessment)})
            self.summary.checks += 1
            self.summary.newborn += w.code == "newborn"
            if result.referral is not None:
                open_referral_until = self.add_referral(out, enrolment_id, c, visit_id, day, result.referral,
                                                        data.get("referral_institution") or "")
            version, last_visit, due, window_end = version + 1, day, result.next_due, result.window_end
            if result.next_due is None:      # after the 6-year check: do_close
                status, closed_on, close_reason = EnrolmentStatus.CLOSED, day, actions.CLOSED_AFTER_SIX
                due = window_end = None
                version += 1
            has_open = any(k.closed is None or k.closed > day for k in cases)
            had_birth = any(k.birth_history for k in cases)
            if rules.should_open_case(assessment.conditions, has_open, had_birth):
                cases.append(self.weak_case(c, out, day, assessment, data, visit_id, end))
        if c.death and status == EnrolmentStatus.MANAGED:
            status, closed_on, close_reason, due, window_end = EnrolmentStatus.DIED, c.death, "死亡", None, None
            version += 1
        elif status == EnrolmentStatus.MANAGED and (window_end is None or window_end < today):
            # What the nightly refresh stores: the visit current today.
            moved = rules.stored_window(rules.current_visit(c.birth, done, today, c.discharge))
            if moved != (due, window_end):
                due, window_end = moved
                version += 1
        if status == EnrolmentStatus.MANAGED and window_end is not None and window_end < today:
            self.summary.overdue += 1
        out["enrolments"].add({
            "id": enrolment_id, "resident_id": c.id, "programme": programme.CHILD, "village_id": c.village,
            "doctor_id": c.doctor, "enrolled_on": c.birth, "status": status, "next_due": due,
            "window_end": window_end, "last_visit_on": last_visit, "state": state, "closed_on": closed_on,
            "close_reason": close_reason, "version": version})
        self.summary.children += 1

    def check_data(self, c: _Child, code: str, day: date, hb_done: set) -> dict:
        """The form as the doctor fills it for this visit (forms.CheckForm's fields)."""
        rng = self.rng
        days = (day - c.birth).days
        months = days / growth.DAYS_PER_MONTH
        month = rules.VISIT_MONTHS[code]
        parts = rules.form_parts(code)
        lying = days < growth.LYING_BELOW_DAYS
        if not lying and days < 900 and rng.random() < 0.1:
            lying = True          # some 2-year-olds are still measured lying
        weight, length = self.measure(c, day, lying)
        data = {"place": "1" if code == "newborn" else ("3" if month and month >= 48 and rng.random() < 0.5 else "2"),
                "weight_kg": weight, "length_height_cm": length, "measured_lying": lying,
                "eye_result": "1" if rng.random() < 0.97 else "2",
                "guidance": [g for g in GUIDANCE if rng.random() < 0.55] or ["growth"]}
        if parts.head_circumference:
            data["head_circumference_cm"] = Decimal(f"{head_median(c.code, months) + 1.25 * c.zh + rng.gauss(0, 0.3):.1f}")
        if code == "newborn":
            data.update({
                "discharge_date": c.discharge, "birth_weight_g": c.bw, "birth_length_cm": Decimal(f"{c.birth_length:.1f}"),
                "gestational_weeks": c.ga, "delivery": rng.choice("1111114"), "asphyxia": rng.random() < 0.01,
                "newborn_screening": "1" if rng.random() < 0.96 else "3",
                "hearing_screening": "1" if rng.random() < 0.95 else rng.choice("23"),
                "bcg_given": rng.random() < 0.98, "hepb1_given": rng.random() < 0.99,
                "jaundice": rng.choice("11112223"), "cord": rng.choice("1112"),
                "temperature_c": Decimal(f"{rng.uniform(36.4, 37.3):.1f}"), "feeds_per_day": rng.randint(8, 12)})
        if month is None or month <= 12:
            data["feeding"] = rng.choice("1111122223") if (month or 0) < 6 else rng.choice("1222223")
        if month is not None and month <= 36:
            data["vitamin_d"] = rng.random() < 0.85
        if month is not None:
            data["outdoor_hours"] = Decimal(f"{rng.choice((0.5, 1, 1, 1.5, 2, 2, 3)):.1f}")
            data["illness"] = "" if rng.random() < 0.8 else rng.choice(("肺炎", "腹泻", "上呼吸道感染", "外伤"))
        if month is not None and month >= 6:
            data["teeth"] = min(20, max(0, int((months - 6) * 1.1))) if month <= 30 else 20
            data["caries"] = 0 if month <= 24 or rng.random() < 0.75 else rng.randint(1, 4)
        if parts.warning_signs:
            data["warning_signs"] = [rng.choice(parts.warning_signs)[0]] if c.warning and month >= 12 else []
            if data["warning_signs"]:
                data.update({"refer": True, "referral_reason": "发育评估有预警征象，转诊进一步评估",
                             "referral_institution": HOSPITALS[0]})
        if parts.hb and not (code == "m8" and "m6" in hb_done) and rng.random() < 0.9:
            hb_done.add(code)      # once at 6–8 months: at 8 months only if not done at 6
            data["hb_g_l"] = int(round(c.hb_base + rng.gauss(0, 3) + (3 if months >= 60 else 0)))
        if parts.hearing:
            data["hearing_result"] = "1" if rng.random() < 0.98 else "2"
        if parts.visual_acuity:
            data["visual_acuity_left"] = Decimal(rng.choice(("4.8", "4.9", "4.9", "5.0", "5.0", "5.0", "4.7")))
            data["visual_acuity_right"] = Decimal(rng.choice(("4.8", "4.9", "4.9", "5.0", "5.0", "5.0", "4.7")))
        if c.rickets_age is not None and month is not None and c.rickets_age <= month <= 24:
            data["rickets"], data["rickets_signs"] = True, rng.choice(("方颅、枕秃", "肋串珠", "多汗、夜惊、枕秃"))
        return data

    def weak_case(self, c: _Child, out: dict, day: date, assessment, data, source_check: int, end: date) -> _Case:
        """Open a weak-child case (actions.do_open_weak_case) and draw its follow-ups."""
        rng, today = self.rng, self.today
        case = _Case(self.ids["case"], self.ids["enrolment"], day)
        self.ids["case"] += 1
        self.ids["enrolment"] += 1
        case.birth_history = any(x.code in rules.BIRTH_HISTORY for x in assessment.conditions)
        case.anaemia = any(x.code == "anaemia" for x in assessment.conditions)
        case.hb = float(data.get("hb_g_l") or 0)
        weight = data.get("weight_kg")
        state = {"episode": [programme.episode_entry(day, assessment.conditions, weight)]}
        due, window_end = programme.weak_first_due(day, _Resident(c.birth))
        out["cases"].add({"id": case.id, "enrolment_id": case.enrolment_id, "resident_id": c.id,
                          "village_id": c.village, "opened_on": day, "source_check_id": source_check,
                          "conditions": rules.conditions_json(assessment.conditions), "opening_weight_kg": weight})
        stand_in = _Enrolment(c.birth, state)
        version, last_visit, status, closed_on, close_reason = 1, None, EnrolmentStatus.MANAGED, None, ""
        open_referral_until = None
        seventh = rules.end_of_programme(c.birth)
        self.summary.cases += 1
        while due is not None:
            if rng.random() < WEAK_ATTENDANCE:
                visit_day = due + timedelta(days=rng.randint(-3, 10))
            else:
                visit_day = due + timedelta(days=rng.randint(20, 45))
            if visit_day <= (last_visit or day):
                visit_day = (last_visit or day) + timedelta(days=1)
            if visit_day > end or visit_day >= seventh:
                break
            days = (visit_day - c.birth).days
            lying = days < growth.LYING_BELOW_DAYS
            weight, length = self.measure(c, visit_day, lying)
            fdata = {"weight_kg": weight, "length_height_cm": length,
                     "measured_lying": lying, "oedema": False, "rickets": False,
                     "guidance": rng.choice(("喂养指导", "补充铁剂，膳食指导", "营养干预，定期监测", "生长监测"))}
            if case.anaemia:
                months_on = (visit_day - case.opened).days / 30.4
                fdata["hb_g_l"] = int(round(min(135.0, case.hb + months_on * rng.uniform(4, 9) + rng.gauss(0, 3))))
            assessment_f = rules.assess(c.code, c.birth, visit_day, weight_kg=fdata["weight_kg"],
                                        length_height_cm=fdata["length_height_cm"], measured_lying=lying,
                                        hb_g_l=fdata.get("hb_g_l"))
            open_referral = open_referral_until is not None and open_referral_until > visit_day
            facts = {**fdata, "assessment": assessment_f, "open_referral": open_referral,
                     "visit_date": visit_day, "kind": "followup"}
            stand_in.state = state
            result = programme.weak_on_visit(stand_in, facts)
            visit_id = self.add_visit(visit_day, "followup", {
                "enrolment_id": case.enrolment_id, "resident_id": c.id, "programme": programme.WEAK,
                "village_id": c.village, "date": visit_day, "kind": "followup", "face_to_face": True,
                "classification": result.classification, "next_due": result.next_due, "doctor_id": c.doctor})
            out["followups"].add({"visit_id": visit_id, "case_id": case.id, **actions.followup_values(
                c.id, c.village, c.birth, visit_day, fdata, assessment_f, result)})
            self.summary.followups += 1
            if result.referral is not None:
                open_referral_until = self.add_referral(out, case.enrolment_id, c, visit_id, visit_day,
                                                        result.referral, rng.choice(HOSPITALS))
            state = result.state
            version, last_visit, due, window_end = version + 1, visit_day, result.next_due, result.window_end
            if due is None:
                status, closed_on = EnrolmentStatus.CLOSED, visit_day
                close_reason = actions.CASE_CLOSED_NORMAL if state.get("can_close") else actions.CLOSED_AT_SEVEN
                version += 1
        if status == EnrolmentStatus.MANAGED:
            if c.death and c.death <= today:
                status, closed_on, close_reason, due, window_end = EnrolmentStatus.DIED, c.death, "死亡", None, None
                version += 1
            elif seventh <= today:
                status, closed_on, close_reason, due, window_end = (EnrolmentStatus.CLOSED, seventh,
                                                                    actions.CLOSED_AT_SEVEN, None, None)
                version += 1
            else:
                self.summary.open_cases += 1
        case.closed = closed_on
        out["enrolments"].add({
            "id": case.enrolment_id, "resident_id": c.id, "programme": programme.WEAK, "village_id": c.village,
            "doctor_id": c.doctor, "enrolled_on": day, "status": status, "next_due": due,
            "window_end": window_end, "last_visit_on": last_visit, "state": state, "closed_on": closed_on,
            "close_reason": close_reason, "version": version})
        return case

    def add_visit(self, day: date, kind: str, values: dict) -> int:
        self.seq += 1
        self.visits.append((day, self.seq, values))
        return self.seq          # provisional: renumbered in date order (see finish)

    def add_referral(self, out, enrolment_id, c, visit_id, day, need, institution) -> date | None:
        """A referral row; returns the day its outcome was recorded (None: still open)."""
        rng, today = self.rng, self.today
        outcome_day = None
        if rng.random() < (OUTCOME_RECORDED if need.follow_up_by < today else 0.3):
            outcome_day = day + timedelta(days=rng.randint(3, 14))
            if outcome_day > today:
                outcome_day = None
        out["referrals"].add({
            "id": self.ids["referral"], "enrolment_id": enrolment_id, "resident_id": c.id, "visit_id": visit_id,
            "village_id": c.village, "date": day, "urgent": need.urgent, "reason": need.reason,
            "institution": institution, "follow_up_by": need.follow_up_by,
            "outcome": rng.choice(OUTCOMES) if outcome_day else "", "outcome_date": outcome_day})
        self.ids["referral"] += 1
        self.summary.referrals += 1
        return outcome_day or date.max

    def death_row(self, c: _Child, out: dict) -> None:
        rng, today = self.rng, self.today
        age_months = age_in_months(c.birth, c.death)
        reported = min(today, c.death + timedelta(days=rng.randint(1, 7)))
        row = {"id": self.ids["death"], "resident_id": c.id, "village_id": c.village, "date": c.death,
               "age_days": (c.death - c.birth).days, "age_months": age_months,
               "cause": c.death_cause, "place": rng.choice("1111112233334"),
               "reported_by_id": c.doctor, "reported_on": reported}
        if self.mch_reviewer and (today - c.death).days > 60 and rng.random() < 0.85:
            conclusion = rng.choice("1223333")
            row.update({"review_status": "reviewed", "review_conclusion": conclusion,
                        "review_notes": REVIEW_NOTES[conclusion], "reviewed_by_id": self.mch_reviewer,
                        "reviewed_on": min(today, c.death + timedelta(days=rng.randint(30, 60)))})
        out["deaths"].add(row)
        self.ids["death"] += 1
        self.summary.deaths += 1
        self.summary.infant_deaths += age_months < 12


def _draw_deaths(rng, today, children: list[_Child]) -> list[_Child]:
    """Deaths drawn here among the living; returns the children who die (to update)."""
    newly_dead = []
    two_years_ago = today - timedelta(days=730)
    for c in children:
        if c.status != Status.ACTIVE:
            continue
        if c.birth > two_years_ago and rng.random() < INFANT_DEATH:
            age = rng.randint(0, 27) if rng.random() < 0.45 else rng.randint(28, 364)
            cause = rng.choice(INFANT_CAUSES)
        elif rng.random() < CHILD_DEATH:
            age = (max(c.birth + timedelta(days=365), two_years_ago) - c.birth).days + rng.randint(0, 700)
            cause = rng.choice(CHILD_CAUSES)
        else:
            continue
        day = c.birth + timedelta(days=age)
        if day > today - timedelta(days=1) or rules.aged_out(c.birth, day):
            continue
        c.status, c.status_date, c.death_cause, c.death = Status.DEAD, day, cause, day
        newly_dead.append(c)
    return newly_dead


def generate_children(rng: random.Random, county_code: str, today: date) -> Summary:
    """Enrol and draw the children of the county ``county_code`` (see the module docstring)."""
    # Millions of small objects stay alive until the insert: the cyclic garbage collector
    # would walk them again and again for nothing (nothing here makes reference cycles).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(rng, county_code, today)
    finally:
        if enabled:
            gc.enable()


def _generate(rng: random.Random, county_code: str, today: date) -> Summary:
    in_county = prefix_filter("village_id", county_code)
    oldest_out = rules.last_birth_date_aged_out(today)
    fallback = {}
    for unit, user in (User.objects.filter(prefix_filter("unit_id", county_code), role=Role.VILLAGE_DOCTOR)
                       .order_by("unit_id", "username").values_list("unit_id", "id")):
        fallback.setdefault(unit, user)
    reviewer = (User.objects.filter(prefix_filter("unit_id", county_code), role=Role.COUNTY_MCH)
                .order_by("username").values_list("id", flat=True).first())
    already = set(Enrolment.objects.filter(in_county, programme=programme.CHILD).values_list("resident_id", flat=True))
    children = []
    for rid, village, born, sex, doctor, status, status_date, cause in (
            Resident.objects.filter(in_county, birth_date__gt=oldest_out, birth_date__lte=today,
                                    status__in=(Status.ACTIVE, Status.DEAD))
            .order_by("id").values_list("id", "village_id", "birth_date", "sex", "doctor_id", "status",
                                        "status_date", "death_cause")):
        doctor = doctor or fallback.get(village)
        if doctor is None or rid in already:
            continue
        if status == Status.DEAD and (status_date is None or rules.aged_out(born, status_date)):
            continue
        c = _Child()
        c.id, c.village, c.birth, c.sex, c.doctor = rid, village, born, sex, doctor
        c.status, c.status_date, c.death_cause = status, status_date, cause
        children.append(c)
    next_id = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in (Enrolment, Visit, Referral, WeakChildCase, ChildDeath)}
    gen = _Generator(rng, today, {"enrolment": next_id[Enrolment], "referral": next_id[Referral],
                                  "case": next_id[WeakChildCase], "death": next_id[ChildDeath]}, reviewer)
    for c in children:
        gen.traits(c)
        if c.status == Status.DEAD:
            c.death = c.status_date
    newly_dead = _draw_deaths(rng, today, children)
    out = {"enrolments": _Table(Enrolment), "checks": _Table(ChildCheck), "cases": _Table(WeakChildCase),
           "followups": _Table(WeakChildFollowUp), "referrals": _Table(Referral), "deaths": _Table(ChildDeath),
           "visits": _Table(Visit)}
    for c in children:
        gen.history(c, out)
        if c.death:
            gen.death_row(c, out)

    # Visits get their ids in the order they were recorded (by day); detail rows follow.
    order = sorted(gen.visits, key=lambda v: (v[0], v[1]))
    renumber = {}
    tz = timezone.get_current_timezone()
    postgres = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    for i, (day, seq, values) in enumerate(order):
        vid = next_id[Visit] + i
        renumber[seq] = vid
        created = datetime.combine(day, time(8)).replace(tzinfo=tz) + timedelta(minutes=(seq * 37) % 540)
        out["visits"].add({"id": vid, **values, "created_at": created if postgres else adapt(created)})
    pk_index = {name: out[name].names.index(attr) for name, attr in
                (("checks", "visit_id"), ("followups", "visit_id"), ("referrals", "visit_id"), ("cases", "source_check_id"))}
    for name, index in pk_index.items():
        out[name].rows = [row[:index] + (renumber[row[index]] if row[index] is not None else None,) + row[index + 1:]
                          for row in out[name].rows]
    for name in ("checks", "followups"):      # primary key = visit id: append in key order
        out[name].rows.sort(key=lambda row, i=pk_index[name]: row[i])
    with transaction.atomic():
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection (as people.demo): visits have many indexes.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        for c in newly_dead:          # as people.services.do_register_death writes it
            Resident.objects.filter(pk=c.id).update(status=Status.DEAD, status_date=c.death,
                                                    death_cause=c.death_cause, version=F("version") + 1)
        for name in ("enrolments", "visits", "checks", "cases", "followups", "referrals", "deaths"):
            out[name].insert()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Enrolment, Visit, Referral, WeakChildCase, ChildDeath]):
                cursor.execute(sql)
    return gen.summary


def run(ctx) -> None:
    """Generator step (see ``gongwei generate``): children 0–6 of ``ctx.county``."""
    demo = getattr(ctx, "county", None)
    if demo is None:
        return
    ctx.say(generate_children(ctx.rng, demo.county.code, ctx.today).line())
