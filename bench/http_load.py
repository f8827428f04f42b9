"""Every main page under load: 10 people at once on the production layout, PostgreSQL, large data.

    .venv/bin/python bench/http_load.py [--db postgres|sqlite] [--seconds 20]
        [--connections 10] [--reuse] [--processes auto] [--threads 4]
        [--pages pipeline,account-360] [--users admin]
        [--baseline OTHER_CHECKOUT/src]

Needs wrk, the HTTP load generator (Debian: `apt-get install wrk`): written in
C, it takes a few per cent of one core where a Python client would take half
the machine from the server; the script prints what wrk used.

It makes (or with --reuse keeps) the database `obieg_http` on
127.0.0.1:5432 (with --db sqlite the file var/http/obieg_http.sqlite3), loads
the large data set with bench/lists.py's loader (100,000 accounts, 1,000,000
activities, 200,000 opportunities) and the inbox's 1,000,000 work items
(bench/inbox_items.py), then starts
the production layout of docs/operations.md on the loopback: `obieg serve
--processes auto --no-worker` (gunicorn, one web process per core) and one
`obieg worker` apart, with production settings (no DEBUG, https PUBLIC_URL
behind a trusted proxy, whose headers every request carries). It logs in
through the log-in form as the salesperson and as the administrator, and for
each page runs wrk with --connections connections for --seconds: half of them
carry the salesperson's session, half the administrator's (a page one of them
may not open is driven by the other alone). Prints requests/s, p50/p95/p99,
errors (any answer but 200, and broken connections) and the CPU time the web
processes and their PostgreSQL sessions used per request, per page, and a
summary line against the target: p99 < 500 ms, p95 < 250 ms, no errors.
Without --reuse the database is dropped and loaded anew (about 7 minutes);
either way it is VACUUMed first, as autovacuum keeps a production database.

With --baseline, a second layout serves the code of another checkout's
src/ (for instance `git archive HEAD src | tar -x -C /tmp/base`) beside
this one, on the same database: each page is driven on the baseline and
then on this code, so "before" and "after" share the same minutes of a
machine whose other work comes and goes. The baseline's `obieg serve` must
know --processes (copy this checkout's serve.py into it if it predates it),
and its models must match the migrated database: take everything but the
files being compared from this checkout.
It measures and prints; it exits 1 only when it cannot run. Logs of the
processes are kept in var/http/. (Its name is not http.py: a module called http
beside the other benchmarks would hide the standard library's http package
from every one of them.)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "http"
LUA = ROOT / "bench" / "http_load.lua"
OBIEG = Path(sys.executable).with_name("obieg")
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
USERS = ("salesperson", "admin")
TARGET_P95_MS, TARGET_P99_MS = 250.0, 500.0
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
sys.path.insert(0, str(ROOT / "bench"))

from production import (  # noqa: E402
    PROXY_HEADERS,
    collect_static,
    free_port,
    production_env,
    tcp_ports_to,
    wait_healthy,
)


@dataclass
class Page:
    label: str
    path: str


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--seconds", type=float, default=20.0, help="per page")
    parser.add_argument("--connections", type=int, default=10, help="people at once")
    parser.add_argument("--processes", default="auto", help="web processes (default: cores)")
    parser.add_argument("--threads", type=int, default=None, help="threads per web process")
    parser.add_argument("--reuse", action="store_true", help="keep the database if loaded")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the large set")
    parser.add_argument("--pages", default="", help="comma-separated labels (default: all)")
    parser.add_argument("--users", default=",".join(USERS), help="who logs in: " + "/".join(USERS))
    parser.add_argument("--database", default="obieg_http")
    parser.add_argument("--baseline", type=Path, help="src/ of the code to compare with")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk (Debian package).", file=sys.stderr)
        return 1
    VAR.mkdir(parents=True, exist_ok=True)
    if args.db == "sqlite":
        url = f"sqlite:///{VAR / (args.database + '.sqlite3')}"
    else:
        url = POSTGRES_URL.rstrip("/") + "/" + args.database
    env = production_env(url, var=VAR, secret="http-bench")
    os.environ.update(env)
    data = prepare(args.db, fresh=not args.reuse, scale=args.scale)
    pages = [page for page in pages_to_drive(data) if chosen(page, args.pages)]
    users = tuple(user for user in USERS if user in args.users.split(","))
    layouts = {"this": Layout(env, "web")}
    if args.baseline:
        baseline_env = {**env, "PYTHONPATH": str(args.baseline.resolve())}
        layouts = {"baseline": Layout(baseline_env, "web-baseline"), **layouts}
    try:
        bases = {
            code: layout.start(args.processes, args.threads) for code, layout in layouts.items()
        }
        cookies = {
            code: {user: log_in(base, user) for user in users} for code, base in bases.items()
        }
        print(
            f"HTTP bench: {layouts['this'].describe()}; {args.connections} connections, "
            f"{args.seconds:g} s per page; data: {data['counts']}"
            + (f"; baseline code from {args.baseline}" if args.baseline else ""),
            flush=True,
        )
        results = [
            {**drive(layouts[code], bases[code], page, cookies[code], args, code), "code": code}
            for page in pages
            for code in layouts
        ]
    finally:
        for layout in layouts.values():
            layout.stop()
    report(results, args)
    return 0


def chosen(page: Page, labels: str) -> bool:
    return not labels or page.label in labels.split(",")


# The data: bench/lists.py's large data set, in a database of this bench's own.


def prepare(kind: str, *, fresh: bool, scale: float) -> dict:
    from databases import fresh_database

    if fresh:
        fresh_database(kind)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from inbox_items import ensure_work_items
    from lists_worker import load_large_data

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    counts = load_large_data(scale)
    work_items = ensure_work_items(round(1_000_000 * scale))
    vacuum()
    print(
        f"data {counts['how']} in {time.monotonic() - started:.0f} s: "
        f"{counts['accounts']:,} accounts, {counts['activities']:,} activities, "
        f"{counts['opportunities']:,} opportunities, {work_items:,} work items",
        flush=True,
    )
    collect_static(VAR)
    data = {
        "counts": f"{counts['accounts']:,} accounts, {work_items:,} work items",
        **page_keys(),
    }
    connections.close_all()
    return data


def vacuum() -> None:
    """VACUUM the bench's database, as autovacuum does a production one after a load.

    A table never vacuumed has no visibility map, so PostgreSQL reads the
    rows behind every index-only scan (the board's and the home page's counts
    of opportunities), and the bench would measure a state production is not
    in. This machine's PostgreSQL may run with autovacuum off; once done, a
    VACUUM finds nothing to do and takes seconds.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        return  # the loaders ANALYZE; SQLite keeps no visibility map to build
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    print(f"  VACUUM in {time.monotonic() - started:.0f} s", flush=True)


