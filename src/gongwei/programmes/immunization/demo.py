"""Demo step: vaccination cards and dose histories of the county's children 0–6.

Generator step of ``gongwei generate`` (``run(ctx)``), after the population step;
deterministic for the seed and ``ctx.today``. Children who already have a card are left
alone, so the step can run again after another step adds children (newborns).

Cards
    Every child under 7 on the register gets a card from its township's vaccination clinic:
    most within the month after birth (``CARD_ON_TIME``), some months late; migrant children
    (rules.is_migrant) within weeks of arriving, some after the 3 months. Newborns whose
    card date would be after ``ctx.today`` have none yet (the "no card" list).

Doses, drawn from the schedule data in memory (``schedule.py``), never by trial and error
    Each series is followed dose by dose: the target date is the recommended age under the
    schedule version in force then (DTaP at 3/4/5 months before 2025, 2/4/6 after; DT at 6
    years only before 2025, the 6-year DTaP after), moved to respect the minimum interval,
    the cross-series interval (MPSV-AC after MPSV-A) and 28 days after another injectable
    live vaccine; doses that fall due on the same day are given at one visit. Children are
    punctual (``ON_TIME``: a few days after the target), late (weeks to months), drop out at
    some age, or refuse after the birth doses; now and then a single dose is missed and its
    series stops there (it stays due). A few children (``TOO_EARLY``) got one inactivated
    dose a few days too early: it is recorded, invalid, and usually repeated. The birth doses
    are given by the birth hospital; a migrant child's doses before arriving elsewhere.
    JE-I and HepA-I are chosen by some families instead of the live vaccines.

Exactly what the actions would have written
    Verdicts come from ``validate_given`` over the child's doses and ``is_timely``; the next
    doses, ``next_due``, ``window_end`` and ``refresh_on`` from ``rules.stored_schedule`` as of
    the day after ``ctx.today`` (as ``actions.store_schedule``); the enrolment's version is
    what do_issue_card and one do_record_dose per dose leave (2 + doses). No audit rows are
    written for generated history.

A handful of suspected adverse events (about 1 in ``AEFI_EVERY`` doses given here), the old
ones classified by the county CDC.

Rows are plain tuples written with ``executemany`` (SQLite) or ``COPY`` (PostgreSQL), as the
chronic and people steps do; primary keys are assigned here and the sequences reset.
"""

import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongwei.care.models import Enrolment, EnrolmentStatus
from gongwei.orgs.access import prefix_filter
from gongwei.orgs.models import Role, User
from gongwei.people.bulk import TupleTable as _Table
from gongwei.people.models import Resident, Status

from . import rules
from . import schedule as schedule_module
from .models import AEFI, DoseRecord, NextDose, VaccinationCard
from .programme import PROGRAMME, SCHEDULE
from .schedule import GivenDose, Span, _windows, validate_given

