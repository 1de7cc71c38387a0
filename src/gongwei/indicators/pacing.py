"""Where a unit should stand on a given day, against its year target (目标责任书 "按时间节点").

Pacing profiles:
- ``flat``: the target holds all year (quality rates such as control rates);
- ``even``: the target is reached evenly through the year, day by day;
- ``quarterly``: a quarter of the target is due at the end of each quarter (the time nodes of
  the township plans); between nodes the expected value is the last node's;
- ``custom``: shares of the target by equal parts of the year, e.g. 40/40/20 for three
  4-month thirds; linear within a part.
"""

import calendar
from datetime import date

FLAT, EVEN, QUARTERLY, CUSTOM = "flat", "even", "quarterly", "custom"
# Amber: behind the expected value, but by less than this share of it.
AMBER_MARGIN = 0.10


def _year_fraction(on: date) -> float:
    days = 366 if calendar.isleap(on.year) else 365
    return (on.timetuple().tm_yday) / days


def expected_share(pacing: str, on: date, shares: list[float] | None = None) -> float:
    """The share (0–1) of the year target expected by the end of day ``on``."""
    if pacing == FLAT:
        return 1.0
    if pacing == EVEN:
        return _year_fraction(on)
    if pacing == QUARTERLY:
        quarters_done = (on.month - 1) // 3 + (1 if on.month % 3 == 0 and on.day == calendar.monthrange(on.year, on.month)[1] else 0)
        return quarters_done / 4
    if pacing == CUSTOM:
        parts = [float(s) for s in (shares or [])]
        if not parts or 12 % len(parts):
            raise ValueError("custom shares divide the year into 1, 2, 3, 4, 6 or 12 equal parts")
        total = sum(parts)
        months_per_part = 12 // len(parts)
        # Position in the year in months, e.g. 15 May = 4 + 15/31.
        position = on.month - 1 + on.day / calendar.monthrange(on.year, on.month)[1]
        done, cumulative = 0.0, 0.0
        for share in parts:
            if position >= done + months_per_part:
                cumulative += share
                done += months_per_part
            else:
                cumulative += share * (position - done) / months_per_part
                break
        return cumulative / total
    raise ValueError(f"unknown pacing {pacing!r}")


def expected(target: float, pacing: str, on: date, shares: list[float] | None = None) -> float:
    return round(float(target) * expected_share(pacing, on, shares), 2)


def status(actual: float | None, expected_value: float, higher_is_better: bool = True) -> str:
    """green (on or ahead of plan), amber (slightly behind), red (behind), or grey (no data)."""
    if actual is None:
        return "grey"
    actual = float(actual)
    if higher_is_better:
        if actual >= expected_value:
            return "green"
        return "amber" if actual >= expected_value * (1 - AMBER_MARGIN) else "red"
    if actual <= expected_value:
        return "green"
    return "amber" if actual <= expected_value * (1 + AMBER_MARGIN) else "red"