def page_keys() -> dict:
    from obieg.crm.models import Account
    from obieg.demo.large import BIG_ACCOUNT_NAME

    big = Account.objects.filter(name=BIG_ACCOUNT_NAME).order_by("id").first()
    return {"big_account": big.pk}


def pages_to_drive(data: dict) -> list[Page]:
    from datetime import date, timedelta

    monday = date.today() - timedelta(days=date.today().weekday())
    week = f"start={monday}T00:00:00&end={monday + timedelta(days=7)}T00:00:00"
    html = [
        ("home", "/"),
        ("accounts", "/accounts/"),
        ("account-360", f"/accounts/{data['big_account']}/"),
        ("leads", "/leads/"),
        ("opportunities", "/opportunities/"),
        ("pipeline", "/opportunities/pipeline/"),
        ("offers", "/offers/"),
        ("contracts", "/contracts/"),
        ("invoices", "/billing/invoices/"),
        ("calendar", "/scheduling/"),
        ("calendar-week", f"/scheduling/events.json?{week}"),
        ("inbox", "/work/"),
        ("s1-projects", "/pv/"),
        ("s3-projects", "/grants/"),
        ("s4-inquiries", "/opinions/"),
    ]
    api = [
        "accounts",
        "contacts",
        "activities",
        "leads",
        "opportunities",
        "offers",
        "contracts",
        "documents",
        "billing/invoices",
        "billing/schedule-items",
        "scheduling/crews",
        "scheduling/events",
        "engine/cases",
        "engine/work-items",
    ]
    return [Page(label, path) for label, path in html] + [
        Page(f"api/{name}", f"/api/{name}/") for name in api
    ]