# Step order in ``gongwei generate`` (lower first): after the births of the maternal step (10),
# so the newborns it adds get their cards and birth doses too.
ORDER = 50
BATCH = 5_000
CARD_ON_TIME = 0.92
CARD_LATE = 0.06                  # 1–6 months late; the rest later still
PROFILES = (("on_time", 76), ("late", 17), ("dropout", 4), ("refuser", 1), ("sporadic", 2))
JE_INACTIVATED = 0.10
HEPA_INACTIVATED = 0.15
MISSED_DOSE = 0.005               # a single dose not given, its series stops
TOO_EARLY = 0.012                 # children with one inactivated dose given too early
REPEATED = 0.6                    # of those, the early dose was repeated
AEFI_EVERY = 4_000
BIRTH_HOSPITALS = ("县人民医院", "县妇幼保健院", "县中医院")
ELSEWHERE = "户籍地预防接种门诊"
MANUFACTURERS = {
    "HepB": ("深圳康泰生物制品股份有限公司", "华北制药金坦生物技术股份有限公司", "大连汉信生物制药有限公司"),
    "BCG": ("上海生物制品研究所有限责任公司", "成都生物制品研究所有限责任公司"),
    "IPV": ("北京生物制品研究所有限责任公司", "中国医学科学院医学生物学研究所"),
    "bOPV": ("北京生物制品研究所有限责任公司", "中国医学科学院医学生物学研究所"),
    "DTaP": ("武汉生物制品研究所有限责任公司", "成都欧林生物科技股份有限公司"),
    "DT": ("武汉生物制品研究所有限责任公司",),
    "MMR": ("北京生物制品研究所有限责任公司", "上海生物制品研究所有限责任公司"),
    "MR": ("北京生物制品研究所有限责任公司",),
    "JE-L": ("成都生物制品研究所有限责任公司",),
    "JE-I": ("辽宁成大生物股份有限公司",),
    "MPSV-A": ("兰州生物制品研究所有限责任公司", "武汉生物制品研究所有限责任公司"),
    "MPSV-AC": ("兰州生物制品研究所有限责任公司", "云南沃森生物技术股份有限公司"),
    "HepA-L": ("长春生物制品研究所有限责任公司", "浙江普康生物技术股份有限公司"),
    "HepA-I": ("北京科兴生物制品有限公司",),
    "HPV": ("厦门万泰沧海生物技术有限公司",),
}
AEFI_KINDS = (  # symptoms, severity, hospitalised, classification once investigated, weight
    ("发热38.6℃，哭闹", "general", False, "common", 40),
    ("接种部位红肿，直径约3cm", "general", False, "common", 25),
    ("接种部位硬结", "general", False, "common", 10),
    ("全身荨麻疹", "general", False, "rare", 8),
    ("热性惊厥1次，持续约2分钟", "serious", True, "coincidental", 5),
    ("卡介苗接种处化脓性淋巴结炎", "general", False, "rare", 5),
    ("过敏性紫癜", "serious", True, "rare", 3),
    ("接种后晕厥", "general", False, "anxiety", 4),
)


@dataclass
class Summary:
    children: int = 0
    cards: int = 0
    cards_on_time: int = 0
    doses: int = 0
    invalid: int = 0
    due: int = 0
    overdue: int = 0
    catch_up: int = 0
    aefis: int = 0

    def line(self) -> str:
        share = f"{100 * self.cards_on_time / self.cards:.0f}%" if self.cards else "—"
        return (f"预防接种：0～6岁儿童 {self.children} 人，建卡 {self.cards} 人（按时 {share}）；"
                f"接种记录 {self.doses} 剂（无效 {self.invalid} 剂）；本月应种 {self.due} 人、"
                f"逾期 {self.overdue} 人、需补种 {self.catch_up} 人；疑似预防接种异常反应 {self.aefis} 例")


# --- Writing rows (as chronic.demo) ---------------------------------------------------------


ENROLMENT_COLUMNS = ("id", "resident_id", "programme", "village_id", "doctor_id", "enrolled_on", "status",
                     "next_due", "window_end", "last_visit_on", "state", "closed_on", "close_reason", "version")
CARD_COLUMNS = ("id", "resident_id", "village_id", "enrolment_id", "number", "date", "clinic_id", "due_by",
                "migrant", "issued_by_id", "refresh_on", "created_at")
DOSE_COLUMNS = ("id", "resident_id", "village_id", "vaccine", "dose", "date", "batch", "manufacturer", "site",
                "route", "clinic_id", "vaccinator_id", "elsewhere", "recorded_by_id", "recorded_at", "series",
                "counted_as", "validity", "validity_reason", "timely", "age_days", "age_months")
NEXT_COLUMNS = ("id", "card_id", "village_id", "series", "dose", "vaccine", "earliest", "recommended",
                "overdue_from", "catch_up_from", "too_late_from")
AEFI_COLUMNS = ("id", "dose_id", "resident_id", "village_id", "onset_date", "symptoms", "severity",
                "hospitalised", "reported_on", "reported_by_id", "classification", "outcome", "note",
                "classified_by_id", "classified_on")


def _weighted(table):
    return tuple(v for v, _ in table), tuple(accumulate(w for _, w in table))


def _pick(rng, weighted):
    values, cum = weighted
    return values[bisect_right(cum, rng.random() * cum[-1])]


