from django.core.management import call_command
from django.core.management.base import BaseCommand

from gongwei.orgs.demo import print_logins


class Command(BaseCommand):
    help = "Migrate, generate the demo county if the database is empty, print logins, serve."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=50_000)
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("generate", if_empty=True, residents=options["residents"])
        print_logins(self.stdout.write)
        if not options["no_serve"]:
            call_command("serve", port=options["port"])
