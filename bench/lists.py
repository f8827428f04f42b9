"""Response times of the list pages on the large data set, SQLite and PostgreSQL.

    .venv/bin/python bench/lists.py [--db sqlite|postgres|both] [--reuse] [--runs 30]
        [--pages inbox]   (only the pages whose label has this text)

For each database: migrate, load `obieg demo --size large` (or reuse it with
--reuse), then request the real views through django.test.Client, logged in
as a salesperson with many customers and as the administrator who sees
everything: the lists, their searches (Polish letters typed or not, sorted
in Polish order), the header's global search, the 360° page, the
pipeline and the inbox (over 10^6 work items, bench/inbox_items.py; also
as the installer, whose role and department both have queued work).
Prints runs, median, 95th percentile, CPU ms, query count and the ratio to
the 150 ms target per page. It measures and prints; it never fails.

Settings read DATABASE_URL at import, so each database runs in its own
subprocess (this script again, with --worker).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
VAR = CHECKOUT / "var"
# Overridable so two benchmarks on one machine do not share (and drop) one database.
SQLITE_FILE = Path(os.environ.get("BENCH_SQLITE_FILE", VAR / "bench.sqlite3"))
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
POSTGRES_DB = os.environ.get("BENCH_POSTGRES_DB", "obieg_bench")
TARGET_MS = 150.0
RESULT_MARK = "BENCH-RESULT "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--reuse", action="store_true", help="keep the data set if present")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the large set")
    parser.add_argument("--pages", default="", help="only the pages whose label has this text")
    parser.add_argument("--worker", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        # Imported only here: it sets Django up, which needs the env made for it.
        from lists_worker import run

        result = run(args)
        print(RESULT_MARK + json.dumps(result), flush=True)
        return 0

    databases = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = []
    for database in databases:
        result = _run_worker(database, args)
        if result:
            results.append(result)
    _print_table(results, args)
    return 0


def _run_worker(database: str, args) -> dict | None:
    env = {**os.environ, "DEBUG": "true", "MEDIA_ROOT": str(VAR / "bench-media")}
    if database == "sqlite":
        VAR.mkdir(exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    else:
        try:
            _prepare_postgres(fresh=not args.reuse)
        except Exception as error:  # the bench reports; it does not fail
            print(f"PostgreSQL unavailable ({error}); skipped.", file=sys.stderr)
            return None
        env["DATABASE_URL"] = POSTGRES_SERVER.rstrip("/") + "/" + POSTGRES_DB
    options = {"--runs": args.runs, "--warmup": args.warmup, "--scale": args.scale}
    if args.pages:
        options["--pages"] = args.pages
    command = [sys.executable, __file__, "--worker", database]
    command += [str(part) for option in options.items() for part in option]
    print(f"== {database}", file=sys.stderr, flush=True)
    process = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    for line in process.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
        print(line)
    print(f"{database}: worker ended with {process.returncode} and no result", file=sys.stderr)
    return None


def _prepare_postgres(*, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_SERVER.rstrip("/") + "/postgres", autocommit=True) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        exists = conn.execute(query, [POSTGRES_DB]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{POSTGRES_DB}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')


def _print_table(results: list[dict], args) -> None:
    print()
    for result in results:
        data = result["data"]
        print(
            f"{result['database']}: data {data['how']} in {data['seconds']:.1f} s "
            f"({data['accounts']:,} accounts, {data['activities']:,} activities, "
            f"{data['opportunities']:,} opportunities, {data.get('work_items', 0):,} work items); "
            f"load average while measuring "
            f"{result['load']['before']:.1f} → {result['load']['after']:.1f} "
            f"on {result['load']['cpus']} CPUs"
        )
    header = (
        "page",
        "db",
        "user",
        "status",
        "runs",
        "median ms",
        "p95 ms",
        "cpu ms",
        "queries",
        "p95/150",
    )
    rows = [header]
    for result in results:
        for page in result["pages"]:
            rows.append(
                (
                    page["page"],
                    result["database"],
                    page["user"],
                    str(page["status"]),
                    str(page["runs"]),
                    f"{page['median_ms']:.1f}",
                    f"{page['p95_ms']:.1f}",
                    f"{page['cpu_ms']:.1f}",
                    str(page["queries"]),
                    f"{page['p95_ms'] / TARGET_MS:.2f}",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for index, row in enumerate(rows):
        cells = [
            cell.ljust(w) if i < 3 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
    slow = [r for r in rows[1:] if float(r[-1]) > 1]
    print(
        f"\nTarget: {TARGET_MS:.0f} ms at the 95th percentile; "
        f"{len(slow)} of {len(rows) - 1} measurements above it. "
        f"{args.runs} runs after {args.warmup} warm-ups each."
    )


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"(bench took {time.monotonic() - started:.0f} s)", file=sys.stderr)
    sys.exit(0)
