from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongwei.orgs.services import import_units, read_table


class Command(BaseCommand):
    help = "Import org units from an .xlsx or .csv file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **o):
        result = import_units(read_table(o["file"].name, o["file"].read_bytes()))
        if not result.ok:
            for row, message in result.errors:
                self.stderr.write(f"第 {row} 行 row {row}: {message}")
            raise CommandError("未导入任何数据。Nothing was imported.")
        self.stdout.write(f"新增 {result.created}，更新 {result.updated}。")
