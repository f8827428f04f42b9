"""Benchmark of the process engine: completing tasks, and the inbox of a big table.

1. Many cases of a 10-user-task process (an exclusive gateway, a parallel
   split and join), every task completed through `engine.complete` — lock,
   load, run, save, sync work items, history, durable commit — on SQLite
   and PostgreSQL; and, case for case in turn in the same process, stock
   SpiffWorkflow in memory with a JSON save and load after every step (so
   a busy machine slows both alike). Prints median and p95 ms per
   completion and the ratio full stack / raw (target: within 2x); and
   the CPU time per completion of the Python process and of its
   PostgreSQL session (read from /proc, the server on this machine), with
   the ratio of their sum to raw's CPU: other work on the cores hardly
   moves it, so it compares runs that the wall time cannot.
2. The inbox of one user with 1,000,000 work items in the table
   (target: p95 under 50 ms).

Usage:  .venv/bin/python bench/engine.py [--cases 100] [--items 1000000]
        [--postgres postgres://postgres@127.0.0.1:5432/obieg_bench_engine]
        [--against /tmp/base/src --rounds 4]
Each database runs in a child process on a fresh database of its own.

On a shared machine one run proves little: `--against SRC` measures an
earlier copy of the source tree (e.g. `git archive HEAD src | tar -x -C
/tmp/base`) in rounds alternating with this one (`--rounds`, default 4),
each side's ratio to raw taken in its own run, and prints both per round.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from databases import fresh_database

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "tests" / "engine" / "data" / "ten_steps.bpmn"
STEP_DATA = {"amount": 5000, "note": "ok"}
INBOX_RUNS = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 0.95)


# The parent: starts one child per database, prints the table.


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/obieg_bench_engine"
        ),
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="which to run")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree to run")
    parser.add_argument("--against", type=Path, help="an earlier source tree, to compare")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds with --against")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    print(f"Engine benchmark: {args.cases} cases x 10 user tasks (gateway, parallel split/join)")
    if args.against:
        compare(args)
        return
    report(run_children(args, args.src), args)


def run_children(args, src: Path) -> dict:
    """One child per database, running the source tree `src`; their results by database."""
    results = {}
    for database, url in (
        ("sqlite", f"sqlite:///{ROOT / 'var' / 'bench-engine.sqlite3'}"),
        ("postgresql", args.postgres),
    ):
        if database not in args.databases.split(","):
            continue
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "obieg.settings"}
        # Production settings: no query log in memory, as on a real server.
        env.update(DEBUG="false", SECRET_KEY="bench-" + "k" * 50, ALLOWED_HOSTS="localhost")
        env["PYTHONPATH"] = os.pathsep.join([str(src.resolve()), str(ROOT)])
        command = [sys.executable, __file__, "--child", database, "--cases", str(args.cases)]
        command += ["--items", str(args.items), "--postgres", args.postgres]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {database}: skipped ({done.stderr.strip().splitlines()[-1:]})")
            continue
        results[database] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def ratio(result: dict) -> tuple[float, float, float]:
    """(raw median, full stack median, full / raw) of one child's completions."""
    raw = statistics.median(result["raw_ms"])
    full = statistics.median(result["completion_ms"])
    return raw, full, full / raw


def cpu_ratio(result: dict) -> tuple[float, float, float, float]:
    """(raw, Python, database session, (Python + database) / raw): mean CPU ms per completion.

    Means, not medians: the session's time is read in clock ticks when
    /proc has no schedstat, so only the sum over every completion is exact.
    """
    raw = statistics.fmean(result["raw_cpu_ms"])
    python = statistics.fmean(result["completion_cpu_ms"])
    database = result["database_cpu_ms"]
    return raw, python, database, (python + database) / raw


