"""Reporting periods: month, quarter, half-year, year and year-to-date."""

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, half, year, ytd
    start: date
    end: date

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def label(self) -> str:
        return {"month": f"{self.start:%Y年%m月}", "quarter": f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度",
                "half": f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年",
                "year": f"{self.start.year}年", "ytd": f"{self.start.year}年1月至{self.end.month}月"}[self.kind]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def month(year: int, m: int) -> Period:
    return Period("month", date(year, m, 1), _month_end(year, m))


def quarter(year: int, q: int) -> Period:
    return Period("quarter", date(year, 3 * q - 2, 1), _month_end(year, 3 * q))


def half(year: int, h: int) -> Period:
    return Period("half", date(year, 6 * h - 5, 1), _month_end(year, 6 * h))


def year(y: int) -> Period:
    return Period("year", date(y, 1, 1), date(y, 12, 31))


def year_to_date(today: date) -> Period:
    return Period("ytd", date(today.year, 1, 1), _month_end(today.year, today.month))


def parse(kind: str, value: str, today: date) -> Period:
    """``kind`` and a value like 2026-03 (month), 2026-2 (quarter/half), 2026 (year)."""
    try:
        if kind == "month":
            y, m = value.split("-")
            return month(int(y), int(m))
        if kind == "quarter":
            y, q = value.split("-")
            return quarter(int(y), int(q))
        if kind == "half":
            y, h = value.split("-")
            return half(int(y), int(h))
        if kind == "year":
            return year(int(value))
    except (ValueError, TypeError):
        pass
    return year_to_date(today)
