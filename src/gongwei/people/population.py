"""A realistic demo population of a rural Chinese county, drawn from a ``random.Random``.

Everything here is deterministic given the generator, so a demo database built from a seed
is the same on every machine, and fast: the demo draws 500,000 people.

Sources, and how far to trust the numbers:

* Age and sex: the 2020 Seventh National Population Census (第七次全国人口普查), rural
  (乡村) population. The national figures of 公报第五号 are confirmed (0–14: 17.95%,
  60+: 18.70%, 65+: 13.50%). For the rural population only two aggregates are used, as
  recalled from the NBS commentary and not verified: 60+ = 23.81% and 65+ = 17.72%. The
  5-year band shares and the sex split are approximate: shaped like the national pyramid,
  with fewer people of working age (they migrate to towns), higher sex ratios in children,
  and women outnumbering men from about 70, and scaled to hit those two aggregates exactly.
* Surnames: order roughly as in the Ministry of Public Security's annual name reports
  (公安部户政管理研究中心《全国姓名报告》); the weights are approximate. Surnames with special
  readings (曾, 单, 解, 欧阳, 尉迟 …) are included so that pinyin search can be tried on them.
* Given names: illustrative characters by generation, not drawn from any statistic.
* Household size: the 2020 census gives 2.62 persons per family household (national);
  the distribution over sizes is approximate, chosen to have that mean.
"""

import random
from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from gongwei.people.codes import FEMALE, MALE

# (first age of the band, % of the rural population, share of men in the band).
# The last band is 85 and over. See the module docstring for how approximate this is.
AGE_BANDS = (
    (0, 5.90, 0.526),
    (5, 7.20, 0.533),
    (10, 6.90, 0.537),
    (15, 5.30, 0.539),
    (20, 4.30, 0.528),
    (25, 4.60, 0.524),
    (30, 6.10, 0.522),
    (35, 5.40, 0.519),
    (40, 5.80, 0.517),
    (45, 7.90, 0.512),
    (50, 9.30, 0.510),
    (55, 7.49, 0.507),
    (60, 6.09, 0.505),
    (65, 6.60, 0.500),
    (70, 4.60, 0.492),
    (75, 2.90, 0.479),
    (80, 2.00, 0.457),
    (85, 1.62, 0.390),
)
BAND_WIDTH = 5
OLDEST = 104
# Within the open 85+ band each further year of age holds this fraction of the year
# before, so that centenarians stay rare.
OLDEST_BAND_DECAY = 0.8

# (surname, approximate % of the population).
SURNAMES = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1),
    ("黄", 2.2), ("赵", 2.0), ("吴", 1.8), ("周", 1.7), ("徐", 1.3), ("孙", 1.3),
    ("马", 1.2), ("朱", 1.2), ("胡", 1.1), ("郭", 1.1), ("何", 1.0), ("林", 0.95),
    ("高", 0.95), ("罗", 0.9), ("郑", 0.85), ("梁", 0.8), ("谢", 0.7), ("宋", 0.65),
    ("唐", 0.65), ("许", 0.6), ("邓", 0.6), ("韩", 0.55), ("冯", 0.55), ("曹", 0.55),
    ("彭", 0.5), ("曾", 0.5), ("肖", 0.5), ("田", 0.45), ("董", 0.45), ("潘", 0.4),
    ("袁", 0.4), ("蔡", 0.4), ("蒋", 0.4), ("余", 0.4), ("于", 0.4), ("杜", 0.38),
    ("叶", 0.38), ("程", 0.37), ("魏", 0.36), ("苏", 0.36), ("吕", 0.35), ("丁", 0.34),
    ("任", 0.33), ("卢", 0.32), ("姚", 0.32), ("沈", 0.3), ("钟", 0.3), ("姜", 0.3),
    ("崔", 0.29), ("谭", 0.29), ("陆", 0.28), ("范", 0.27), ("汪", 0.27), ("廖", 0.26),
    ("石", 0.26), ("金", 0.25), ("韦", 0.25), ("贾", 0.25), ("夏", 0.24), ("付", 0.24),
    ("方", 0.23), ("邹", 0.23), ("熊", 0.23), ("白", 0.22), ("孟", 0.22), ("秦", 0.21),
    ("邱", 0.21), ("侯", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.19), ("闫", 0.19),
    ("段", 0.18), ("雷", 0.18), ("龙", 0.17), ("黎", 0.17), ("史", 0.17), ("陶", 0.16),
    ("贺", 0.16), ("毛", 0.15), ("郝", 0.15), ("顾", 0.15), ("龚", 0.14), ("邵", 0.14),
    ("万", 0.14), ("覃", 0.13), ("武", 0.13), ("钱", 0.13), ("戴", 0.13), ("严", 0.12),
    ("莫", 0.12), ("孔", 0.12), ("向", 0.12), ("常", 0.11), ("汤", 0.11),
    # Rarer surnames with a special surname reading, for search (namekeys.py).
    ("翟", 0.06), ("单", 0.05), ("解", 0.05), ("欧阳", 0.05), ("查", 0.04), ("仇", 0.03),
    ("朴", 0.03), ("盖", 0.03), ("缪", 0.03), ("区", 0.02), ("乐", 0.02), ("司马", 0.01),
    ("诸葛", 0.005), ("上官", 0.005), ("尉迟", 0.002),
)

