"""Search benchmark: in-process latency of ``search.search_residents`` on a demo county.

Run it as ``gongwei bench search`` (or ``python bench/search.py``). The command points the
default database at the benchmark's own database first (see
``gongwei.web.management.commands.bench``), so the demo database is never touched.

What it does:

1. Migrates, and generates the demo county with ``residents`` people (``gongwei generate``)
   unless the database already holds a demo of exactly that size: generation is the slow
   part, so a second run reuses it. A database holding another size is flushed first.
2. Takes two users of the largest township: its public-health officer (role township_ph,
   scope: the township) and a village doctor of its largest village (scope: the village).
3. For each kind of query, draws ``queries`` values from residents inside the user's scope,
   about 10% of them misses: ``id`` the full 18-character number, ``id_last`` its last 4–6
   characters, ``name`` the Chinese name, ``initials`` and ``pinyin`` the name's keys, and
   ``phone`` the 11-digit mobile number.
4. Warms up, then times ``search_residents(user, query)`` with ``time.perf_counter``, the
   first page and the total both evaluated, and prints one line per figure:
   ``search_<kind>_<township|village>_p95_ms`` and ``search_<kind>_p95_ms`` (the larger).
"""

import io
import math
import random
import string
import time
from datetime import date, timedelta

from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from gongwei.orgs.models import OrgUnit, Role, User

from .demo import BORN_IN_DEMO_REASON
from .idnumber import make_id
from .models import Resident, Status
from .population import draw_phone
from .search import search_residents

KINDS = ("id", "id_last", "name", "initials", "pinyin", "phone")
MISS_SHARE = 0.1
WARM_UP = 20
DEMO_COUNTY = "339901"  # orgs.demo.COUNTY_CODE


def bench_search(stdout, residents: int = 500_000, queries: int = 200, seed: int = 2026) -> dict:
    """Print the search figures to ``stdout`` (a text stream); return them as a dict."""
    write = _writer(stdout)
    generated = prepare_demo(residents, seed)
    write(f"# search benchmark: {_vendor()}, {residents} residents")
    figures: dict[str, float] = {}
    if generated is not None:
        figures[f"generate_{residents}_s"] = round(generated, 1)
        write(f"generate_{residents}_s: {generated:.1f}")
    rng = random.Random(seed)
    users = _users()
    samples = {level: _sample(rng, user, queries) for level, user in users.items()}
    for kind in KINDS:
        worst = 0.0
        for level, user in users.items():
            values = samples[level][kind]
            for query in values[:WARM_UP]:
                _search(user, query)
            timings = []
            for query in values:
                started = time.perf_counter()
                _search(user, query)
                timings.append(time.perf_counter() - started)
            p95 = _percentile(timings, 95) * 1000
            worst = max(worst, p95)
            figures[f"search_{kind}_{level}_p95_ms"] = p95
            write(f"search_{kind}_{level}_p95_ms: {p95:.2f}")
        figures[f"search_{kind}_p95_ms"] = worst
        write(f"search_{kind}_p95_ms: {worst:.2f}")
    return figures


def _writer(stdout):
    def write(line: str) -> None:
        stdout.write(line + "\n")
        if hasattr(stdout, "flush"):
            stdout.flush()

    return write


def _vendor() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return f"sqlite {cursor.fetchone()[0]}"
        if connection.vendor == "postgresql":
            cursor.execute("show server_version")
            return f"postgresql {cursor.fetchone()[0].split()[0]}"
    return connection.vendor


def prepare_demo(residents: int, seed: int) -> float | None:
    """Migrate and generate if needed; the seconds generation took, or None if reused."""
    call_command("migrate", interactive=False, verbosity=0)
    if (OrgUnit.objects.filter(code=DEMO_COUNTY).exists()
            and Resident.objects.exclude(no_id_reason=BORN_IN_DEMO_REASON).count() == residents):
        return None
    if OrgUnit.objects.exists():
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("generate", residents=residents, seed=seed, stdout=io.StringIO())
    return time.perf_counter() - started


def _users() -> dict[str, User]:
    """The officer of the township with most residents, a doctor of its largest village."""
    per_village = dict(Resident.objects.values_list("village_id").annotate(n=Count("id"))
                       .values_list("village_id", "n"))
    per_township: dict[str, int] = {}
    for village, n in per_village.items():
        per_township[village[:9]] = per_township.get(village[:9], 0) + n
    township = max(sorted(per_township), key=per_township.get)
    village = max(sorted(v for v in per_village if v.startswith(township)), key=per_village.get)
    officer = User.objects.filter(role=Role.TOWNSHIP_PH, unit_id=township).order_by("username")[0]
    doctor = User.objects.filter(role=Role.VILLAGE_DOCTOR, unit_id=village).order_by("username")[0]
    return {"township": officer, "village": doctor}


def _sample(rng: random.Random, user: User, count: int) -> dict[str, list[str]]:
    rows = list(Resident.objects.for_user(user).exclude(status=Status.MERGED)
                .order_by("id").values_list("id_number", "name", "name_initials", "name_pinyin",
                                            "phone"))
    with_id = [r for r in rows if r[0]]
    with_phone = [r for r in rows if r[4]]

    def pick(pool, make, miss):
        values = []
        for _ in range(count):
            if rng.random() < MISS_SHARE or not pool:
                values.append(miss())
            else:
                values.append(make(rng.choice(pool)))
        return values

    def missing_id():
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(30_000))
        return make_id("110101", birth, rng.randrange(1000))  # Beijing: nobody here has one

    return {
        "id": pick(with_id, lambda r: r[0], missing_id),
        "id_last": pick(with_id, lambda r: r[0][-rng.randint(4, 6):],
                        lambda: f"{rng.randrange(10 ** 6):06d}"),
        "name": pick(rows, lambda r: r[1], lambda: "欧阳" + rng.choice("曌燚龘淼犇") + "鑫"),
        "initials": pick(rows, lambda r: r[2],
                         lambda: "".join(rng.choice("qvxz") for _ in range(3))),
        "pinyin": pick(rows, lambda r: r[3],
                       lambda: "".join(rng.choice(string.ascii_lowercase) for _ in range(9))),
        "phone": pick(with_phone, lambda r: r[4], lambda: draw_phone(rng)),
    }


def _search(user: User, query: str) -> None:
    result = search_residents(user, query)
    len(result.rows)
    result.total  # noqa: B018 - evaluated on purpose


def _time_each(items, fn, warm_up=()) -> list[float]:
    for item in warm_up:
        fn(item)
    timings = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        timings.append(time.perf_counter() - started)
    return timings


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]
