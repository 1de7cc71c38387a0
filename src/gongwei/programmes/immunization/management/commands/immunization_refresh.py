"""``gongwei immunization_refresh``: recompute the stored vaccination schedules that expire today.

Run it every night. A child's stored next doses stay right until one of them passes its
catch-up age or a new schedule version comes into force (rules.Stored.refresh_on); this
recomputes those cards (``--all``: every card, e.g. after changing the schedule data).
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongwei.programmes.immunization.actions import do_refresh_schedules


class Command(BaseCommand):
    help = "Recompute the vaccination schedules whose stored dates expire (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument("--under", default="", help="only the units under this code")
        parser.add_argument("--all", action="store_true", help="every card, not only those expiring")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        count = do_refresh_schedules(None, today, options["under"], everything=options["all"])
        self.stdout.write(f"vaccination schedules recomputed: {count}")