_PROFILES = _weighted(PROFILES)
# The versions as (effective from, {series code: rules}), for quick lookups while drawing.
_VERSIONS = [(v.effective_from, {x.code: x for x in v.series}) for v in SCHEDULE.versions]
_STARTS = [v.effective_from for v in SCHEDULE.versions]


def _in_force(day: date, code: str):
    """``SCHEDULE.version_on(day).get(code)``."""
    return _VERSIONS[max(0, bisect_right(_STARTS, day) - 1)][1].get(code)
_AEFI = _weighted([(k[:4], k[4]) for k in AEFI_KINDS])
D28 = timedelta(days=28)


# --- One child's history --------------------------------------------------------------------

class _Child:
    """Draws the doses of one child, series by series, from the schedule data."""

    def __init__(self, rng: random.Random, birth: date, today: date, arrival: date | None):
        self.rng, self.birth, self.today = rng, birth, today
        self.arrival = arrival                   # migrants: doses before it were given elsewhere
        self.profile = _pick(rng, _PROFILES)
        self.delays: dict[date, int] = {}       # one visit per target day
        self.live: list[date] = []
        self.counted: dict[str, list[date]] = {}
        years = max(1, (today - birth).days // 365 + 1)
        self.stop = (birth + timedelta(days=rng.randint(60, 365 * min(years, 5)))
                     if self.profile == "dropout" else None)

    def delay(self, target: date) -> int:
        if target not in self.delays:
            rng = self.rng
            if self.profile == "on_time":
                d = round(rng.triangular(0, 24, 2))
            elif self.profile == "late":
                d = round(rng.triangular(0, 150, 25))
            else:
                d = round(rng.triangular(0, 60, 6))
            self.delays[target] = d
        return self.delays[target]

    def birth_delay(self) -> int:
        roll = self.rng.random()
        return 0 if roll < 0.9 else 1 if roll < 0.96 else self.rng.randint(2, 20)

    def target(self, rule, prev: date | None) -> date:
        """The earliest day the schedule allows ``rule``'s dose, after ``prev`` of its series."""
        target = rule.recommended_age.after(self.birth)
        if prev is not None and rule.min_interval is not None:
            target = max(target, rule.min_interval.after(prev))
        for a in rule.after:
            ref = self.counted.get(a.series, [])
            if len(ref) >= a.dose:
                target = max(target, a.span.after(ref[a.dose - 1]))
        return target

    def plan(self, code: str, k: int, prev: date | None):
        """(series, rule, target) of dose ``k`` under the version in force on its target day.

        A version other than the first applies from its effective date: a child 2.5 months
        old on 2025-01-01 was due DTaP 1 that day (2 months under the new ages).
        """
        for i, (effective_from, series) in enumerate(_VERSIONS):
            s = series.get(code)
            if s is None or k > len(s.doses):
                continue
            target = self.target(s.doses[k - 1], prev)
            if i:
                target = max(target, effective_from)
            if _in_force(target, code) is s:
                return s, s.doses[k - 1], target
        return None

    def series(self, code: str) -> list[tuple[str, int, date]]:
        """(product, dose, date) of the doses of ``code`` given by today."""
        rng, birth = self.rng, self.birth
        out = []
        prev: date | None = None
        k = 1
        while True:
            planned = self.plan(code, k, prev)
            if planned is None:
                return out
            s, rule, target = planned
            for e in rule.satisfied_by:          # the 6-year DT before 2025 stands for DTaP 5
                ref = self.counted.get(e.series, [])
                if len(ref) >= e.dose and (e.given_before is None or ref[e.dose - 1] < e.given_before):
                    return out
            if prev is None and rule.recommended_age == Span():
                given = target + timedelta(days=self.birth_delay())
            else:
                given = target + timedelta(days=self.delay(target))
            later = _in_force(given, code)
            if later is not s:                   # given after the schedule changed: its rules
                if later is None or k > len(later.doses):
                    return out
                rule = later.dose(k)
                given = max(given, self.target(rule, prev))
            if self.profile == "refuser" and given > birth + timedelta(days=7):
                return out
            if self.profile == "sporadic" and rng.random() < 0.3:
                return out
            if self.stop is not None and given > self.stop:
                return out
            if k > 1 and rng.random() < MISSED_DOSE:
                return out
            if SCHEDULE.is_live_injectable(rule.vaccine):
                for d in sorted(self.live):
                    if d < given < d + D28:
                        given = d + D28
            if given > self.today:
                return out
            out.append((rule.vaccine, k, given))
            self.counted.setdefault(code, []).append(given)
            if SCHEDULE.is_live_injectable(rule.vaccine):
                self.live.append(given)
            prev = given
            k += 1

    def doses(self) -> list[tuple[str, int, date]]:
        rng = self.rng
        je = "JE-I" if rng.random() < JE_INACTIVATED else "JE-L"
        hepa = "HepA-I" if rng.random() < HEPA_INACTIVATED else "HepA-L"
        doses = []
        # Live vaccines first so the others need not wait for them; order within a day is kept.
        for code in ("BCG", "MMR", je, hepa, "HepB", "polio", "DT", "DTaP", "MPSV-A", "MPSV-AC"):
            doses += self.series(code)
        if rng.random() < TOO_EARLY:
            doses = self.one_too_early(doses)
        doses.sort(key=lambda d: d[2])
        return doses

    def one_too_early(self, doses):
        """Give one inactivated dose (not a birth dose) a few days before it was valid."""
        rng, birth = self.rng, self.birth
        candidates = [i for i, (v, k, d) in enumerate(doses)
                      if not SCHEDULE.vaccine(v).live and (d - birth).days > 20]
        if not candidates:
            return doses
        i = rng.choice(candidates)
        vaccine, k, day = doses[i]
        code = SCHEDULE.series_of(vaccine)
        rule = SCHEDULE.series_on(code, day).dose(k)
        earliest = rule.minimum_age.after(birth)
        previous = [d for v, n, d in doses if SCHEDULE.series_of(v) == code and n == k - 1]
        if previous and rule.min_interval is not None:
            earliest = max(earliest, rule.min_interval.after(previous[0]))
        early = earliest - timedelta(days=rng.randint(1, 6))
        if early <= (previous[0] if previous else birth):
            return doses
        out = list(doses)
        out.append((vaccine, k, early))
        if rng.random() >= REPEATED:     # not repeated: the real dose and the rest of the series go
            out = [d for d in out if not (SCHEDULE.series_of(d[0]) == code and d[1] >= k and d[2] >= day)]
        return out


class _Timely:
    """``schedule.is_timely`` with its window kept per (birth date, series rules, dose): many
    children share a birth date, and the window is all the rule computes."""

    def __init__(self):
        self.windows: dict[tuple, tuple[date, date]] = {}

    def __call__(self, series_code: str, dose: int, birth: date, day: date) -> bool:
        series = SCHEDULE.series_on(series_code, day)
        key = (birth, id(series), dose)
        window = self.windows.get(key)
        if window is None:
            rule = series.dose(dose)
            w = _windows(birth, series, rule, None)
            window = self.windows[key] = (max(w.recommended, rule.minimum_age.after(birth)), w.overdue_from)
        return window[0] <= day < window[1]


class _MonthCache:
    """Within the step, ``schedule.add_months`` answers from a cache (it is pure; the schedule
    rules call it hundreds of thousands of times with the same birth dates)."""

    def __enter__(self):
        self.original = schedule_module.add_months
        cache: dict[tuple[date, int], date] = {}
        original = self.original

        def add_months(d: date, months: int) -> date:
            key = (d, months)
            value = cache.get(key)
            if value is None:
                value = cache[key] = original(d, months)
            return value

        schedule_module.add_months = add_months
        return self

    def __exit__(self, *exc):
        schedule_module.add_months = self.original
        return False


# --- The county --------------------------------------------------------------------------------

def _site(rng, vaccine: str, age_days: int) -> str:
    route = SCHEDULE.vaccine(vaccine).route
    if route == "oral":
        return "oral"
    if route == "ID":
        return "l_arm"
    if route == "IM" and age_days < 365:
        return rng.choice(("l_thigh", "r_thigh"))
    return rng.choice(("l_arm", "r_arm"))


def _batch(rng, day: date) -> str:
    return f"{day.year}{day.month:02d}{rng.choice('ABCDEFG')}{rng.randint(1, 399):03d}"


def generate_cards(rng: random.Random, demo, today: date) -> Summary:
    """Cards and histories for the children under 7 of ``demo`` (orgs.demo.DemoCounty)."""
    with _MonthCache():
        return _generate_cards(rng, demo, today)


def _generate_cards(rng: random.Random, demo, today: date) -> Summary:
    summary = Summary()
    county = demo.county.code
    in_county = prefix_filter("village_id", county)
    vaccinators: dict[str, list[int]] = {}
    village_doctors: dict[str, int] = {}
    for unit, role, pk in (User.objects.filter(prefix_filter("unit_id", county), is_active=True,
                                               role__in=(Role.TOWNSHIP_PH, Role.TOWNSHIP_MCH, Role.VILLAGE_DOCTOR))
                           .order_by("unit_id", "username").values_list("unit_id", "role", "pk")):
        if role == Role.VILLAGE_DOCTOR:
            village_doctors.setdefault(unit, pk)
        else:
            vaccinators.setdefault(unit, []).append(pk)
    cdc = User.objects.filter(prefix_filter("unit_id", county), role=Role.COUNTY_CDC).order_by("pk").first()
    carded = VaccinationCard.objects.filter(in_county).values("resident_id")
    children = list(Resident.objects.filter(in_county, status=Status.ACTIVE, birth_date__lte=today,
                                            birth_date__gt=rules.last_birth_aged(today))
                    .exclude(pk__in=carded).order_by("pk")
                    .values_list("pk", "village_id", "birth_date", "sex", "registration", "residence_since",
                                 "doctor_id", "record_number"))
    summary.children = len(children)
    next_id = {m: (m.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
               for m in (Enrolment, VaccinationCard, DoseRecord, NextDose, AEFI)}
    as_of = today + timedelta(days=1)
    tz = timezone.get_current_timezone()
    postgres = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    mornings: dict[date, datetime] = {}

    def stamp(day: date):
        """When a row was entered: that day, 9:00 to 17:00 local time, as the column stores it."""
        morning = mornings.get(day)
        if morning is None:
            aware = datetime.combine(day, time(9)).replace(tzinfo=tz)
            morning = mornings[day] = aware if postgres else datetime.fromisoformat(adapt(aware))
        moment = morning + timedelta(minutes=rng.randint(0, 480))
        return moment if postgres else str(moment)

    is_timely = _Timely()
    enrolments, cards, doses, nexts, aefis = [], [], [], [], []
    for pk, village, birth, sex, registration, since, doctor, record_number in children:
        township = village[:9]
        users = vaccinators.get(township) or [village_doctors.get(village)]
        if users[0] is None:
            continue
        migrant = rules.is_migrant(registration, birth, since)
        start = since if migrant else birth
        roll = rng.random()
        if roll < CARD_ON_TIME:
            card_day = start + timedelta(days=rng.randint(3, 80 if migrant else 30))
        elif roll < CARD_ON_TIME + CARD_LATE:
            card_day = start + timedelta(days=rng.randint(95 if migrant else 32, 200))
        else:
            card_day = start + timedelta(days=rng.randint(200, 700))
        if card_day > today:
            continue
        child = _Child(rng, birth, today, since if migrant else None)
        given = child.doses()
        checked = validate_given(birth, [GivenDose(v, k, d) for v, k, d in given], schedule=SCHEDULE)
        stored = rules.stored_schedule(birth, sex, [GivenDose(v, k, d) for v, k, d in given], as_of, SCHEDULE)
        enrolment_id = next_id[Enrolment] + len(enrolments)
        card_id = next_id[VaccinationCard] + len(cards)
        due_by = rules.card_due_date(birth, registration, since, rules.DEFAULT, SCHEDULE)
        issuer = users[0]
        enrolments.append((enrolment_id, pk, PROGRAMME, village, doctor or village_doctors.get(village) or issuer,
                           card_day, EnrolmentStatus.MANAGED.value, stored.next_due, stored.window_end,
                           max((d for _v, _k, d in given), default=None), "{}", None, "", 2 + len(given)))
        cards.append((card_id, pk, village, enrolment_id, record_number, card_day, township, due_by, migrant,
                      issuer, stored.refresh_on, stamp(card_day)))
        summary.cards += 1
        summary.cards_on_time += card_day <= due_by
        for (vaccine, k, day), c in zip(given, checked):
            age_days = (day - birth).days
            at_hospital = age_days <= 7 and vaccine in ("HepB", "BCG")
            before_arrival = migrant and day < since
            here = not (at_hospital or before_arrival)
            vaccinator = rng.choice(users) if here else None
            entered = max(day, card_day)
            timely = bool(c.valid and is_timely(c.series, c.counted_as, birth, day))
            doses.append((
                next_id[DoseRecord] + len(doses), pk, village, vaccine, k, day, _batch(rng, day),
                rng.choice(MANUFACTURERS[vaccine]), _site(rng, vaccine, age_days),
                SCHEDULE.vaccine(vaccine).route.lower(), township if here else None, vaccinator,
                "" if here else (rng.choice(BIRTH_HOSPITALS) if at_hospital else ELSEWHERE),
                vaccinator or issuer, stamp(entered), c.series or "", c.counted_as, c.status, c.reason[:400],
                timely, age_days, rules.age_months(birth, day)))
            summary.doses += 1
            summary.invalid += not c.valid
        for d in stored.next_doses:
            nexts.append((next_id[NextDose] + len(nexts), card_id, village, d.series, d.dose, d.vaccine,
                          d.earliest, d.recommended, d.overdue_from, d.catch_up_from, d.too_late_from))
        tabs = {t for t in (rules.DUE_TAB, rules.OVERDUE_TAB, rules.CATCH_UP_TAB)
                for d in stored.next_doses if rules.in_tab(d, t, today)}
        summary.due += rules.DUE_TAB in tabs
        summary.overdue += rules.OVERDUE_TAB in tabs
        summary.catch_up += rules.CATCH_UP_TAB in tabs

    # A handful of suspected adverse events among the doses given here.
    given_here = [row for row in doses if row[10] is not None]
    count = len(given_here) // AEFI_EVERY if len(given_here) >= AEFI_EVERY else min(3, len(given_here) // 300)
    for row in rng.sample(given_here, min(count, len(given_here))):
        dose_id, resident_id, village, day, vaccinator = row[0], row[1], row[2], row[5], row[11]
        onset = day + timedelta(days=rng.randint(0, 2))
        reported = onset + timedelta(days=rng.randint(0, 3))
        if reported > today:
            continue
        symptoms, severity, hospitalised, classification = _pick(rng, _AEFI)
        if row[3] != "BCG" and "卡介苗" in symptoms:
            symptoms, classification = "接种部位红肿，直径约3cm", "common"
        investigated = (today - reported).days > 30 and cdc is not None
        aefis.append((next_id[AEFI] + len(aefis), dose_id, resident_id, village, onset, symptoms, severity,
                      hospitalised, reported, vaccinator or row[13],
                      classification if investigated else "pending",
                      ("recovered" if rng.random() < 0.9 else "improved") if investigated else "",
                      "已调查，按规范处置" if investigated else "",
                      cdc.pk if investigated else None,
                      reported + timedelta(days=rng.randint(5, 25)) if investigated else None))
    summary.aefis = len(aefis)

    with transaction.atomic():
        _Table(Enrolment, ENROLMENT_COLUMNS).insert(enrolments)
        _Table(VaccinationCard, CARD_COLUMNS).insert(cards)
        _Table(DoseRecord, DOSE_COLUMNS).insert(doses)
        _Table(NextDose, NEXT_COLUMNS).insert(nexts)
        _Table(AEFI, AEFI_COLUMNS).insert(aefis)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Enrolment, VaccinationCard, DoseRecord, NextDose, AEFI]):
                cursor.execute(sql)
    return summary


def run(ctx) -> None:
    """Generator step (see ``gongwei generate``): cards and doses of ``ctx.county``'s children."""
    demo = getattr(ctx, "county", None)
    if demo is None:
        return
    ctx.say(generate_cards(ctx.rng, demo, ctx.today).line())

