"""The demo county's residents: households, ID numbers, health records, likely duplicates.

Generator step of ``gongwei generate`` (``run(ctx)``), after the org step: ``ctx.residents``
people in the villages of ``ctx.county``, deterministic for the seed and ``ctx.today``.

What it draws (population.py has the sources of the age, sex, name and household-size shapes):

* Villages get a random weight (residents' committees, 社区, three to five times a
  village's); residents are shared out in proportion.
* Households of ``draw_household_size`` members: a head of 18 or older, a spouse of the
  other sex and a similar age, children born when the mother was 20–40, and in older
  households a married child with grandchildren (or the grandchildren alone: 留守儿童), in
  younger ones the husband's parents. Relations are GB/T 4761 codes (codes.RELATION_TO_HEAD):
  妻/夫, 子/女, 儿媳/女婿, 孙子/孙女/外孙子/外孙女, 父亲/母亲 or 公公/婆婆, 兄弟姐妹.
  Members share the address, the doctor and the living environment of the household.
* ID numbers from ``make_id``: sex and birth date agree; the county's code for most, and for
  about 10% of households a real origin county (migrants, registration 2 or 3 with
  ``residence_since``). About 1% of young children have only a 出生医学证明.
* Record numbers: village code + 5-digit serial in the order the records were created, and
  RecordSerial.last set per village so records added later continue the sequence.
* About 0.6% dead, 1% moved out, 0.5% lost to follow-up. Their household membership stays
  current, as in services.do_register_death and do_set_status.
* Likely duplicates for the de-duplication screen: about 0.1% of people have a second record
  without ID number (无证件, "未带身份证"), same name and birth date, in the same or a
  neighbouring village of the township; and a few homophone pairs (same pinyin and birth
  date, one character different: 张明 / 张铭).

Why not ``bulk_create``: at 500,000 residents it is the slow part. Measured on SQLite,
bulk_create costs about 80 µs per resident row (plus 25 µs to build the model instance and
about 50 µs per health-record row), because SQLite's 999-parameter limit cuts it into
22-row statements and every value goes through the field machinery. Rows here are plain
tuples in the models' column order (read from ``_meta``, so a column added later gets its
default), written with ``executemany`` on SQLite (about 18 µs a resident) and ``COPY`` on
PostgreSQL. Primary keys are assigned here, which also links heads, households and
memberships without reading anything back; the sequences are reset afterwards. Foreign keys
are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED on both databases),
so the order of the tables does not matter inside the one transaction.
"""

import json
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from operator import attrgetter

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from gongwei.orgs.models import Role, User

from .bulk import TupleTable as _Table
from .codes import FEMALE, MALE
from .derived import derive_fields
from .idnumber import make_id
from .models import (
    HealthRecord,
    Household,
    HouseholdMembership,
    RecordSerial,
    Registration,
    Resident,
    Status,
)
from .namekeys import name_keys
from .population import (
    OLDEST,
    SURNAMES,
    draw_address,
    draw_household_size,
    draw_name,
    draw_person,
    draw_phone,
    draw_single_person_household,
)

COUNTY_REGION = "339901"  # orgs.demo.COUNTY_CODE: the demo county's own GB/T 2260 code
BATCH = 5_000
YEAR = 365.2425
RECORD_YEARS = 10  # records were created over the last ten years
MAX_SERIAL = 99_999

# Shares, as fractions of all residents (approximate targets, see the module docstring).
MIGRANT_HOUSEHOLD_SHARE = 0.10
FLOATING_SHARE_OF_MIGRANTS = 0.3
DUPLICATE_SHARE = 0.001
HOMOPHONE_PER = 20_000  # one homophone pair per this many residents, at least 3
MOVED_SHARE = 0.014  # of those who can leave (not heads of larger households): ~1% overall
LOST_SHARE_OF_WORKING_AGE = 0.016  # 16–59 year-olds who are not heads: about 0.5% overall
# Chance of dying (in the last few years) by age today, tuned to about 0.6% overall.
DEATH_RATES = ((40, 0.0006), (65, 0.004), (80, 0.016), (200, 0.05))

VILLAGE_WEIGHT = (0.6, 1.6)
COMMUNITY_WEIGHT = (3.0, 5.0)

HEAD, HUSBAND, WIFE, SON, DAUGHTER = "02", "11", "12", "20", "30"
SON_IN_LAW, DAUGHTER_IN_LAW = "28", "38"
GRANDSON, GRANDDAUGHTER, DAUGHTERS_SON, DAUGHTERS_DAUGHTER = "41", "42", "43", "44"
FATHER, MOTHER, HUSBANDS_FATHER, HUSBANDS_MOTHER = "51", "52", "53", "54"
SIBLING = "70"

DOC_ID_CARD, DOC_BIRTH_CERTIFICATE, DOC_NONE = "01", "12", "00"

# Real GB/T 2260 county codes of places many migrant workers in Zhejiang come from.
ORIGIN_COUNTIES = (
    ("341221", "安徽省阜阳市临泉县"), ("341222", "安徽省阜阳市太和县"),
    ("341225", "安徽省阜阳市阜南县"), ("341226", "安徽省阜阳市颍上县"),
    ("411522", "河南省信阳市光山县"), ("411525", "河南省信阳市固始县"),
    ("411527", "河南省信阳市淮滨县"), ("511322", "四川省南充市营山县"),
    ("511324", "四川省南充市仪陇县"), ("450923", "广西壮族自治区玉林市博白县"),
    ("430621", "湖南省岳阳市岳阳县"), ("420982", "湖北省孝感市安陆市"),
    ("330329", "浙江省温州市泰顺县"), ("330727", "浙江省金华市磐安县"),
)
# GB/T 3304 codes of the minorities most often met in a Zhejiang county (畲族 first).
MINORITY_HOUSEHOLD_SHARE = 0.015
MINORITIES = (("22", 0.6), ("15", 0.2), ("06", 0.2), ("03", 0.15), ("08", 0.1),
               ("12", 0.05), ("09", 0.05), ("02", 0.03), ("11", 0.02))
