"""Demo step: hypertension and type 2 diabetes patients and a year of their follow-ups.

Generator step of ``gongwei generate`` (``run(ctx)``), after the population step;
deterministic for the seed and ``ctx.today``.

Who is a patient
    Residents on the register aged 35 and over (NORMS §2.5, §2.6), drawn by age band with the
    relative rates of ``AGE_BANDS`` scaled so that about 12% of all residents are managed for
    hypertension and 5% for diabetes (60,000 and 25,000 of 500,000), most of them old. The
    responsible doctor is the resident's doctor. Enrolment dates are spread over the last ten
    years, never before the 35th birthday or the creation of the record.

A year of follow-ups, up to ``ctx.today``
    Patients are regular (about 60%: seen within the ±15-day window around the quarterly due
    date, rechecks within 2 weeks), late (about 30%: up to 7 weeks late now and then) or have
    dropped out (``DROPOUT_SHARE``: no visit for the last 4–11 months, so overdue now).
    About a third of routine visits are not controlled (patients differ: some are nearly
    always on target, some rarely); after a medication change most rechecks are on target,
    and two uncontrolled in a row are referred, as the rule says. A few visits are
    emergencies (urgent referral) or show an adverse reaction or complication. Most
    referral outcomes are recorded (never on a day the patient was seen, so the order of
    events is unambiguous); recent ones and a share of old ones are still open. About 70%
    had the annual health check, often on the day of a follow-up.

Exactly what the engine would have written
    Each follow-up goes through the programme's own rule, ``registry.get(code).on_visit``, on
    an in-memory stand-in of the enrolment (its open referrals known from what was drawn so
    far), as ``care.actions.do_record_visit`` calls it; the annual check likewise. The
    Enrolment (next_due, window_end, last_visit_on, state, version = 1 + visits), Visit,
    ChronicFollowUp and Referral rows hold what do_enrol / do_record_visit /
    do_record_referral_outcome would have stored, in the same chronological id order.
    No audit rows are written for generated history.

Why not ``bulk_create``: at 85,000 patients there are about half a million visit and
follow-up rows; bulk_create spends ~80 µs a row on SQLite (999-parameter batches, field
machinery), which alone would take over a minute. Rows are plain tuples in the models'
column order (read from ``_meta``; columns added later get their default) written with
``executemany`` on SQLite and ``COPY`` on PostgreSQL, as people.demo does; primary keys are
assigned here and the sequences reset afterwards.
"""

import json
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongwei.care import registry
from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.orgs.access import prefix_filter
from gongwei.orgs.models import Role, User
from gongwei.people.bulk import TupleTable as _Table
from gongwei.people.models import Resident, Status

from .models import ChronicFollowUp, PrevalenceSetting
from .programme import DM, HTN, MIN_AGE

BATCH = 5_000
HISTORY_DAYS = 365          # follow-ups are generated for the last year
ENROL_YEARS = 10            # enrolments are spread over the last ten years

TARGET_SHARE = {HTN: 0.12, DM: 0.05}   # of all residents
# Relative prevalence of managed patients by age (lower bound of the band): what the
# scaling keeps is the shape (few at 35–44, most at 65+), not the level.
AGE_BANDS = ((35, 0.06, 0.025), (45, 0.16, 0.065), (55, 0.30, 0.12), (65, 0.42, 0.16),
             (75, 0.45, 0.14))
MAX_CHANCE = 0.9

DROPOUT_SHARE = 0.11
LATE_SHARE = 0.30
EXAM_SHARE = 0.70
EXAM_WITH_FOLLOWUP = 0.6
# Chance that a routine visit is not on target: (chance, share of patients).
UNCONTROLLED = {HTN: ((0.12, 0.40), (0.40, 0.38), (0.72, 0.22)),
                DM: ((0.15, 0.38), (0.45, 0.38), (0.75, 0.24))}
RECHECK_UNCONTROLLED = 0.06        # after a medication change
AFTER_REFERRAL_UNCONTROLLED = 0.25
EMERGENCY = {HTN: 0.004, DM: 0.006}
ADVERSE_REACTION = 0.012
HARD_ADVERSE_SHARE = 0.15
COMPLICATION = 0.005
OUTCOME_RECORDED = 0.8             # of referrals whose follow-up date has passed
MODES = (("1", 72), ("2", 20), ("3", 8))  # clinic, home, phone (not face to face)

