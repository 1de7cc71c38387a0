from django.core.management.base import BaseCommand

from gongwei.quality.run import run


class Command(BaseCommand):
    help = ("Run the data-quality checks and store the findings (e.g. nightly, so the lists are "
            "fresh when villages submit their monthly reports).")

    def add_arguments(self, parser):
        parser.add_argument("--under", default="", help="unit code prefix (default: everything)")

    def handle(self, *args, **o):
        result = run(o["under"])
        self.stdout.write(f"新发现 {result.opened} 条，已更正 {result.corrected} 条，未处理 {result.still_open} 条")
