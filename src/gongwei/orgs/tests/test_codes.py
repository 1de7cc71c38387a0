"""Org codes (NORMS §6.5): lengths, digits, province, consistency with the parent."""

from hypothesis import given
from hypothesis import strategies as st

from gongwei.orgs import codes
from gongwei.orgs.codes import ancestors, check_code, prefix_upper_bound


def messages(code, kind, parent):
    return [e.message_zh for e in check_code(code, kind, parent)]


def test_valid_codes_of_every_level_pass():
    assert check_code("339901", codes.COUNTY, None) == []
    assert check_code("339901101", codes.TOWNSHIP, "339901") == []
    assert check_code("339901101201", codes.VILLAGE, "339901101") == []
    assert check_code("339901101901", codes.SCHOOL, "339901101") == []


def test_village_code_of_wrong_length_says_how_many_digits():
    [msg] = messages("33990110120", codes.VILLAGE, "339901101")
    assert "12 位" in msg and "11 位" in msg


def test_code_with_letters_is_refused():
    assert "只能包含数字" in messages("33990110120A", codes.VILLAGE, "339901101")[0]


def test_village_code_must_start_with_its_township_code():
    [msg] = messages("339901102201", codes.VILLAGE, "339901101")
    assert "应以 339901101 开头" in msg


def test_unknown_province_is_refused():
    assert "不是有效的省级行政区划代码" in messages("990101", codes.COUNTY, None)[0]


def test_township_segment_000_is_the_county_itself():
    assert any("000" in m for m in messages("339901000", codes.TOWNSHIP, "339901"))


def test_non_county_needs_a_parent():
    assert "请选择上级机构" in messages("339901101", codes.TOWNSHIP, None)[0]


def test_ancestors_are_county_then_township():
    assert ancestors("339901101201") == ["339901", "339901101"]
    assert ancestors("339901101") == ["339901"]
    assert ancestors("339901") == []


def test_prefix_upper_bound_examples():
    assert prefix_upper_bound("339901101") == "339901102"
    assert prefix_upper_bound("339901109") == "33990111"
    assert prefix_upper_bound("3399") == "34"
    assert prefix_upper_bound("999") is None


@given(st.text("0123456789", min_size=1, max_size=6), st.text("0123456789", max_size=6))
def test_prefix_range_holds_exactly_the_codes_that_start_with_the_prefix(prefix, rest):
    bound = prefix_upper_bound(prefix)
    code = prefix + rest
    assert code >= prefix and (bound is None or code < bound)


@given(st.text("0123456789", min_size=1, max_size=6), st.text("0123456789", min_size=1, max_size=12))
def test_codes_without_the_prefix_fall_outside_the_range(prefix, other):
    bound = prefix_upper_bound(prefix)
    inside = other >= prefix and (bound is None or other < bound)
    assert inside == other.startswith(prefix)