def compare(args) -> None:
    """This tree against `--against`, in alternating rounds; the ratio to raw of each."""
    trees = (("before", args.against), ("after", args.src))
    ratios: dict[tuple[str, str], list[float]] = {}
    cpu_ratios: dict[tuple[str, str], list[float]] = {}
    print(f"before: {args.against}\nafter:  {args.src}")
    print(
        f"\n{'round':<7}{'database':<12}{'tree':<8}{'raw ms':>8}{'full ms':>9}{'x raw':>7}"
        f"{'raw cpu':>9}{'py cpu':>8}{'db cpu':>8}{'cpu x':>7}"
    )
    for number in range(1, args.rounds + 1):
        # Alternate which tree goes first, so neither always follows the other.
        for label, src in trees if number % 2 else trees[::-1]:
            for database, result in run_children(args, src).items():
                raw, full, times = ratio(result)
                raw_cpu, python_cpu, database_cpu, cpu_times = cpu_ratio(result)
                ratios.setdefault((database, label), []).append(times)
                cpu_ratios.setdefault((database, label), []).append(cpu_times)
                print(
                    f"{number:<7}{database:<12}{label:<8}{raw:>8.2f}{full:>9.2f}{times:>6.2f}x"
                    f"{raw_cpu:>9.2f}{python_cpu:>8.2f}{database_cpu:>8.2f}{cpu_times:>6.2f}x"
                )
    print("\nfull stack / raw, median over the rounds (target: within 2x)")
    for database in ("sqlite", "postgresql"):
        if (database, "after") not in ratios or (database, "before") not in ratios:
            continue
        for kind, table in (("wall", ratios), ("cpu ", cpu_ratios)):
            before = statistics.median(table[(database, "before")])
            after = statistics.median(table[(database, "after")])
            every = ", ".join(f"{r:.2f}" for r in table[(database, "after")])
            print(
                f"  {database:<12}{kind} before {before:.2f}x   after {after:.2f}x   "
                f"(after: {every})"
            )


def report(results: dict, args) -> None:
    print(f"\n{'per completion, ms':<24}{'raw median':>11}{'p95':>7}{'full median':>13}{'p95':>7}"
          f"{'x raw':>7}{'trips':>7}")  # fmt: skip
    for database in ("sqlite", "postgresql"):
        if database not in results:
            continue
        raw_median, raw_p95 = summary(results[database]["raw_ms"])
        median, p95 = summary(results[database]["completion_ms"])
        queries = results[database]["queries_per_completion"]
        print(
            f"{database:<24}{raw_median:>11.2f}{raw_p95:>7.2f}{median:>13.2f}{p95:>7.2f}"
            f"{median / raw_median:>7.2f}{queries:>7}"
        )
    print("(raw: stock SpiffWorkflow + JSON save/load, run case for case beside the full stack;")
    print(" trips: queries a completion sends the database, BEGIN and COMMIT included)")
    for database in ("sqlite", "postgresql"):
        if database in results:
            raw, full, times = ratio(results[database])
            verdict = "within" if times <= 2 else "over"
            print(f"full stack / raw, {database}: {times:.2f}x ({verdict} the 2x target)")
    print(f"\n{'CPU per completion, ms':<24}{'raw':>11}{'python':>9}{'database':>10}{'x raw':>7}")
    for database in ("sqlite", "postgresql"):
        if database in results:
            raw_cpu, python_cpu, database_cpu, cpu_times = cpu_ratio(results[database])
            print(
                f"{database:<24}{raw_cpu:>11.2f}{python_cpu:>9.2f}{database_cpu:>10.2f}"
                f"{cpu_times:>7.2f}"
            )
    print("(means; python: this process; database: its PostgreSQL session — on SQLite,")
    print(" in the process; x raw: (python + database) / raw)")
    for database in ("sqlite", "postgresql"):
        if database in results:
            median, p95 = summary(results[database]["floor_ms"])
            label = f"floor: 1-row commit, {database}"
            print(f"{label:<30}{median:>10.2f}{p95:>10.2f}")
    print(f"\ninbox of one user, {args.items:,} work items in the table (target p95 < 50 ms)")
    for database in ("sqlite", "postgresql"):
        if database in results:
            median, p95 = summary(results[database]["inbox_ms"])
            rows = results[database]["inbox_rows"]
            print(f"  {database:<12} median {median:6.2f} ms   p95 {p95:6.2f} ms   ({rows} rows)")


# A child: one database, fresh.