HTN_DRUGS = (("氨氯地平片", ("5mg", "10mg"), "每日1次"), ("硝苯地平缓释片", ("10mg", "20mg"), "每日2次"),
             ("缬沙坦胶囊", ("80mg", "160mg"), "每日1次"), ("厄贝沙坦片", ("150mg", "300mg"), "每日1次"),
             ("依那普利片", ("5mg", "10mg"), "每日2次"), ("氢氯噻嗪片", ("12.5mg", "25mg"), "每日1次"),
             ("美托洛尔缓释片", ("47.5mg", "95mg"), "每日1次"), ("吲达帕胺片", ("1.5mg", "2.5mg"), "每日1次"))
DM_DRUGS = (("二甲双胍片", ("0.5g", "0.85g"), "每日3次"), ("二甲双胍缓释片", ("0.5g", "1.0g"), "每日2次"),
            ("格列美脲片", ("1mg", "2mg"), "每日1次"), ("阿卡波糖片", ("50mg", "100mg"), "每日3次"),
            ("格列齐德缓释片", ("30mg", "60mg"), "每日1次"), ("西格列汀片", ("100mg",), "每日1次"))
INSULINS = ("甘精胰岛素 10单位 每晚1次", "甘精胰岛素 14单位 每晚1次", "门冬胰岛素30 早12单位 晚10单位",
            "地特胰岛素 12单位 每晚1次")
ADVERSE_TEXTS = {HTN: ("踝部水肿", "干咳", "头痛、面部潮红", "乏力"),
                 DM: ("胃肠道不适", "腹胀", "偶有低血糖反应", "皮疹")}
HTN_SYMPTOM_CODES = "23456789"   # forms.HTN_SYMPTOMS; "1" = 无症状
DM_SYMPTOM_CODES = "23456789"
HOSPITALS = ("演示县人民医院", "演示县中医院")
OUTCOMES = ("已到上级医院就诊，调整用药后回社区管理", "上级医院复查后继续原方案，社区随访",
            "住院治疗后出院，转回社区继续管理", "已就诊，增加药物，2周后复查")
URGENT_OUTCOMES = ("急诊处理后病情平稳，已回家继续管理", "住院治疗7天后出院，转回社区管理",
                   "急诊留观后好转，调整用药")
NO_SHOW_OUTCOME = "电话随访：患者未去就诊，已再次督促"


@dataclass
class Summary:
    htn: int = 0
    dm: int = 0
    both: int = 0
    followups: int = 0
    exams: int = 0
    referrals: int = 0
    urgent: int = 0
    open_referrals: int = 0
    overdue: int = 0
    due_this_month: int = 0

    def line(self) -> str:
        return (f"慢病：高血压患者 {self.htn} 人、2型糖尿病患者 {self.dm} 人（两病兼有 {self.both} 人）；"
                f"近一年随访 {self.followups} 次、年度健康体检 {self.exams} 次；"
                f"转诊 {self.referrals} 次（紧急 {self.urgent} 次，尚未结束 {self.open_referrals} 次）；"
                f"目前逾期未随访 {self.overdue} 人，本月到期 {self.due_this_month} 人")


# --- The enrolment as the schedule rule sees it -------------------------------------------

class _Resident:
    __slots__ = ("birth_date",)

    def __init__(self, birth_date):
        self.birth_date = birth_date


class _OpenReferrals:
    """Stands in for ``enrolment.referrals``: the rule asks only whether one is open."""

    __slots__ = ("open",)

    def __init__(self):
        self.open = False

    def filter(self, **kwargs):
        return self

    def exists(self) -> bool:
        return self.open


class _Enrolment:
    """What ``on_visit`` reads of an enrolment, held in memory while its history is drawn."""

    __slots__ = ("pk", "resident", "next_due", "window_end", "state", "referrals")

    def __init__(self, pk, birth_date, next_due, window_end):
        self.pk = pk
        self.resident = _Resident(birth_date)
        self.next_due, self.window_end = next_due, window_end
        self.state = {}
        self.referrals = _OpenReferrals()


# --- Writing rows ---------------------------------------------------------------------------


ENROLMENT_COLUMNS = ("id", "resident_id", "programme", "village_id", "doctor_id", "enrolled_on",
                     "status", "next_due", "window_end", "last_visit_on", "state", "closed_on",
                     "close_reason", "version")
