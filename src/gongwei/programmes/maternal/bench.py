"""Maternal indicator benchmark: ``bench_mch_indicators(stdout)`` (to be wired as ``gongwei bench mch``).

Runs on the benchmark's own database (the bench command points the default database there).

1. Migrates; generates the demo county with ``residents`` people unless the database holds a
   demo of that size already (counting the residents of the population step: the newborns
   this programme adds are left out), and the maternal demo step when no pregnancy exists
   (a database generated before the step was wired).
2. Computes every "mch.*" indicator for the whole county for the current calendar year, as the
   indicators app does (``IndicatorDef.compute(period, county code)``), once to warm up and
   then ``repeat`` times, keeping the fastest run of each.
3. Prints ``mch_<indicator>_ms`` per indicator and ``mch_indicators_county_year_ms`` (their sum).
"""

import io
import random
import time
from types import SimpleNamespace

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from gongwei.care.indicators import all_indicators
from gongwei.care.periods import year
from gongwei.orgs.models import OrgUnit
from gongwei.people.models import Resident

from . import demo
from .models import (AntenatalCheck, Delivery, HighRiskCase, MaternalDeath, PostpartumCheck, Pregnancy,
                     RiskAssessment)

DEMO_COUNTY = "339901"  # orgs.demo.COUNTY_CODE


def bench_mch_indicators(stdout, residents: int = 500_000, seed: int = 2026, repeat: int = 3, **_options) -> dict:
    """Print the figures to ``stdout`` (a text stream); return them as a dict."""
    def write(line: str) -> None:
        stdout.write(line + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()

    figures = {f"{k}": round(v, 1) for k, v in _prepare(residents, seed).items()}
    for key, value in figures.items():
        write(f"{key}: {value:.1f}")
    period = year(timezone.localdate().year)
    defs = sorted((d for d in all_indicators() if d.code.startswith("mch.")), key=lambda d: d.code)
    write(f"# mch indicators: {connection.vendor}, {residents} residents, {len(defs)} indicators, {period.label}")
    total = 0.0
    for d in defs:
        d.compute(period, DEMO_COUNTY)          # warm-up
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            d.compute(period, DEMO_COUNTY)
            best = min(best, time.perf_counter() - started)
        ms = best * 1000
        total += ms
        figures[f"mch_{d.code.split('.', 1)[1]}_ms"] = round(ms, 2)
        write(f"mch_{d.code.split('.', 1)[1]}_ms: {ms:.2f}")
    figures["mch_indicators_county_year_ms"] = round(total, 2)
    write(f"mch_indicators_county_year_ms: {total:.2f}")
    return figures


def _prepare(residents: int, seed: int) -> dict[str, float]:
    call_command("migrate", interactive=False, verbosity=0)
    took = {}
    generated = Resident.objects.exclude(no_id_reason=demo.NEWBORN_REASON).count()
    if not (OrgUnit.objects.filter(code=DEMO_COUNTY).exists() and generated == residents):
        if OrgUnit.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        call_command("generate", residents=residents, seed=seed, stdout=io.StringIO())
        took[f"generate_{residents}_s"] = time.perf_counter() - started
    if not Pregnancy.objects.exists():
        county = OrgUnit.objects.get(code=DEMO_COUNTY)
        townships = list(OrgUnit.objects.filter(parent=county, kind="township").order_by("code"))
        villages = list(OrgUnit.objects.filter(parent__in=townships, kind="village").order_by("code"))
        started = time.perf_counter()
        demo.generate(random.Random(seed), SimpleNamespace(county=county, townships=townships, villages=villages),
                      timezone.localdate())
        took["generate_maternal_s"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (Pregnancy, Delivery, AntenatalCheck, PostpartumCheck, RiskAssessment,
                                             HighRiskCase, MaternalDeath)]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
    return took