STREETS = ("人民路", "解放路", "新华街", "建设路", "中山路", "文化路", "朝阳路", "府前街", "工农路",
           "育才路")
DEATH_CAUSES_OLD = ("脑血管病（脑卒中）", "冠心病", "恶性肿瘤（肺癌）", "恶性肿瘤（肝癌）",
                    "恶性肿瘤（胃癌）", "慢性阻塞性肺疾病", "高血压性心脏病", "糖尿病并发症", "肺炎",
                    "衰老")
DEATH_CAUSES_YOUNG = ("交通事故", "溺水", "意外跌落", "恶性肿瘤（白血病）", "心源性猝死")
MOVED_TO = ("浙江省杭州市西湖区", "浙江省宁波市鄞州区", "上海市闵行区", "浙江省温州市鹿城区",
            "浙江省金华市义乌市", "江苏省苏州市昆山市", "随子女迁居外省")
NO_ID_REASONS = ("未带身份证", "未带身份证，待补录", "身份证遗失，补办中", "临时建档，证件未核对")
NEWBORN_REASON = "新生儿，尚未办理户口"
# The no-ID reason on babies that later demo steps (the maternal programme's births) add;
# a benchmark recognises "a demo of N residents" by counting everyone else.
BORN_IN_DEMO_REASON = "新生儿"
CHILD_REASON = "尚未申报户口"
WORK_UNITS = ("演示县人民医院", "演示县第一中学", "镇中心小学", "镇人民政府", "演示县农商银行",
              "演示县供电公司")
# Given-name characters and a homophone a doctor may type instead (same pinyin).
HOMOPHONES = {"明": "铭", "华": "桦", "伟": "玮", "军": "君", "丽": "莉", "静": "婧", "林": "琳",
              "涛": "韬", "杰": "洁", "红": "虹", "英": "瑛", "芳": "方", "燕": "艳", "娟": "鹃",
              "敏": "民", "玲": "苓", "平": "萍", "辉": "晖", "峰": "锋", "宇": "雨", "浩": "昊",
              "涵": "寒", "梅": "玫", "兰": "岚", "秀": "绣", "建": "健", "文": "雯", "云": "芸",
              "霞": "侠", "强": "蔷", "志": "智", "海": "亥", "春": "椿", "国": "帼"}

# Living environment by household: (code, weight) for village and community households.
KITCHEN = ((("1", 25), ("2", 30), ("3", 20), ("4", 25)), (("1", 5), ("2", 80), ("3", 15), ("4", 0)))
FUEL = ((("1", 45), ("2", 5), ("3", 15), ("4", 3), ("5", 30), ("6", 2)),
        (("1", 30), ("2", 1), ("3", 65), ("4", 0), ("5", 2), ("6", 2)))
WATER = ((("1", 70), ("2", 5), ("3", 20), ("4", 2), ("5", 2), ("6", 1)),
         (("1", 97), ("2", 3), ("3", 0), ("4", 0), ("5", 0), ("6", 0)))
TOILET = ((("1", 70), ("2", 20), ("3", 3), ("4", 5), ("5", 2)),
          (("1", 97), ("2", 3), ("3", 0), ("4", 0), ("5", 0)))
LIVESTOCK = ((("1", 55), ("2", 30), ("3", 2), ("4", 13)), (("1", 97), ("2", 2), ("3", 0), ("4", 1)))
# Education (GB/T 4658 codes) of adults by birth year: (born before, weights).
EDUCATION_BY_COHORT = (
    (1950, (("90", 40), ("80", 45), ("70", 12), ("60", 3))),
    (1970, (("90", 10), ("80", 40), ("70", 38), ("60", 10), ("40", 2))),
    (1990, (("80", 15), ("70", 50), ("60", 15), ("40", 8), ("30", 8), ("20", 4))),
    (10000, (("70", 35), ("60", 20), ("40", 12), ("30", 18), ("20", 13), ("10", 2))),
)
OCCUPATION_WORKING = (("5", 55), ("6", 12), ("4", 15), ("Y", 8), ("1", 4), ("3", 3), ("0", 1),
                      ("8", 2))
OCCUPATION_COMMUNITY = (("5", 10), ("6", 20), ("4", 35), ("Y", 10), ("1", 10), ("3", 8),
                        ("0", 2), ("8", 5))
BLOOD = (("1", 28), ("2", 24), ("3", 34), ("4", 9))
EMPTY_LIST, EMPTY_DICT, NONE_CHOSEN = "[]", "{}", '["1"]'  # JSON as the columns store it


def _weighted(table):
    values = tuple(value for value, _ in table)
    cum = tuple(accumulate(weight for _, weight in table))
    return values, cum


def _pick(rng, weighted) -> str:
    values, cum = weighted
    return values[bisect_right(cum, rng.random() * cum[-1])]