VISIT_COLUMNS = ("id", "enrolment_id", "resident_id", "programme", "village_id", "date", "kind",
                 "face_to_face", "classification", "next_due", "doctor_id", "created_at")
REFERRAL_COLUMNS = ("id", "enrolment_id", "resident_id", "visit_id", "village_id", "date", "urgent",
                    "reason", "institution", "follow_up_by", "outcome", "outcome_date")
DETAIL_COLUMNS = ("visit_id", "mode", "symptoms", "symptoms_other", "emergency_signs", "sbp", "dbp",
                  "weight_kg", "target_weight_kg", "height_cm", "bmi", "heart_rate", "dorsalis_pedis",
                  "other_signs", "cigarettes_per_day", "cigarettes_target", "alcohol_liang_per_day",
                  "alcohol_target", "exercise_times_per_week", "exercise_minutes", "salt_intake",
                  "salt_target", "staple_food_g", "mental_adjustment", "compliance", "fpg", "hba1c",
                  "other_tests", "medication_adherence", "adverse_reaction", "adverse_reaction_text",
                  "hard_to_control_adverse_reaction", "new_or_worse_complication",
                  "pregnant_or_lactating", "hypoglycaemia", "medicines", "insulin", "referral_reason",
                  "referral_institution")


def _json(value) -> str:
    # As django.db.models.JSONField stores it (json.dumps with its defaults).
    return json.dumps(value)


NO_SYMPTOMS, EMPTY_LIST, MANAGED = _json(["1"]), _json([]), str(EnrolmentStatus.MANAGED.value)


# --- Drawing ----------------------------------------------------------------------------

def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, day=28)


def _weighted(table):
    return tuple(v for v, _ in table), tuple(accumulate(w for _, w in table))


def _pick(rng, weighted):
    values, cum = weighted
    return values[bisect_right(cum, rng.random() * cum[-1])]


_MODES = _weighted(MODES)
_UNCONTROLLED = {code: _weighted(table) for code, table in UNCONTROLLED.items()}


def _one(x: float) -> str:
    """A decimal with one place, as the DecimalField columns hold it."""
    return f"{x:.1f}"


class _Patient:
    """Per-patient traits the follow-up form repeats from visit to visit."""

    __slots__ = ("uncontrolled", "late", "stop", "height", "weight", "target_weight", "smokes",
                 "cigarettes", "drinks", "alcohol", "exercise", "minutes", "salt", "staple",
                 "regimen", "medicines", "insulin", "hba1c_base")


