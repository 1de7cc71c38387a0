"""Citizen ID numbers (公民身份号码, GB 11643-1999), as plain functions.

NORMS §6.4: 18 characters = 6-digit address code (GB/T 2260) + birth date YYYYMMDD
+ 3-digit sequence code (odd = male, even = female) + ISO 7064 MOD 11-2 check character.
NORMS §8 item 3: the ID number is the identity key of a resident, so every message says
which *part* of the number is wrong, in Chinese and English, for the person typing it in.
"""

from dataclasses import dataclass
from datetime import date

# GB/T 2260 province codes (NORMS §6.5). Only the province is checked: NORMS §6.4 says
# retired county codes stay valid on IDs, so unknown counties are accepted.
from gongwei.orgs.codes import PROVINCE_CODES

from gongwei.people.codes import FEMALE, MALE, SEX, label

# NORMS §6.4: W_i = 2^(17-i) mod 11 for the first 17 digits.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# NORMS §6.4: the check character indexed by S mod 11.
CHECK_CHARACTERS = "10X98765432"

# NORMS §6.4 marks the 15→18 conversion "(unconfirmed)": legacy numbers were issued from
# 1984 to 1999 to people whose 2-digit birth year is taken to be 19YY. Configurable because
# someone born in 1899 or earlier with a surviving 15-digit number would need "18".
LEGACY_CENTURY = "19"

# Nobody alive was born earlier; an earlier date is a typing error, not a record.
EARLIEST_BIRTH_DATE = date(1880, 1, 1)

# "第17位表示女性": the digit indicates a sex, so the message uses the noun form.
_SEX_NOUN_ZH = {MALE: "男性", FEMALE: "女性"}

# People paste numbers from Chinese IMEs, where digits and X come out full-width.
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + d): str(d) for d in range(10)}, "Ｘ": "X", "ｘ": "X", "x": "X"}
)