# Given names by birth year: (born before this year, probability of a one-character given
# name, men's (first, second) characters, women's (first, second) characters). Names of the
# 1950s honour the new state (建国); of the 2010s, sound and rarity (梓轩, 子涵).
GENERATIONS = (
    (1960, 0.15,
     ("建国德福永长金玉明志文桂树庆春宝有世正振", "国华民军林成荣才生富贵山发祥忠清海田和全"),
     ("秀桂玉淑凤兰素翠金春月美彩银雪巧冬香爱招", "英兰珍芳琴花梅云华芬霞莲凤娥香荣秀枝菊贞")),
    (1980, 0.25,
     ("建卫志海永晓立国新东振文俊红胜春军明光伟", "华军平东兵强明伟勇林斌涛峰刚辉波杰宏亮忠"),
     ("丽红晓秀春海玉美小艳雪慧金冬爱燕桂彩新建", "红梅霞丽萍燕华芳玲娟敏静琴艳云平英莉娜凤")),
    (2000, 0.30,
     ("浩俊志鹏晓建宇伟家子明文嘉天海振永思博晨", "伟杰涛鹏磊超斌强浩宇飞军勇龙峰亮凯林辉刚"),
     ("晓静丽雪婷佳思海玉春欣美雅梦慧丹文冬秋小", "婷静丽娟敏燕玲琳洁倩颖艳霞丹雪莉芳慧蕾娜")),
    (10000, 0.08,
     ("子梓浩宇俊一思雨博睿皓欣锦奕沐明嘉昊晨铭", "轩涵宇睿辰泽浩阳豪然博航杰熙晨铭洋昊霖诚"),
     ("子梓欣雨思诗一可佳语梦若紫馨依婉艺心嘉安", "涵怡萱琪彤妍晴琳悦瑶菲然雯欣诺汐淇婷希琦")),
)
_GENERATION_ENDS = tuple(generation[0] for generation in GENERATIONS)

# Household sizes 1–7 (7 = 7 or more), % of households; mean 2.62.
HOUSEHOLD_SIZES = ((1, 26), (2, 31), (3, 17), (4, 13), (5, 8), (6, 4), (7, 1))
# Share of one-person rural households whose member is elderly (独居老人); illustrative.
SINGLE_PERSON_ELDERLY_SHARE = 0.6
ELDERLY_AGE = 65  # NORMS §2.4

# Mobile prefixes of the three operators (China Mobile, Unicom, Telecom) and the 19x range.
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "173", "175", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "191", "193", "195", "198", "199",
)
# A village has a few to a dozen villager groups (村民小组); house numbers within a group.
MAX_VILLAGER_GROUP = 12
MAX_HOUSE_NUMBER = 60

