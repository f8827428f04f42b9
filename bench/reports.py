"""Response times of the sales reports on the large data set, SQLite and PostgreSQL.

    BENCH_POSTGRES_DB=obieg_reports_bench BENCH_SQLITE_FILE=/tmp/reports_bench/bench.sqlite3 \
        .venv/bin/python bench/reports.py [--db sqlite|postgres|both] [--reuse] [--runs 20]

For each database: migrate, load `obieg demo --size large` (~200,000
opportunities, 10^6 activities; or reuse it with --reuse), then request each
report page and its CSV export through django.test.Client as a salesperson,
a sales manager (the demo team) and the administrator (everyone), over the
report's default period and over three years. Prints median, 95th percentile
and the query count per report. It measures and prints; it never fails.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHECKOUT = Path(__file__).resolve().parents[1]
VAR = CHECKOUT / "var"
SQLITE_FILE = Path(os.environ.get("BENCH_SQLITE_FILE", VAR / "bench.sqlite3"))
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "obieg_bench")
TARGET_MS = 150.0
RESULT_MARK = "BENCH-RESULT "
REPORTS = ("pipeline", "won-lost", "forecast", "activity")
USERS = ("salesperson", "sales_manager", "admin")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--reuse", action="store_true", help="keep the data set if present")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--worker", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(RESULT_MARK + json.dumps(_work(args)), flush=True)
        return 0
    results = []
    for database in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        result = _run_worker(database, args)
        if result:
            results.append(result)
    _print_table(results, args)
    return 0


def _run_worker(database: str, args) -> dict | None:
    env = {**os.environ, "DEBUG": "true", "MEDIA_ROOT": str(VAR / "bench-media")}
    if database == "sqlite":
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    else:
        try:
            # lists.py reads the same BENCH_POSTGRES_* variables.
            from lists import _prepare_postgres

            _prepare_postgres(fresh=not args.reuse)
        except Exception as error:  # the bench reports; it does not fail
            print(f"PostgreSQL unavailable ({error}); skipped.", file=sys.stderr)
            return None
        env["DATABASE_URL"] = POSTGRES_SERVER.rstrip("/") + "/" + POSTGRES_DB
    command = [sys.executable, __file__, "--worker", database]
    command += ["--runs", str(args.runs), "--warmup", str(args.warmup)]
    print(f"== {database}", file=sys.stderr, flush=True)
    process = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    for line in process.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
        print(line)
    print(f"{database}: worker ended with {process.returncode} and no result", file=sys.stderr)
    return None


def _work(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from lists_worker import _p95, _QueryCounter, load_large_data

    from obieg.core import clock
    from obieg.core.models import User

    call_command("migrate", verbosity=0)
    data = load_large_data(1.0)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    today = clock.today()
    three_years = {"date_from": f"{today.year - 3}-{today:%m-%d}", "date_to": f"{today}"}
    pages = []
    for username in USERS:
        client = Client(HTTP_HOST="localhost", raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        for key in REPORTS:
            cases = [("page", reverse("report_page", args=[key]), {})]
            if key != "pipeline":
                cases.append(("page, 3 years", reverse("report_page", args=[key]), three_years))
            cases.append(("CSV", reverse("report_export", args=[key]), {"format": "csv"}))
            for variant, url, params in cases:
                for _ in range(args.warmup):
                    client.get(url, params)
                with connection.execute_wrapper(counter := _QueryCounter()):
                    status = client.get(url, params).status_code
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    client.get(url, params)
                    times.append((time.perf_counter() - started) * 1000)
                pages.append(
                    {
                        "report": f"{key} ({variant})",
                        "user": username,
                        "status": status,
                        "median_ms": statistics.median(times),
                        "p95_ms": _p95(times),
                        "queries": counter.count,
                    }
                )
                print(
                    f"  {username:<14} {key:<10} {variant:<14} {pages[-1]['median_ms']:8.1f} ms",
                    file=sys.stderr,
                    flush=True,
                )
    return {"database": args.worker, "data": data, "pages": pages, "load": os.getloadavg()[0]}


def _print_table(results: list[dict], args) -> None:
    print()
    rows = [("report", "db", "user", "status", "median ms", "p95 ms", "queries", "p95/150")]
    for result in results:
        data = result["data"]
        print(
            f"{result['database']}: data {data['how']} ({data['opportunities']:,} opportunities, "
            f"{data['activities']:,} activities); load average {result['load']:.1f} "
            f"on {os.cpu_count()} CPUs"
        )
        for page in result["pages"]:
            rows.append(
                (
                    page["report"],
                    result["database"],
                    page["user"],
                    str(page["status"]),
                    f"{page['median_ms']:.1f}",
                    f"{page['p95_ms']:.1f}",
                    str(page["queries"]),
                    f"{page['p95_ms'] / TARGET_MS:.2f}",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < 3 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\n{args.runs} runs after {args.warmup} warm-ups each; target {TARGET_MS:.0f} ms p95.")


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"(bench took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    sys.exit(0)
