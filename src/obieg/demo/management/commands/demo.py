"""`obieg demo`: a demo company to log in to, or (`--size large`) a data set for scale tests."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from obieg.core.models import User
from obieg.crm.models import Account
from obieg.demo import large
from obieg.demo.large_org import GENERATED_SELLERS, GENERATED_USERNAMES
from obieg.demo.organisation import ensure_organisation, existing_demo_logins
from obieg.demo.seller import ensure_seller
from obieg.demo.small import create_small_demo
from obieg.demo.solutions import create_solution_demos


class Command(BaseCommand):
    help = (
        "Create a demo company (users per role, customers, pipeline). "
        "With --size large, add 100,000 accounts, 1,000,000 activities and "
        "200,000 opportunities for scale tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=("small", "large"), default="small")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the log-ins) when any account exists",
        )
        parser.add_argument(
            "--force", action="store_true", help="generate the large data set even if present"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="fraction of the large data set to generate (tests use a small one)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, size, if_empty, force, scale, no_progress, **options):
        # The embedded SQLite database is a trial; any other may be someone's real data.
        if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
            self.stderr.write(
                "Warning: the demo users share a published password; "
                "do not run this on a production database."
            )
        if if_empty and Account.objects.exists():
            self.stdout.write("Accounts exist already: demo data not added.")
            self._print_logins()
            return
        started = time.monotonic()
        if size == "small":
            organisation = ensure_organisation()
            ensure_seller()
            create_small_demo(organisation)
            solutions = create_solution_demos(organisation)
            if solutions:
                self.stdout.write("Solution demo data: " + ", ".join(solutions) + ".")
        else:
            if large.large_data_present() and not force:
                raise CommandError(
                    "The large data set is already in this database; add --force to add another."
                )
            if scale <= 0:
                raise CommandError("--scale must be above 0.")
            organisation = ensure_organisation()
            if not Account.objects.exists():
                create_small_demo(organisation)  # so every demo user has their own data too
            counts = large.generate(
                organisation, scale=scale, progress=not no_progress, stream=self.stderr
            )
            self.stdout.write(
                "Generated "
                + ", ".join(f"{count:,} {name}" for name, count in counts.items())
                + "."
            )
        self.stdout.write(f"Demo data ({size}) created in {time.monotonic() - started:.1f} s.")
        self._print_logins()

    def _print_logins(self) -> None:
        logins = existing_demo_logins()
        if not logins:
            self.stdout.write("No demo users in this database.")
            return
        rows = [("user", "password", "role"), *logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("Demo log-ins:")
        for index, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        if User.objects.filter(username__in=GENERATED_USERNAMES).exists():
            self.stdout.write(
                f"The large data set adds handlowiec01–{GENERATED_SELLERS:02d} (salespeople) and "
                "kierownik_polnoc, kierownik_poludnie, kierownik_zachod (sales managers), "
                "with the same password."
            )
