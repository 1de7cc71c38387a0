"""Report periods and deadlines, as pure functions of a form and a date.

A period is named by a short value: ``2026-04`` (month), ``2026-1`` (first half), ``2026``
(year). An MCH year is named by the year it ends in: ``2026`` = October 2025 to September
2026 (NORMS §2.3), so it is a ``care.periods.Period`` of kind "year" that starts in October.
"""

from datetime import date, timedelta

from django.conf import settings

from gongwei.care import periods
from gongwei.care.periods import Period

from .forms_catalogue import HALF, MONTH, FormDef


class BadPeriod(ValueError):
    pass


def period_for(form: FormDef, value: str) -> Period:
    try:
        if form.period_kind == MONTH:
            y, m = (int(p) for p in value.split("-"))
            return periods.month(y, m)
        if form.period_kind == HALF:
            y, h = (int(p) for p in value.split("-"))
            if h not in (1, 2):
                raise BadPeriod(value)
            return periods.half(y, h)
        y = int(value)
        if form.year_starts == 1:
            return periods.year(y)
        return Period("year", date(y - 1, form.year_starts, 1),
                      date(y, form.year_starts, 1) - timedelta(days=1))
    except (ValueError, TypeError) as error:
        raise BadPeriod(value) from error


def value_of(period: Period) -> str:
    if period.kind == MONTH:
        return f"{period.start:%Y-%m}"
    if period.kind == HALF:
        return f"{period.start.year}-{1 if period.start.month == 1 else 2}"
    return str(period.end.year)


def label(period: Period) -> str:
    if period.kind == "year" and period.start.month != 1:
        return f"{period.end.year}年度（{period.start:%Y年%m月}至{period.end:%Y年%m月}）"
    return period.label


def latest_closed(form: FormDef, today: date) -> Period:
    """The last period that has ended by ``today``: the one being reported now."""
    candidate = period_for(form, value_of_containing(form, today))
    return period_for(form, value_of_containing(form, candidate.start - timedelta(days=1)))


def value_of_containing(form: FormDef, day: date) -> str:
    if form.period_kind == MONTH:
        return f"{day:%Y-%m}"
    if form.period_kind == HALF:
        return f"{day.year}-{1 if day.month <= 6 else 2}"
    return str(day.year + (1 if form.year_starts != 1 and day.month >= form.year_starts else 0))


def recent(form: FormDef, today: date, count: int = 12) -> list[Period]:
    """The latest closed period and those before it, newest first (for the period picker)."""
    out = [latest_closed(form, today)]
    while len(out) < count:
        before = out[-1].start - timedelta(days=1)
        out.append(period_for(form, value_of_containing(form, before)))
    return out


def deadline(form: FormDef, level: str, period: Period) -> date:
    """The day the unit's report is due: a day of the month after the period ends."""
    local = getattr(settings, "GONGWEI_REPORT_DEADLINES", {}).get(form.code, {})
    day = local.get(level, form.deadlines[level])
    return (period.end + timedelta(days=1)).replace(day=day)


def of(report) -> Period:
    return Period(report.period_kind, report.period_start, report.period_end)
