"""Pacing worked by hand."""

from datetime import date

import pytest

from gongwei.indicators.pacing import CUSTOM, EVEN, FLAT, QUARTERLY, expected, status


def test_flat_target_holds_all_year():
    assert expected(95, FLAT, date(2026, 2, 1)) == 95


def test_even_pacing_is_the_share_of_days_gone():
    # 2026-07-02 is day 183 of 365: 60 × 183 / 365 = 30.08
    assert expected(60, EVEN, date(2026, 7, 2)) == 30.08


def test_quarterly_pacing_steps_at_the_end_of_each_quarter():
    assert expected(80, QUARTERLY, date(2026, 3, 30)) == 0
    assert expected(80, QUARTERLY, date(2026, 3, 31)) == 20
    assert expected(80, QUARTERLY, date(2026, 8, 15)) == 40
    assert expected(80, QUARTERLY, date(2026, 12, 31)) == 80


def test_custom_forty_forty_twenty_by_thirds_of_the_year():
    # Thirds of 4 months. End of April: 40% → 100 × 0.4 = 40.
    assert expected(100, CUSTOM, date(2026, 4, 30), [40, 40, 20]) == 40
    # End of June: 40 + 40 × 2/4 = 60.
    assert expected(100, CUSTOM, date(2026, 6, 30), [40, 40, 20]) == 60
    assert expected(100, CUSTOM, date(2026, 12, 31), [40, 40, 20]) == 100


def test_custom_shares_must_divide_the_year():
    with pytest.raises(ValueError):
        expected(100, CUSTOM, date(2026, 6, 30), [50, 30, 10, 5, 5])


@pytest.mark.parametrize("actual, colour", [(50, "green"), (45, "amber"), (44.9, "red"), (None, "grey")])
def test_status_against_expected_fifty(actual, colour):
    # Amber within 10% below the expected value: 50 × 0.9 = 45.
    assert status(actual, 50) == colour


def test_lower_is_better_for_mortality():
    assert status(12, 15, higher_is_better=False) == "green"
    assert status(16, 15, higher_is_better=False) == "amber"
    assert status(17, 15, higher_is_better=False) == "red"