def child(args) -> None:
    import django

    fresh_database(args.child)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from obieg.core.models import User
    from obieg.engine import deploy
    from obieg.engine.models import WorkItem
    from obieg.engine.runtime import services as engine
    from obieg.engine.spiff.baseline import RawRunner

    deploy.deploy_files([MODEL])
    raw = RawRunner(MODEL.read_text(), "ten_steps")
    session = database_session()
    user = User.objects.create(username="bench_sales")
    user.groups.add(Group.objects.get_or_create(name="salesperson")[0])

    timings: list[float] = []
    cpu_timings: list[float] = []
    database_cpu = [0.0]

    def run_case(timed: bool) -> None:
        case = engine.start_case(process="ten_steps", actor=user)
        while True:
            item = WorkItem.objects.filter(case=case, status="open").order_by("id").first()
            if item is None:
                return
            session_before = session()
            began, cpu_began = time.perf_counter(), time.process_time()
            engine.complete(work_item=item, actor=user, data=STEP_DATA)
            cpu, wall = time.process_time() - cpu_began, time.perf_counter() - began
            if timed:
                timings.append(wall * 1000)
                cpu_timings.append(cpu * 1000)
                database_cpu[0] += session() - session_before

    for _ in range(5):
        run_case(False)
        raw_case(raw)
    raw_timings: list[float] = []
    raw_cpu: list[float] = []
    for _ in range(args.cases):
        wall_ms, cpu_ms = raw_case(raw)
        raw_timings.extend(wall_ms)
        raw_cpu.extend(cpu_ms)
        run_case(True)
    case = engine.start_case(process="ten_steps", actor=user)
    item = WorkItem.objects.filter(case=case, status="open").first()
    with CaptureQueriesContext(connection) as queries, alone_commands() as alone:
        engine.complete(work_item=item, actor=user, data=STEP_DATA)
    # Django logs BEGIN and COMMIT whether or not they travel on their own: count the
    # queries sent, and the transaction commands psycopg sent alone.
    sent = [query for query in queries if query["sql"] not in ("BEGIN", "COMMIT", "ROLLBACK")]

    floor = write_floor(case.pk)
    inbox_ms, rows = inbox_benchmark(args.items, user)
    print(
        json.dumps(
            {
                "floor_ms": floor,
                "completion_ms": timings,
                "raw_ms": raw_timings,
                "completion_cpu_ms": cpu_timings,
                "raw_cpu_ms": raw_cpu,
                "database_cpu_ms": database_cpu[0] * 1000 / max(len(timings), 1),
                "queries_per_completion": len(sent) + len(alone),
                "inbox_ms": inbox_ms,
                "inbox_rows": rows,
            }
        )
    )


def raw_case(raw) -> tuple[list[float], list[float]]:
    """`RawRunner.run_case`'s loop, timed on the wall and in CPU: ms per completion of each."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    from obieg.engine.spiff.serializer import FULL_SERIALIZER

    walls, cpus = [], []
    workflow = BpmnWorkflow(raw.spec, raw.subprocess_specs)
    workflow.do_engine_steps()
    state = FULL_SERIALIZER.serialize_json(workflow)
    while True:
        began, cpu_began = time.perf_counter(), time.process_time()
        workflow = FULL_SERIALIZER.deserialize_json(state)
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        task.data.update(STEP_DATA)
        task.run()
        workflow.do_engine_steps()
        state = FULL_SERIALIZER.serialize_json(workflow)
        cpus.append((time.process_time() - cpu_began) * 1000)
        walls.append((time.perf_counter() - began) * 1000)
    return walls, cpus


def database_session():
    """A function giving the CPU seconds this process's database session has used so far.

    PostgreSQL on this machine: its backend's /proc entry (schedstat, in
    nanoseconds; else stat, in clock ticks). SQLite runs in this process,
    already counted in its CPU time: always 0.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    schedstat, stat = Path(f"/proc/{pid}/schedstat"), Path(f"/proc/{pid}/stat")

    def used() -> float:
        if connection.connection is None or connection.connection.info.backend_pid != pid:
            raise RuntimeError("the database session changed: its CPU time would be lost")
        try:
            return int(schedstat.read_text().split()[0]) / 1e9
        except OSError:
            pass
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0  # the server runs elsewhere: its CPU cannot be seen
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return used