# The processes.


class Layout:
    """`obieg serve --processes N --no-worker` and one `obieg worker`, logs in var/http/."""

    def __init__(self, env: dict[str, str], name: str):
        self.env = {**os.environ, **env}
        self.name = name
        self.processes: list[subprocess.Popen] = []
        self.web: subprocess.Popen | None = None
        self.banner = ""

    def spawn(self, name: str, *command: str) -> subprocess.Popen:
        log = open(VAR / f"{name}.log", "w")  # noqa: SIM115 - the child owns it
        process = subprocess.Popen(
            [str(OBIEG), *command], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def start(self, processes: str, threads: int | None) -> str:
        port = free_port()
        command = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-worker"]
        command += ["--processes", processes]
        if threads:
            command += ["--threads", str(threads)]
        self.web = self.spawn(self.name, *command)
        self.spawn(f"{self.name}-worker", "worker")
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, var=VAR)
        self.banner = (VAR / f"{self.name}.log").read_text().splitlines()[0]
        return base

    def describe(self) -> str:
        found = re.search(r"\(database: .*?\)", self.banner)
        return f"obieg serve {found.group(0) if found else self.banner} + 1 obieg worker"

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def server_cpu_by_process(layout: Layout) -> dict[int, float]:
    """CPU seconds used so far by each web process and each of their database sessions.

    The growth over a page's run, per request, is what one page costs the
    machine (Python and PostgreSQL together). Unlike the wall time it hardly
    moves when other work shares the cores, so it compares two runs fairly.
    Kept per process so that a database session that ends during the run
    (they live DB_CONN_MAX_AGE, 60 s) only loses its last moments, instead of
    taking its whole past out of the sum (which printed negative costs).
    """
    assert layout.web is not None
    pids = [layout.web.pid, *_children(layout.web.pid)]
    if not layout.env["DATABASE_URL"].startswith("sqlite"):  # SQLite runs inside them
        ports = set().union(*(tcp_ports_to(pid, 5432) for pid in pids))
        import psycopg

        with psycopg.connect(layout.env["DATABASE_URL"], autocommit=True) as db:
            sessions = db.execute(
                "SELECT pid FROM pg_stat_activity WHERE client_port = ANY(%s)", [list(ports)]
            ).fetchall()
        pids += [row[0] for row in sessions]
    return {pid: _cpu_seconds(pid) for pid in pids}


