"""`gongwei bench indicators`: all indicators for all units for a year, and a DuckDB reference.

Prints:
  indicators_all_county_year_ms   every declared indicator, every unit, computed and stored
  indicators_compared_year_ms     the indicators the DuckDB reference also computes
  duckdb_reference_ms             the same indicators in DuckDB from the same rows (in memory)
  duckdb_ratio                    ours ÷ DuckDB for those indicators
"""

import time

from django.db import connection
from django.utils import timezone

from gongwei.care import periods

from . import engine, reference

COMPARED = ["htn.standard", "htn.control", "htn.management", "dm.standard", "dm.control", "dm.management"]


def bench_indicators(stdout, residents: int = 500_000, seed: int = 2026, repeat: int = 3, **_options) -> None:
    """``gongwei bench indicators``: on the benchmark's database (see the bench command)."""
    import duckdb

    from gongwei.people.bench import prepare_demo

    def write(line: str) -> None:
        stdout.write(line + "\n")

    generated = prepare_demo(residents, seed)
    if generated is not None:
        write(f"generate_{residents}_s: {generated:.1f}")
    today = timezone.localdate()
    period = periods.year(today.year)
    write(f"# database: {connection.vendor}; period: {period.label}")

    def best(fn):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        return min(times)

    all_ms = best(lambda: engine.compute(period))
    compared_ms = best(lambda: engine.compute(period, COMPARED))
    duck = duckdb.connect()
    started = time.perf_counter()
    counts = reference.load_rows(duck)
    write(f"# copied into DuckDB in {(time.perf_counter() - started) * 1000:.0f} ms: {counts}")
    duck_ms = best(lambda: [reference.chronic(duck, p, period) for p in ("htn", "dm")])
    # The two must agree, or the timing means nothing.
    from gongwei.programmes.chronic import indicators as chronic

    for programme in ("htn", "dm"):
        ours = chronic.by_village(programme, period)
        theirs = reference.chronic(duck, programme, period)
        for village in set(ours) | set(theirs):
            a = ours.get(village, chronic.Counts())
            b = theirs.get(village, {"managed": 0, "standard": 0, "controlled": 0, "population_35": 0})
            if (a.managed, a.standard, a.controlled, a.population_35) != (
                    b["managed"], b["standard"], b["controlled"], b["population_35"]):
                write(f"# MISMATCH {programme} {village}: ours {a} duckdb {b}")
    write(f"indicators_all_county_year_ms: {all_ms:.0f}")
    write(f"indicators_compared_year_ms: {compared_ms:.0f}")
    write(f"duckdb_reference_ms: {duck_ms:.0f}")
    write(f"duckdb_ratio: {compared_ms / duck_ms:.2f}")


MCH_PREFIXES = ("mch.", "child.", "imm.")


def bench_mch(stdout, residents: int = 500_000, seed: int = 2026, repeat: int = 3, **_options) -> None:
    """``gongwei bench mch``: the immunization clinic list, and every maternal, child and
    immunization indicator for the county for the current year."""
    from gongwei.care.indicators import all_indicators
    from gongwei.people.bench import prepare_demo
    from gongwei.programmes.immunization.bench import bench_immunization_due

    def write(line: str) -> None:
        stdout.write(line + "\n")

    generated = prepare_demo(residents, seed)
    if generated is not None:
        write(f"generate_{residents}_s: {generated:.1f}")
    bench_immunization_due(stdout, residents=residents, seed=seed)
    period = periods.year(timezone.localdate().year)
    county = "339901"  # orgs.demo.COUNTY_CODE
    total = 0.0
    for d in sorted((d for d in all_indicators() if d.code.startswith(MCH_PREFIXES)), key=lambda d: d.code):
        d.compute(period, county)  # warm-up
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            d.compute(period, county)
            best = min(best, time.perf_counter() - started)
        total += best * 1000
        write(f"# {d.code}: {best * 1000:.0f} ms")
    write(f"mch_indicators_county_year_ms: {total:.0f}")