_SURNAME_NAMES = tuple(surname for surname, _ in SURNAMES)
_SURNAME_CUM = tuple(accumulate(weight for _, weight in SURNAMES))
_HOUSEHOLD_SIZE_VALUES = tuple(size for size, _ in HOUSEHOLD_SIZES)
_HOUSEHOLD_SIZE_CUM = tuple(accumulate(weight for _, weight in HOUSEHOLD_SIZES))

Person = tuple[str, str, date]  # (name, GB/T 2261.1 sex code, birth date)


def age_sex_cells() -> list[tuple[int, str, float]]:
    """(age in years, sex, weight) for every single year of age; weights sum to 100."""
    cells: list[tuple[int, str, float]] = []
    for start, share, male_share in AGE_BANDS:
        if start == AGE_BANDS[-1][0]:
            year_weights = [OLDEST_BAND_DECAY ** k for k in range(OLDEST - start + 1)]
        else:
            year_weights = [1.0] * BAND_WIDTH
        scale = share / sum(year_weights)
        for offset, year_weight in enumerate(year_weights):
            weight = year_weight * scale
            cells.append((start + offset, MALE, weight * male_share))
            cells.append((start + offset, FEMALE, weight * (1 - male_share)))
    return cells


def draw_person(rng: random.Random, today: date, *, min_age: int = 0,
                max_age: int = OLDEST) -> Person:
    """A resident alive on ``today`` with the rural age and sex structure between the ages."""
    ages_sexes, cum_weights = _cells_between(min_age, max_age)
    age, sex = rng.choices(ages_sexes, cum_weights=cum_weights)[0]
    birth = _draw_birth_date(rng, today, age)
    return draw_name(rng, sex, birth.year), sex, birth


def draw_single_person_household(rng: random.Random, today: date) -> Person:
    """The member of a one-person household: mostly an old person living alone."""
    if rng.random() < SINGLE_PERSON_ELDERLY_SHARE:
        return draw_person(rng, today, min_age=ELDERLY_AGE)
    return draw_person(rng, today, min_age=18, max_age=ELDERLY_AGE - 1)


def draw_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A surname and a given name in the style of the generation born in ``birth_year``."""
    surname = rng.choices(_SURNAME_NAMES, cum_weights=_SURNAME_CUM)[0]
    _, single_share, male_chars, female_chars = GENERATIONS[
        bisect_right(_GENERATION_ENDS, birth_year)
    ]
    firsts, seconds = male_chars if sex == MALE else female_chars
    if rng.random() < single_share:
        return surname + rng.choice(seconds)
    first, second = rng.choice(firsts), rng.choice(seconds)
    # 国国 is not a name; reduplicated names are a style of their own, not drawn here.
    return surname + (first if first == second else first + second)


def draw_household_size(rng: random.Random) -> int:
    return rng.choices(_HOUSEHOLD_SIZE_VALUES, cum_weights=_HOUSEHOLD_SIZE_CUM)[0]


def draw_phone(rng: random.Random) -> str:
    """An 11-digit mobile number with a real operator prefix."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def draw_address(rng: random.Random, village_name: str) -> str:
    """An address the way villages write it: 张家村3组12号."""
    group = rng.randint(1, MAX_VILLAGER_GROUP)
    number = rng.randint(1, MAX_HOUSE_NUMBER)
    return f"{village_name}{group}组{number}号"


@lru_cache(maxsize=64)
def _cells_between(min_age: int, max_age: int) -> tuple[tuple[tuple[int, str], ...],
                                                        tuple[float, ...]]:
    cells = [(age, sex, weight) for age, sex, weight in age_sex_cells()
             if min_age <= age <= max_age]
    if not cells:
        raise ValueError(f"no ages between {min_age} and {max_age}")
    return (tuple((age, sex) for age, sex, _ in cells),
            tuple(accumulate(weight for _, _, weight in cells)))


def _draw_birth_date(rng: random.Random, today: date, age: int) -> date:
    # Someone aged ``age`` today was born after the day ``age + 1`` years ago and on or
    # before the day ``age`` years ago.
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
