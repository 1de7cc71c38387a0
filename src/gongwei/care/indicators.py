"""How a programme declares an indicator (the indicators app computes, stores and shows them).

An indicator is declared once: its code, names, numerator and denominator in words, unit,
levels and periods it applies to, the norm clause, and two functions:

- ``compute(period, under) -> {village code: (numerator, denominator)}``: set-based queries
  over the records of the villages under the code prefix ``under``. Values are per village;
  townships and the county are sums of their villages (never averages of rates).
- ``members(period, village_codes) -> queryset of Resident annotated with in_numerator``:
  the residents behind a value, for the drill-down from a figure to the people.
"""

import contextvars
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

PERCENT, PERMILLE, PER_100K, COUNT = "%", "‰", "1/10万", "count"
MULTIPLIER = {PERCENT: 100, PERMILLE: 1000, PER_100K: 100_000, COUNT: 1}
ALL_LEVELS = ("village", "township", "county")
ALL_PERIODS = ("month", "quarter", "half", "year", "ytd")


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str
    unit: str
    norm: str
    programme: str
    compute: Callable
    members: Callable | None = None
    levels: tuple[str, ...] = ALL_LEVELS
    periods: tuple[str, ...] = ALL_PERIODS
    higher_is_better: bool = True

    def value(self, numerator, denominator):
        if self.unit == COUNT:
            return numerator
        if not denominator:
            return None
        return round(float(numerator) * MULTIPLIER[self.unit] / float(denominator), 2)


_INDICATORS: dict[str, IndicatorDef] = {}


def declare(*defs: IndicatorDef) -> None:
    for d in defs:
        _INDICATORS[d.code] = d


def all_indicators() -> list[IndicatorDef]:
    return list(_INDICATORS.values())


def get(code: str) -> IndicatorDef:
    return _INDICATORS[code]


# Several indicators of a programme share their counts (managed patients are the denominator
# of three); during one computation run they are computed once.
_cache: contextvars.ContextVar[dict | None] = contextvars.ContextVar("indicator_cache", default=None)


@contextmanager
def computation_cache():
    token = _cache.set({})
    try:
        yield
    finally:
        _cache.reset(token)


def cached(key, compute: Callable):
    """``compute()``, remembered for ``key`` while a computation_cache() is open."""
    cache = _cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]
