"""The forms as data, their periods and deadlines, and the checking of manual rows."""

from datetime import date

import pytest

from gongwei.care import indicators as registry
from gongwei.reports import manual, periods
from gongwei.reports.forms_catalogue import FORMS, get_form

MCH_CODES = {"mch.early_booking", "mch.antenatal5", "mch.postpartum_visit", "mch.systematic",
             "mch.hospital_delivery", "mch.high_risk_screened", "mch.high_risk_managed",
             "child.newborn_visit", "child.health_management", "child.systematic_0_3",
             "child.systematic_0_6", "imm.card", "imm.full", "mch.maternal_mortality",
             "child.infant_mortality", "child.u5_mortality"}


def test_every_chronic_row_of_the_basic_report_names_a_declared_indicator():
    codes = get_form("bphs_month").indicator_codes
    assert set(codes) == {f"{p}.{k}" for p in ("htn", "dm") for k in ("standard", "control", "management")}
    for code in codes:
        registry.get(code)


def test_the_mch_report_carries_every_indicator_of_the_mch_issue():
    assert set(get_form("mch_month").indicator_codes) == MCH_CODES
    assert set(get_form("mch_year").indicator_codes) == MCH_CODES


def test_row_keys_are_unique_within_each_form():
    for form in FORMS.values():
        assert len(form.rows_by_key) == len(form.rows), form.code


def test_monthly_deadlines_are_the_20th_for_villages_and_the_23rd_for_townships():
    form, april = get_form("bphs_month"), periods.period_for(get_form("bphs_month"), "2026-04")
    assert periods.deadline(form, "village", april) == date(2026, 5, 20)
    assert periods.deadline(form, "township", april) == date(2026, 5, 23)
    december = periods.period_for(form, "2026-12")
    assert periods.deadline(form, "township", december) == date(2027, 1, 23)


def test_a_county_sets_its_own_deadlines(settings):
    settings.GONGWEI_REPORT_DEADLINES = {"bphs_month": {"village": 15}}
    form = get_form("bphs_month")
    april = periods.period_for(form, "2026-04")
    assert periods.deadline(form, "village", april) == date(2026, 5, 15)
    assert periods.deadline(form, "township", april) == date(2026, 5, 23)


def test_the_mch_year_runs_october_to_september_and_townships_report_by_12_october():
    form = get_form("mch_year")
    year = periods.period_for(form, "2026")
    assert (year.start, year.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert periods.deadline(form, "township", year) == date(2026, 10, 12)
    assert periods.label(year) == "2026年度（2025年10月至2026年09月）"
    assert periods.latest_closed(form, date(2026, 10, 5)) == year
    assert periods.latest_closed(form, date(2026, 9, 30)).end == date(2025, 9, 30)


def test_the_period_being_reported_is_the_last_one_that_ended():
    assert periods.latest_closed(get_form("bphs_month"), date(2026, 5, 10)).start == date(2026, 4, 1)
    assert periods.latest_closed(get_form("bphs_month"), date(2026, 1, 3)).start == date(2025, 12, 1)
    assert periods.latest_closed(get_form("bphs_half"), date(2026, 7, 1)).start == date(2026, 1, 1)
    assert periods.latest_closed(get_form("bphs_year"), date(2026, 7, 1)).start == date(2025, 1, 1)
    recent = periods.recent(get_form("bphs_month"), date(2026, 5, 10), 3)
    assert [periods.value_of(p) for p in recent] == ["2026-04", "2026-03", "2026-02"]


@pytest.mark.parametrize("value", ["2026-13", "2026", "abc", "", "2026-3-1"])
def test_a_bad_month_is_refused(value):
    with pytest.raises(periods.BadPeriod):
        periods.period_for(get_form("bphs_month"), value)


def test_manual_rows_are_checked_and_a_draft_may_be_half_filled():
    form = get_form("bphs_month")
    values, errors = manual.parse(form, {"edu_lectures": "3", "edu_attendees": "很多", "edu_boards": "-1"},
                                  for_submission=False)
    assert values == {"edu_lectures": 3}
    assert set(errors) == {"edu_attendees", "edu_boards"}
    _, errors = manual.parse(form, {"edu_lectures": "3"}, for_submission=True)
    assert set(errors) == {"edu_attendees", "edu_consultations", "edu_boards"}  # remarks are optional
    _, errors = manual.parse(form, {"edu_lectures": "1001"}, for_submission=False)
    assert set(errors) == {"edu_lectures"}
