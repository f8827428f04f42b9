"""What each page of bench/http_load.py costs, measured in one process: CPU and SQL, not latency.

    .venv/bin/python bench/page_costs.py [--pages account-360,pipeline] [--users salesperson,admin]
        [--requests 15] [--explain 3] [--profile 25] [--src OTHER_CHECKOUT/src]

Runs on http_load.py's database (obieg_http, loaded by it first) with its
production settings, through Django's test client, one request at a time.
For each page and user it prints the median CPU time of a request in Python
and in its PostgreSQL session, and the number of statements; with
--explain N, the N statements that cost PostgreSQL most (planning plus
execution, from EXPLAIN ANALYZE) with their plans; with --profile N, the
N functions with the most CPU time of their own over the measured
requests (cProfile; profiled requests run slower, so their time is printed
apart from the median). These figures hardly move
when other work shares the machine, where http_load.py's latencies do, so
they show what a change to a page did. With --src, another checkout's code
is measured (for instance `git archive HEAD src | tar -x -C /tmp/base`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="", help="comma-separated labels (default: all)")
    parser.add_argument("--users", default="salesperson,admin")
    parser.add_argument("--requests", type=int, default=15, help="measured, after 3 to warm up")
    parser.add_argument("--explain", type=int, default=0, help="plans of the N costliest")
    parser.add_argument("--database", default="obieg_http")
    parser.add_argument("--profile", type=int, default=0, help="top N functions by own time")
    parser.add_argument("--src", type=Path, help="src/ of the code to measure")
    args = parser.parse_args()
    sys.path.insert(0, str((args.src or ROOT / "src").resolve()))
    sys.path.insert(0, str(ROOT / "bench"))
    from production import production_env

    url = POSTGRES_URL.rstrip("/") + "/" + args.database
    os.environ.update(production_env(url, var=ROOT / "var" / "http", secret="page-costs"))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    import django

    django.setup()
    import http_load
    from django.test import Client

    # As a web process does: the loaded code frozen out of the garbage collector's
    # full walks (obieg/wsgi.py); without it those walks would count in the figures.
    import obieg.wsgi  # noqa: F401
    from obieg.core.models import User

    pages = [
        page
        for page in http_load.pages_to_drive(http_load.page_keys())
        if http_load.chosen(page, args.pages)
    ]
    print(f"code: {sys.modules['obieg'].__file__}; median of {args.requests} requests")
    for username in args.users.split(","):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        client.force_login(User.objects.get(username=username))
        for page in pages:
            measure(client, username, page, args)
    return 0


def measure(client, username: str, page, args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # templates, content types, caches of the process
        client.get(page.path, secure=True)
    python = []
    session_before = _session_cpu(connection)
    for _ in range(args.requests):
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(page.path, secure=True)
        python.append(time.process_time() - started)
    session = (_session_cpu(connection) - session_before) / args.requests
    print(
        f"{username:<12} {page.label:<22} {answer.status_code}  "
        f"{len(queries):3d} statements  python {1000 * statistics.median(python):6.1f} ms  "
        f"postgresql {1000 * session:5.1f} ms per request",
        flush=True,
    )
    if args.explain:
        explain(connection, queries.captured_queries, args.explain)
    if args.profile:
        profile(client, page, args)


def profile(client, page, args) -> None:
    """Where the Python time of a page goes: its functions by own time, over --requests."""
    import cProfile
    import pstats

    # CPU time, not wall time: the waits for PostgreSQL would otherwise hide the Python.
    profiler = cProfile.Profile(time.process_time)
    for _ in range(args.requests):
        profiler.runcall(client.get, page.path, secure=True)
    stats = pstats.Stats(profiler)
    print(f"    profiled: {1000 * stats.total_tt / args.requests:.1f} ms per request")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[: args.profile]
    for (file, line, name), (_, calls, own, total, _) in rows:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if line else file
        print(
            f"    {1000 * own / args.requests:6.3f} own {1000 * total / args.requests:7.3f} "
            f"with callees ms  {calls // args.requests:5d} calls  {name}  {where}"
        )


def _session_cpu(connection) -> float:
    """CPU seconds used so far by this process's PostgreSQL session (its backend process)."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def explain(connection, queries: list[dict], top: int) -> None:
    costs = []
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "EXECUTE")):  # EXECUTE: prepared
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [line for (line,) in cursor.fetchall()]
        spent = sum(
            float(line.split(":")[1].split()[0])
            for line in plan
            if line.startswith(("Planning Time", "Execution Time"))
        )
        costs.append((spent, sql, plan))
    for spent, sql, plan in sorted(costs, key=lambda cost: -cost[0])[:top]:
        print(f"    {spent:6.2f} ms planning + execution: {sql[:300]}")
        for line in plan:
            print("        " + line)


if __name__ == "__main__":
    sys.exit(main())
