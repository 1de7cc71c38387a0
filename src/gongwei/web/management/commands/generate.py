import importlib
import random
import time
from datetime import date
from types import SimpleNamespace

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongwei.orgs.models import OrgUnit


def _module_or_none(name):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


# Each room that has demo data contributes a module with ``run(ctx)``; they run in layer
# order, so a later step can use what an earlier one made (ctx.county, ctx.residents…);
# every programme app may add one (``gongwei.programmes.<name>.demo``).
STEPS = [
    "gongwei.orgs.demo",
    "gongwei.people.demo",
    # Programmes in the order their demo modules ask for (ORDER, default 50): births
    # (maternal) come before the children's checks and vaccinations that follow them.
    *sorted((f"{app}.demo" for app in settings.PROGRAMME_APPS),
            key=lambda name: (getattr(_module_or_none(name), "ORDER", 50), name)),
    "gongwei.indicators.demo",
    "gongwei.quality.demo",
]


class Command(BaseCommand):
    help = "Build the deterministic demo county (org tree, staff, residents…)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--residents", type=int, default=50_000,
                            help="number of residents to generate (default 50000)")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="the date the demo data is generated for (default: today)")
        parser.add_argument("--population-only", action="store_true",
                            help="only the org tree, staff and residents (no programme records)")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when the database already has org units")

    def handle(self, *args, **options):
        if OrgUnit.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库已有数据，跳过生成。Database not empty: nothing generated.")
                return
            raise CommandError("数据库中已有机构数据，演示数据只能生成到空数据库。"
                               " The database already has org units; generate needs an empty one.")
        ctx = SimpleNamespace(
            rng=random.Random(options["seed"]), seed=options["seed"],
            residents=options["residents"], today=options["today"] or date.today(),
            say=lambda text: self.stdout.write(text),
        )
        steps = STEPS[:2] if options["population_only"] else STEPS
        for name in steps:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            started = time.perf_counter()
            module.run(ctx)
            self.stdout.write(f"  ({name.split('.')[-2]}: {time.perf_counter() - started:.1f} s)")
