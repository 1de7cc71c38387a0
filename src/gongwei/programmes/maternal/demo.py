"""Demo step: pregnancies, deliveries, newborns, high-risk cases and PMTCT results.

Generator step of ``gongwei generate`` (``run(ctx)``), after the population step (and before
the child programme's, which looks up the residents born in the last six years); deterministic
for the seed and ``ctx.today``.

How many, who
    About ``BIRTH_RATE`` (9 per 1,000 residents a year, a Zhejiang county of the 2020s) births a
    year. Expected delivery dates are spread evenly from two years before ``ctx.today`` to 35
    weeks after it, so at ``ctx.today`` there are women just booked, in each trimester, just
    delivered and awaiting the postpartum visit, around the 42-day check, and closed ones. A
    pregnancy not yet booked by ``ctx.today`` (booking at 6–12 weeks, some late) is not in the
    system. Mothers are women on the register aged 18–46 at the expected date, weighted by the
    age pattern of fertility (peak 25–29) and mostly married; one pregnancy each.

What happens to each (``_Plan``)
    Dating by the LMP, 40% also by an early ultrasound (a few LMPs are misremembered by more
    than the redating band, so the ultrasound dating is used; 5% have no LMP). 88% book before
    13 weeks. Antenatal checks in the norm's windows (most women attend most of them; some
    extra checks late in pregnancy); 3% end in miscarriage or termination; 6% deliver preterm.
    Deliveries: 99.3% in hospital, caesarean about 38% (more after a scarred uterus, with twins
    or a placenta praevia), 1.2% twins, 0.4% stillbirths; the delivery record arrives 1–4 days
    later. Postpartum home visit within 7 days of discharge for most, late or missing for a
    few; the 42-day check closes (结案) most pregnancies, refers 4% (rechecked two weeks later);
    without a check 120 days after delivery the management is closed as lost.
    Risk: conditions of the supplement's table with an onset (at booking: scarred uterus,
    twins, thyroid disease…; later: gestational diabetes at 24–28 weeks, hypertension,
    pre-eclampsia, placenta praevia…), plus age and booking BMI, graded at every visit as the
    action does: about 20% yellow, a few percent orange, a few red; purple from a positive
    PMTCT result or tuberculosis in about 0.4% (at least one pregnancy open today). Orange,
    red and purple get a case, most with a township MCH officer responsible, a plan, a
    designated hospital, an escort for the red ones.
    PMTCT screening at booking for 97%, recorded by the township MCH officer.
    Maternal deaths: ``MATERNAL_MORTALITY`` per live birth, and at least one in the county so
    the screens have one (reviewed by the county MCH officer when older than two months).
Newborns
    Every live-born baby whose delivery is recorded becomes a Resident: born on the delivery
    date, document type 12 (出生医学证明) with no_id_reason "新生儿", in the mother's village and
    household, relation to the head by the mother's (her child, the head's grandchild…), the
    father's surname, the mother's address, registration, ethnicity, doctor and living
    conditions; the record created at the newborn visit, numbered after the village's records.

Exactly what the actions would have written
    Each visit goes through ``programme.on_visit`` on an in-memory stand-in of the enrolment, as
    care.actions.do_record_visit calls it; risk grades through ``actions.grade``; the enrolment
    holds what do_enrol / do_record_visit / do_close would (version = 1 + visits + closure).
    No audit rows for generated history. Rows are tuples written with executemany (SQLite) or
    COPY (PostgreSQL), as people.demo and chronic.demo do, and the sequences reset afterwards.
"""

import json
import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.orgs.access import prefix_filter
from gongwei.orgs.models import Role, User
from gongwei.people import demo as people_demo
from gongwei.people.bulk import TupleTable as _Table
from gongwei.people.derived import derive_fields
from gongwei.people.models import (
    HealthRecord,
    HouseholdMembership,
    RecordSerial,
    Resident,
    Status,
)
from gongwei.people.population import SURNAMES, draw_name

from . import access, rules
from .actions import CLOSE_REASON, TERMINATION_REASON, _bmi, grade
from .forms import GUIDANCE
from .models import (
    AntenatalCheck,
    Delivery,
    HighRiskCase,
    InfectionScreening,
    MaternalDeath,
    PostpartumCheck,
    Pregnancy,
    RiskAssessment,
)
from .programme import CONFIG, on_visit

BATCH = 5_000
BIRTH_RATE = 0.009              # births per resident a year
HISTORY_DAYS = 730              # expected dates from two years back …
AHEAD_DAYS = 245                # … to 35 weeks ahead (LMP at least 5 weeks ago)
MATERNAL_MORTALITY = 15e-5      # per live birth (NORMS §5.5: China 2024 14.3 per 100,000)
FERTILITY = ((18, 0.1), (20, 0.6), (25, 1.0), (30, 0.65), (35, 0.17), (40, 0.035), (45, 0.005), (47, 0.0))
UNMARRIED_WEIGHT = 0.05
EARLY_BOOKING = 0.88
ULTRASOUND_SHARE = 0.40
NO_LMP_SHARE = 0.05
MISREMEMBERED_LMP = 0.12        # of those with an ultrasound: off by more than the band
MISCARRIAGE = 0.03
PRETERM = 0.06
TWINS = 0.012
STILLBIRTH = 0.004
PLACES = (("1", 993), ("2", 4), ("3", 3))
HOSPITALS = (("演示县人民医院", 45), ("演示县妇幼保健院", 35), ("演示县中医院", 8), ("市妇幼保健院", 7),
             ("市第一人民医院", 5))
