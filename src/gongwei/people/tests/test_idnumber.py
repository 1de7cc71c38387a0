"""ID number rules of NORMS §6.4 (GB 11643-1999, ISO 7064 MOD 11-2).

Expected values come from the norm's worked example and from hand computation shown in
the comments, never from the code under test. The arithmetic uses NORMS §6.4:
S = Σ d_i × W_i with W = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, check = "10X98765432"[S mod 11].
"""

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongwei.people.idnumber import (
    PROVINCE_CODES,
    IdNumberError,
    agrees_with,
    check_char,
    make_id,
    mask,
    normalize,
    upgrade_15,
    validate,
)

TODAY = date(2025, 6, 1)

# NORMS §6.4 worked example: r = 2 → 'X'. Sequence 002: digit 17 is even, so a woman.
NORMS_EXAMPLE = "11010519491231002X"

# 3·7 + 2·9 + 0·10 + 1·5 + 0·8 + 2·4 + 1·2 + 9·1 + 8·6 + 0·3 + 0·7 + 1·9 + 0·10 + 1·5
# + 1·8 + 2·4 + 3·2 = 21+18+0+5+0+8+2+9+48+0+0+9+0+5+8+8+6 = 147; 147 mod 11 = 4 → '8'.
# Sequence 123: digit 17 is 3, odd, so a man.
MAN_BORN_1980 = "320102198001011238"

# 4·7 + 2·9 + 0·10 + 5·5 + 2·8 + 1·4 + 2·2 + 0·1 + 1·6 + 5·3 + 0·7 + 6·9 + 3·10 + 0·5
# + 0·8 + 4·4 + 7·2 = 28+18+0+25+16+4+4+0+6+15+0+54+30+0+0+16+14 = 230;
# 230 mod 11 = 10 → '2'. Sequence 047: digit 17 is 7, a boy.
BOY_BORN_2015 = "420521201506300472"

# 15-digit 130503 670401 001 → first 17 = 13050319670401001:
# 1·7 + 3·9 + 0·10 + 5·5 + 0·8 + 3·4 + 1·2 + 9·1 + 6·6 + 7·3 + 0·7 + 4·9 + 0·10 + 1·5
# + 0·8 + 0·4 + 1·2 = 7+27+0+25+0+12+2+9+36+21+0+36+0+5+0+0+2 = 182; 182 mod 11 = 6 → '6'.
LEGACY_15 = "130503670401001"
LEGACY_UPGRADED = "130503196704010016"

# 19990230 does not exist. 1·7 + 1·9 + 0 + 1·5 + 0 + 5·4 + 1·2 + 9·1 + 9·6 + 9·3 + 0·7
# + 2·9 + 3·10 + 0 + 0 + 0 + 1·2 = 7+9+5+20+2+9+54+27+18+30+2 = 183; 183 mod 11 = 7 → '5'.
# The check character is right, so only the date can be blamed.
NO_SUCH_DATE = "110105199902300015"

# 20991231: 7+9+5+20 + 2·2 + 0·1 + 9·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0 + 0 + 1·2
# = 41+4+0+54+27+7+18+30+5+2 = 188; 188 mod 11 = 1 → '0'.
FUTURE_BIRTH = "110105209912310010"

# 18791231: 41 + 1·2 + 8·1 + 7·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0 + 0 + 1·2
# = 41+2+8+42+27+7+18+30+5+2 = 182; 182 mod 11 = 6 → '6'.
BORN_1879 = "110105187912310016"

# The norm's example with province 99: first two digits add (9-1)·7 + (9-1)·9 = 128 to its
# S = 167, so S = 295; 295 mod 11 = 9 → '3'.
PROVINCE_99 = "990105194912310023"

# The norm's example with county code 9999 (no such county in Beijing): digits 3–6 add
# 9·10 + 8·5 + 9·8 + 4·4 = 218, S = 385; 385 mod 11 = 0 → '1'.
UNKNOWN_COUNTY = "119999194912310021"