_MINORITY = _weighted(MINORITIES)
_KITCHEN = tuple(_weighted(t) for t in KITCHEN)
_FUEL = tuple(_weighted(t) for t in FUEL)
_WATER = tuple(_weighted(t) for t in WATER)
_TOILET = tuple(_weighted(t) for t in TOILET)
_LIVESTOCK = tuple(_weighted(t) for t in LIVESTOCK)
_EDUCATION = tuple((end, _weighted(t)) for end, t in EDUCATION_BY_COHORT)
_EDUCATION_ENDS = tuple(end for end, _ in EDUCATION_BY_COHORT)
_OCCUPATION = (_weighted(OCCUPATION_WORKING), _weighted(OCCUPATION_COMMUNITY))
_BLOOD = _weighted(BLOOD)
# Plain strings, not the TextChoices members: psycopg dumps an Enum by its name in COPY.
ACTIVE, DEAD, MOVED, LOST = (str(s.value) for s in (Status.ACTIVE, Status.DEAD, Status.MOVED,
                                                     Status.LOST))
LOCAL, RESIDENT, FLOATING = (str(r.value) for r in (Registration.LOCAL, Registration.RESIDENT,
                                                     Registration.FLOATING))
_COMPOUND_SURNAMES = frozenset(s for s, _ in SURNAMES if len(s) == 2)


@dataclass
class Summary:
    residents: int = 0
    households: int = 0
    villages: int = 0
    migrants: int = 0
    without_id: int = 0
    dead: int = 0
    moved: int = 0
    lost: int = 0
    duplicates: int = 0
    homophones: int = 0

    def line(self) -> str:
        return (f"居民：{self.residents} 人，{self.households} 户，分布在 {self.villages} 个村（社区）；"
                f"外来人口 {self.migrants} 人，无身份证号 {self.without_id} 人；"
                f"死亡 {self.dead} 人、迁出 {self.moved} 人、失访 {self.lost} 人；"
                f"疑似重复档案 {self.duplicates + self.homophones} 对"
                f"（未带身份证 {self.duplicates}，同音字 {self.homophones}）")


class _Person:
    """A resident before it is written; attribute names are Resident's attnames."""

    __slots__ = (
        "id", "village_id", "record_number", "name", "name_pinyin", "name_initials",
        "alt_pinyin", "alt_initials", "sex", "birth_date", "document_type", "id_number",
        "id_reversed", "other_document_number", "no_id_reason", "ethnicity", "phone", "address",
        "registered_address", "registration", "residence_since", "marital_status", "education",
        "occupation", "payment_methods", "work_unit", "contact_name", "contact_phone",
        "doctor_id", "household_id", "relation_to_head", "status", "status_date", "death_cause",
        "moved_to", "merged_into_id", "record_created", "created_by_id", "updated_at", "version",
        # not columns of Resident:
        "household", "health",
    )


class _Household:
    __slots__ = ("id", "village_id", "address", "head", "created", "community", "kitchen",
                 "fuel", "water", "toilet", "livestock")


RESIDENT_COLUMNS = tuple(name for name in _Person.__slots__ if name not in ("household", "health"))
HEALTH_COLUMNS = ("resident_id", "village_id", "blood_type", "rh_negative", "drug_allergies",
                  "drug_allergy_other", "exposures", "past_history", "family_history",
                  "genetic_disease", "disabilities", "kitchen_exhaust", "fuel", "drinking_water",
                  "toilet", "livestock_pen", "updated_at")
HOUSEHOLD_COLUMNS = ("id", "village_id", "number", "address", "head_id", "created_at")
MEMBERSHIP_COLUMNS = ("id", "household_id", "resident_id", "village_id", "relation_to_head",
                      "joined", "left")


# --- Families ---------------------------------------------------------------------------

Member = tuple[str, str, str, date]  # (relation to head, name, sex, birth date)


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _years(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(days=rng.randint(int(low * YEAR), int(high * YEAR)))


def _name(rng: random.Random, surname: str | None, sex: str, birth: date) -> str:
    """A name of the generation born then, with ``surname`` when given (a family's)."""
    name = draw_name(rng, sex, birth.year)
    if surname is None:
        return name
    return surname + (name[2:] if name[:2] in _COMPOUND_SURNAMES else name[1:])


def _surname(name: str) -> str:
    return name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]


def _between(rng, birth: date, oldest: date, latest: date) -> date:
    """``birth`` moved into [oldest, latest] by a random amount, not onto the bound itself:
    thousands of people born on one day would exhaust its ID sequence codes."""
    if birth > latest:
        return latest - timedelta(days=rng.randrange(3 * 365))
    if birth < oldest:
        return oldest + timedelta(days=rng.randrange(365))
    return birth


def _child(rng, today, mother_birth: date, surname: str, tries: int = 4):
    """(sex, birth, name) of a child of a mother born then, or None if none is born by today.

    The mother's age at the birth is 20–40, most often about 25; drawing it (rather than the
    child's age) keeps young couples from having only babies.
    """
    for _ in range(tries):
        birth = mother_birth + timedelta(days=int(rng.triangular(20, 40, 25) * YEAR))
        if birth <= today:
            sex = MALE if rng.random() < 0.53 else FEMALE
            return sex, birth, _name(rng, surname, sex, birth)
    return None


# The kinds of household of each size (2, 3–4, 5 or more): (kind, share, the youngest and
# oldest age of the first adult drawn). Shares tuned so that the people come out near the
# census age pyramid (population.AGE_BANDS); see test_demo.
COUPLE, PARENT_CHILD, LEFT_BEHIND = "couple", "parent_child", "left_behind"
NUCLEAR, OLDER, WITH_PARENTS = "nuclear", "older", "with_parents"
# Of older households with grandchildren, the share where the children's parents work away.
LEFT_BEHIND_SHARE = 0.45
FAMILY_KINDS = {
    2: ((COUPLE, 0.50, 50, OLDEST - 6), (COUPLE, 0.12, 22, 49), (PARENT_CHILD, 0.26, 28, 50),
        (LEFT_BEHIND, 0.12, 55, 85)),
    3: ((NUCLEAR, 0.50, 28, 46), (OLDER, 0.42, 46, 78), (WITH_PARENTS, 0.08, 24, 40)),
    5: ((OLDER, 0.60, 46, 85), (WITH_PARENTS, 0.40, 30, 50)),
}


