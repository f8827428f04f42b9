"""Response times of the catalogue's list, its searches and the offer line picker at 10^5 items.

    .venv/bin/python bench/catalogue.py [--db sqlite|postgres|both] [--items 100000] [--runs 30]

For each database (its own: var/catalogue-bench.sqlite3, PostgreSQL
`obieg_catalogue_bench`): migrate, bulk-insert the items once (reused when
the count matches), then request the real views through django.test.Client
as a sales manager: the list by name, by price and recently changed, a page
far down by its cursor, searches typed without Polish letters (a rare word,
a common one, and a common one whose items all sort last), the picker's
JSON and the new-offer form (which lists the first 300 items). Prints
median, 95th percentile, CPU ms, queries and the ratio to 150 ms. It
measures and prints; it never fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

CHECKOUT = Path(__file__).resolve().parents[1]
VAR = CHECKOUT / "var"
SQLITE_FILE = VAR / "catalogue-bench.sqlite3"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
POSTGRES_DB = "obieg_catalogue_bench"
TARGET_MS = 150.0
MARK = "BENCH-RESULT "
WORDS = ("Moduł", "Falownik", "Przewód", "Złączka", "Śruba", "Usługa", "Łącznik", "Kabel")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--worker", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(MARK + json.dumps(_work(args)), flush=True)
        return 0
    results = []
    for database in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        env = {**os.environ, "DEBUG": "true"}
        if database == "sqlite":
            VAR.mkdir(exist_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
        else:
            try:
                _create_postgres_database()
            except Exception as error:  # the bench reports; it does not fail
                print(f"PostgreSQL unavailable ({error}); skipped.", file=sys.stderr)
                continue
            env["DATABASE_URL"] = POSTGRES_SERVER.rstrip("/") + "/" + POSTGRES_DB
        command = [sys.executable, __file__, "--worker", database]
        command += ["--items", str(args.items), "--runs", str(args.runs)]
        done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
        for line in done.stdout.splitlines():
            if line.startswith(MARK):
                results.append(json.loads(line[len(MARK) :]))
    _print(results)
    return 0


def _create_postgres_database() -> None:
    import psycopg

    with psycopg.connect(POSTGRES_SERVER.rstrip("/") + "/postgres", autocommit=True) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not conn.execute(query, [POSTGRES_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')


def _work(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    how = _ensure_items(args.items)
    loaded = time.monotonic() - started
    return {
        "database": args.worker,
        "items": args.items,
        "load": f"{how} in {loaded:.1f} s",
        "pages": _measure(args.runs),
        "loadavg": os.getloadavg()[0],
    }


def _ensure_items(count: int) -> str:
    from decimal import Decimal

    from obieg.catalogue.models import Product

    if Product.objects.count() == count:
        return "reused"
    Product.objects.all().delete()
    batch = []
    for number in range(count):
        word = WORDS[number % len(WORDS)]
        item = Product(
            code=f"K-{number:06}",
            name=f"{word} {number % 997} typ {number}",
            unit_price=Decimal(number % 5000) + Decimal("0.99"),
            unit_cost=Decimal(number % 3000),
            kind="service" if word == "Usługa" else "product",
            active=number % 50 != 0,
        )
        item.fill_search_columns()  # bulk_create skips save()
        batch.append(item)
        if len(batch) == 5000:
            Product.objects.bulk_create(batch)
            batch = []
    Product.objects.bulk_create(batch)
    # One rare item, found only by typing without Polish letters.
    rare = Product(code="ZLW-1", name="Żółw ogrodowy", unit_price=Decimal("10"))
    rare.save()
    Product.objects.filter(code="K-000001").delete()  # keep the count
    return "generated"


def _measure(runs: int) -> list[dict]:
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from obieg.catalogue.selectors import ProductFilters, product_page
    from obieg.core import roles
    from obieg.core.models import User
    from obieg.crm.models import Account

    manager, _ = User.objects.get_or_create(username="catalogue-bench-manager")
    manager.groups.add(Group.objects.get_or_create(name=roles.SALES_MANAGER)[0])
    account = Account.objects.filter(owner=manager).first() or Account.objects.create(
        name="Bench", owner=manager
    )
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(manager)
    far = None
    for _ in range(41):  # the cursor of the page 41 pages down, as the list's links carry it
        far = product_page(manager, ProductFilters(), cursor=far).next_cursor
    urls = {
        "list by name": "/catalogue/",
        "list by price": "/catalogue/?sort=price",
        "list recently changed": "/catalogue/?sort=changed",
        "list page 42": f"/catalogue/?{urlencode({'cursor': far})}",
        "search rare 'zolw'": "/catalogue/?q=zolw",
        "search common 'modul'": "/catalogue/?q=modul",
        # Its 12 500 matches all sort last by name: a walk of the sort index reads the rest first.
        "search 'zlaczka' (last)": "/catalogue/?q=zlaczka",
        "search code 'K-0999'": "/catalogue/?q=K-0999",
        "picker 'zolw'": "/catalogue/matches/?q=zolw",
        "picker 'lacznik 12'": "/catalogue/matches/?q=lacznik+12",
        "new offer form": f"/offers/new/?account={account.pk}",
    }
    results = []
    for label, url in urls.items():
        for _ in range(3):
            client.get(url)
        times, cpu = [], []
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        results.append(
            {
                "page": label,
                "status": response.status_code,
                "median_ms": statistics.median(times),
                "p95_ms": times[max(0, round(0.95 * len(times)) - 1)],
                "cpu_ms": statistics.median(cpu),
                "queries": len(queries),
            }
        )
    return results


def _print(results: list[dict]) -> None:
    for result in results:
        print(
            f"\n{result['database']}: {result['items']:,} items ({result['load']}), "
            f"load average {result['loadavg']:.1f}"
        )
        print(f"{'page':24} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} "
              f"{'queries':>7} {'p95/150':>8}")  # fmt: skip
        for page in result["pages"]:
            print(
                f"{page['page']:24} {page['status']:>6} {page['median_ms']:>10.1f} "
                f"{page['p95_ms']:>8.1f} {page['cpu_ms']:>7.1f} {page['queries']:>7} "
                f"{page['p95_ms'] / TARGET_MS:>8.2f}"
            )


if __name__ == "__main__":
    sys.exit(main())
