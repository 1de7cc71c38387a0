"""Administrative and statistical codes of org units, as plain functions.

NORMS §6.5: a county carries its 6-digit GB/T 2260 code; the National Bureau of Statistics
extends it to 9 digits for a township (乡镇/街道) and 12 digits for a village or residents'
committee. The code *is* the unit's place in the tree (ARCHITECTURE.md idea 1): everything
under a township is the range of codes that start with its 9 digits.
"""

from dataclasses import dataclass

COUNTY = "county"
TOWNSHIP = "township"
VILLAGE = "village"
SCHOOL = "school"
KINDERGARTEN = "kindergarten"

# How long the code of each kind is, and which kind its parent must be.
CODE_LENGTH = {COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12, SCHOOL: 12, KINDERGARTEN: 12}
PARENT_KIND = {COUNTY: None, TOWNSHIP: COUNTY, VILLAGE: TOWNSHIP, SCHOOL: TOWNSHIP,
               KINDERGARTEN: TOWNSHIP}

# GB/T 2260 province-level codes (NORMS §6.5, digits 1–2). 50 (Chongqing) and 46 (Hainan)
# are newer; none of the older ones were reissued, so the set only grows.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
     "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
     "63", "64", "65", "71", "81", "82"}
)


@dataclass(frozen=True)
class CodeError:
    field: str
    message_zh: str
    message_en: str


def check_code(code: str, kind: str, parent_code: str | None) -> list[CodeError]:
    """Every reason why ``code`` cannot be the code of a unit of ``kind`` under ``parent_code``."""
    errors: list[CodeError] = []
    length = CODE_LENGTH[kind]
    if not code.isascii() or not code.isdigit():
        errors.append(CodeError("code", "代码只能包含数字。", "The code may contain digits only."))
        return errors
    if len(code) != length:
        errors.append(CodeError(
            "code",
            f"该类机构的代码应为 {length} 位，实际为 {len(code)} 位。",
            f"A code of this kind has {length} digits, not {len(code)}.",
        ))
        return errors
    if code[:2] not in PROVINCE_CODES:
        errors.append(CodeError(
            "code",
            f"前两位“{code[:2]}”不是有效的省级行政区划代码（GB/T 2260）。",
            f"The first two digits '{code[:2]}' are not a province code of GB/T 2260.",
        ))
    if kind != COUNTY and code[-3:] == "000":
        errors.append(CodeError(
            "code",
            "最后三位不能为 000（000 表示上一级）。",
            "The last three digits cannot be 000 (that is the level above).",
        ))
    if PARENT_KIND[kind] is None:
        if parent_code:
            errors.append(CodeError("parent", "县级机构不能有上级机构。",
                                    "A county has no parent unit."))
    elif not parent_code:
        errors.append(CodeError("parent", "请选择上级机构。", "Choose the parent unit."))
    elif not code.startswith(parent_code):
        errors.append(CodeError(
            "code",
            f"代码 {code} 与上级机构代码 {parent_code} 不一致：应以 {parent_code} 开头。",
            f"Code {code} does not start with its parent's code {parent_code}.",
        ))
    return errors


def ancestors(code: str) -> list[str]:
    """Codes of the county and township above ``code``, nearest last."""
    return [code[:n] for n in (6, 9) if n < len(code)]


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest code string greater than every code that starts with ``prefix``.

    A prefix becomes an index range ``prefix <= code < bound`` that both SQLite and
    PostgreSQL answer from a plain b-tree, whatever the collation (LIKE 'x%' does not on
    SQLite). None when no such bound exists (an all-nines prefix).
    """
    digits = prefix.rstrip("9")
    if not digits:
        return None
    return digits[:-1] + str(int(digits[-1]) + 1)