OTHER_PLACES = ("乡镇卫生院", "赴医院途中")
CAESAREAN = 0.30                # before the reasons below raise it
PMTCT_SCREENED = 0.97
PURPLE_SHARE = 0.004
# Condition code → (chance, earliest onset, latest onset) in gestational weeks; 0 = at booking.
CONDITIONS = (
    ("scarred_uterus", 0.035, 0, 0), ("ivf", 0.012, 0, 0), ("thrombocytopenia", 0.008, 0, 30),
    ("mild_anaemia", 0.03, 16, 34), ("gestational_diabetes", 0.04, 24, 28), ("hypertension", 0.025, 20, 36),
    ("polyhydramnios", 0.006, 28, 36), ("oligohydramnios", 0.008, 30, 38),
    ("thyroid_disease", 0.008, 0, 0), ("epilepsy", 0.0015, 0, 0), ("diabetes", 0.003, 0, 0),
    ("immune_disease", 0.0015, 0, 0), ("heart_disease", 0.002, 0, 0), ("pre_eclampsia", 0.008, 28, 37),
    ("placenta_praevia", 0.004, 28, 34), ("severe_anaemia", 0.0015, 20, 34),
    ("severe_hypertension", 0.0015, 30, 37), ("pernicious_placenta_praevia", 0.0004, 28, 32),
    ("severe_heart_disease", 0.0003, 0, 0),
)
# Gone after the delivery: not graded at the postpartum visits.
PREGNANCY_ONLY = frozenset({"twins", "ivf", "placenta_praevia", "pernicious_placenta_praevia", "polyhydramnios",
                            "oligohydramnios", "gestational_diabetes"})
COMPLIANCE = ((0.97, 0.72), (0.8, 0.22), (0.5, 0.06))     # (chance to attend a window, share of women)
ANTENATAL_REFERRAL = 0.025
ANTENATAL_REASONS = ("血压偏高", "血红蛋白偏低", "尿蛋白阳性", "胎位异常", "胎心率异常", "宫高增长缓慢")
POSTPARTUM_REASONS = ("恶露异常", "切口愈合不良", "产后抑郁倾向", "子宫复旧不良")
REFERRAL_OUTCOMES = ("已到县妇幼保健院就诊，处理后回社区管理", "上级医院复查未见明显异常", "住院治疗后好转出院")
COMPLAINTS = (("", 70), ("恶心、呕吐", 6), ("腰酸", 6), ("下肢水肿", 6), ("偶有头晕", 4), ("睡眠欠佳", 4), ("胃部不适", 4))
DEATH_CAUSES = ("产后出血", "羊水栓塞", "妊娠期高血压疾病（子痫）", "妊娠合并心脏病", "产褥感染")
REVIEW = ("产后出血发现及转诊不及时，评审为可避免死亡", "羊水栓塞，病情凶险，评审为不可避免死亡",
          "高危专案管理不到位，评审为创造条件可避免死亡")
PLANS = ("每2周产前检查一次，监测血压、尿蛋白；出现头痛、视物模糊立即就诊；孕36周前住院待产。",
         "县妇幼保健院高危门诊每2周随访，村医每周电话随访；提前1周住院待产。",
         "心内科、产科联合管理，每周随访；出现胸闷、气促立即由村医陪同转诊。",
         "按期产前检查，监测血糖、血压；孕晚期每周随访一次，指定医院住院分娩。")
ESCORTS = ("乡镇卫生院妇保医生陪同", "村医陪同", "120急救转运，乡镇卫生院医生陪同")
NEWBORN_REASON = people_demo.BORN_IN_DEMO_REASON

YEAR = 365.2425
WEEK = 7


@dataclass
class Summary:
    pregnancies: int = 0
    open: int = 0
    deliveries: int = 0
    live_births: int = 0
    newborns: int = 0
    visits: int = 0
    yellow: int = 0
    orange: int = 0
    red: int = 0
    purple: int = 0
    cases: int = 0
    deaths: int = 0
    by_stage: dict = field(default_factory=dict)

    def line(self) -> str:
        stages = "，".join(f"{k} {v}" for k, v in self.by_stage.items())
        return (f"孕产妇：{self.pregnancies} 人次建册（在管 {self.open}：{stages}）；分娩 {self.deliveries} 例、"
                f"活产 {self.live_births} 人（新生儿建档 {self.newborns} 人）；服务记录 {self.visits} 次；"
                f"在管孕产妇风险：黄 {self.yellow}、橙 {self.orange}、红 {self.red}、紫 {self.purple}，"
                f"高危专案 {self.cases} 例；孕产妇死亡 {self.deaths} 例")


# --- Writing rows (as chronic.demo) ---------------------------------------------------------


ENROLMENT_COLUMNS = ("id", "resident_id", "programme", "village_id", "doctor_id", "enrolled_on", "status",
                     "next_due", "window_end", "last_visit_on", "state", "closed_on", "close_reason", "version")
VISIT_COLUMNS = ("id", "enrolment_id", "resident_id", "programme", "village_id", "date", "kind", "face_to_face",
                 "classification", "next_due", "doctor_id", "created_at")
REFERRAL_COLUMNS = ("id", "enrolment_id", "resident_id", "visit_id", "village_id", "date", "urgent", "reason",
                    "institution", "follow_up_by", "outcome", "outcome_date")
PREGNANCY_COLUMNS = ("id", "enrolment_id", "resident_id", "village_id", "booked_on", "lmp", "ultrasound_date",
                     "ultrasound_ga_days", "dating_basis", "effective_lmp", "edd", "early_booking", "gravida", "para",
                     "handbook_number", "colour", "purple", "pmtct_purple", "assessed_on")
ANTENATAL_COLUMNS = ("visit_id", "village_id", "pregnancy_id", "ga_days", "window", "weight_kg", "height_cm", "bmi",
                     "sbp", "dbp", "fundal_height_cm", "abdominal_circumference_cm", "fetal_position",
                     "fetal_heart_rate", "haemoglobin", "urine_protein", "complaints", "classification",
                     "abnormal_text", "guidance", "guidance_other", "referral", "referral_reason",
                     "referral_institution", "next_visit_date")
DELIVERY_COLUMNS = ("visit_id", "village_id", "pregnancy_id", "date", "ga_days", "place", "institution", "mode",
                    "outcome", "live_births", "stillbirths", "discharge_date")
POSTPARTUM_COLUMNS = ("visit_id", "village_id", "pregnancy_id", "kind", "days_after_discharge", "temperature",
                      "general", "mental", "sbp", "dbp", "breasts", "breasts_note", "lochia", "lochia_note", "uterus",
                      "uterus_note", "wound", "wound_note", "other", "classification", "abnormal_text", "guidance",
                      "guidance_other", "disposal", "referral", "referral_reason", "referral_institution",
                      "next_visit_date")