def draw_family(rng: random.Random, today: date, size: int) -> list[Member]:
    """The members of one household of ``size`` people, the head first."""
    if size == 1:
        name, sex, birth = draw_single_person_household(rng, today)
        return [(HEAD, name, sex, birth)]
    kinds = FAMILY_KINDS[2 if size == 2 else 3 if size <= 4 else 5]
    roll = rng.random() * sum(share for _, share, _, _ in kinds)
    for kind, share, youngest, oldest in kinds:
        roll -= share
        if roll < 0:
            break
    name, sex, birth = draw_person(rng, today, min_age=youngest, max_age=oldest)
    age = _age(birth, today)
    latest_adult = today - timedelta(days=int(20 * YEAR))
    oldest_birth = today - timedelta(days=int(OLDEST * YEAR))
    married = kind not in (PARENT_CHILD, LEFT_BEHIND) and rng.random() < (
        0.95 if age < 65 else 0.8 if age < 80 else 0.6)
    if married:
        gap = timedelta(days=int(max(-6.0, min(12.0, rng.gauss(2.0, 3.0))) * YEAR))
        other_sex = FEMALE if sex == MALE else MALE
        other_birth = _between(rng, birth + gap if sex == MALE else birth - gap, oldest_birth,
                               latest_adult)
        other = (_name(rng, None, other_sex, other_birth), other_sex, other_birth)
        husband, wife = ((name, sex, birth), other) if sex == MALE else (other, (name, sex, birth))
        head_is_husband = rng.random() < 0.85
        if head_is_husband:
            members = [(HEAD, *husband), (WIFE, *wife)]
        else:
            members = [(HEAD, *wife), (HUSBAND, *husband)]
        surname = _surname(husband[0])
        mother_birth = wife[2]
        elder_birth = husband[2]  # the husband's parents live with the couple
        parent_codes = (FATHER, MOTHER) if head_is_husband else (HUSBANDS_FATHER, HUSBANDS_MOTHER)
    else:
        members = [(HEAD, name, sex, birth)]
        surname = _surname(name)
        mother_birth = birth if sex == FEMALE else birth + timedelta(days=int(2 * YEAR))
        elder_birth = birth
        parent_codes = (FATHER, MOTHER)
    room = size - len(members)
    if kind == OLDER or kind == LEFT_BEHIND:
        _older_family(rng, today, members, room, surname, mother_birth, kind == LEFT_BEHIND)
    elif room > 0:
        parents = 0 if kind != WITH_PARENTS else 1 if room <= 2 else 2
        _children(rng, today, members, room - parents, surname, mother_birth)
        _parents(rng, today, members, size - len(members), surname, elder_birth, parent_codes)
    head_birth = members[0][3]
    while len(members) < size:  # what the family shape could not place: a brother or sister
        sibling_birth = _between(rng, head_birth + _years(rng, -8, 8), oldest_birth,
                                 latest_adult)
        sex = MALE if rng.random() < 0.5 else FEMALE
        members.append((SIBLING, _name(rng, _surname(members[0][1]), sex, sibling_birth), sex,
                        sibling_birth))
    return members


def _children(rng, today, members, count, surname, mother_birth) -> int:
    added = 0
    for _ in range(count):
        drawn = _child(rng, today, mother_birth, surname)
        if drawn is None:
            break
        sex, birth, name = drawn
        members.append((SON if sex == MALE else DAUGHTER, name, sex, birth))
        added += 1
    return added


def _parents(rng, today, members, count, surname, elder_birth, parent_codes) -> None:
    """Up to two parents of the husband (or of a head without spouse)."""
    if count <= 0:
        return
    father_birth = elder_birth - _years(rng, 22, 34)
    mother_birth = father_birth + _years(rng, 0, 5)
    father_first = count >= 2 or rng.random() < 0.4
    for which in range(min(count, 2)):
        sex = MALE if (which == 0) == father_first else FEMALE
        birth = father_birth if sex == MALE else mother_birth
        if _age(birth, today) > OLDEST:
            continue
        code = parent_codes[0] if sex == MALE else parent_codes[1]
        members.append((code, _name(rng, surname if sex == MALE else None, sex, birth), sex,
                        birth))


def _older_family(rng, today, members, room, surname, mother_birth, left_behind) -> None:
    """A married child and their children, or the grandchildren alone (留守儿童: the parents
    work away), or a grown-up child still at home."""
    if room <= 0:
        return
    if room == 1 and not left_behind and rng.random() < 0.5:
        _children(rng, today, members, 1, surname, mother_birth)
        return
    left_behind = left_behind or room == 1 or rng.random() < LEFT_BEHIND_SHARE
    via_son = rng.random() < 0.8
    middle = _child(rng, today, mother_birth, surname)
    if middle is None:
        return
    _, child_birth, _ = middle
    child_sex = MALE if via_son else FEMALE
    child_name = _name(rng, surname, child_sex, child_birth)
    spouse_sex = FEMALE if via_son else MALE
    gap = timedelta(days=int(rng.gauss(2.0, 2.5) * YEAR))
    spouse_birth = _between(rng, child_birth + gap if via_son else child_birth - gap,
                            today - timedelta(days=int(OLDEST * YEAR)),
                            today - timedelta(days=int(20 * YEAR)))
    spouse_name = _name(rng, None, spouse_sex, spouse_birth)
    kids_surname = surname if via_son else _surname(spouse_name)
    kids_mother = spouse_birth if via_son else child_birth
    if _age(child_birth, today) < 20:
        left_behind = True  # too young to be married: no in-law, no grandchildren
    if not left_behind and room >= 2:
        members.append((SON if via_son else DAUGHTER, child_name, child_sex, child_birth))
        members.append((DAUGHTER_IN_LAW if via_son else SON_IN_LAW, spouse_name, spouse_sex,
                        spouse_birth))
        room -= 2
    added = _grandchildren(rng, today, members, room, kids_mother, kids_surname, via_son)
    if added < room:
        _children(rng, today, members, room - added, surname, mother_birth)


