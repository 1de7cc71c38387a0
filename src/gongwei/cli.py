"""The `gongwei` command: everything the Makefile does, for deployments without make.

    gongwei demo                  migrate, generate the demo county if empty, serve
    gongwei serve [--port 8000]   serve the site (waitress, static files included)
    gongwei migrate               create or update the database tables
    gongwei generate [--residents N] [--seed S]   build the demo county
    gongwei createuser USERNAME --unit CODE --role ROLE
    gongwei importunits FILE      import the org tree from .xlsx/.csv
    gongwei bench NAME            print benchmark figures

It is Django's command line with this project's settings, so every management command
(``gongwei help`` lists them) is available too.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongwei.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongwei", *sys.argv[1:]])


if __name__ == "__main__":
    main()