RISK_COLUMNS = ("id", "pregnancy_id", "village_id", "visit_id", "date", "conditions", "colour", "purple",
                "pmtct_purple", "needs_case", "note", "assessed_by_id", "created_at")
CASE_COLUMNS = ("id", "pregnancy_id", "village_id", "opened_on", "pmtct_only", "responsible_id", "case_plan",
                "referral_escort", "escort_by", "designated_hospital", "reported_on", "closed_on", "close_reason",
                "updated_at")
SCREENING_COLUMNS = ("id", "pregnancy_id", "village_id", "hiv_result", "hiv_date", "syphilis_result",
                     "syphilis_date", "hbsag_result", "hbsag_date", "note", "recorded_by_id", "created_at")
DEATH_COLUMNS = ("id", "pregnancy_id", "resident_id", "village_id", "date", "cause", "within_42_days",
                 "days_after_end", "accidental", "review_status", "avoidability", "review_conclusion",
                 "reviewed_by_id", "reviewed_on", "registered_by_id", "created_at")
RESIDENT_COLUMNS = ("id", "village_id", "record_number", "name", "name_pinyin", "name_initials", "alt_pinyin",
                    "alt_initials", "sex", "birth_date", "document_type", "id_number", "id_reversed",
                    "other_document_number", "no_id_reason", "ethnicity", "phone", "address", "registered_address",
                    "registration", "residence_since", "marital_status", "education", "occupation",
                    "payment_methods", "work_unit", "contact_name", "contact_phone", "doctor_id", "household_id",
                    "relation_to_head", "status", "status_date", "death_cause", "moved_to", "merged_into_id",
                    "record_created", "created_by_id", "updated_at", "version")
HEALTH_COLUMNS = ("resident_id", "village_id", "blood_type", "rh_negative", "drug_allergies", "drug_allergy_other",
                  "exposures", "past_history", "family_history", "genetic_disease", "disabilities", "kitchen_exhaust",
                  "fuel", "drinking_water", "toilet", "livestock_pen", "updated_at")
MEMBERSHIP_COLUMNS = ("id", "household_id", "resident_id", "village_id", "relation_to_head", "joined", "left")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False) if value else json.dumps(value)


def _weighted(table):
    return tuple(v for v, _ in table), tuple(accumulate(w for _, w in table))


def _pick(rng, weighted):
    values, cum = weighted
    return values[bisect_right(cum, rng.random() * cum[-1])]


