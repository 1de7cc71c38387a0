"""Pinyin search keys for personal names: 张三 → full "zhangsan", initials "zs".

Village doctors find residents by typing pinyin on a phone or a keyboard without a Chinese
IME. Two things make plain pypinyin output miss people:

* Surnames have their own readings (单 is Shàn, not dān; 曾 is Zēng, not céng), and
  compound surnames (欧阳, 尉迟) are one unit with readings of their own (尉迟 is Yùchí).
* The person searching may not know the surname reading, or may type ü as "u" or "yu"
  (passports write 吕 as LYU). So besides the likeliest key we return ``alternatives`` for
  a search index to store too.

Keys are lower-case ASCII without spaces or tones. Only Han characters are converted;
Latin words are kept (accents dropped) and every other character separates words.
"""

import unicodedata
from functools import lru_cache
from itertools import islice, product
from typing import NamedTuple

from pypinyin import Style, lazy_pinyin

# Each surname's readings, the surname reading first, then the everyday readings a
# searcher may type instead. Syllables are space-separated so initials can be taken per
# syllable (欧阳修 → "oyx"). Surname readings as given in common dictionaries of Chinese
# surnames; 黑 "he" is a regional surname reading that pypinyin does not list (unconfirmed).
_SURNAMES = {
    "单": ("shan", "dan"),
    "曾": ("zeng", "ceng"),
    "解": ("xie", "jie"),
    "仇": ("qiu", "chou"),
    "区": ("ou", "qu"),
    "朴": ("piao", "pu"),
    "查": ("zha", "cha"),
    "盖": ("ge", "gai"),
    "缪": ("miao", "mou", "miu"),
    "翟": ("zhai", "di"),
    "乐": ("yue", "le"),
    "覃": ("qin", "tan"),
    "重": ("chong", "zhong"),
    "秘": ("bi", "mi"),
    "种": ("chong", "zhong"),
    "折": ("she", "zhe"),
    "黑": ("he", "hei"),
    "能": ("nai", "neng"),
    "繁": ("po", "fan"),
    "召": ("shao", "zhao"),
    "句": ("gou", "ju"),
    "员": ("yun", "yuan"),
    "隗": ("wei", "kui"),
    "尉": ("wei", "yu"),
    "谌": ("chen", "shen"),
    "祭": ("zhai", "ji"),
    "柏": ("bai", "bo"),
    "便": ("pian", "bian"),
    "都": ("du", "dou"),
    "郇": ("huan", "xun"),
    "欧阳": ("ou yang",),
    "司马": ("si ma",),
    "诸葛": ("zhu ge",),
    "上官": ("shang guan",),
    "东方": ("dong fang",),
    "皇甫": ("huang fu",),
    "尉迟": ("yu chi", "wei chi"),
    "万俟": ("mo qi", "wan si", "wan qi"),
    "长孙": ("zhang sun", "chang sun"),
    # 单于 is also 单 (shan) followed by a given name starting with 于, hence "shan yu".
    "单于": ("chan yu", "shan yu", "dan yu"),
    "令狐": ("ling hu",),
    "慕容": ("mu rong",),
    "司徒": ("si tu",),
    "司空": ("si kong",),
    "夏侯": ("xia hou",),
    "公孙": ("gong sun",),
    "宇文": ("yu wen",),
    "轩辕": ("xuan yuan",),
    "独孤": ("du gu",),
    "南宫": ("nan gong",),
    "西门": ("xi men",),
    "呼延": ("hu yan",),
    "端木": ("duan mu",),
    "澹台": ("tan tai", "dan tai"),
    "申屠": ("shen tu",),
    "闻人": ("wen ren",),
    "赫连": ("he lian",),
    "钟离": ("zhong li",),
    "淳于": ("chun yu",),
    "濮阳": ("pu yang",),
    "太史": ("tai shi",),
    "公冶": ("gong ye",),
    "宗政": ("zong zheng",),
    "拓跋": ("tuo ba",),
    "百里": ("bai li",),
    "东郭": ("dong guo",),
    "乐正": ("yue zheng", "le zheng"),
}

# A search index stores every alternative, so keep their number bounded for names
# where several units each have several readings.
MAX_COMBINATIONS = 16

Reading = tuple[str, ...]  # the syllables of one unit: ("ou", "yang")
Unit = tuple[Reading, ...]  # one unit's readings, the likeliest first

