"""Compute every declared indicator for a period and store it (village, township, county).

Each indicator's own query runs once for the whole county (set-based, grouped by village);
the rollup to townships and the county is a sum over at most a few hundred village rows.
"""

import time
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from gongwei.care import indicators as registry
from gongwei.care.periods import Period
from gongwei.orgs.models import OrgUnit

from .models import IndicatorValue


def rolled_up(village_values: dict[str, tuple], units: dict[str, str]) -> dict[str, tuple]:
    """Village (numerator, denominator) pairs summed into every unit above them.

    ``units`` maps every unit code to its kind; units without any village value get 0/0 so a
    village with no patients still shows, as 0 of 0.
    """
    sums: dict[str, list] = defaultdict(lambda: [0, 0])
    for code, (num, den) in village_values.items():
        for level in (6, 9, 12):
            if len(code) >= level:
                s = sums[code[:level]]
                s[0] += num
                s[1] += den
    return {code: tuple(sums.get(code, (0, 0))) for code, kind in units.items()
            if kind in ("county", "township", "village")}


@transaction.atomic
def compute(period: Period, codes: list[str] | None = None, under: str = "") -> dict[str, float]:
    """Recompute and store the indicators (all declared, or ``codes``); returns seconds each."""
    units = dict(OrgUnit.objects.filter(code__startswith=under).values_list("code", "kind"))
    timings = {}
    with registry.computation_cache():
        _compute_all(period, codes, under, units, timings)
    return timings


def _compute_all(period, codes, under, units, timings) -> None:
    for definition in registry.all_indicators():
        if codes and definition.code not in codes:
            continue
        if period.kind not in definition.periods:
            continue
        started = time.perf_counter()
        values = rolled_up(definition.compute(period, under), units)
        IndicatorValue.objects.filter(indicator=definition.code, period_kind=period.kind,
                                      period_start=period.start, unit_id__in=list(values)).delete()
        IndicatorValue.objects.bulk_create([
            IndicatorValue(indicator=definition.code, unit_id=code, period_kind=period.kind,
                           period_start=period.start, period_end=period.end,
                           numerator=Decimal(str(round(num, 4))), denominator=Decimal(str(round(den, 4))))
            for code, (num, den) in values.items()])
        timings[definition.code] = time.perf_counter() - started


def stored(period: Period, unit_codes, codes=None):
    qs = IndicatorValue.objects.filter(period_kind=period.kind, period_start=period.start,
                                       unit_id__in=list(unit_codes))
    if codes:
        qs = qs.filter(indicator__in=codes)
    return {(v.indicator, v.unit_id): v for v in qs}