_PLACES, _HOSPITALS, _COMPLAINTS = _weighted(PLACES), _weighted(HOSPITALS), _weighted(COMPLAINTS)
_RANK = {"green": 0, "yellow": 1, "orange": 2, "red": 3}
_COMPLIANCE = _weighted([(c, s) for c, s in COMPLIANCE])
_COMPOUND = frozenset(s for s, _ in SURNAMES if len(s) == 2)
MANAGED, CLOSED, DIED, LOST = (str(s.value) for s in (EnrolmentStatus.MANAGED, EnrolmentStatus.CLOSED,
                                                       EnrolmentStatus.DIED, EnrolmentStatus.LOST))


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _surname(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND else name[:1]


def _dec(x) -> str | None:
    return None if x is None else f"{x:.1f}"


def _fertility(age: float) -> float:
    i = bisect_right([a for a, _ in FERTILITY], age) - 1
    return FERTILITY[i][1] if i >= 0 else 0.0


# --- The enrolment as the schedule rule sees it -------------------------------------------------

class _Enrolment:
    __slots__ = ("pk", "state")

    def __init__(self, pk):
        self.pk, self.state = pk, {}


@dataclass
class _Mother:
    id: int
    village: str
    born: date
    doctor: int | None
    household: int | None
    relation: str
    name: str
    phone: str
    contact_name: str
    contact_phone: str
    address: str
    registered_address: str
    registration: str
    ethnicity: str
    residence_since: date | None


@dataclass
class _Plan:
    """What happens to one pregnancy, drawn before it is played through the rules."""

    mother: _Mother
    true_lmp: date
    booked: date = None
    lmp: date | None = None
    ultrasound: rules.Ultrasound | None = None
    ends: date = None             # delivery or miscarriage day
    miscarriage: bool = False
    conditions: list = field(default_factory=list)   # (code, onset gestational day)
    purple_code: str = ""         # a positive PMTCT result, or "tuberculosis"
    dies: int | None = None       # days after delivery
    height: float = 158.0
    weight: float = 54.0
    bmi: float = 21.6
    compliance: float = 0.97


class _Generator:
    def __init__(self, rng: random.Random, today: date, summary: Summary):
        self.rng, self.today, self.summary = rng, today, summary
        self.tz = timezone.get_current_timezone()
        self.postgres = connection.vendor == "postgresql"
        self.rows = {k: [] for k in ("enrolment", "visit", "referral", "pregnancy", "antenatal", "delivery",
                                     "postpartum", "risk", "case", "screening", "death")}
        self.next_id = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
                        for m in (Enrolment, Visit, Referral, Pregnancy, RiskAssessment, HighRiskCase,
                                  InfectionScreening, MaternalDeath)}
        self.newborns: list[tuple] = []      # (mother, delivery day, record day, sex)
        self.dead_mothers: list[tuple] = []  # (resident id, day, cause)

    def _id(self, model) -> int:
        n = self.next_id[model]
        self.next_id[model] = n + 1
        return n

    def _at(self, day: date, minutes: int):
        moment = datetime.combine(day, time(8)).replace(tzinfo=self.tz) + timedelta(minutes=minutes)
        return moment if self.postgres else connection.ops.adapt_datetimefield_value(moment)

    # Planning ------------------------------------------------------------------------------
    def plan(self, mother: _Mother, edd: date) -> _Plan | None:
        rng, today = self.rng, self.today
        p = _Plan(mother, edd - timedelta(days=CONFIG.edd_days))
        early = rng.random() < EARLY_BOOKING
        ga = round(rng.triangular(42, 90, 62)) if early else round(rng.triangular(91, 190, 100))
        p.booked = p.true_lmp + timedelta(days=ga)
        if p.booked > today:
            return None
        # Dating: the LMP as she remembers it, an ultrasound for some.
        off = rng.randint(-3, 3)
        if rng.random() < ULTRASOUND_SHARE:
            scan = p.booked - timedelta(days=rng.randint(0, 10))
            if (scan - p.true_lmp).days < 42:
                scan = p.booked
            p.ultrasound = rules.Ultrasound(scan, (scan - p.true_lmp).days + rng.randint(-2, 2))
            if rng.random() < MISREMEMBERED_LMP:
                off = rng.choice((-1, 1)) * rng.randint(12, 25)
            p.lmp = None if rng.random() < NO_LMP_SHARE else p.true_lmp + timedelta(days=off)
        else:
            p.lmp = p.true_lmp + timedelta(days=off)
        effective = rules.dating(p.lmp, p.ultrasound, CONFIG)[0]
        if (p.booked - effective).days < 0:
            p.lmp, p.ultrasound = p.true_lmp, None
        # How it ends.
        if rng.random() < MISCARRIAGE and ga < 24 * WEEK:
            p.miscarriage = True
            p.ends = p.true_lmp + timedelta(days=rng.randint(ga + 7, 27 * WEEK))
        else:
            weeks = rng.uniform(32, 36.9) if rng.random() < PRETERM else min(41.9, max(37.0, rng.gauss(39.3, 1.1)))
            p.ends = p.true_lmp + timedelta(days=round(weeks * WEEK))
        p.compliance = _pick(rng, _COMPLIANCE)
        # Booking height and weight as the form takes them (one decimal), and the BMI the action
        # computes from them, so that the conditions derived from it are the same.
        p.height = round(rng.gauss(158, 5), 1)
        p.weight = round(min(34.0, max(16.5, rng.gauss(21.4, 1.8))) * (p.height / 100) ** 2, 1)
        p.bmi = float(_bmi(p.weight, p.height))
        for code, chance, first, last in CONDITIONS:
            if rng.random() < chance:
                p.conditions.append((code, rng.randint(first, last) * WEEK if last else 0))
        if rng.random() < TWINS:
            p.conditions.append(("twins", 0))
        return p

    # Playing it through -----------------------------------------------------------------------
    def play(self, p: _Plan, doctors: dict, mch: dict, county_mch: int | None) -> None:
        rng, today, m = self.rng, self.today, p.mother
        village = m.village
        doctor = m.doctor or doctors.get(village)
        officer = mch.get(village[:9]) or doctor
        e = _Enrolment(self._id(Enrolment))
        pid = self._id(Pregnancy)
        ga = rules.gestational_age(p.lmp, p.booked, p.ultrasound, CONFIG)
        lmp = ga.lmp                                   # effective, as the action stores it
        state = {"version": 1, "last": None, "status": MANAGED, "closed": None, "reason": "",
                 "next_due": p.booked, "window_end": p.booked}
        preg = {"colour": "", "purple": False, "pmtct": False, "assessed": None}
        case = {}
        windows = rules.antenatal_windows(lmp, config=CONFIG)
        death_day = p.ends + timedelta(days=p.dies) if p.dies is not None else None
        # The checks before the end of the pregnancy: the booking, the windows she attends, a
        # few extra late in pregnancy.
        days = {p.booked}
        for w in windows[1:]:
            if rng.random() < p.compliance:
                lo, hi = max(w.start, p.booked + timedelta(days=7)), min(w.end, p.ends - timedelta(days=1), today)
                if lo <= hi:
                    days.add(lo + timedelta(days=rng.randint(0, (hi - lo).days)))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            extra = lmp + timedelta(days=rng.randint(30 * WEEK, 40 * WEEK))
            if p.booked < extra < p.ends and extra <= today:
                days.add(extra)
        # PMTCT blood drawn at booking, results recorded 1–7 days later.
        positive = p.purple_code if p.purple_code in access.PMTCT_CONDITIONS else ""
        if p.purple_code == "tuberculosis":
            p.conditions.append(("tuberculosis", 0))
        screen_day = p.booked + timedelta(days=rng.randint(1, 7))
        if screen_day > today or (rng.random() >= PMTCT_SCREENED and not positive):
            screen_day = None
        if screen_day:
            self.screening(pid, village, officer, screen_day, positive)

        def conditions_on(day: date, postpartum: bool) -> list[str]:
            out = rules.conditions_from_measures(_age(m.born, day), p.bmi, CONFIG)
            gday = (day - lmp).days
            for code, onset in p.conditions:
                if (onset <= gday or postpartum) and not (postpartum and code in PREGNANCY_ONLY):
                    out.append(code)
            if positive and screen_day and screen_day <= day:
                out.append(positive)
            return list(dict.fromkeys(out))

        def assess(day, visit_id, who, conds, note=""):
            """actions._assess: the row, the pregnancy's current colour, the case it opens."""
            g = grade(conds)
            self.rows["risk"].append((self._id(RiskAssessment), pid, village, visit_id, day, _json(conds), g["colour"],
                                      g["purple"], g["pmtct_purple"], g["needs_case"], note, who,
                                      self._at(day, rng.randint(0, 500))))
            preg.update(colour=g["colour"], purple=g["purple"], pmtct=g["pmtct_purple"], assessed=day)
            if g["needs_case"]:
                public = g["colour"] in ("orange", "red") or g["purple"]
                if not case:
                    case.update(opened=day, pmtct_only=not public, colour=g["colour"])
                elif public and case["pmtct_only"] and case.get("closed") is None:
                    case["pmtct_only"] = False
                if _RANK[g["colour"]] > _RANK[case["colour"]]:
                    case["colour"] = g["colour"]

        def visit(day, kind, facts, detail, conds=None, who=doctor, f2f=True, institution=""):
            """care.actions.do_record_visit with the programme's rule, and the visit's assessment."""
            result = on_visit(e, {**facts, "visit_date": day, "kind": kind})
            vid = self._id(Visit)
            self.rows["visit"].append((vid, e.pk, m.id, "maternal", village, day, kind, f2f, result.classification,
                                       result.next_due, who, self._at(day, rng.randint(0, 540))))
            table = {"booking": "antenatal", "antenatal": "antenatal", "delivery": "delivery"}.get(kind, "postpartum")
            self.rows[table].append((vid, village, pid, *detail))
            if result.referral is not None:
                outcome_day = day + timedelta(days=rng.randint(3, 13))
                done = outcome_day <= today and rng.random() < 0.85
                self.rows["referral"].append((
                    self._id(Referral), e.pk, m.id, vid, village, day, result.referral.urgent, result.referral.reason,
                    institution, result.referral.follow_up_by, rng.choice(REFERRAL_OUTCOMES) if done else "",
                    outcome_day if done else None))
            e.state = result.state
            state.update(version=state["version"] + 1, last=day, next_due=result.next_due,
                         window_end=result.window_end)
            self.summary.visits += 1
            if conds is not None:
                assess(day, vid, who, conds)
            return result

        def close(status, day, reason):
            """care.actions.do_close (and actions._close_case, which a "lost" closure does not call)."""
            state.update(status=status, closed=day, reason=reason, next_due=None, window_end=None,
                         version=state["version"] + 1)
            if case and case.get("closed") is None and status != LOST:
                case.update(closed=day, reason=reason)

        events = sorted([(day, 1) for day in days] + ([(screen_day, 0)] if positive and screen_day else []))
        for day, order in events:
            if death_day and day >= death_day:
                break
            if order == 0:      # actions.do_record_screening: a positive result reassesses her
                assess(day, None, officer, conditions_on(day, False), "PMTCT")
                continue
            booking = day == p.booked
            conds = conditions_on(day, False)
            detail, classification, referral = self.antenatal_detail(p, day, (day - lmp).days, conds, booking,
                                                                     windows)
            facts = {"classification": classification, "referral": bool(referral), "referral_reason": referral}
            if booking:
                facts.update(lmp=p.lmp, ultrasound=p.ultrasound)
            hospital = _pick(rng, _HOSPITALS) if referral else ""
            detail = ((day - lmp).days, "anc1" if booking else _window(windows, day), *detail[:-2], hospital,
                      detail[-1])
            visit(day, "booking" if booking else "antenatal", facts, detail, conds, institution=hospital)
        # The end of the pregnancy, known when the delivery record arrives.
        if p.ends + timedelta(days=rng.randint(1, 4)) <= today:
            self.ending(p, lmp, visit, close, conditions_on, death_day, state)
        if death_day and death_day <= today:
            self.death(p, pid, m, death_day, doctor, county_mch, state)
        gravida = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        self.rows["pregnancy"].append((
            pid, e.pk, m.id, village, p.booked, p.lmp, p.ultrasound.scan_date if p.ultrasound else None,
            p.ultrasound.ga_days if p.ultrasound else None, ga.basis, ga.lmp, ga.edd,
            rules.is_early_booking(ga.lmp, p.booked, CONFIG), gravida, rng.randint(0, gravida - 1),
            f"{p.booked.year}{village[6:12]}{pid % 10000:04d}", preg["colour"], preg["purple"], preg["pmtct"],
            preg["assessed"]))
        self.rows["enrolment"].append((e.pk, m.id, "maternal", village, doctor, p.booked, state["status"],
                                       state["next_due"], state["window_end"], state["last"], _json(e.state),
                                       state["closed"], state["reason"], state["version"]))
        if case:
            self.case(pid, village, case, officer, state)
        self.count(state, e, lmp, preg)

    def ending(self, p, lmp, visit, close, conditions_on, death_day, state):
        """The delivery (or miscarriage) record, the newborns, the postpartum visits."""
        rng, today, m = self.rng, self.today, p.mother
        place = _pick(rng, _PLACES)
        codes = {c for c, _ in p.conditions}
        institution = _pick(rng, _HOSPITALS) if place == "1" else rng.choice(OTHER_PLACES) if place == "3" else ""
        if p.miscarriage:
            mode, outcome, live, still = "", "3", 0, 0
            discharge = p.ends + timedelta(days=rng.randint(0, 1)) if place == "1" else None
        else:
            chance = (CAESAREAN + 0.5 * ("scarred_uterus" in codes) + 0.4 * ("twins" in codes)
                      + (1.0 if codes & {"placenta_praevia", "pernicious_placenta_praevia"} else 0)
                      + 0.15 * (_age(m.born, p.ends) >= 35))
            mode = "2" if place == "1" and rng.random() < chance else ("3" if rng.random() < 0.02 else "1")
            babies = 2 if "twins" in codes else 1
            still = sum(rng.random() < STILLBIRTH for _ in range(babies))
            live = babies - still
            outcome = "1" if live else "2"
            discharge = p.ends + timedelta(days=rng.randint(4, 6) if mode == "2" else rng.randint(1, 3)) \
                if place == "1" else None
        discharge = min(discharge, today) if discharge else None
        visit(p.ends, "delivery", {"discharge_date": discharge},
              (p.ends, (p.ends - lmp).days, place, institution, mode, outcome, live, still, discharge), f2f=False)
        self.summary.deliveries += outcome != "3"
        self.summary.live_births += live
        if p.miscarriage:
            close(CLOSED, p.ends, TERMINATION_REASON)
            return
        for _ in range(live):
            record_day = min(today, (discharge or p.ends) + timedelta(days=rng.randint(1, 14)))
            self.newborns.append((m, p.ends, record_day, "1" if rng.random() < 0.515 else "2"))
        self.postpartum(p, visit, close, conditions_on, discharge, mode, death_day, state)

    def count(self, state, e, lmp, preg) -> None:
        s = self.summary
        s.pregnancies += 1
        if state["status"] != MANAGED:
            return
        s.open += 1
        days = (self.today - lmp).days
        stage = ("产后" if e.state.get("delivery") else "孕早期" if days < 14 * WEEK else
                 "孕中期" if days < 28 * WEEK else "孕晚期")
        s.by_stage[stage] = s.by_stage.get(stage, 0) + 1
        if preg["colour"] in ("yellow", "orange", "red"):
            setattr(s, preg["colour"], getattr(s, preg["colour"]) + 1)
        s.purple += preg["purple"] or preg["pmtct"]

    def antenatal_detail(self, p: _Plan, day: date, gday: int, conds, booking: bool, windows):
        """The AntenatalCheck columns after (ga_days, window): measurements, assessment, guidance;
        the classification and the referral reason ("" for none)."""
        rng = self.rng
        weeks = gday / WEEK
        codes = set(conds)
        w = p.weight if booking else p.weight + max(0.0, weeks - 13) * rng.uniform(0.35, 0.5)
        sbp, dbp = round(rng.gauss(112, 8)), round(rng.gauss(71, 6))
        if codes & {"hypertension", "pre_eclampsia"}:
            sbp, dbp = rng.randint(140, 156), rng.randint(90, 102)
        if "severe_hypertension" in codes:
            sbp, dbp = rng.randint(160, 178), rng.randint(105, 115)
        dbp = min(dbp, sbp - 25)
        hb = round(rng.gauss(120, 8))
        if "mild_anaemia" in codes:
            hb = rng.randint(95, 109)
        if "severe_anaemia" in codes:
            hb = rng.randint(55, 69)
        protein = "+" if "pre_eclampsia" in codes or "severe_hypertension" in codes else (
            "±" if rng.random() < 0.03 else "-")
        late = weeks >= 20
        fundal = _dec(max(12.0, weeks - 2 + rng.uniform(-1.5, 1.5))) if late and not booking else None
        circumference = _dec(78 + (weeks - 20) * 1.1 + rng.uniform(-3, 3)) if late and not booking else None
        position = "" if booking or weeks < 28 else ("1" if weeks >= 32 and rng.random() < 0.96 else
                                                     rng.choice("1112"))
        fhr = rng.randint(128, 156) if weeks >= 12 and not booking else None
        abnormal = [rules.DEFAULT_RISK_TABLE[c].label for c in conds
                    if c not in access.DERIVED_CONDITIONS and c not in access.PMTCT_CONDITIONS]
        classification = "2" if abnormal else "1"
        referral = rng.choice(ANTENATAL_REASONS) if rng.random() < ANTENATAL_REFERRAL else ""
        guidance = sorted(rng.sample([c for c, _ in GUIDANCE["booking" if booking else "antenatal"] if c != "9"], 3))
        next_window = next((x for x in windows if x.start > day), None)
        next_visit = next_window.start if next_window else None
        return ((_dec(w), _dec(p.height) if booking else None,
                 _dec(p.bmi) if booking else None, sbp, dbp, fundal, circumference, position, fhr, hb, protein,
                 _pick(rng, _COMPLAINTS), classification, "、".join(abnormal)[:200], _json(guidance), "",
                 bool(referral), referral, "", next_visit), classification, referral)

    def postpartum(self, p, visit, close, conditions_on, discharge, mode, death_day, state):
        rng, today = self.rng, self.today
        start = discharge or p.ends
        roll = rng.random()
        home = (start + timedelta(days=rng.randint(1, 7)) if roll < 0.88 else
                start + timedelta(days=rng.randint(8, 25)) if roll < 0.95 else None)
        roll = rng.random()
        check = (p.ends + timedelta(days=rng.randint(42, 55)) if roll < 0.85 else
                 p.ends + timedelta(days=rng.randint(56, 80)) if roll < 0.91 else None)
        if check and home and check <= home:
            home = None

        def alive(day):
            return day is not None and day <= today and not (death_day and day >= death_day)

        def detail(kind, day, refer, disposal=""):
            abnormal = {}
            for part, chance, note in (("breasts", 0.05, "乳房胀痛、乳汁分泌不足"), ("lochia", 0.03, "血性恶露量多"),
                                       ("uterus", 0.03, "子宫复旧欠佳")):
                abnormal[part] = note if rng.random() < chance else ""
            wound = "1" if mode == "2" or rng.random() < 0.4 else ""
            wound_note = ""
            if wound and rng.random() < 0.03:
                wound, wound_note = "2", "切口红肿"
            notes = [n for n in (*abnormal.values(), wound_note) if n]
            classification = "2" if notes else "1"
            guidance = sorted(rng.sample([c for c, _ in GUIDANCE[kind] if c != "9"], 3))
            return (kind, max(0, (day - start).days),
                    _dec(rng.uniform(36.3, 37.2)) if kind == "postpartum_visit" else None, "良好",
                    "良好" if rng.random() < 0.96 else "情绪低落", round(rng.gauss(112, 8)), round(rng.gauss(72, 6)),
                    "2" if abnormal["breasts"] else "1", abnormal["breasts"], "2" if abnormal["lochia"] else "1",
                    abnormal["lochia"], "2" if abnormal["uterus"] else "1", abnormal["uterus"], wound, wound_note,
                    "", classification, "、".join(notes), _json(guidance), "", disposal, bool(refer), refer,
                    rng.choice(("演示县妇幼保健院", "演示县人民医院")) if refer else "",
                    (p.ends + timedelta(days=42)) if kind == "postpartum_visit" else None), classification

        if alive(home):
            refer = rng.choice(POSTPARTUM_REASONS) if rng.random() < 0.02 else ""
            d, classification = detail("postpartum_visit", home, refer)
            visit(home, "postpartum_visit", {"classification": classification, "referral": bool(refer),
                                             "referral_reason": refer}, d, conditions_on(home, True),
                  institution=d[-2])
        if alive(check):
            refer = rng.choice(POSTPARTUM_REASONS) if rng.random() < 0.04 else ""
            d, classification = detail("check42", check, refer, "2" if refer else "1")
            visit(check, "check42", {"classification": classification, "referral": bool(refer),
                                     "referral_reason": refer}, d, conditions_on(check, True), institution=d[-2])
            if refer:
                again = check + timedelta(days=rng.randint(7, 14))
                if alive(again):
                    d, classification = detail("check42", again, "", "1")
                    visit(again, "check42", {"classification": classification}, d, conditions_on(again, True))
                    close(CLOSED, again, CLOSE_REASON)
            else:
                close(CLOSED, check, CLOSE_REASON)
        elif state["status"] == MANAGED and (today - p.ends).days > 120 and not (death_day and death_day <= today):
            close(LOST, p.ends + timedelta(days=120), "产后42天检查未做，失访")

    def screening(self, pid, village, officer, day, positive):
        rng = self.rng
        results = {"hiv": "1", "syphilis": "1", "viral_hepatitis": "1"}
        if positive:
            results[positive] = "2"
        self.rows["screening"].append((self._id(InfectionScreening), pid, village, results["hiv"], day,
                                       results["syphilis"], day, results["viral_hepatitis"], day, "", officer,
                                       self._at(day, rng.randint(60, 500))))

    def death(self, p, pid, m, day, doctor, county_mch, state):
        rng, today = self.rng, self.today
        cause = rng.choice(DEATH_CAUSES)
        if state["status"] == MANAGED:
            # care.receivers.close_enrolments_on_death
            state.update(status=DIED, closed=day, reason="死亡", next_due=None, window_end=None,
                         version=state["version"] + 1)
        reviewed = (today - day).days > 60 and county_mch is not None
        self.rows["death"].append((self._id(MaternalDeath), pid, m.id, m.village, day, cause, True, (day - p.ends).days,
                                   False, "reviewed" if reviewed else "pending",
                                   rng.choice("123") if reviewed else "", rng.choice(REVIEW) if reviewed else "",
                                   county_mch if reviewed else None, day + timedelta(days=45) if reviewed else None,
                                   doctor, self._at(day + timedelta(days=1), 60)))
        self.dead_mothers.append((m.id, day, cause))
        self.summary.deaths += 1

    def case(self, pid, village, case, officer, state):
        rng, today = self.rng, self.today
        recent = (today - case["opened"]).days < 14
        managed = rng.random() < (0.5 if recent else 0.93)
        red = case["colour"] == "red"
        escort = red or (case["colour"] == "orange" and rng.random() < 0.4)
        closed = case.get("closed")
        if closed is None and state["status"] == DIED:
            closed, case["reason"] = state["closed"], "死亡"
        self.rows["case"].append((
            self._id(HighRiskCase), pid, village, case["opened"], case["pmtct_only"], officer if managed else None,
            rng.choice(PLANS) if managed else "", escort and managed, rng.choice(ESCORTS) if escort and managed else "",
            rng.choice(("演示县人民医院", "演示县妇幼保健院")) if managed else "",
            case["opened"] + timedelta(days=rng.randint(0, 3)) if case["colour"] in ("orange", "red") and managed
            else None, closed, case.get("reason", "") if closed else "",
            self._at(min(today, case["opened"] + timedelta(days=2)), 30)))
        if state["status"] == MANAGED:
            self.summary.cases += 1


