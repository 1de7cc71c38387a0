from django.core.management.base import BaseCommand
from django.utils import timezone

from gongwei.care import periods
from gongwei.indicators import engine


class Command(BaseCommand):
    help = "Recompute and store every indicator for a period (default: year to date)."

    def add_arguments(self, parser):
        parser.add_argument("--period", default="ytd", choices=["month", "quarter", "half", "year", "ytd"])
        parser.add_argument("--value", default="", help="2026-03 (month), 2026-2 (quarter/half), 2026 (year)")

    def handle(self, *args, **o):
        period = periods.parse(o["period"], o["value"], timezone.localdate())
        timings = engine.compute(period)
        for code, seconds in timings.items():
            self.stdout.write(f"{code}: {seconds * 1000:.0f} ms")
        self.stdout.write(f"{period.label}: {len(timings)} 项指标，共 {sum(timings.values()):.2f} s")
