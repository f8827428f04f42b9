"""What keeping the pipeline totals costs a write of opportunities (crm/pipeline_totals.py).

    .venv/bin/python bench/pipeline_totals.py [--db postgres|sqlite] [--rows 16000] [--saves 2000]

Runs on bench/http_load.py's database (PostgreSQL `obieg_http`, or with
--db sqlite var/http/obieg_http.sqlite3; load it with http_load.py first).
In one transaction that is rolled back, so the data stays as it was, it
times a bulk update of --rows opportunities (one statement moving each to
another probability) and --saves single-row updates of the value, once with
the triggers and once without them, and prints both and their ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--rows", type=int, default=16_000)
    parser.add_argument("--saves", type=int, default=2_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.db == "sqlite":
        url = f"sqlite:///{ROOT / 'var' / 'http' / 'obieg_http.sqlite3'}"
    else:
        url = POSTGRES_URL.rstrip("/") + "/obieg_http"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from obieg.crm import pipeline_totals

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM crm_opportunity WHERE owner_id IS NOT NULL AND probability < 100 "
            "ORDER BY id LIMIT %s",
            [max(args.rows, args.saves)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    print(f"{connection.vendor}: {len(ids[: args.rows])} opportunities in bulk, {args.saves} saves")
    figures = {}
    for label in ("with the triggers", "without them"):
        with transaction.atomic():
            if label == "without them":
                pipeline_totals.remove()  # rolled back with the rest
            figures[label] = _writes(connection, ids, args)
            transaction.set_rollback(True)
        bulk, saves = figures[label]
        print(f"  {label:<18} bulk update {bulk * 1000:8.0f} ms   saves {saves * 1000:7.0f} ms")
    (bulk, saves), (bare_bulk, bare_saves) = figures.values()
    ratios = f"bulk update {bulk / bare_bulk:8.2f}×    saves {saves / bare_saves:7.2f}×"
    print(f"  {'ratio':<18} {ratios}")
    return 0


def _writes(connection, ids: list[int], args) -> tuple[float, float]:
    with connection.cursor() as cursor:
        chosen = ids[: args.rows]
        started = time.perf_counter()
        cursor.execute(
            "UPDATE crm_opportunity SET probability = probability + 1 WHERE id IN ("
            + ", ".join(["%s"] * len(chosen))
            + ")",
            chosen,
        )
        bulk = time.perf_counter() - started
        started = time.perf_counter()
        for pk in ids[: args.saves]:
            cursor.execute("UPDATE crm_opportunity SET value = value + 1 WHERE id = %s", [pk])
        return bulk, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
