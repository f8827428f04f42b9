"""Soak test of the scale-out layout: 2 web processes and 3 workers on one PostgreSQL.

Obieg's answer to "more users than one machine" is PostgreSQL plus any
number of `obieg serve` and `obieg worker` processes. This script builds a
fresh database (`obieg_soak`), starts that layout on the loopback and lets
50 simulated people work it over HTTP for a few minutes: salespeople and
designers start orders of a small process (bench/soak_process.bpmn: a
parallel split with a 2 s timer, a message and a plain task, then a 3 s
timer), claim and complete its tasks through the REST API and the HTML
pages, and send the approval messages; accountants plan payments (schedule
items the worker clock issues), issue invoices and record payments on the
same few invoices at once. Meanwhile it kills a worker with SIGKILL while
the worker is inside a transaction (first while issuing invoices, then
while firing timers) and starts it again.

Then it lets the people finish their open work (the drain), stops
everything and checks, from the database, what the people were told:
every timer fired exactly once, every due schedule item invoiced exactly
once with gap-free numbers per series, every completion, message and
payment answered 2xx stored exactly once and every refused one absent,
case revisions equal to their steps, no active case with nothing to do,
no 5xx answer. It prints throughput (requests/s by kind, completions/s)
and exits 1 when an invariant fails.

Usage:  .venv/bin/python bench/soak.py [--minutes 3] [--users 50]
        [--postgres postgres://postgres@127.0.0.1:5432/obieg_soak]
Logs of the processes are kept in var/soak/.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "soak"
MODEL = ROOT / "bench" / "soak_process.bpmn"
OBIEG = Path(sys.executable).with_name("obieg")
PASSWORD = "soak-Password-7"  # the HTML users log in with it
WORKER_TICK_FIRST = 6.0  # s: the worker clock's first beat (5 s) and its queue poll
sys.path.insert(0, str(ROOT / "src"))

from billing import nip, populate  # noqa: E402  bench/billing.py: contracts with due schedules
from production import (  # noqa: E402
    collect_static,
    free_port,
    production_env,
    tcp_ports_to,
    wait_healthy,
)
from soak_checks import Check, billing_checks, engine_checks, job_figures  # noqa: E402
from soak_users import Accountant, CaseWorker, Shared  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--web", type=int, default=2, help="web processes")
    parser.add_argument("--workers", type=int, default=3, help="worker processes")
    parser.add_argument("--due-items", type=int, default=400, help="schedule items due at start")
    parser.add_argument("--drain", type=float, default=180, help="max seconds to finish work")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/obieg_soak"
        ),
    )
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    env = production_env(args.postgres, var=VAR, secret="soak")
    os.environ.update(env)
    print(
        f"Soak: {args.web} web processes, {args.workers} workers, {args.users} users, "
        f"{args.minutes:g} min, database {args.postgres.rsplit('/', 1)[1]}"
    )
    fresh_database(args.postgres)
    people_data = prepare(args)
    layout = Layout(env, args.postgres)
    try:
        return run(args, layout, people_data)
    finally:
        layout.stop_all()


def fresh_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


# Set-up: schema, the soak's model, people with tokens, contracts and due schedules.


def prepare(args) -> dict:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from obieg.core.models import User
    from obieg.crm.models import Account
    from obieg.engine import deploy

    call_command("migrate", verbosity=0)
    deploy.deploy_files([MODEL], solution="bench")
    accountants = max(1, args.users // 5)
    groups = {
        name: Group.objects.get(name=name) for name in ("salesperson", "designer", "accountant")
    }
    password = make_password(PASSWORD)
    people = []
    for n in range(args.users):
        billing = n >= args.users - accountants
        user = User.objects.create(
            username=f"soak{n:02d}", first_name="Soak", last_name=f"{n:02d}", password=password
        )
        if billing:
            user.groups.add(groups["accountant"])
        else:
            user.groups.add(groups["salesperson"], *([groups["designer"]] if n % 2 else []))
        token = io.StringIO()
        call_command("token", user.username, stdout=token)  # as `obieg token USER` does
        people.append(
            {
                "name": user.username,
                "id": user.pk,
                "token": token.getvalue().strip(),
                "billing": billing,
                "html": not billing and n % 5 == 0,
            }
        )
    populate(args.due_items, prefix="S")
    buyers = list(Account.objects.order_by("id").values_list("id", flat=True)[:50])
    collect_static(VAR)
    from django.db import connections

    connections.close_all()
    return {"people": people, "contracts": plan_contracts(20), "buyers": buyers}


def plan_contracts(count: int) -> list[int]:
    """Signed contracts with room in their value for the payments accountants plan."""
    from decimal import Decimal

    from obieg.crm.models import Account
    from obieg.sales.models import Contract, Offer, OfferLine

    ids = []
    for n in range(count):
        account = Account.objects.create(
            name=f"Odbiorca planu {n} S.A.",
            nip=nip(90_000 + n),
            street="ul. Krótka 2",
            postal_code="00-950",
            city="Warszawa",
        )
        offer = Offer.objects.create(number=f"OF/PLAN/{n}", account=account, title="Farma PV")
        OfferLine.objects.create(
            offer=offer,
            position=1,
            description="Farma PV 1 MW",
            quantity=Decimal(1),
            unit_price=Decimal("1000000.00"),
            vat_rate="23",
        )
        contract = Contract.objects.create(
            number=f"UM/PLAN/{n}",
            account=account,
            offer=offer,
            title="Farma PV",
            status="signed",
            value_net=Decimal("1000000.00"),
            value_gross=Decimal("1230000.00"),
        )
        ids.append(contract.pk)
    return ids


# The processes.


class Layout:
    """The web and worker processes, with their logs under var/soak/."""

    def __init__(self, env: dict[str, str], database_url: str):
        self.env = {**os.environ, **env}
        self.database = database_url.rsplit("/", 1)[1]
        self.server = database_url.rsplit("/", 1)[0]
        self.web: list[subprocess.Popen] = []
        self.ports: list[int] = []
        self.workers: list[subprocess.Popen] = []
        self.faults: list[str] = []

    def spawn(self, name: str, *command: str) -> subprocess.Popen:
        log = open(VAR / f"{name}.log", "a")  # noqa: SIM115 - the child owns it
        return subprocess.Popen(
            [str(OBIEG), *command], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def start_web(self, count: int) -> list[str]:
        for n in range(count):
            port = free_port()
            self.ports.append(port)
            self.web.append(
                self.spawn(
                    f"web-{n + 1}",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-worker",
                )
            )
        urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        for url in urls:
            wait_healthy(url, var=VAR)
        return urls

    def start_workers(self, count: int) -> None:
        for n in range(count):
            self.workers.append(self.spawn(f"worker-{n + 1}", "worker"))

    def kill_worker_in_transaction(self, touching: str, patience: float) -> None:
        """SIGKILL the worker whose database session is inside a transaction touching `touching`.

        The worker's sessions are found by their client ports (/proc), so the
        kill lands mid-job, with a transaction open, not between jobs.
        """
        deadline = time.monotonic() + patience
        victim, doing = None, "between jobs (no open transaction found)"
        with psycopg.connect(f"{self.server}/{self.database}", autocommit=True) as db:
            while victim is None and time.monotonic() < deadline:
                for index, process in enumerate(self.workers):
                    ports = tcp_ports_to(process.pid, 5432)
                    rows = db.execute(
                        "SELECT state, left(regexp_replace(query, '\\s+', ' ', 'g'), 90)"
                        " FROM pg_stat_activity WHERE datname = %s AND client_port = ANY(%s)"
                        " AND xact_start IS NOT NULL AND query ILIKE %s",
                        [self.database, list(ports), f"%{touching}%"],
                    ).fetchall()
                    if rows:
                        victim, doing = index, f"{rows[0][0]}: {rows[0][1]}"
                        break
                else:
                    time.sleep(0.005)
        index = victim if victim is not None else 0
        process = self.workers[index]
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(2.0)
        self.workers[index] = self.spawn(f"worker-{index + 1}", "worker")
        self.faults.append(
            f"SIGKILL worker {index + 1} (pid {process.pid}) in a transaction on {touching} "
            f"[{doing}]; restarted as pid {self.workers[index].pid} 2 s later"
        )
        print(f"  fault: {self.faults[-1]}", flush=True)

    def stop_workers(self) -> None:
        for process in self.workers:
            process.send_signal(signal.SIGTERM)  # finishes the job in hand, then exits
        for process in self.workers:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()

    def stop_all(self) -> None:
        for process in [*self.web, *self.workers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.web, *self.workers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# The run.


def run(args, layout: Layout, data: dict) -> int:
    from django.utils import timezone

    urls = layout.start_web(args.web)
    shared = Shared()
    people, accountants = [], []
    for n, person in enumerate(data["people"]):
        common = {
            "name": person["name"],
            "user_id": person["id"],
            "token": person["token"],
            "base_url": urls[n % len(urls)],
            "shared": shared,
        }
        if person["billing"]:
            accountants.append(
                Accountant(contracts=data["contracts"], buyers=data["buyers"], **common)
            )
        else:
            people.append(CaseWorker(html_password=PASSWORD if person["html"] else None, **common))
    layout.start_workers(args.workers)
    began = time.perf_counter()
    for user in [*people, *accountants]:
        user.start()
        time.sleep(0.05)
    load_seconds = args.minutes * 60
    # First fault: while the workers issue the invoices due at start (their clocks' first beat).
    time.sleep(WORKER_TICK_FIRST)
    layout.kill_worker_in_transaction("billing_", patience=60)
    # Second fault: half-way, while a worker fires timers or marks overdue tasks.
    time.sleep(max(0.0, began + load_seconds / 2 - time.perf_counter()))
    layout.kill_worker_in_transaction("engine_", patience=60)
    time.sleep(max(0.0, began + load_seconds - time.perf_counter()))
    load_end = time.perf_counter()
    shared.draining.set()
    print(f"  load phase over after {load_end - began:.0f} s; draining …", flush=True)
    drained = drain(args.drain, people)
    shared.stop.set()
    for user in [*people, *accountants]:
        user.join(timeout=150)
    drain_end = time.perf_counter()
    stopped_at = timezone.now()
    layout.stop_workers()
    layout.stop_all()
    engine, engine_figures = engine_checks(people, stopped_at)
    billing, billing_figures = billing_checks(accountants, date.today())
    report_run(people + accountants, began, load_end, drain_end, drained)
    left = sum(person.left_by_request for person in accountants)
    report_figures(engine_figures, billing_figures, job_figures(), layout.faults, left)
    return report_invariants(engine + billing, people + accountants)


def drain(limit: float, people: list[CaseWorker]) -> bool:
    """Wait until every soak case finished and no job waits (the people keep working)."""
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    from obieg.engine.models import Case

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        close_old_connections()
        active = Case.objects.filter(
            definition__key="soak_order", status__in=["running", "waiting"]
        )
        if not active.exists() and not DBTaskResult.objects.filter(status="READY").exists():
            return True
        time.sleep(2)
    return False


# Reporting.


def report_run(users, began: float, load_end: float, drain_end: float, drained: bool) -> None:
    rows = [r for user in users for r in user.requests]
    load = [r for r in rows if not r.draining]
    seconds = load_end - began
    statuses = Counter(r.status for r in rows)
    print(
        f"\nLoad phase: {len(load):,} requests in {seconds:.0f} s"
        f" = {len(load) / seconds:.1f} req/s; "
        f"drain: {len(rows) - len(load):,} requests in {drain_end - load_end:.0f} s "
        f"({'all work finished' if drained else 'work left at the time limit'})"
    )
    print(
        "Responses by status (whole run): "
        + ", ".join(
            f"{status or 'no answer'}: {count:,}" for status, count in sorted(statuses.items())
        )
    )
    print(
        f"\n{'load phase, by kind':<22}{'count':>7}{'per s':>8}{'median ms':>11}{'p95 ms':>9}"
        "  statuses"
    )
    kinds = defaultdict(list)
    for r in load:
        kinds[r.kind].append(r)
    for kind, found in sorted(kinds.items(), key=lambda entry: -len(entry[1])):
        times = sorted(r.ms for r in found)
        spread = Counter(r.status for r in found)
        print(
            f"{kind:<22}{len(found):>7}{len(found) / seconds:>8.2f}"
            f"{statistics.median(times):>11.0f}"
            f"{times[int(0.95 * (len(times) - 1))]:>9.0f}  "
            + " ".join(f"{s}:{n}" for s, n in sorted(spread.items()))
        )
    done = [r for r in load if (r.kind, r.status) in {("complete", 200), ("html complete", 302)}]
    print(
        f"completions: {len(done) / seconds:.2f}/s in the load phase "
        f"({len(done)} told done; API and HTML)"
    )


def report_figures(
    engine: dict, billing: dict, jobs: dict, faults: list[str], left_by_request: int
) -> None:
    print(
        f"\nEngine: {engine['cases']} cases started, {engine['completed']} completed; "
        f"{engine['timers_fired']} timers fired; {engine['overdue_flags']} tasks flagged overdue"
    )
    if "timer_late_s" in engine:
        first, median, p95, worst = engine["timer_late_s"]
        print(
            f"  timer's history line after its due moment: min {first:.1f} s, median {median:.1f}"
            f" s, p95 {p95:.1f} s, max {worst:.1f} s (the clock beats every 5 s; a line carries"
            " its step's start)"
        )
    print(
        f"Billing: {billing['schedule_due']} schedule items due, {billing['schedule_future']} not "
        f"yet due; issued by the worker clock {billing['issued_by_clock']}, by people's "
        f"issue-due {billing['issued_by_request']}; {billing['invoices']} invoices in all"
    )
    print(f"  invoices per series and period: {billing['series']}")
    print(f"Jobs (django-tasks-db): {jobs['by_status']}")
    print(f"  left RUNNING by a killed worker: {jobs['stranded'] or 0}")
    print(f"  handed back after their worker's lease expired, and run again: {jobs['handed_back']}")
    print(
        f"  schedule items left for a later run (an earlier item of the contract without "
        f"invoice): {jobs['left_for_next_run']} by the workers' jobs, {left_by_request} by "
        "people's issue-due"
    )
    if jobs["failed"]:
        print(f"  failed: {jobs['failed']}")
    for fault in faults:
        print(f"Fault: {fault}")
    tracebacks = {}
    for log in sorted(VAR.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        errors = [
            lines[i + 1 : i + 40] for i, line in enumerate(lines) if line.startswith("Traceback")
        ]
        if errors:
            last = [
                next((x for x in reversed(e) if x and not x.startswith(" ")), "?") for e in errors
            ]
            tracebacks[log.name] = Counter(last).most_common(3)
    print(f"Tracebacks in the process logs: {tracebacks or 'none'}")


def report_invariants(checks, users) -> int:
    server_errors = sum(1 for user in users for r in user.requests if r.status >= 500)
    unanswered = [e for user in users for e in user.transport_errors]
    checks = [*checks]
    checks.append(Check("no 5xx answer", server_errors == 0, f"{server_errors} answers 5xx"))
    redirected = sum(1 for user in users for r in user.requests if r.status == 301)
    checks.append(
        Check(
            "the proxy's https is believed (no 301 to https)", not redirected, f"{redirected} 301"
        )
    )
    done = sum(len(getattr(u, "completed", [])) + len(getattr(u, "invoices", [])) for u in users)
    checks.append(Check("the users got work done", done > 0, f"{done} completions and invoices"))
    checks.append(
        Check(
            "every request answered",
            not unanswered,
            "; ".join(unanswered[:3]) or "no connection error or timeout",
        )
    )
    print("\nInvariants:")
    for check in checks:
        print(f"  [{'ok' if check.ok else 'FAILED'}] {check.name}: {check.detail}")
    failed = [check for check in checks if not check.ok]
    print(f"\n{len(checks) - len(failed)} of {len(checks)} invariants hold.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