def _window(windows, day) -> str:
    return next((w.code for w in windows if w.start <= day <= w.end), "")


# --- Who, and writing -------------------------------------------------------------------------

def _mothers(rng, today, county: str, count: int) -> list[_Mother]:
    """``count`` women of the register, drawn by the fertility pattern (Efraimidis–Spirakis keys)."""
    fields = ("id", "village_id", "birth_date", "doctor_id", "household_id", "relation_to_head", "name", "phone",
              "contact_name", "contact_phone", "address", "registered_address", "registration", "ethnicity",
              "residence_since", "marital_status")
    youngest, oldest = today.replace(year=today.year - 17), today.replace(year=today.year - 46)
    keyed = []
    for row in (Resident.objects.filter(prefix_filter("village_id", county), status=Status.ACTIVE, sex="2",
                                        birth_date__gt=oldest, birth_date__lte=youngest)
                .order_by("id").values_list(*fields)):
        weight = _fertility((today - row[2]).days / YEAR) * (1.0 if row[15] == "20" else UNMARRIED_WEIGHT)
        if weight > 0:
            keyed.append((rng.random() ** (1 / weight), row))
    keyed.sort(key=lambda k: k[0], reverse=True)
    return [_Mother(*row[:15]) for _, row in keyed[:count]]