@contextlib.contextmanager
def alone_commands():
    """The commands (BEGIN, COMMIT) psycopg sends in a round trip of their own, meanwhile."""
    sent: list = []
    try:
        from psycopg._connection_base import BaseConnection
    except ImportError:  # SQLite only
        yield sent
        return
    original = BaseConnection._exec_command

    def counted(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    BaseConnection._exec_command = counted
    try:
        yield sent
    finally:
        BaseConnection._exec_command = original


def write_floor(case_id: int) -> list[float]:
    """The database's own floor: one transaction updating one row and committing."""
    from django.db import connection, transaction

    timings = []
    for _ in range(300):
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE engine_case SET revision = revision WHERE id = %s", [case_id])
        timings.append((time.perf_counter() - began) * 1000)
    return timings[50:]


ROLES = ["salesperson", "designer", "accountant", "installer", "board", "secretariat",
         "phone_sales", "field_sales", "sales_manager", "department_head"]  # fmt: skip


def inbox_benchmark(items: int, user) -> tuple[list[float], int]:
    """Fill the table to `items` work items (5% open) and time `inbox(user)`."""
    from django.db import connection

    from obieg.core.models import User
    from obieg.engine import selectors
    from obieg.engine.models import Case, ProcessDefinition

    definition = ProcessDefinition.objects.get(key="ten_steps")
    Case.objects.bulk_create(
        [Case(definition=definition, title=f"Case {n}", status="completed") for n in range(1000)]
    )
    User.objects.bulk_create([User(username=f"bench_user_{n}") for n in range(200)])
    first_case = Case.objects.order_by("pk").values_list("pk", flat=True).first()
    first_user = User.objects.filter(username="bench_user_0").values_list("pk", flat=True).get()
    with connection.cursor() as cursor:
        fill_work_items(cursor, connection.vendor, items, first_case, first_user, user.pk)
    runs = []
    rows = 0
    for _ in range(INBOX_RUNS):
        fresh = User.objects.get(pk=user.pk)  # a request's user: roles not yet read
        began = time.perf_counter()
        rows = len(selectors.inbox(fresh))
        runs.append((time.perf_counter() - began) * 1000)
    return runs, rows


def fill_work_items(cursor, vendor: str, items: int, first_case: int, first_user: int, me: int):
    """Insert work items in one statement: 1 in 20 open; a third of those assigned."""
    roles = ", ".join(f"'{role}'" for role in ROLES)
    if vendor == "postgresql":
        cursor.execute(
            f"""
            INSERT INTO engine_workitem (case_id, task_id, element_id, name, form_key, lane,
                assignee_id, candidate_group, status, due_at, overdue, created_at, revision,
                unmatched)
            SELECT {first_case} + g % 1000, gen_random_uuid(), 't' || g % 10, 'Task', '', '',
                CASE WHEN g % 600 = 0 THEN {me} WHEN g % 3 = 0 THEN {first_user} + g % 200 END,
                (ARRAY[{roles}])[1 + (g / 20) % 10],
                CASE WHEN g % 20 = 0 THEN 'open' ELSE 'completed' END,
                now() + (g % 1000 - 500) * interval '1 hour', false, now() - interval '1 day', 0, ''
            FROM generate_series(1, {items}) AS g
            """
        )
        cursor.execute("ANALYZE engine_workitem")
        return
    role_case = " ".join(f"WHEN {n} THEN '{role}'" for n, role in enumerate(ROLES))
    cursor.execute(
        f"""
        INSERT INTO engine_workitem (case_id, task_id, element_id, name, form_key, lane,
            assignee_id, candidate_group, status, due_at, overdue, created_at, revision, unmatched)
        WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < {items})
        SELECT {first_case} + x % 1000, lower(hex(randomblob(16))), 't' || x % 10, 'Task', '', '',
            CASE WHEN x % 600 = 0 THEN {me} WHEN x % 3 = 0 THEN {first_user} + x % 200 END,
            CASE (x / 20) % 10 {role_case} END,
            CASE WHEN x % 20 = 0 THEN 'open' ELSE 'completed' END,
            datetime('now', printf('%+d hours', x % 1000 - 500)), 0,
            datetime('now', '-1 day'), 0, ''
        FROM g
        """
    )
    cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
