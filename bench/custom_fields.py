"""Filtering lists by custom fields at 10^5 accounts: the page, its export batch, the API.

    DATABASE_URL=sqlite:///var/bench-custom.sqlite3 .venv/bin/python bench/custom_fields.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/obieg_bench_custom \
        .venv/bin/python bench/custom_fields.py [--accounts 100000] [--runs 20]

Migrates the database it is given, fills it once with `--accounts` accounts
carrying three custom values (a choice, a number, a date; one in a thousand
has a rare choice), then requests the account list through django.test.Client
as the administrator (who sees every account: the worst case) with each
filter, and the same through the API. Prints median, 95th percentile and
the ratio to the lists' 150 ms target. It measures and prints; it never fails.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
TARGET_MS = 150.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    admin = _load(args.accounts)
    print(f"database: {connection.vendor}; accounts: {_count()}", flush=True)
    cases = [
        ("list, no filter", "/accounts/", {}),
        ("list, choice 20 %", "/accounts/", {"custom.tier": "gold"}),
        ("list, choice 0.1 %", "/accounts/", {"custom.tier": "rare"}),
        ("list, number >= (1 %)", "/accounts/", {"custom.turnover.min": "990000"}),
        (
            "list, date range (1 month)",
            "/accounts/",
            {"custom.audit_date.min": "2026-03-01", "custom.audit_date.max": "2026-03-31"},
        ),
        ("list, choice + name search", "/accounts/", {"custom.tier": "gold", "q": "firma 12"}),
        ("API, choice 0.1 %", "/api/accounts/", {"custom.tier": "rare"}),
        ("API, number >= (1 %)", "/api/accounts/", {"custom.turnover.min": "990000"}),
    ]
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'x target':>9}")
    for label, url, params in cases:
        times = []
        for run in range(args.runs + 2):
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (label, response.status_code)
            if run >= 2:  # two warm-up requests
                times.append(elapsed)
        times.sort()
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{label:32} {median:10.1f} {p95:8.1f} {p95 / TARGET_MS:9.2f}", flush=True)
    return 0


def _count() -> int:
    from obieg.crm.models import Account

    return Account.objects.count()


def _load(total: int):
    from django.db import connection, transaction

    from obieg.core.models import User
    from obieg.crm.models import Account
    from obieg.customfields.indexing import reindex
    from obieg.customfields.models import CustomField
    from obieg.customfields.values import number_text

    admin, _ = User.objects.get_or_create(
        username="bench_custom_admin", defaults={"is_superuser": True, "is_staff": True}
    )
    fields = [
        (
            "tier",
            "choice",
            [
                {"value": value, "label_pl": value.capitalize(), "label_en": "", "retired": False}
                for value in ("gold", "silver", "bronze", "steel", "wood", "rare")
            ],
        ),
        ("turnover", "number", []),
        ("audit_date", "date", []),
    ]
    for key, kind, choices in fields:
        CustomField.objects.get_or_create(
            record_type="account",
            key=key,
            defaults={"kind": kind, "label_pl": key, "choices": choices, "in_list": True},
        )
    have = Account.objects.count()
    if have >= total:
        return admin
    rng = random.Random(17)
    started = time.monotonic()
    tiers = ["gold", "silver", "bronze", "steel", "wood"]
    batch = []
    for number in range(have, total):
        tier = "rare" if number % 1000 == 7 else tiers[number % 5]
        account = Account(
            name=f"Firma {number}",
            city=rng.choice(["Łódź", "Kraków", "Gdańsk", "Poznań"]),
            owner=admin,
            custom={
                "audit_date": (date(2025, 1, 1) + timedelta(days=rng.randrange(730))).isoformat(),
                "tier": tier,
                "turnover": number_text(Decimal(rng.randrange(100_000_000)) / 100),
            },
        )
        for name, value in account.search_columns().items():
            setattr(account, name, value)
        batch.append(account)
        if len(batch) == 5000:
            with transaction.atomic():
                Account.objects.bulk_create(batch)
                reindex(Account, batch)  # bulk_create skips save(), which keeps the index
            batch = []
    if batch:
        with transaction.atomic():
            Account.objects.bulk_create(batch)
            reindex(Account, batch)
    if connection.vendor == "postgresql":  # as autovacuum would soon after a load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE crm_account")
            cursor.execute("ANALYZE customfields_customvalue")
    print(f"loaded {total - have} accounts in {time.monotonic() - started:.0f} s", flush=True)
    return admin


if __name__ == "__main__":
    sys.exit(main())
