"""``bench_child_indicators``: every "child.*" indicator for the whole county, current year.

Times ``compute(period, under=county)`` of each declared child indicator (the set-based
queries, grouped by village). Run from ``gongwei bench`` (which points Django at the
benchmark database, never the demo one), it first makes sure that database holds a demo
county of ``residents`` people, as the search benchmark does (people.bench.prepare_demo: migrate,
reuse a county of that size, else flush and generate). Prints one line per indicator and
the total:

    child_indicators_county_year_ms: <best of ``repeat`` runs, all child indicators>
"""

import time

from django.db import connection
from django.utils import timezone

from gongwei.care import indicators as registry
from gongwei.care import periods
from gongwei.orgs.models import OrgUnit


def bench_child_indicators(stdout, residents: int = 500_000, seed: int = 2026, repeat: int = 3,
                           prepare: bool = True, **options) -> dict:
    def write(line: str) -> None:
        stdout.write(line + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()

    if prepare:
        from gongwei.people.bench import prepare_demo as _prepare

        generated = _prepare(residents, seed)
        if generated is not None:
            write(f"generate_{residents}_s: {generated:.1f}")
    today = timezone.localdate()
    period = periods.year(today.year)
    county = OrgUnit.objects.filter(kind="county").order_by("code").values_list("code", flat=True).first() or ""
    definitions = [d for d in registry.all_indicators() if d.code.startswith("child.")]
    write(f"# database: {connection.vendor}; county {county or '-'}; period: {period.label}; "
          f"{len(definitions)} indicators")
    figures = {}
    best_total = None
    for _ in range(max(1, repeat)):
        total = 0.0
        for d in definitions:
            started = time.perf_counter()
            values = d.compute(period, county)
            ms = (time.perf_counter() - started) * 1000
            total += ms
            key = f"{d.code.replace('.', '_')}_ms"
            figures[key] = min(figures.get(key, ms), ms)
            figures[f"{d.code}:value"] = values
        best_total = total if best_total is None else min(best_total, total)
    for d in definitions:
        values = figures.pop(f"{d.code}:value")
        num = sum(n for n, _ in values.values())
        den = sum(n for _, n in values.values())
        write(f"# {d.code}: {num}/{den} = {d.value(num, den)} {d.unit}")
        write(f"{d.code.replace('.', '_')}_ms: {figures[d.code.replace('.', '_') + '_ms']:.0f}")
    figures["child_indicators_county_year_ms"] = best_total
    write(f"child_indicators_county_year_ms: {best_total:.0f}")
    return figures