class _Generator:
    def __init__(self, rng: random.Random, today: date, institutions: dict[str, str]):
        self.rng = rng
        self.today = today
        self.start = today - timedelta(days=HISTORY_DAYS)
        self.institutions = institutions  # township code → its health centre's name
        self.summary = Summary()
        self.specs = {HTN: registry.get(HTN), DM: registry.get(DM)}
        self.seq = 0
        self.visits: list[tuple] = []     # (date, seq, enrolment id, …, detail, referral)

    # Who ------------------------------------------------------------------------------
    def choose(self, residents: list[tuple], total: int) -> list[tuple]:
        """(enrolled on, resident row, programme) for every drawn patient, oldest first."""
        rng, today = self.rng, self.today
        weights = {HTN: [], DM: []}
        lows = [b[0] for b in AGE_BANDS]
        for row in residents:
            band = AGE_BANDS[bisect_right(lows, _age(row[2], today)) - 1]
            weights[HTN].append(band[1])
            weights[DM].append(band[2])
        scale = {code: TARGET_SHARE[code] * total / (sum(w) or 1) for code, w in weights.items()}
        earliest = today - timedelta(days=round(ENROL_YEARS * 365.2425))
        chosen = []
        for i, row in enumerate(residents):
            _, _, born, _, created, _ = row
            drawn = []
            for code in (HTN, DM):
                if rng.random() < min(MAX_CHANCE, scale[code] * weights[code][i]):
                    drawn.append(code)
            if not drawn:
                continue
            low = max(_birthday(born, MIN_AGE), created, earliest)
            if low > today:
                continue
            span = (today - low).days
            for code in drawn:
                chosen.append((low + timedelta(days=rng.randint(0, span)), row, code))
            if len(drawn) == 2:
                self.summary.both += 1
        chosen.sort(key=lambda c: (c[0], c[1][0], c[2]))
        return chosen

    # A patient's year ------------------------------------------------------------------
    def patient(self, code: str, sex: str, born: date) -> _Patient:
        rng, today = self.rng, self.today
        p = _Patient()
        p.uncontrolled = _pick(rng, _UNCONTROLLED[code])
        roll = rng.random()
        p.stop = today - timedelta(days=rng.randint(120, 330)) if roll < DROPOUT_SHARE else today
        p.late = roll < DROPOUT_SHARE + LATE_SHARE
        male = sex == "1"
        p.height = round(rng.gauss(167 if male else 156, 5.5))
        p.weight = rng.gauss(70 if male else 60, 9) + (3 if code == DM else 0)
        p.target_weight = max(45.0, p.weight - rng.choice((0, 2, 3, 5)))
        p.smokes = male and rng.random() < 0.4
        p.cigarettes = rng.choice((5, 10, 10, 15, 20)) if p.smokes else 0
        p.drinks = male and rng.random() < 0.3
        p.alcohol = rng.choice((1.0, 1.5, 2.0, 3.0)) if p.drinks else 0.0
        p.exercise = rng.choice((0, 1, 2, 3, 3, 5, 7, 7))
        p.minutes = rng.choice((20, 30, 30, 40, 60)) if p.exercise else 0
        p.salt = rng.choice("1222233")
        p.staple = rng.choice((200, 250, 300, 300, 350, 400)) if code == DM else None
        drugs = HTN_DRUGS if code == HTN else DM_DRUGS
        p.regimen = [[d, 0] for d in rng.sample(range(len(drugs)), 1 if rng.random() < 0.6 else 2)]
        p.medicines = self.medicines(code, p.regimen)
        p.insulin = rng.choice(INSULINS) if code == DM and rng.random() < 0.15 else ""
        p.hba1c_base = rng.gauss(7.2, 0.9)
        return p

    @staticmethod
    def medicines(code, regimen) -> str:
        drugs = HTN_DRUGS if code == HTN else DM_DRUGS
        return _json([{"name": drugs[d][0], "dose": drugs[d][1][level], "frequency": drugs[d][2]}
                      for d, level in regimen])

    def next_date(self, p: _Patient, e: _Enrolment, last: date) -> date:
        rng = self.rng
        routine = e.window_end > e.next_due
        if p.late and rng.random() < 0.5:
            off = rng.triangular(-10, 50, 8) if routine else rng.triangular(-6, 25, 2)
        else:
            off = rng.triangular(-15, 12, -2) if routine else -rng.randint(0, 7)
        return max(e.next_due + timedelta(days=round(off)), last + timedelta(days=1))

    def facts(self, code: str, p: _Patient, e: _Enrolment, day: date, age: int) -> dict:
        rng = self.rng
        count = int(e.state.get("uncontrolled", 0))
        chance = (p.uncontrolled if count == 0 else
                  RECHECK_UNCONTROLLED if count == 1 else AFTER_REFERRAL_UNCONTROLLED)
        emergency = rng.random() < EMERGENCY[code]
        # A diabetes emergency is mostly the glucose; a hypertension one the pressure or a sign.
        bp_emergency = emergency and (code == HTN or rng.random() < 0.3)
        uncontrolled = emergency or rng.random() < chance
        facts = {"emergency_signs": []}
        t_sbp = 150 if age >= 65 else 140
        if bp_emergency:
            if rng.random() < 0.7:
                sbp, dbp = rng.randint(180, 205), rng.randint(92, 118)
            else:
                sbp, dbp = rng.randint(160, 178), rng.randint(90, 105)
                facts["emergency_signs"] = [rng.choice(("severe_headache_dizziness", "chest_tightness",
                                                        "blurred_vision", "palpitations"))]
        elif code == HTN and uncontrolled:
            if rng.random() < 0.75:
                sbp, dbp = rng.randint(t_sbp, min(178, t_sbp + 28)), rng.randint(78, 104)
            else:
                sbp, dbp = rng.randint(124, t_sbp - 1), rng.randint(90, 104)
        else:
            # Diabetes patients' pressure is measured too, and stays below the emergency line.
            high = t_sbp - 1 if code == HTN else 158
            sbp = min(high, max(104, round(rng.gauss(128 if code == HTN else 130, 8))))
            dbp = min(89, max(60, round(rng.gauss(78, 5.5))))
        dbp = min(dbp, sbp - 20)
        facts["sbp"], facts["dbp"] = sbp, dbp
        facts["heart_rate"] = min(96, max(56, round(rng.gauss(75, 7))))
        if code == DM:
            if emergency and not bp_emergency:
                fpg = rng.uniform(16.7, 22.0) if rng.random() < 0.7 else rng.uniform(2.8, 3.8)
            elif uncontrolled:
                fpg = min(15.5, max(7.0, rng.gauss(8.8, 1.6)))
            else:
                fpg = min(6.9, max(4.4, rng.gauss(6.2, 0.45)))
            facts["fpg"] = _one(fpg)
        roll = rng.random()
        facts["adverse_reaction"] = roll < ADVERSE_REACTION
        facts["hard_to_control_adverse_reaction"] = roll < ADVERSE_REACTION * HARD_ADVERSE_SHARE
        facts["new_or_worse_complication"] = rng.random() < COMPLICATION
        facts["pregnant_or_lactating"] = False
        facts["referral_reason"] = ""
        return facts

    def detail(self, code: str, p: _Patient, facts: dict, mode: str, result, uncontrolled: bool,
               institution: str) -> tuple:
        rng = self.rng
        if uncontrolled and result.referral is None and rng.random() < 0.5:
            # The doctor changes the treatment: a higher dose, or one more drug.
            drugs = HTN_DRUGS if code == HTN else DM_DRUGS
            raise_dose = [r for r in p.regimen if r[1] + 1 < len(drugs[r[0]][1])]
            if raise_dose and (rng.random() < 0.5 or len(p.regimen) >= 3):
                raise_dose[0][1] += 1
            elif len(p.regimen) < 3:
                free = [d for d in range(len(drugs)) if all(d != r[0] for r in p.regimen)]
                p.regimen.append([rng.choice(free), 0])
            p.medicines = self.medicines(code, p.regimen)
        p.weight += rng.uniform(-0.8, 0.7)
        weight = round(p.weight, 1)
        symptoms_pool = HTN_SYMPTOM_CODES if code == HTN else DM_SYMPTOM_CODES
        if facts["emergency_signs"] or (uncontrolled and rng.random() < 0.4) or rng.random() < 0.1:
            symptoms = _json(sorted(rng.sample(symptoms_pool, rng.randint(1, 2))))
        else:
            symptoms = NO_SYMPTOMS
        adherence = rng.choice("122" if uncontrolled else "1111111112")
        adverse_text = rng.choice(ADVERSE_TEXTS[code]) if facts["adverse_reaction"] else ""
        dm = code == DM
        hba1c = (_one(min(13.0, max(5.6, p.hba1c_base + rng.gauss(0, 0.4))))
                 if dm and rng.random() < 0.25 else None)
        return (
            mode, symptoms, "", _json(facts["emergency_signs"]) if facts["emergency_signs"] else EMPTY_LIST,
            facts["sbp"], facts["dbp"],
            _one(weight), _one(p.target_weight), _one(p.height),
            _one(round(weight / (p.height / 100) ** 2, 1)), facts["heart_rate"],
            (rng.choice(("未触及", "减弱")) if rng.random() < 0.08 else "触及正常") if dm else "",
            "", p.cigarettes, max(0, p.cigarettes - 5), _one(p.alcohol), _one(max(0.0, p.alcohol - 1)),
            p.exercise, p.minutes or None, p.salt, "1", p.staple,
            rng.choice("1112"), rng.choice("1112" if not uncontrolled else "122"),
            facts.get("fpg"), hba1c, "", adherence,
            facts["adverse_reaction"], adverse_text, facts["hard_to_control_adverse_reaction"],
            facts["new_or_worse_complication"], False,
            rng.choice("1111111112") if dm else "", p.medicines, p.insulin, "", institution,
        )

    def history(self, enrolment_id: int, code: str, enrolled_on: date, row: tuple) -> tuple:
        """Draw one enrolment's year and return its Enrolment row."""
        rng, today = self.rng, self.today
        resident_id, village, born, doctor, _, sex = row
        spec = self.specs[code]
        p = self.patient(code, sex, born)
        due, window_end = spec.first_due(enrolled_on, None)
        e = _Enrolment(enrolment_id, born, due, window_end)
        outcome_dates: list[date | None] = []   # of this enrolment's referrals so far
        version, last_visit_on = 1, None
        start = max(enrolled_on, self.start)
        stop = min(p.stop, today)
        # The annual check: on a day of its own, or with the first follow-up on or after it.
        exam_day = None
        if rng.random() < EXAM_SHARE and stop >= start:
            exam_day = start + timedelta(days=rng.randint(0, (stop - start).days))
        combine = rng.random() < EXAM_WITH_FOLLOWUP
        day = (start + timedelta(days=rng.randint(0, 95)) if enrolled_on < self.start
               else self.next_date(p, e, enrolled_on - timedelta(days=1)))
        hospital = self.institutions.get(village[:9], HOSPITALS[0])
        while True:
            while day in outcome_dates:   # never seen on the day an outcome was recorded
                day += timedelta(days=1)
            if day > stop:
                day = None
            if exam_day is not None and (day is None or exam_day < day) and not (combine and day):
                version, last_visit_on = self.exam(enrolment_id, row, code, spec, e, exam_day, version)
                exam_day = None
            if day is None:
                break
            # A follow-up on ``day``, through the programme's rule as do_record_visit calls it.
            e.referrals.open = any(o is None or o > day for o in outcome_dates)
            facts = self.facts(code, p, e, day, _age(born, day))
            mode = _pick(rng, _MODES)
            result = spec.on_visit(e, {**facts, "visit_date": day, "kind": "followup"})
            referral = None
            institution = ""
            if result.referral is not None:
                institution = (rng.choice(HOSPITALS) if result.referral.urgent or rng.random() < 0.7
                               else hospital)
                outcome_date = self.outcome_day(day, result.referral.follow_up_by)
                outcome = ""
                if outcome_date is not None:
                    outcome = (NO_SHOW_OUTCOME if rng.random() < 0.1 else
                               rng.choice(URGENT_OUTCOMES if result.referral.urgent else OUTCOMES))
                    outcome_dates.append(outcome_date)
                else:
                    outcome_dates.append(None)
                referral = (result.referral.urgent, result.referral.reason, institution,
                            result.referral.follow_up_by, outcome, outcome_date)
            uncontrolled = result.classification != "1"
            detail = self.detail(code, p, facts, mode, result, uncontrolled, institution)
            self.add_visit(day, enrolment_id, row, code, "followup", mode != "3",
                           result.classification, result.next_due, detail, referral)
            e.next_due, e.window_end, e.state = result.next_due, result.window_end, result.state
            version, last_visit_on = version + 1, day
            if exam_day is not None and combine and exam_day <= day:
                version, last_visit_on = self.exam(enrolment_id, row, code, spec, e, day, version)
                exam_day = None
            day = self.next_date(p, e, day)
        if e.window_end < today:
            self.summary.overdue += 1
        elif e.next_due <= _month_end(today):
            self.summary.due_this_month += 1
        return (enrolment_id, resident_id, code, village, doctor, enrolled_on, MANAGED, e.next_due,
                e.window_end, last_visit_on, _json(e.state), None, "", version)

    def exam(self, enrolment_id, row, code, spec, e, day, version):
        result = spec.on_visit(e, {"visit_date": day, "kind": "annual_exam"})
        self.add_visit(day, enrolment_id, row, code, "annual_exam", True, result.classification,
                       result.next_due, None, None)
        e.next_due, e.window_end, e.state = result.next_due, result.window_end, result.state
        self.summary.exams += 1
        return version + 1, day

    def outcome_day(self, day: date, follow_up_by: date) -> date | None:
        """When the referral's outcome was recorded, or None if it is still open."""
        rng, today = self.rng, self.today
        recorded = rng.random() < (OUTCOME_RECORDED if follow_up_by < today else 0.3)
        if not recorded:
            return None
        outcome = day + timedelta(days=rng.randint(2, 18))
        return outcome if outcome <= today else None

    def add_visit(self, day, enrolment_id, row, code, kind, f2f, classification, next_due, detail,
                  referral):
        self.seq += 1
        minutes = self.rng.randint(0, 540)
        self.visits.append((day, self.seq, enrolment_id, row[0], code, row[1], kind, f2f,
                            classification, next_due, row[3], minutes, detail, referral))
        if kind == "followup":
            self.summary.followups += 1