def cpu_used_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes used between two snapshots; a new process counts whole."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def log_in(base: str, username: str) -> str:
    """The Cookie header of a session made through the log-in form, as a browser does."""
    from obieg.demo.organisation import DEMO_PASSWORD

    http = requests.Session()
    http.headers.update({**PROXY_HEADERS, "Origin": base.replace("http://", "https://")})
    page = http.get(base + "/login/", timeout=30)
    # The cookies are marked Secure (PUBLIC_URL is https); the loopback behind the
    # proxy is plain http, so send them anyway.
    for cookie in http.cookies:
        cookie.secure = False
    form = {
        "username": username,
        "password": DEMO_PASSWORD,
        "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
    }
    answer = http.post(base + "/login/", data=form, allow_redirects=False, timeout=30)
    if answer.status_code != 302:
        raise SystemExit(f"{username} could not log in: {answer.status_code}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in http.cookies)


# The load.


def drive(layout: Layout, base: str, page: Page, cookies: dict[str, str], args, code: str) -> dict:
    """wrk on one page for args.seconds; the figures, with what the server and client used."""
    allowed, who, size = [], [], 0
    for user, cookie in cookies.items():
        answer = requests.get(
            base + page.path, headers={**PROXY_HEADERS, "Cookie": cookie}, timeout=60
        )
        if answer.status_code == 200:
            allowed.append(cookie)
            who.append(user)
            size = len(answer.content)
    result = {"page": page.label, "users": "+".join(who), "bytes": size}
    shown = page.label if code == "this" else f"{page.label} ({code})"
    if not allowed:
        print(f"  {shown:<30} refused to everyone; skipped", flush=True)
        return {**result, "skipped": True}
    # One wrk thread per person; the connections are shared out between them.
    threads = min(len(allowed), args.connections)
    command = ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.seconds:g}s"]
    command += ["--timeout", "10s", "-s", str(LUA), base + page.path]
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = server_cpu_by_process(layout)
    run = subprocess.run(
        command,
        env={**os.environ, "BENCH_COOKIES": "|".join(allowed)},
        capture_output=True,
        text=True,
        check=False,
    )
    server_after = server_cpu_by_process(layout)
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in run.stdout.splitlines() if x.startswith("WRK-RESULT ")), None)
    if line is None:
        print(f"  {shown}: wrk failed: {run.stderr.strip()}", flush=True)
        return {**result, "skipped": True}
    figures = json.loads(line.removeprefix("WRK-RESULT "))
    seconds = figures["duration_us"] / 1e6
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (
        client_before.ru_utime + client_before.ru_stime
    )
    broken = sum(figures[key] for key in ("connect", "read", "write", "timeout"))
    result |= {
        "skipped": False,
        "requests": figures["requests"],
        "per_s": figures["requests"] / seconds,
        "p50": figures["p50_us"] / 1000,
        "p95": figures["p95_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["not_200"] + broken,
        "bad_status": figures["a_bad_status"],
        "client_cpu": client_cpu / seconds,
        "cpu_ms": 1000
        * cpu_used_between(server_before, server_after)
        / max(figures["requests"], 1),
    }
    print(
        f"  {shown:<30} {result['per_s']:7.1f}/s  p50 {result['p50']:6.0f}  "
        f"p95 {result['p95']:6.0f}  p99 {result['p99']:6.0f} ms  errors {result['errors']}  "
        f"server cpu {result['cpu_ms']:5.1f} ms/request",
        flush=True,
    )
    return result


def report(results: list[dict], args) -> None:
    codes = list(dict.fromkeys(r["code"] for r in results))
    header = (
        "page",
        "code",
        "users",
        "kB",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "errors",
        "cpu ms",
        "",
    )
    rows = [header]
    over: dict[str, list[str]] = {code: [] for code in codes}
    measured = dict.fromkeys(codes, 0)
    client = []
    for r in results:
        if r["skipped"]:
            rows.append((r["page"], r["code"], "-", "", "", "", "", "", "", "", "skipped"))
            continue
        measured[r["code"]] += 1
        ok = r["p95"] < TARGET_P95_MS and r["p99"] < TARGET_P99_MS and r["errors"] == 0
        if not ok:
            over[r["code"]].append(r["page"])
        client.append(r["client_cpu"])
        errors = str(r["errors"]) + (f" ({r['bad_status']})" if r["bad_status"] else "")
        rows.append(
            (
                r["page"],
                r["code"],
                r["users"],
                f"{r['bytes'] / 1024:.0f}",
                f"{r['per_s']:.1f}",
                f"{r['p50']:.0f}",
                f"{r['p95']:.0f}",
                f"{r['p99']:.0f}",
                errors,
                f"{r['cpu_ms']:.1f}",
                "ok" if ok else "OVER",
            )
        )
    if len(codes) == 1:  # no baseline: the code column says nothing
        rows = [row[:1] + row[2:] for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for index, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < len(rows[0]) - 8 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if index == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for code in codes:
        name = "Summary" if len(codes) == 1 else f"Summary ({code} code)"
        print(
            f"{name}: {measured[code] - len(over[code])} of {measured[code]} pages within target "
            f"(p95 < {TARGET_P95_MS:.0f} ms, p99 < {TARGET_P99_MS:.0f} ms, 0 errors) at "
            f"{args.connections} connections, {args.seconds:g} s each"
            + (f"; over: {', '.join(over[code])}" if over[code] else "")
            + "."
        )
    print(
        "cpu ms: CPU time of the web processes and their PostgreSQL sessions "
        "(SQLite runs inside them) per request "
        "(what a page costs the machine, whatever else runs on it). "
        f"wrk used {100 * max(client, default=0):.0f} % of one core at most; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end."
    )


if __name__ == "__main__":
    sys.exit(main())
