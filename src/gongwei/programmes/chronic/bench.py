"""Care benchmark: in-process latency of the work lists, recording a visit, and the indicators.

Run it as ``gongwei bench care``. The command points the default database at the
benchmark's own database first (see ``gongwei.web.management.commands.bench``), so the demo
database is never touched; it is the same database the search benchmark uses.

1. Migrates; generates the demo county with ``residents`` people (``gongwei generate``, which
   runs the chronic step too) unless the database already holds a demo of that size, and
   adds the chronic patients (``chronic.demo``) to a reused demo that has none. On
   PostgreSQL it then runs ANALYZE on the tables measured.
2. ``worklist_village_p95_ms``: for ``queries`` village doctors drawn at random, what the
   work-list view (care.views.worklist) evaluates for them: due this week (first 500), due
   later this month (first 500), overdue (first 500) and open referrals (first 200), each
   forced with ``list()``. ``worklist_township_p95_ms``: the same for township public-health
   officers, plus ``counts_by_village``. The medians (``_p50_ms``) are printed too: on a
   shared machine they show how much of a p95 is other people's load.
3. ``record_visit_p95_ms``: ``care.actions.do_record_visit`` for a follow-up today on
   ``queries`` managed enrolments drawn at random, with the ChronicFollowUp row written by
   ``save_detail`` and the audit event, each in its own committed transaction (so the time
   includes the commit). The enrolments are loaded before the clock starts. Afterwards the
   benchmark deletes what it wrote and puts the enrolments back as they were.
4. ``programme_indicators_county_year_ms``: ``indicators.by_village`` for hypertension and
   diabetes for the current calendar year over the whole county, rolled up to townships and
   the county; the median of ``INDICATOR_RUNS`` runs after one warm-up.
"""

import io
import random
import statistics
import time
from datetime import date
from types import SimpleNamespace

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.test import RequestFactory
from django.utils import timezone

from gongwei.audit.models import AuditEvent
from gongwei.care import actions, worklists
from gongwei.care.models import Enrolment, EnrolmentStatus, Referral, Visit
from gongwei.care.periods import year
from gongwei.orgs.models import OrgUnit, Role, User
from gongwei.people.demo import BORN_IN_DEMO_REASON
from gongwei.people.bench import _percentile, _time_each, _vendor, _writer  # shared timing helpers
from gongwei.people.models import Resident

from . import demo, indicators
from .models import ChronicFollowUp
from .programme import DM, HTN

DEMO_COUNTY = "339901"  # orgs.demo.COUNTY_CODE
WARM_UP = 20
INDICATOR_RUNS = 5


def bench_care(stdout, residents: int = 500_000, queries: int = 200, seed: int = 2026) -> dict:
    """Print the care figures to ``stdout`` (a text stream); return them as a dict."""
    write = _writer(stdout)
    figures: dict[str, float] = {}
    generated = _prepare(residents, seed)
    today = timezone.localdate()
    managed = Enrolment.objects.filter(status=EnrolmentStatus.MANAGED)
    write(f"# care benchmark: {_vendor()}, {Resident.objects.count()} residents, "
          f"{managed.filter(programme=HTN).count()} hypertension + {managed.filter(programme=DM).count()} "
          f"diabetes patients, {Visit.objects.count()} visits, "
          f"{Referral.objects.filter(outcome_date__isnull=True).count()} open referrals; today {today}")
    for name, seconds in generated.items():
        figures[name] = round(seconds, 1)
        write(f"{name}: {seconds:.1f}")
    rng = random.Random(seed)

    doctors = list(User.objects.filter(role=Role.VILLAGE_DOCTOR, unit__code__startswith=DEMO_COUNTY,
                                       is_active=True).order_by("username"))
    officers = list(User.objects.filter(role=Role.TOWNSHIP_PH, unit__code__startswith=DEMO_COUNTY,
                                        is_active=True).order_by("username"))
    for level, pool, township in (("village", doctors, False), ("township", officers, True)):
        users = [rng.choice(pool) for _ in range(queries + WARM_UP)]
        timings = _time_each(users[WARM_UP:], lambda user: _worklist(user, today, township),
                             warm_up=users[:WARM_UP])
        for p in (50, 95):
            figures[f"worklist_{level}_p{p}_ms"] = _percentile(timings, p) * 1000
            write(f"worklist_{level}_p{p}_ms: {figures[f'worklist_{level}_p{p}_ms']:.2f}")

    timings = _record_visits(rng, today, queries)
    for p in (50, 95):
        figures[f"record_visit_p{p}_ms"] = _percentile(timings, p) * 1000
        write(f"record_visit_p{p}_ms: {figures[f'record_visit_p{p}_ms']:.2f}")

    runs = [_indicators(today) for _ in range(INDICATOR_RUNS + 1)][1:]
    figures["programme_indicators_county_year_ms"] = statistics.median(runs) * 1000
    write(f"programme_indicators_county_year_ms: {figures['programme_indicators_county_year_ms']:.1f}")
    return figures


# --- The measured operations --------------------------------------------------------------