class IdNumberError(ValueError):
    """One thing wrong with an ID number: ``part`` names which part, for the form to point at."""

    def __init__(self, code: str, message_zh: str, message_en: str, part: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.part = part

    def __repr__(self) -> str:
        return f"IdNumberError({self.code!r}, part={self.part!r})"


@dataclass(frozen=True)
class IdInfo:
    number: str  # always the 18-character form
    birth_date: date
    sex: str  # GB/T 2261.1: "1" male, "2" female
    region_code: str  # 6-digit GB/T 2260 code of the hukou place when the number was issued
    upgraded_from_15: bool


def normalize(raw: str) -> str:
    """``raw`` without any whitespace, with full-width digits and x/X as ASCII and X upper-case."""
    return "".join(raw.split()).translate(_FULL_WIDTH)


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits (NORMS §6.4)."""
    if len(first17) != 17 or not _is_ascii_digits(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def upgrade_15(id15: str) -> str:
    """The 18-character form of a 15-digit legacy number (NORMS §6.4, unconfirmed rule)."""
    if len(id15) != 15 or not _is_ascii_digits(id15):
        raise ValueError(f"expected 15 ASCII digits, got {id15!r}")
    first17 = id15[:6] + LEGACY_CENTURY + id15[6:]
    return first17 + check_char(first17)


def make_id(region6: str, birth: date, seq3: int) -> str:
    """A valid 18-character number; ``seq3`` odd gives a man, even a woman (NORMS §6.4)."""
    if len(region6) != 6 or not _is_ascii_digits(region6):
        raise ValueError(f"expected a 6-digit region code, got {region6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"sequence code must be 0–999, got {seq3}")
    first17 = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    return first17 + check_char(first17)


def validate(raw: str, *, today: date) -> IdInfo:
    """What the number says, or IdNumberError for the first wrong part.

    Parts are checked in the order length, format, region, birth date, checksum, so a
    mistyped date is reported as a date error rather than as the checksum it also breaks.
    """
    number = normalize(raw)
    _check_length(number)
    _check_format(number)
    _check_region(number)
    upgraded = len(number) == 15
    if upgraded:
        # A legacy number has no check character to verify; the upgrade supplies one.
        birth = _check_birth_date(LEGACY_CENTURY + number[6:12], today)
        number18 = upgrade_15(number)
    else:
        birth = _check_birth_date(number[6:14], today)
        _check_checksum(number)
        number18 = number
    return IdInfo(
        number=number18,
        birth_date=birth,
        sex=MALE if int(number18[16]) % 2 else FEMALE,
        region_code=number18[:6],
        upgraded_from_15=upgraded,
    )


def agrees_with(info: IdInfo, *, sex: str | None, birth_date: date | None) -> list[IdNumberError]:
    """Where the sex and birth date typed on the form contradict the ID number.

    Only a definite sex ("1"/"2") can contradict; GB/T 2261.1 "0"/"9" and blanks cannot.
    """
    errors: list[IdNumberError] = []
    if sex in _SEX_NOUN_ZH and sex != info.sex:
        position = 15 if info.upgraded_from_15 else 17
        errors.append(IdNumberError(
            "sex_mismatch",
            f"身份证号第{position}位表示{_SEX_NOUN_ZH[info.sex]}，"
            f"与所填性别“{label(SEX, sex)}”不一致",
            f"Digit {position} of the ID number says {label(SEX, info.sex, 'en').lower()}, "
            f"but the sex entered is {label(SEX, sex, 'en').lower()}.",
            "sex",
        ))
    if birth_date is not None and birth_date != info.birth_date:
        errors.append(IdNumberError(
            "birth_date_mismatch",
            f"身份证号中的出生日期为{_date_zh(info.birth_date)}，"
            f"与所填出生日期{_date_zh(birth_date)}不一致",
            f"The ID number gives the birth date {info.birth_date.isoformat()}, "
            f"but the birth date entered is {birth_date.isoformat()}.",
            "birth_date",
        ))
    return errors


def mask(number: str) -> str:
    """``number`` fit to show on a list: 320102********1234 for 18 characters.

    For other lengths (15-digit legacy numbers, passports) at most the first 3 and last 2
    characters stay and at least half is masked, so short numbers do not show whole.
    """
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    head = min(3, len(number) // 4)
    tail = min(2, len(number) // 4)
    return number[:head] + "*" * (len(number) - head - tail) + number[len(number) - tail:]


def _check_length(number: str) -> None:
    if len(number) not in (15, 18):
        raise IdNumberError(
            "length",
            f"身份证号应为18位（旧号码为15位），实际为{len(number)}位",
            f"An ID number has 18 characters (15 for an old one), not {len(number)}.",
            "length",
        )


def _check_format(number: str) -> None:
    body, last = number[:-1], number[-1]
    last_ok = _is_ascii_digits(last) or (len(number) == 18 and last == "X")
    if not _is_ascii_digits(body) or not last_ok:
        if len(number) == 18:
            zh, en = "身份证号前17位只能是数字，第18位是数字或X", (
                "The first 17 characters must be digits and the 18th a digit or X.")
        else:
            zh, en = "15位身份证号只能包含数字", "A 15-digit ID number contains digits only."
        raise IdNumberError("format", zh, en, "format")


def _check_region(number: str) -> None:
    province = number[:2]
    if province not in PROVINCE_CODES:
        raise IdNumberError(
            "region",
            f"身份证号前两位“{province}”不是有效的省级行政区划代码",
            f"The first two digits '{province}' are not a province code (GB/T 2260).",
            "region",
        )


def _check_birth_date(yyyymmdd: str, today: date) -> date:
    try:
        birth = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise IdNumberError(
            "birth_date_invalid",
            f"身份证号中的出生日期“{yyyymmdd}”不是真实存在的日期",
            f"The birth date '{yyyymmdd}' in the ID number is not a real date.",
            "birth_date",
        ) from None
    if birth > today:
        raise IdNumberError(
            "birth_date_future",
            f"身份证号中的出生日期{_date_zh(birth)}晚于今天",
            f"The birth date {birth.isoformat()} in the ID number is in the future.",
            "birth_date",
        )
    if birth < EARLIEST_BIRTH_DATE:
        raise IdNumberError(
            "birth_date_too_early",
            f"身份证号中的出生日期{_date_zh(birth)}早于{EARLIEST_BIRTH_DATE.year}年",
            f"The birth date {birth.isoformat()} in the ID number is before "
            f"{EARLIEST_BIRTH_DATE.year}.",
            "birth_date",
        )
    return birth


def _check_checksum(number18: str) -> None:
    expected = check_char(number18[:17])
    if number18[17] != expected:
        raise IdNumberError(
            "checksum",
            # The typo may be anywhere: the expected character only fits the first 17 as typed.
            f"身份证号校验位不符：按前17位计算，第18位应为“{expected}”，实际为“{number18[17]}”。"
            f"请逐位核对，输错的也可能是前17位",
            f"The check character does not match: from the first 17 digits the 18th should be "
            f"'{expected}', not '{number18[17]}'. Check every digit; the mistake may be in the "
            f"first 17.",
            "checksum",
        )


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() alone accepts other scripts' digits such as '٣' and '²'.
    return text.isascii() and text.isdigit()


def _date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