def _newborn_rows(rng, today, newborns, county: str, next_ids: dict, now_db) -> tuple[list, list, list, dict]:
    """Resident, HealthRecord and HouseholdMembership rows of the babies, record numbers after the
    village's last (RecordSerial)."""
    fathers: dict[int, tuple[str, str]] = {}
    heads: dict[int, tuple[str, str]] = {}
    for household, relation, name, sex in (Resident.objects.filter(prefix_filter("village_id", county),
                                                                   relation_to_head__in=("02", "11", "28"))
                                           .values_list("household_id", "relation_to_head", "name", "sex")):
        if relation == "02":
            heads[household] = (name, sex)
        else:
            fathers[household] = (name, relation)
    mothers = {m.id for m, *_ in newborns}
    env = {}
    ids = sorted(mothers)
    for start in range(0, len(ids), 500):
        for row in HealthRecord.objects.filter(resident_id__in=ids[start:start + 500]).values_list(
                "resident_id", "kitchen_exhaust", "fuel", "drinking_water", "toilet", "livestock_pen"):
            env[row[0]] = row[1:]
    serials = dict(RecordSerial.objects.filter(prefix_filter("village_id", county)).values_list("village_id", "last"))
    babies = sorted(newborns, key=lambda b: (b[0].village, b[2], b[1], b[0].id))
    residents, health, members = [], [], []
    for m, born, created, sex in babies:
        head_name, head_sex = heads.get(m.household, (m.name, "2"))
        if m.relation == "12" or (m.relation == "38" and head_sex == "1"):
            surname = _surname(head_name)
        elif m.relation in ("02", "30") and m.household in fathers:
            surname = _surname(fathers[m.household][0])
        else:
            surname = _surname(m.name)
        given = draw_name(rng, sex, born.year)
        name = surname + given[len(_surname(given)):]
        boy = sex == "1"
        relation = {"02": "20" if boy else "30", "12": "20" if boy else "30", "38": "41" if boy else "42",
                    "30": "43" if boy else "44", "99": "99"}.get(m.relation, "97")
        serials[m.village] = serials.get(m.village, 0) + 1
        rid = next_ids["resident"]
        next_ids["resident"] += 1
        p = _NewbornRow(name)
        derive_fields(p)
        residents.append((
            rid, m.village, f"{m.village}{serials[m.village]:05d}", name, p.name_pinyin, p.name_initials, p.alt_pinyin,
            p.alt_initials, sex, born, "12", None, None, f"{'PQR'[rng.randrange(3)]}33{rng.randrange(10 ** 7):07d}",
            NEWBORN_REASON, m.ethnicity, "", m.address, m.registered_address, m.registration,
            born if m.residence_since else None, "", "", "", '["2"]', "", m.name if m.phone else m.contact_name,
            m.phone or m.contact_phone, m.doctor, m.household, relation if m.household else "", "active", None, "", "",
            None, created, m.doctor, now_db, 1))
        kitchen, fuel, water, toilet, livestock = env.get(m.id, ("", "", "", "", ""))
        health.append((rid, m.village, "5", "3", '["1"]', "", '["1"]', "[]", "{}", "", '["1"]', kitchen, fuel, water,
                       toilet, livestock, now_db))
        if m.household:
            members.append((next_ids["membership"], m.household, rid, m.village, relation, created, None))
            next_ids["membership"] += 1
    return residents, health, members, serials