def _worklist(user, today: date, township: bool) -> None:
    """What care.views.worklist evaluates (all programmes, no village filter)."""
    worklists.page(user, today, limit=worklists.ROWS_SHOWN if township else None, counts=township)


def _indicators(today: date) -> float:
    started = time.perf_counter()
    period = year(today.year)
    for programme in (HTN, DM):
        villages = indicators.by_village(programme, period, under=DEMO_COUNTY)
        indicators.rollup(villages, 9)
        indicators.rollup(villages, 6)
    return time.perf_counter() - started


def _facts(rng: random.Random, programme: str) -> dict:
    facts = {"sbp": rng.randint(118, 158), "dbp": rng.randint(70, 94), "heart_rate": rng.randint(62, 90),
             "adverse_reaction": False, "hard_to_control_adverse_reaction": False,
             "new_or_worse_complication": False, "emergency_signs": [], "pregnant_or_lactating": False,
             "referral_reason": ""}
    facts["dbp"] = min(facts["dbp"], facts["sbp"] - 25)
    if programme == DM:
        facts["fpg"] = round(rng.uniform(5.2, 9.5), 1)
    return facts


def _record_visits(rng: random.Random, today: date, count: int) -> list[float]:
    """Seconds of each do_record_visit with its detail row; everything is undone afterwards."""
    ids = list(Enrolment.objects.filter(status=EnrolmentStatus.MANAGED, enrolled_on__lte=today)
               .order_by("id").values_list("id", flat=True))
    chosen = rng.sample(ids, min(len(ids), count + WARM_UP))
    enrolments = Enrolment.objects.select_related("resident", "doctor").in_bulk(chosen)
    keep = {pk: (e.next_due, e.window_end, e.last_visit_on, dict(e.state), e.version)
            for pk, e in enrolments.items()}
    marks = {model: model.objects.aggregate(m=Max("pk"))["m"] or 0 for model in (Visit, Referral, AuditEvent)}
    factory = RequestFactory()
    timings = []
    try:
        for i, pk in enumerate(chosen):
            e = enrolments[pk]
            request = factory.post("/", REMOTE_ADDR="10.0.0.7")
            request.user = e.doctor
            facts = _facts(rng, e.programme)

            def save_detail(visit, facts=facts):
                ChronicFollowUp(visit=visit, mode="1", symptoms=["1"], sbp=facts["sbp"], dbp=facts["dbp"],
                                heart_rate=facts["heart_rate"], fpg=facts.get("fpg"), weight_kg=65.0,
                                height_cm=162.0, bmi=24.8, salt_intake="2", compliance="1",
                                medication_adherence="1",
                                medicines=[{"name": "氨氯地平片" if e.programme == HTN else "二甲双胍片",
                                            "dose": "5mg" if e.programme == HTN else "0.5g",
                                            "frequency": "每日1次"}]).save()

            started = time.perf_counter()
            actions.do_record_visit(request, e, today, facts, save_detail=save_detail)
            if i >= WARM_UP:
                timings.append(time.perf_counter() - started)
    finally:
        with transaction.atomic():
            visits = Visit.objects.filter(pk__gt=marks[Visit])
            Referral.objects.filter(pk__gt=marks[Referral]).delete()
            ChronicFollowUp.objects.filter(visit__in=visits).delete()
            visits.delete()
            AuditEvent.objects.filter(pk__gt=marks[AuditEvent]).delete()
            for pk, (next_due, window_end, last_visit_on, state, version) in keep.items():
                Enrolment.objects.filter(pk=pk).update(next_due=next_due, window_end=window_end,
                                                       last_visit_on=last_visit_on, state=state,
                                                       version=version)
    return timings


# --- Preparation and helpers --------------------------------------------------------------

def _prepare(residents: int, seed: int) -> dict[str, float]:
    """Migrate and generate what is missing; the seconds each generation took."""
    call_command("migrate", interactive=False, verbosity=0)
    took = {}
    if not (OrgUnit.objects.filter(code=DEMO_COUNTY).exists()
            and Resident.objects.exclude(no_id_reason=BORN_IN_DEMO_REASON).count() == residents):
        if OrgUnit.objects.exists():
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        call_command("generate", residents=residents, seed=seed, stdout=io.StringIO())
        took[f"generate_{residents}_s"] = time.perf_counter() - started
    if not Enrolment.objects.exists():
        county = OrgUnit.objects.get(code=DEMO_COUNTY)
        townships = list(OrgUnit.objects.filter(parent=county, kind="township").order_by("code"))
        villages = list(OrgUnit.objects.filter(parent__in=townships, kind="village").order_by("code"))
        started = time.perf_counter()
        demo.generate_patients(random.Random(seed), SimpleNamespace(
            county=county, townships=townships, villages=villages), timezone.localdate())
        took["generate_chronic_s"] = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # Planner statistics for what is measured. Autovacuum would gather them after a bulk
        # load, but it may be off (it is on the development server) or not awake yet.
        tables = [m._meta.db_table for m in (Resident, Enrolment, Visit, Referral, ChronicFollowUp)]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
    return took
