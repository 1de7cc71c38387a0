"""``gongwei child_refresh``: move the stored child schedules to today (run it every night).

A child visit window that passed unused is missed when the next one opens (NORMS §2.2); the
engine moves a due date only when a visit is recorded, so this stores the visit that is current
now, and closes the management of children who turned 7 (actions.do_refresh_schedules).
"""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongwei.programmes.child.actions import do_refresh_schedules


class Command(BaseCommand):
    help = "Move child visit schedules past missed windows and close children who turned 7."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, default=None)
        parser.add_argument("--under", default="", help="only the units under this code")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        counts = do_refresh_schedules(None, today, options["under"])
        self.stdout.write(f"child schedules moved: {counts['moved']}, closed at 7: {counts['closed']}")
