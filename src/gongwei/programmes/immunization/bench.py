"""Immunization benchmark: the clinic's list of children to vaccinate this month.

``bench_immunization_due(stdout, residents=500_000, queries=100, seed=2026)``, called by
``gongwei bench`` with the default database already pointed at the benchmark's own (see
``gongwei.web.management.commands.bench``); the demo database is never touched.

1. Migrates; generates the demo county with ``residents`` people (``gongwei generate``, which
   runs this programme's demo step too) unless the database already holds a demo of that
   size, and adds the cards and doses (``immunization.demo``) to a reused demo that has none.
   On PostgreSQL it then runs ANALYZE on the tables measured.
2. ``immunization_due_clinic_p95_ms``: for ``queries`` township public-health officers drawn at
   random (after ``WARM_UP`` untimed ones), what the list page (views.due, tab "all": due this
   month, overdue and catch-up) evaluates for them: the number of children (the paginator's
   count), the first page of ``PAGE`` children (a grouped range scan over the stored next
   doses, the covering ``imm_next_list_idx``) and the rows of that page (cards,
   residents, villages, their next doses), each forced.
"""

import io
import random
import time
from types import SimpleNamespace

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from gongwei.care.models import Enrolment
from gongwei.orgs.models import OrgUnit, Role, User
from gongwei.people.bench import _percentile, _time_each, _vendor, _writer  # shared timing helpers
from gongwei.people.models import Resident

from . import demo, lists, rules
from .models import DoseRecord, NextDose, VaccinationCard
from .views import PAGE

DEMO_COUNTY = "339901"  # orgs.demo.COUNTY_CODE
WARM_UP = 10


def bench_immunization_due(stdout, residents: int = 500_000, queries: int = 100, seed: int = 2026) -> dict:
    """Print the figure to ``stdout`` (a text stream); return the figures as a dict."""
    write = _writer(stdout)
    figures: dict[str, float] = {}
    for name, seconds in _prepare(residents, seed).items():
        figures[name] = round(seconds, 1)
        write(f"{name}: {seconds:.1f}")
    today = timezone.localdate()
    write(f"# immunization benchmark: {_vendor()}, {Resident.objects.count()} residents, "
          f"{VaccinationCard.objects.count()} cards, {DoseRecord.objects.count()} doses, "
          f"{NextDose.objects.count()} next doses; today {today}")
    rng = random.Random(seed)
    officers = list(User.objects.filter(role=Role.TOWNSHIP_PH, unit__code__startswith=DEMO_COUNTY,
                                        is_active=True).order_by("username"))
    users = [rng.choice(officers) for _ in range(queries + WARM_UP)]
    sizes = []

    def page(user):
        children = lists.children(user, rules.ALL_TAB, today)
        sizes.append(children.count())
        ids = [row["card_id"] for row in children[:PAGE]]
        for row in lists.rows_for(user, rules.ALL_TAB, today, ids):
            len(row.doses)

    timings = _time_each(users[WARM_UP:], page, warm_up=users[:WARM_UP])
    figures["immunization_due_clinic_p95_ms"] = _percentile(timings, 95) * 1000
    write(f"# children on a township's list this month: median {sorted(sizes)[len(sizes) // 2]}")
    write(f"immunization_due_clinic_p95_ms: {figures['immunization_due_clinic_p95_ms']:.2f}")
    return figures


def _prepare(residents: int, seed: int) -> dict[str, float]:
    """Migrate and generate what is missing; the seconds each generation took."""
    call_command("migrate", interactive=False, verbosity=0)
    took = {}
    # The people step adds a few duplicate records to the number asked for.
    present = Resident.objects.count()
    if not (OrgUnit.objects.filter(code=DEMO_COUNTY).exists() and residents <= present <= residents * 1.05):
        if OrgUnit.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        call_command("generate", residents=residents, seed=seed, stdout=io.StringIO())
        took[f"generate_{residents}_s"] = time.perf_counter() - started
    if not VaccinationCard.objects.exists():
        county = OrgUnit.objects.get(code=DEMO_COUNTY)
        started = time.perf_counter()
        demo.generate_cards(random.Random(seed), SimpleNamespace(county=county), timezone.localdate())
        took["generate_immunization_s"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (Resident, Enrolment, VaccinationCard, DoseRecord, NextDose)]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
    return took