def error_of(raw: str) -> IdNumberError:
    with pytest.raises(IdNumberError) as caught:
        validate(raw, today=TODAY)
    return caught.value


def test_norms_worked_example_is_a_woman_born_on_31_december_1949():
    info = validate(NORMS_EXAMPLE, today=TODAY)
    assert info.number == NORMS_EXAMPLE
    assert info.birth_date == date(1949, 12, 31)
    assert info.sex == "2"
    assert info.region_code == "110105"
    assert info.upgraded_from_15 is False


def test_check_character_of_norms_example_is_x():
    assert check_char("11010519491231002") == "X"


def test_hand_computed_numbers_are_valid_with_their_sex_and_birth_date():
    man = validate(MAN_BORN_1980, today=TODAY)
    assert (man.sex, man.birth_date, man.region_code) == ("1", date(1980, 1, 1), "320102")
    boy = validate(BOY_BORN_2015, today=TODAY)
    assert (boy.sex, boy.birth_date, boy.region_code) == ("1", date(2015, 6, 30), "420521")


def test_check_character_for_remainder_ten_is_two():
    assert check_char(BOY_BORN_2015[:17]) == "2"


def test_wrong_check_character_is_rejected_with_expected_character():
    error = error_of("110105194912310021")
    assert error.part == "checksum"
    assert "“X”" in error.message_zh
    assert "'X'" in error.message_en


def test_trailing_lower_case_x_is_accepted_and_stored_upper_case():
    assert validate("11010519491231002x", today=TODAY).number == NORMS_EXAMPLE


def test_full_width_digits_and_spaces_from_a_chinese_ime_are_normalized():
    raw = " １１０１０５ １９４９１２３１\u3000００２ｘ "
    assert normalize(raw) == NORMS_EXAMPLE
    assert validate(raw, today=TODAY).number == NORMS_EXAMPLE


def test_date_that_does_not_exist_is_rejected_as_a_birth_date_error():
    error = error_of(NO_SUCH_DATE)
    assert (error.part, error.code) == ("birth_date", "birth_date_invalid")
    assert "19990230" in error.message_zh


def test_birth_date_after_today_is_rejected():
    error = error_of(FUTURE_BIRTH)
    assert (error.part, error.code) == ("birth_date", "birth_date_future")


def test_someone_born_today_is_accepted():
    assert validate(make_id("110105", TODAY, 1), today=TODAY).birth_date == TODAY


def test_birth_date_before_1880_is_rejected():
    error = error_of(BORN_1879)
    assert (error.part, error.code) == ("birth_date", "birth_date_too_early")


def test_15_digit_legacy_number_is_upgraded_with_19_and_a_check_character():
    assert upgrade_15(LEGACY_15) == LEGACY_UPGRADED
    info = validate(LEGACY_15, today=TODAY)
    assert info.number == LEGACY_UPGRADED
    assert info.upgraded_from_15 is True
    assert info.birth_date == date(1967, 4, 1)
    assert info.sex == "1"


def test_15_digit_number_with_impossible_date_is_rejected():
    # 670230 → 1967-02-30.
    assert error_of("130503670230001").part == "birth_date"


def test_province_99_is_rejected_even_with_a_correct_check_character():
    error = error_of(PROVINCE_99)
    assert error.part == "region"
    assert "99" in error.message_zh


def test_unknown_county_code_in_a_known_province_is_accepted():
    # NORMS §6.4: retired county codes stay on IDs, so only the province is checked.
    assert validate(UNKNOWN_COUNTY, today=TODAY).region_code == "119999"


@pytest.mark.parametrize("raw", ["", "1101051949123100", "11010519491231002X1", "1301"])
def test_number_that_is_neither_15_nor_18_long_is_rejected_as_length(raw):
    error = error_of(raw)
    assert error.part == "length"
    assert str(len(raw)) in error.message_zh


