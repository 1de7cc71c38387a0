"""``gongwei bench NAME``: print benchmark figures, one ``name: value`` line each.

Benchmarks never touch the demo database. How the database is chosen:

* ``DATABASE_URL`` set (PostgreSQL): that database, as given. Point it at a scratch
  database: a benchmark migrates it, generates the demo county in it, and flushes it when it
  holds a demo of another size.
* ``DATABASE_URL`` unset (SQLite): ``var/bench/bench.sqlite3`` (under ``GONGWEI_VAR``). The
  command closes the default connection if one is open and changes only the NAME of the
  default database, in ``settings.DATABASES`` and in the connection's own settings, before
  any query. Django opens connections lazily, so every query after that (migrate, generate,
  the timed searches) goes to the benchmark file, with the same options (WAL …) as the demo.
  This is simpler than re-executing the command with another ``GONGWEI_VAR``, and works the
  same from ``gongwei bench`` and from ``python bench/search.py``.

Adding a benchmark is one entry in ``BENCHMARKS``: a dotted path to a function called as
``fn(stdout, **options)`` with the options given on the command line.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.module_loading import import_string

BENCHMARKS = {
    "search": "gongwei.people.bench.bench_search",
    "indicators": "gongwei.indicators.bench.bench_indicators",
    "care": "gongwei.programmes.chronic.bench.bench_care",
    "mch": "gongwei.indicators.bench.bench_mch",
}


def use_benchmark_database() -> str:
    """Point the default database at the benchmark's own; return where it is."""
    if os.environ.get("DATABASE_URL"):
        return str(settings.DATABASES["default"]["NAME"])
    path = Path(settings.VAR_DIR) / "bench" / "bench.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connections["default"]
    connection.close()
    settings.DATABASES["default"]["NAME"] = path
    connection.settings_dict["NAME"] = path
    return str(path)


class Command(BaseCommand):
    help = "Print benchmark figures (on a database of their own): " + ", ".join(BENCHMARKS)

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS))
        parser.add_argument("--residents", type=int, default=None,
                            help="size of the demo county (default: the benchmark's, 500000)")
        parser.add_argument("--queries", type=int, default=None,
                            help="timed queries per kind and user (default 200)")
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, **options):
        where = use_benchmark_database()
        if connections["default"].vendor not in ("sqlite", "postgresql"):
            raise CommandError("benchmarks run on SQLite or PostgreSQL")
        benchmark = import_string(BENCHMARKS[options["name"]])
        kwargs = {key: options[key] for key in ("residents", "queries", "seed")
                  if options[key] is not None}
        self.stderr.write(f"benchmark database: {where}")
        benchmark(self.stdout, **kwargs)