class _NewbornRow:
    """What people.derived.derive_fields reads and sets."""

    def __init__(self, name):
        self.name, self.id_number = name, None
        self.name_pinyin = self.name_initials = self.alt_pinyin = self.alt_initials = ""
        self.id_reversed = None


def generate(rng: random.Random, demo, today: date) -> Summary:
    summary = Summary()
    county = demo.county.code
    total = Resident.objects.filter(prefix_filter("village_id", county)).count()
    span = HISTORY_DAYS + AHEAD_DAYS
    # Expected deliveries in the span; some are not booked yet (and drop out in plan()).
    count = round(BIRTH_RATE * total * span / 365.25 / (1 - MISCARRIAGE))
    mothers = _mothers(rng, today, county, count)
    gen = _Generator(rng, today, summary)
    plans = []
    for m in mothers:
        edd = today - timedelta(days=HISTORY_DAYS) + timedelta(days=rng.randrange(span))
        p = gen.plan(m, edd)
        if p is not None:
            plans.append(p)
    plans.sort(key=lambda p: (p.booked, p.mother.id))
    # Purple: a positive PMTCT result (syphilis most often) or tuberculosis, and at least one open.
    for p in plans:
        if rng.random() < PURPLE_SHARE:
            p.purple_code = rng.choice(("syphilis", "syphilis", "viral_hepatitis", "hiv", "tuberculosis"))
    ongoing = [p for p in plans if p.ends > today and not p.miscarriage]
    if ongoing and not any(p.purple_code for p in ongoing):
        rng.choice(ongoing).purple_code = "syphilis"
    red = {c for c, x in rules.DEFAULT_RISK_TABLE.items() if x.colour is rules.Colour.RED}
    if ongoing and not any(c in red for p in ongoing for c, _ in p.conditions):
        rng.choice(ongoing).conditions.append(("severe_heart_disease", 0))
    # Maternal deaths: at the national ratio, and at least one in the county.
    delivered = [p for p in plans if not p.miscarriage and today - timedelta(days=700) <= p.ends <= today - timedelta(days=35)]
    deaths = max(1, round(MATERNAL_MORTALITY * len(delivered))) if delivered else 0
    for p in rng.sample(delivered, min(deaths, len(delivered))):
        p.dies = rng.randint(1, 25)
    doctors, mch, county_mch = {}, {}, None
    for unit, role, uid in (User.objects.filter(prefix_filter("unit_id", county), is_active=True,
                                                role__in=(Role.VILLAGE_DOCTOR, Role.TOWNSHIP_MCH, Role.COUNTY_MCH))
                            .order_by("unit_id", "username").values_list("unit_id", "role", "id")):
        if role == Role.VILLAGE_DOCTOR:
            doctors.setdefault(unit, uid)
        elif role == Role.TOWNSHIP_MCH:
            mch.setdefault(unit, uid)
        elif county_mch is None:
            county_mch = uid
    for p in plans:
        if (p.mother.doctor or doctors.get(p.mother.village)) is None:
            continue
        gen.play(p, doctors, mch, county_mch)

    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    now_db = now if postgres else connection.ops.adapt_datetimefield_value(now)
    next_ids = {"resident": (Resident.objects.aggregate(m=Max("pk"))["m"] or 0) + 1,
                "membership": (HouseholdMembership.objects.aggregate(m=Max("pk"))["m"] or 0) + 1}
    residents, health, members, serials = _newborn_rows(rng, today, gen.newborns, county, next_ids, now_db)
    summary.newborns = len(residents)
    rows = gen.rows
    with transaction.atomic():
        _Table(Enrolment, ENROLMENT_COLUMNS).insert(rows["enrolment"])
        _Table(Pregnancy, PREGNANCY_COLUMNS).insert(rows["pregnancy"])
        _Table(Visit, VISIT_COLUMNS).insert(rows["visit"])
        _Table(Referral, REFERRAL_COLUMNS).insert(rows["referral"])
        _Table(AntenatalCheck, ANTENATAL_COLUMNS).insert(rows["antenatal"])
        _Table(Delivery, DELIVERY_COLUMNS).insert(rows["delivery"])
        _Table(PostpartumCheck, POSTPARTUM_COLUMNS).insert(rows["postpartum"])
        _Table(RiskAssessment, RISK_COLUMNS).insert(rows["risk"])
        _Table(HighRiskCase, CASE_COLUMNS).insert(rows["case"])
        _Table(InfectionScreening, SCREENING_COLUMNS).insert(rows["screening"])
        _Table(MaternalDeath, DEATH_COLUMNS).insert(rows["death"])
        _Table(Resident, RESIDENT_COLUMNS).insert(residents)
        _Table(HealthRecord, HEALTH_COLUMNS).insert(health)
        _Table(HouseholdMembership, MEMBERSHIP_COLUMNS).insert(members)
        for rid, day, cause in gen.dead_mothers:     # people.services.do_register_death
            Resident.objects.filter(pk=rid).update(status=Status.DEAD, status_date=day, death_cause=cause,
                                                   version=2)
        for village, last in serials.items():
            RecordSerial.objects.update_or_create(village_id=village, defaults={"last": last})
        models = [Enrolment, Visit, Referral, Pregnancy, RiskAssessment, HighRiskCase, InfectionScreening,
                  MaternalDeath, Resident, HouseholdMembership]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return summary


# Births come first: the children's checks and vaccinations follow them (generate.STEPS).
ORDER = 10


def run(ctx) -> None:
    """Generator step (see ``gongwei generate``): the maternal programme in ``ctx.county``."""
    demo = getattr(ctx, "county", None)
    if demo is None:
        return
    ctx.say(generate(ctx.rng, demo, ctx.today).line())
