import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from gongwei.orgs.models import Role, User


class Command(BaseCommand):
    help = "Create a member of staff with a unit and a role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--unit", required=True, help="code of the staff member's unit")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password", help="if omitted, asked for on the terminal")

    def handle(self, *args, **o):
        password = o["password"] or getpass.getpass("密码 Password: ")
        user = User(username=o["username"], unit_id=o["unit"], role=o["role"],
                    full_name=o["name"],
                    is_staff=o["role"] == Role.SYSADMIN, is_superuser=o["role"] == Role.SYSADMIN)
        user.set_password(password)
        try:
            user.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
        user.save()
        self.stdout.write(f"已创建 Created {user.username} ({user.get_role_display()}, {user.unit})")