@pytest.mark.parametrize("raw", [
    "1101051949123100AX",  # letter inside
    "11010519491231002Y",  # last character neither digit nor X
    "13050367040100X",  # a 15-digit number has no check character
    "11010519491231002\u0663",  # ARABIC-INDIC DIGIT THREE: a digit, but not ASCII
])
def test_letters_and_foreign_digits_are_rejected_as_format(raw):
    assert error_of(raw).part == "format"


def test_sex_that_disagrees_with_digit_17_is_reported_in_both_languages():
    info = validate(NORMS_EXAMPLE, today=TODAY)
    [error] = agrees_with(info, sex="1", birth_date=date(1949, 12, 31))
    assert error.part == "sex"
    assert error.message_zh == "身份证号第17位表示女性，与所填性别“男”不一致"
    assert "female" in error.message_en and "male" in error.message_en


def test_sex_disagreement_on_an_upgraded_number_points_at_digit_15():
    info = validate(LEGACY_15, today=TODAY)
    [error] = agrees_with(info, sex="2", birth_date=None)
    assert error.message_zh == "身份证号第15位表示男性，与所填性别“女”不一致"


def test_birth_date_that_disagrees_with_the_number_is_reported():
    info = validate(NORMS_EXAMPLE, today=TODAY)
    [error] = agrees_with(info, sex="2", birth_date=date(1950, 1, 1))
    assert error.part == "birth_date"
    assert "1949年12月31日" in error.message_zh and "1950年1月1日" in error.message_zh
    assert "1949-12-31" in error.message_en


def test_matching_or_undetermined_sex_and_birth_date_raise_no_disagreement():
    info = validate(NORMS_EXAMPLE, today=TODAY)
    assert agrees_with(info, sex="2", birth_date=date(1949, 12, 31)) == []
    # GB/T 2261.1 0 未知的性别 and 9 未说明的性别 cannot contradict the number.
    assert agrees_with(info, sex="9", birth_date=None) == []
    assert agrees_with(info, sex="0", birth_date=None) == []


def test_both_disagreements_are_reported_together():
    info = validate(NORMS_EXAMPLE, today=TODAY)
    errors = agrees_with(info, sex="1", birth_date=date(1950, 1, 1))
    assert [error.part for error in errors] == ["sex", "birth_date"]


@pytest.mark.parametrize(("number", "masked"), [
    ("320102198001011234", "320102********1234"),
    (NORMS_EXAMPLE, "110105********002X"),
    (LEGACY_15, "130**********01"),  # 15 characters: first 3, last 2
    ("E12345678", "E1*****78"),  # 9 characters: at most a quarter shown at each end
    ("ab", "**"),
    ("", ""),
])
def test_mask_hides_the_middle_of_a_number(number, masked):
    assert mask(number) == masked


def test_make_id_rejects_a_bad_region_or_sequence():
    with pytest.raises(ValueError):
        make_id("11010", date(2000, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id("110105", date(2000, 1, 1), 1000)


def test_check_char_and_upgrade_reject_wrong_input():
    with pytest.raises(ValueError):
        check_char("1101051949123100")
    with pytest.raises(ValueError):
        upgrade_15("13050367040100X")


regions = st.builds(
    lambda province, rest: province + f"{rest:04d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9999),
)
birth_dates = st.dates(min_value=date(1880, 1, 1), max_value=TODAY)
sequences = st.integers(0, 999)


@settings(max_examples=200, deadline=None)
@given(regions, birth_dates, sequences)
def test_make_id_always_validates_and_round_trips_sex_and_birth_date(region, birth, seq):
    number = make_id(region, birth, seq)
    info = validate(number, today=TODAY)
    assert info.number == number
    assert info.birth_date == birth
    assert info.region_code == region
    assert info.sex == ("1" if seq % 2 else "2")


@settings(max_examples=200, deadline=None)
@given(regions, birth_dates, sequences, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_to_a_valid_number_is_rejected(
    region, birth, seq, position, replacement
):
    # MOD 11-2 detects every single-character substitution (NORMS §6.4).
    number = make_id(region, birth, seq)
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1:]
    with pytest.raises(IdNumberError):
        validate(changed, today=TODAY)
