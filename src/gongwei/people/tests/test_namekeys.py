"""Pinyin search keys: surname readings, compound surnames, and names that are not Han."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongwei.people.namekeys import NameKeys, name_keys


def test_plain_name_gives_full_pinyin_and_initials():
    assert name_keys("张三") == NameKeys("zhangsan", "zs", ())


def test_surname_shan_is_read_shan_with_the_everyday_dan_as_alternative():
    keys = name_keys("单雄信")
    assert (keys.full, keys.initials) == ("shanxiongxin", "sxx")
    assert "danxiongxin" in keys.alternatives
    assert "dxx" in keys.alternatives


def test_surname_zeng_is_read_zeng_with_ceng_as_alternative():
    keys = name_keys("曾国藩")
    assert keys.full == "zengguofan"
    assert "cengguofan" in keys.alternatives


def test_surname_xie_is_read_xie_not_jie():
    assert name_keys("解缙").full == "xiejin"


def test_compound_surname_ouyang_is_one_unit_with_an_initial_per_syllable():
    keys = name_keys("欧阳修")
    assert (keys.full, keys.initials) == ("ouyangxiu", "oyx")


def test_compound_surname_yuchi_is_read_yuchi():
    keys = name_keys("尉迟恭")
    assert (keys.full, keys.initials) == ("yuchigong", "ycg")
    assert "weichigong" in keys.alternatives


@pytest.mark.parametrize(("name", "full"), [
    ("仇小明", "qiuxiaoming"),
    ("区小明", "ouxiaoming"),
    ("朴小明", "piaoxiaoming"),
    ("查小明", "zhaxiaoming"),
    ("盖小明", "gexiaoming"),
    ("缪小明", "miaoxiaoming"),
    ("翟小明", "zhaixiaoming"),
    ("乐小明", "yuexiaoming"),
    ("覃小明", "qinxiaoming"),
    ("重小明", "chongxiaoming"),
    ("秘小明", "bixiaoming"),
    ("种小明", "chongxiaoming"),
    ("折小明", "shexiaoming"),
    ("黑小明", "hexiaoming"),
    ("能小明", "naixiaoming"),
    ("万俟小明", "moqixiaoming"),
    ("长孙小明", "zhangsunxiaoming"),
    ("单于小明", "chanyuxiaoming"),
    ("司马光", "simaguang"),
    ("诸葛亮", "zhugeliang"),
    ("上官婉儿", "shangguanwaner"),
    ("东方朔", "dongfangshuo"),
    ("皇甫嵩", "huangfusong"),
])
def test_special_surnames_use_their_surname_reading(name, full):
    assert name_keys(name).full == full


def test_two_character_name_starting_like_a_compound_surname_is_a_single_surname():
    # 单于 alone is far likelier 单 (Shàn) with the given name 于 than a bare compound surname.
    assert name_keys("单于").full == "shanyu"


def test_compound_surname_keeps_the_single_surname_reading_as_alternative():
    assert "shanyuxiaoming" in name_keys("单于小明").alternatives


def test_minority_name_with_middle_dot_is_read_without_surname_rules():
    assert name_keys("买买提·艾力") == NameKeys("maimaitiaili", "mmtal", ())


def test_latin_name_keeps_its_words_lower_case_without_accents():
    assert name_keys("John Smith") == NameKeys("johnsmith", "js", ())
    assert name_keys("José García").full == "josegarcia"


def test_u_umlaut_has_u_and_passport_yu_spellings_as_alternatives():
    keys = name_keys("吕布")
    assert keys.full == "lvbu"
    assert {"lubu", "lyubu"} <= set(keys.alternatives)


def test_spaces_typed_inside_a_chinese_name_are_ignored():
    assert name_keys("单 雄信").full == "shanxiongxin"
    assert name_keys(" 张　三 ").full == "zhangsan"


def test_empty_name_has_empty_keys():
    assert name_keys("") == NameKeys("", "", ())


def test_alternatives_never_repeat_the_main_keys_or_each_other():
    keys = name_keys("单于小明")
    assert keys.full not in keys.alternatives
    assert keys.initials not in keys.alternatives
    assert len(set(keys.alternatives)) == len(keys.alternatives)


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=han, min_size=1, max_size=4))
def test_keys_of_any_han_name_are_lower_case_ascii_letters(name):
    keys = name_keys(name)
    for key in (keys.full, keys.initials, *keys.alternatives):
        assert key.isascii() and key.isalpha() and key == key.lower()
    assert len(keys.initials) <= len(keys.full)