def _grandchildren(rng, today, members, count, mother_birth, surname, via_son) -> int:
    added = 0
    for _ in range(count):
        drawn = _child(rng, today, mother_birth, surname)
        if drawn is None:
            break
        sex, birth, name = drawn
        if via_son:
            code = GRANDSON if sex == MALE else GRANDDAUGHTER
        else:
            code = DAUGHTERS_SON if sex == MALE else DAUGHTERS_DAUGHTER
        members.append((code, name, sex, birth))
        added += 1
    return added


# --- Allocation -------------------------------------------------------------------------

def apportion(total: int, weights: list[float]) -> list[int]:
    """``total`` shared in proportion to ``weights`` by largest remainder (sums exactly)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    quotas = [total * w / whole for w in weights]
    shares = [int(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (shares[i] - quotas[i], i))
    for i in order[:total - sum(shares)]:
        shares[i] += 1
    return shares


def _place(unit_name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if unit_name.endswith(suffix):
            return unit_name[:-len(suffix)]
    return unit_name


# --- The generator ----------------------------------------------------------------------

class _Generator:
    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.used_ids: set[str] = set()
        self.summary = Summary()
        self.first_record_day = today - timedelta(days=int(RECORD_YEARS * YEAR))
        self.record_days = (today - self.first_record_day).days
        self.tz = timezone.get_current_timezone()

    # People -------------------------------------------------------------------------
    def id_number(self, region: str, sex: str, birth: date) -> str:
        """A new number; each (region, birth date, sex) has 500 sequence codes."""
        rng = self.rng
        for _ in range(2_000):
            seq = rng.randrange(500) * 2 + (1 if sex == MALE else 0)
            number = make_id(region, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
        raise RuntimeError(f"no free ID sequence code for {region} {birth} {sex}")

    def household(self, hh_id, village, place, community, doctors, size) -> list[_Person]:
        rng, today = self.rng, self.today
        family = draw_family(rng, today, size)
        hh = _Household()
        hh.id, hh.village_id, hh.community = hh_id, village.code, community
        if community:
            hh.address = f"{place}{rng.choice(STREETS)}{rng.randint(1, 199)}号"
            if rng.random() < 0.4:
                hh.address += f"{rng.randint(1, 20)}幢{rng.randint(1, 6)}{rng.randint(1, 2):02d}室"
        else:
            hh.address = draw_address(rng, place)
        c = 1 if community else 0
        hh.kitchen, hh.fuel = _pick(rng, _KITCHEN[c]), _pick(rng, _FUEL[c])
        hh.water, hh.toilet = _pick(rng, _WATER[c]), _pick(rng, _TOILET[c])
        hh.livestock = _pick(rng, _LIVESTOCK[c])
        migrant = rng.random() < MIGRANT_HOUSEHOLD_SHARE
        if migrant and rng.random() < FLOATING_SHARE_OF_MIGRANTS:
            registration = FLOATING
            created = today - timedelta(days=rng.randrange(180))
            arrival = created - timedelta(days=rng.randrange(60))
        else:
            registration = RESIDENT if migrant else LOCAL
            created = self.first_record_day + timedelta(days=rng.randrange(self.record_days + 1))
            arrival = created - timedelta(days=rng.randrange(5 * 365)) if migrant else None
        hh.created = created
        region, origin = rng.choice(ORIGIN_COUNTIES) if migrant else (COUNTY_REGION, "")
        ethnicity = _pick(rng, _MINORITY) if rng.random() < MINORITY_HOUSEHOLD_SHARE else "01"
        doctor = rng.choice(doctors) if doctors else None
        people = []
        for relation, name, sex, birth in family:
            p = _Person()
            p.village_id, p.name, p.sex, p.birth_date = village.code, name, sex, birth
            p.relation_to_head, p.household, p.address = relation, hh, hh.address
            p.ethnicity = ethnicity if rng.random() < 0.97 else "01"
            p.registration = registration
            p.registered_address = origin or hh.address
            p.residence_since = max(arrival, birth) if arrival else None
            born_later = birth + timedelta(days=rng.randrange(120))
            p.record_created = min(max(created, born_later), today)
            p.doctor_id = p.created_by_id = doctor
            self.fill_person(p, region, community)
            people.append(p)
        hh.head = people[0]
        self.fill_contacts(people)
        for p in people:
            p.marital_status = self.marital(p, people)
        if migrant:
            self.summary.migrants += len(people)
        return people

    def fill_person(self, p: _Person, region: str, community: bool) -> None:
        rng, today = self.rng, self.today
        age = _age(p.birth_date, today)
        p.other_document_number = p.no_id_reason = p.work_unit = ""
        p.contact_name = p.contact_phone = p.death_cause = p.moved_to = ""
        p.status, p.status_date, p.merged_into_id, p.version = ACTIVE, None, None, 1
        without_id = (age == 0 and rng.random() < 0.6) or (age < 6 and rng.random() < 0.04)
        if without_id:
            p.document_type, p.id_number = DOC_BIRTH_CERTIFICATE, None
            letter = "PQR"[rng.randrange(3)]
            p.other_document_number = f"{letter}{region[:2]}{rng.randrange(10 ** 7):07d}"
            p.no_id_reason = NEWBORN_REASON if age == 0 else CHILD_REASON
            self.summary.without_id += 1
        else:
            p.document_type = DOC_ID_CARD
            p.id_number = self.id_number(region, p.sex, p.birth_date)
        p.phone = draw_phone(rng) if age >= 16 and rng.random() < (
            0.93 if age < 70 else 0.6 if age < 80 else 0.3) else ""
        if age < 6:
            p.education = ""
        elif age < 18:
            p.education = "80" if age < 12 else "70" if age < 15 else ("60" if rng.random() < 0.7
                                                                         else "40")
        else:
            cohort = bisect_right(_EDUCATION_ENDS, p.birth_date.year)
            p.education = _pick(rng, _EDUCATION[cohort][1])
        if age < 16:
            p.occupation = ""
        elif age < 65:
            p.occupation = _pick(rng, _OCCUPATION[1 if community else 0]) if age >= 18 or \
                rng.random() < 0.2 else ""
        else:
            p.occupation = "5" if rng.random() < (0.15 if community else 0.45) else "8"
        if p.occupation in ("0", "1", "3"):
            p.work_unit = rng.choice(WORK_UNITS)
        if p.occupation in ("0", "1", "3") or (community and p.occupation and rng.random() < 0.3):
            p.payment_methods = '["1"]'
        else:
            roll = rng.random()
            p.payment_methods = '["2", "4"]' if roll < 0.02 else '["7"]' if roll < 0.03 \
                else '["2", "5"]' if roll < 0.06 else '["2"]'
        p.health = self.health(age)

    def marital(self, p: _Person, people: list[_Person]) -> str:
        age = _age(p.birth_date, self.today)
        if p.relation_to_head in (HUSBAND, WIFE, SON_IN_LAW, DAUGHTER_IN_LAW):
            return "20"
        relations = {q.relation_to_head for q in people}
        if p.relation_to_head == HEAD and (HUSBAND in relations or WIFE in relations):
            return "20"
        if (p.relation_to_head == SON and DAUGHTER_IN_LAW in relations) or (
                p.relation_to_head == DAUGHTER and SON_IN_LAW in relations):
            return "20"  # the household has one married child, drawn with the in-law
        if age < 15:
            return ""
        if age < 25:
            return "10"
        roll = self.rng.random()
        if age >= 60:
            return "30" if roll < 0.7 else "20" if roll < 0.85 else "40" if roll < 0.93 else "10"
        return "10" if roll < 0.4 else "20" if roll < 0.75 else "40" if roll < 0.93 else "30"

    def fill_contacts(self, people: list[_Person]) -> None:
        """Children and the old without a phone: the household's first adult with one."""
        contact = next((p for p in people if p.phone), None)
        if contact is None:
            return
        for p in people:
            if not p.phone and p is not contact:
                p.contact_name, p.contact_phone = contact.name, contact.phone

    def health(self, age: int) -> tuple:
        rng = self.rng
        if rng.random() < 0.45:
            blood, rh = "5", "3"
        else:
            blood = _pick(rng, _BLOOD)
            rh = "2" if rng.random() < 0.004 else "1"
        roll = rng.random()
        allergy_other = ""
        if roll < 0.94:
            allergies = NONE_CHOSEN
        elif roll < 0.975:
            allergies = '["2"]'
        elif roll < 0.985:
            allergies = '["3"]'
        elif roll < 0.99:
            allergies = '["4"]'
        else:
            allergies, allergy_other = '["5"]', rng.choice(("头孢类", "阿司匹林", "碘造影剂"))
        roll = rng.random()
        exposures = NONE_CHOSEN if roll < 0.99 else '["2"]' if roll < 0.995 else '["3"]' \
            if roll < 0.998 else '["4"]'
        history = []
        if age >= 35:
            older = age >= 65
            for disease, rates in (("高血压", (0.08, 0.25, 0.4)), ("糖尿病", (0.03, 0.08, 0.13)),
                                   ("冠心病", (0.0, 0.02, 0.06)), ("脑卒中", (0.0, 0.01, 0.04)),
                                   ("慢性阻塞性肺疾病", (0.0, 0.02, 0.05))):
                rate = rates[0] if age < 50 else rates[2] if older else rates[1]
                if rng.random() < rate:
                    history.append({"kind": "disease", "name": disease,
                                    "date": self.past_month(age)})
            if rng.random() < 0.04:
                history.append({"kind": "operation",
                                "name": rng.choice(("阑尾切除术", "胆囊切除术", "白内障手术",
                                                    "剖宫产术", "疝修补术")),
                                "date": self.past_month(age)})
        past = json.dumps(history, ensure_ascii=False) if history else EMPTY_LIST
        roll = rng.random()
        if roll < 0.85:
            family = EMPTY_DICT
        else:
            who = rng.choice(("father", "mother", "siblings"))
            family = json.dumps({who: [rng.choice(("高血压", "糖尿病", "脑卒中", "冠心病",
                                                   "恶性肿瘤"))]}, ensure_ascii=False)
        disabled = rng.random() < (0.015 if age < 60 else 0.06)
        disabilities = f'["{rng.choice("2345678")}"]' if disabled else NONE_CHOSEN
        return blood, rh, allergies, allergy_other, exposures, past, family, disabilities

    def past_month(self, age: int) -> str:
        years = self.rng.randint(0, min(age - 30, 30))
        return f"{self.today.year - years}-{self.rng.randint(1, 12):02d}"

    def set_status(self, p: _Person, can_leave: bool) -> None:
        """Dead, moved out or lost, with a date after the record was made."""
        rng, today = self.rng, self.today
        span = (today - p.record_created).days
        if span < 1:
            return
        age = _age(p.birth_date, today)
        death_rate = next(rate for limit, rate in DEATH_RATES if age < limit)
        roll = rng.random()
        if roll < death_rate:
            p.status = DEAD
            p.death_cause = rng.choice(DEATH_CAUSES_OLD if age >= 50 else DEATH_CAUSES_YOUNG)
            self.summary.dead += 1
        elif can_leave and roll < death_rate + MOVED_SHARE:
            p.status, p.moved_to = MOVED, rng.choice(MOVED_TO)
            self.summary.moved += 1
        elif can_leave and 16 <= age < 60 and roll < death_rate + MOVED_SHARE + \
                LOST_SHARE_OF_WORKING_AGE:
            p.status = LOST
            self.summary.lost += 1
        else:
            return
        p.status_date = p.record_created + timedelta(days=1 + rng.randrange(span))

    # Likely duplicates ---------------------------------------------------------------
    def second_record(self, original: _Person, name: str, village, place, community,
                      doctors, hh_id) -> _Person:
        """The same person recorded again, without an ID number, in ``village``."""
        rng, today = self.rng, self.today
        hh = _Household()
        hh.id, hh.village_id, hh.community = hh_id, village.code, community
        hh.address = (f"{place}{rng.choice(STREETS)}{rng.randint(1, 199)}号" if community
                      else draw_address(rng, place))
        src = original.household
        hh.kitchen, hh.fuel, hh.water = src.kitchen, src.fuel, src.water
        hh.toilet, hh.livestock = src.toilet, src.livestock
        p = _Person()
        p.village_id, p.name = village.code, name
        p.sex, p.birth_date = original.sex, original.birth_date
        p.relation_to_head, p.household, p.address = HEAD, hh, hh.address
        p.ethnicity, p.registration = original.ethnicity, original.registration
        p.registered_address = original.registered_address
        p.residence_since = original.residence_since
        span = (today - original.record_created).days
        p.record_created = original.record_created + timedelta(days=rng.randrange(span + 1))
        hh.created, hh.head = p.record_created, p
        doctor = rng.choice(doctors) if doctors else None
        p.doctor_id = p.created_by_id = doctor
        self.fill_person(p, COUNTY_REGION, community)
        if p.id_number:
            self.used_ids.discard(p.id_number)
        else:
            self.summary.without_id -= 1
        p.document_type, p.id_number, p.other_document_number = DOC_NONE, None, ""
        p.no_id_reason = rng.choice(NO_ID_REASONS)
        p.phone = original.phone if rng.random() < 0.5 else ""
        p.contact_name = p.contact_phone = ""
        p.education, p.occupation = original.education, original.occupation
        p.marital_status = original.marital_status
        return p


