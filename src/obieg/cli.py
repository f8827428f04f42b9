"""The `obieg` command: Django's management commands plus serve, worker, demo, token."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["obieg", *sys.argv[1:]])


if __name__ == "__main__":
    main()