def _month_end(day: date) -> date:
    first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)


def generate_patients(rng: random.Random, demo, today: date) -> Summary:
    """Enrol patients among the residents of ``demo`` (orgs.demo.DemoCounty) and draw a year."""
    county = demo.county.code
    institutions = {t.code: t.name for t in demo.townships}
    gen = _Generator(rng, today, institutions)
    summary = gen.summary
    in_county = prefix_filter("village_id", county)
    total = Resident.objects.filter(in_county).count()
    fallback = {}
    for unit, user in (User.objects.filter(prefix_filter("unit_id", county), role=Role.VILLAGE_DOCTOR)
                       .order_by("unit_id", "username").values_list("unit_id", "id")):
        fallback.setdefault(unit, user)
    already = set(Enrolment.objects.filter(in_county, status=EnrolmentStatus.MANAGED)
                  .values_list("resident_id", "programme"))
    rows = []
    for rid, village, born, doctor, created, sex in (
            Resident.objects.filter(in_county, status=Status.ACTIVE,
                                    birth_date__lte=_birthday(today, -MIN_AGE))
            .order_by("id").values_list("id", "village_id", "birth_date", "doctor_id",
                                        "record_created", "sex")):
        doctor = doctor or fallback.get(village)
        if doctor is not None:
            rows.append((rid, village, born, doctor, created, sex))
    chosen = [c for c in gen.choose(rows, total) if (c[1][0], c[2]) not in already]
    next_id = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 for m in (Enrolment, Visit, Referral)}
    enrolment_rows = []
    for i, (enrolled_on, row, code) in enumerate(chosen):
        enrolment_rows.append(gen.history(next_id[Enrolment] + i, code, enrolled_on, row))
        if code == HTN:
            summary.htn += 1
        else:
            summary.dm += 1

    # Visits in the order they were recorded: by day, then as drawn.
    visits = gen.visits
    visits.sort(key=lambda v: (v[0], v[1]))
    postgres = connection.vendor == "postgresql"
    tz = timezone.get_current_timezone()
    eight = time(8)
    visit_rows, detail_rows, referral_rows = [], [], []
    visit_id, referral_id = next_id[Visit], next_id[Referral]
    adapt = connection.ops.adapt_datetimefield_value
    for (day, _seq, enrolment_id, resident_id, code, village, kind, f2f, classification, next_due,
         doctor, minutes, detail, referral) in visits:
        created = datetime.combine(day, eight).replace(tzinfo=tz) + timedelta(minutes=minutes)
        visit_rows.append((visit_id, enrolment_id, resident_id, code, village, day, kind, f2f,
                           classification, next_due, doctor, created if postgres else adapt(created)))
        if detail is not None:
            detail_rows.append((visit_id, *detail))
        if referral is not None:
            referral_rows.append((referral_id, enrolment_id, resident_id, visit_id, village, day,
                                  *referral))
            summary.referrals += 1
            summary.urgent += referral[0]
            summary.open_referrals += referral[-1] is None
            referral_id += 1
        visit_id += 1
    gen.visits = []

    with transaction.atomic():
        _Table(Enrolment, ENROLMENT_COLUMNS).insert(enrolment_rows)
        _Table(Visit, VISIT_COLUMNS).insert(visit_rows)
        _Table(ChronicFollowUp, DETAIL_COLUMNS).insert(detail_rows)
        _Table(Referral, REFERRAL_COLUMNS).insert(referral_rows)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Enrolment, Visit, Referral]):
                cursor.execute(sql)
    return summary


def run(ctx) -> None:
    """Generator step (see ``gongwei generate``): chronic patients among ``ctx.county``'s residents."""
    demo = getattr(ctx, "county", None)
    if demo is None:
        return
    # The demo county's own survey figures for 管理率 (NORMS §5.3: set by the county). The
    # patients above are ~22% and ~9% of residents aged 35+; prevalence among rural adults of
    # 35+ is well above the all-adult 25.2% / 9.7% defaults (demo assumption, not a source).
    for programme, rate in (("htn", "0.370"), ("dm", "0.130")):
        PrevalenceSetting.objects.update_or_create(
            county=demo.county, programme=programme,
            defaults={"rate": rate, "source": "演示数据（假定值）"})
    ctx.say(generate_patients(ctx.rng, demo, ctx.today).line())