def _homophone(name: str) -> str | None:
    """``name`` with one given-name character swapped for a homophone, if pinyin agrees."""
    cut = len(_surname(name))
    for i in range(cut, len(name)):
        other = HOMOPHONES.get(name[i])
        if other:
            candidate = name[:i] + other + name[i + 1:]
            if name_keys(candidate).full == name_keys(name).full:
                return candidate
    return None


def generate_residents(rng: random.Random, demo, count: int, today: date) -> Summary:
    """Add ``count`` residents to the villages of ``demo`` (an orgs.demo.DemoCounty)."""
    gen = _Generator(rng, today)
    summary = gen.summary
    villages = sorted(demo.villages, key=attrgetter("code"))
    townships = sorted(demo.townships, key=attrgetter("code"))
    town_names = {t.code: _place(t.name, ("卫生院",)) for t in townships}
    if not villages or count <= 0:
        return summary
    doctors: dict[str, list[int]] = {}
    for unit, user_id in (User.objects.filter(role=Role.VILLAGE_DOCTOR,
                                              unit__in=[v.code for v in villages])
                          .order_by("unit_id", "username").values_list("unit_id", "id")):
        doctors.setdefault(unit, []).append(user_id)

    is_community = {v.code: v.code.endswith("001") for v in villages}
    weights = [rng.uniform(*(COMMUNITY_WEIGHT if is_community[v.code] else VILLAGE_WEIGHT))
               for v in villages]
    duplicates = round(count * DUPLICATE_SHARE) if count >= 200 else 0
    homophones = max(3, count // HOMOPHONE_PER) if count >= 200 else 0
    per_village = dict(zip((v.code for v in villages),
                           apportion(count - duplicates - homophones, weights), strict=True))
    by_township = {t.code: [v for v in villages if v.parent_id == t.code] for t in townships}
    township_sizes = [sum(per_village[v.code] for v in by_township[t.code]) for t in townships]
    dup_quota = dict(zip(by_township, apportion(duplicates, township_sizes), strict=True))
    homo_quota = dict(zip(by_township, apportion(homophones, township_sizes), strict=True))

    serials = dict(RecordSerial.objects.filter(village__in=[v.code for v in villages])
                   .values_list("village_id", "last"))
    # ID numbers already on the register (none in a fresh demo database).
    gen.used_ids.update(Resident.objects.filter(id_number__isnull=False)
                        .values_list("id_number", flat=True))
    next_id = {model: (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
               for model in (Resident, Household, HouseholdMembership)}

    tables = {
        Resident: _Table(Resident, RESIDENT_COLUMNS),
        HealthRecord: _Table(HealthRecord, HEALTH_COLUMNS),
        Household: _Table(Household, HOUSEHOLD_COLUMNS),
        HouseholdMembership: _Table(HouseholdMembership, MEMBERSHIP_COLUMNS),
    }
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    now_db = now if postgres else connection.ops.adapt_datetimefield_value(now)
    nine_am = time(9, tzinfo=None)

    with transaction.atomic():
        if connection.vendor == "sqlite":
            # A bigger page cache for this connection: the register has a dozen indexes.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        for township in townships:
            tvillages = by_township[township.code]
            if not tvillages:
                continue
            people: list[_Person] = []
            households: list[_Household] = []
            places = {}
            for village in tvillages:
                community = is_community[village.code]
                place = town_names[township.code] + _place(village.name, ("社区卫生服务站", "卫生室",
                                                                          "卫生服务站"))
                if community:
                    place = town_names[township.code]
                places[village.code] = place
                left = per_village[village.code]
                while left > 0:
                    size = min(draw_household_size(rng), left)
                    members = gen.household(next_id[Household], village, place, community,
                                            doctors.get(village.code), size)
                    next_id[Household] += 1
                    households.append(members[0].household)
                    for i, p in enumerate(members):
                        gen.set_status(p, can_leave=i > 0 or len(members) == 1)
                    people.extend(members)
                    left -= size
            # Second records of the same people, in the same or a neighbouring village.
            candidates = [p for p in people if p.status == ACTIVE and p.id_number]
            # Homophone pairs need a name with a swappable character: try 40 per pair.
            wanted = dup_quota[township.code] + 40 * homo_quota[township.code]
            chosen = rng.sample(candidates, min(len(candidates), wanted))
            index = {v.code: i for i, v in enumerate(tvillages)}
            extra: list[_Person] = []
            homophones_left = homo_quota[township.code]
            duplicates_left = dup_quota[township.code]
            for original in chosen:
                name = None
                if homophones_left:
                    name = _homophone(original.name)
                    if name is None:
                        continue
                    homophones_left -= 1
                    summary.homophones += 1
                elif duplicates_left:
                    name = original.name
                    duplicates_left -= 1
                    summary.duplicates += 1
                else:
                    break
                i = index[original.village_id]
                if rng.random() < 0.5 and len(tvillages) > 1:
                    last = len(tvillages) - 1
                    i = i + 1 if i == 0 or (i < last and rng.random() < 0.5) else i - 1
                village = tvillages[i]
                p = gen.second_record(original, name, village, places[village.code],
                                      is_community[village.code], doctors.get(village.code),
                                      next_id[Household])
                next_id[Household] += 1
                households.append(p.household)
                extra.append(p)
            people.extend(extra)
            _number_and_write(gen, tables, people, households, tvillages, serials, next_id,
                              now_db, nine_am, postgres)
            summary.households += len(households)
            summary.residents += len(people)
        summary.villages = len(villages)
        RecordSerial.objects.bulk_create(
            [RecordSerial(village_id=v.code, last=serials.get(v.code, 0)) for v in villages],
            update_conflicts=True, unique_fields=["village"], update_fields=["last"])
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Resident, Household, HouseholdMembership]):
                cursor.execute(sql)
            # Statistics for the query planner after a bulk load: without them SQLite
            # answers a township's name search by walking the whole township (the scope
            # index) instead of the name index.
            for model in (Resident, Household, HouseholdMembership, HealthRecord):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return summary