SURNAME_UNITS: dict[str, Unit] = {
    surname: tuple(tuple(reading.split()) for reading in readings)
    for surname, readings in _SURNAMES.items()
}


class NameKeys(NamedTuple):
    """Search keys of one name.

    ``alternatives`` go from the likeliest other reading down, each full key followed by
    its initials unless those are already listed (单雄信: "danxiongxin", "dxx").
    """

    full: str
    initials: str
    alternatives: tuple[str, ...] = ()


def name_keys(name: str) -> NameKeys:
    """The likeliest full and initials keys of ``name``, and other keys a searcher may type."""
    units = _units(unicodedata.normalize("NFKC", name))
    likeliest = tuple(unit[0] for unit in units)
    full, initials = _keys(likeliest)
    if all(len(unit) == 1 for unit in units):
        return NameKeys(full, initials)
    seen = {full, initials}
    alternatives: list[str] = []
    # product() yields the all-likeliest combination first; it is already the main key.
    for combination in islice(product(*units), 1, MAX_COMBINATIONS):
        for key in _keys(combination):
            if key not in seen:
                seen.add(key)
                alternatives.append(key)
    return NameKeys(full, initials, tuple(alternatives))


def _keys(readings: tuple[Reading, ...]) -> tuple[str, str]:
    syllables = [syllable for reading in readings for syllable in reading]
    return "".join(syllables), "".join(syllable[0] for syllable in syllables)


def _units(name: str) -> tuple[Unit, ...]:
    runs = _runs(name)
    han_runs = sum(1 for is_han, _ in runs if is_han)
    units: list[Unit] = []
    for index, (is_han, text) in enumerate(runs):
        if not is_han:
            units.append(((text,),))
        elif index == 0 and han_runs == 1:
            units.extend(_chinese_name_units(text))
        else:
            # Several Han runs mean a transliterated name (买买提·艾力): no surname in it.
            units.extend(_han_units(text))
    return tuple(units)


def _runs(name: str) -> list[tuple[bool, str]]:
    """``name`` cut into Han runs and Latin words (lower-case ASCII); the rest is dropped.

    Spaces inside Han text are typing noise (王 小明), not a break between name parts.
    """
    runs: list[tuple[bool, str]] = []
    current: list[str] = []
    current_is_han = False
    for char in name:
        is_han = _is_han(char)
        if current_is_han and current and char.isspace():
            continue
        if current and (is_han != current_is_han or not (is_han or char.isalnum())):
            runs.append(_run(current_is_han, current))
            current = []
        if is_han or char.isalnum():
            current.append(char)
            current_is_han = is_han
    if current:
        runs.append(_run(current_is_han, current))
    return [run for run in runs if run[1]]


def _run(is_han: bool, chars: list[str]) -> tuple[bool, str]:
    text = "".join(chars)
    return (True, text) if is_han else (False, _ascii_word(text))


def _chinese_name_units(run: str) -> tuple[Unit, ...]:
    # A compound surname needs a given name after it: a two-character name is more likely
    # a single surname plus a one-character given name (单于 → Shàn Yú).
    cut = 2 if len(run) > 2 and run[:2] in SURNAME_UNITS else 1
    surname = SURNAME_UNITS.get(run[:cut])
    surname_units = (surname,) if surname else _han_units(run[:cut])
    return surname_units + _han_units(run[cut:])


@lru_cache(maxsize=1 << 16)
def _han_units(run: str) -> tuple[Unit, ...]:
    """One unit per character; the run is read as a whole so pypinyin can use phrases."""
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore") if run else []
    return tuple(_syllable_unit(syllable) for syllable in syllables)


@lru_cache(maxsize=512)
def _syllable_unit(syllable: str) -> Unit:
    # pypinyin writes ü as "v"; people also type "u", and passports write "yu".
    if "v" in syllable:
        return ((syllable,), (syllable.replace("v", "u"),), (syllable.replace("v", "yu"),))
    return ((syllable,),)


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii()).lower()


def _is_han(char: str) -> bool:
    point = ord(char)
    return (
        0x4E00 <= point <= 0x9FFF  # CJK Unified Ideographs
        or 0x3400 <= point <= 0x4DBF  # Extension A
        or 0x20000 <= point <= 0x323AF  # Extensions B–H
    )
