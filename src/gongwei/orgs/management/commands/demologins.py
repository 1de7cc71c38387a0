from django.core.management.base import BaseCommand

from gongwei.orgs.demo import print_logins


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **o):
        print_logins(self.stdout.write)