def _number_and_write(gen, tables, people, households, villages, serials, next_id, now_db,
                      nine_am, postgres) -> None:
    """Record numbers in creation order per village, primary keys, then the four tables."""
    by_village: dict[str, list[_Person]] = {v.code: [] for v in villages}
    for p in people:
        by_village[p.village_id].append(p)
    ordered: list[_Person] = []
    for code, members in by_village.items():
        members.sort(key=attrgetter("record_created"))  # stable: ties keep household order
        serial = serials.get(code, 0)
        if serial + len(members) > MAX_SERIAL:
            raise ValueError(f"village {code} would need more than {MAX_SERIAL} record numbers")
        for p in members:
            serial += 1
            p.record_number = f"{code}{serial:05d}"
            p.id = next_id[Resident]
            next_id[Resident] += 1
            p.household_id = p.household.id
            p.updated_at = now_db
            derive_fields(p)
            ordered.append(p)
        serials[code] = serial
    tz = gen.tz
    resident_rows = tables[Resident]
    get_resident = attrgetter(*RESIDENT_COLUMNS)
    hh_rows, health_rows, member_rows = [], [], []
    for hh in households:
        created = datetime.combine(hh.created, nine_am).replace(tzinfo=tz)
        if not postgres:
            created = connection.ops.adapt_datetimefield_value(created)
        hh_rows.append((hh.id, hh.village_id, hh.head.record_number, hh.address, hh.head.id,
                        created))
    for p in ordered:
        hh = p.household
        health_rows.append((p.id, p.village_id, *p.health[:7], "", p.health[7], hh.kitchen,
                            hh.fuel, hh.water, hh.toilet, hh.livestock, now_db))
        member_rows.append((next_id[HouseholdMembership], hh.id, p.id, p.village_id,
                            p.relation_to_head, p.record_created, None))
        next_id[HouseholdMembership] += 1
    resident_rows.insert([get_resident(p) for p in ordered])
    tables[Household].insert(hh_rows)
    tables[HealthRecord].insert(health_rows)
    tables[HouseholdMembership].insert(member_rows)


def run(ctx) -> None:
    """Generator step (see ``gongwei generate``): ``ctx.residents`` people in ``ctx.county``."""
    demo = getattr(ctx, "county", None)
    if demo is None:
        return
    summary = generate_residents(ctx.rng, demo, ctx.residents, ctx.today)
    ctx.say(summary.line())
