"""The bell's count, its menu and the reminder jobs with 10^5 and 10^6 work items and notifications.

For each database (a fresh one, in a child process): fill the tables to the
first size, measure, grow them to the second, measure again. One user
("heavy") holds 5% of all notifications, half of them unread — far more
than a bell ever shows, so the cap is what keeps the count cheap. Prints
median and p95 per operation; on PostgreSQL the count's plan too. It
measures and prints; it never fails.

Usage:  .venv/bin/python bench/notifications.py [--sizes 100000,1000000] [--runs 300]
        [--databases sqlite,postgresql]
        [--postgres postgres://postgres@127.0.0.1:5432/obieg_bench_notifications]
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

from databases import fresh_database, p95

ROOT = Path(__file__).resolve().parents[1]
USERS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/obieg_bench_notifications"
        ),
    )
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    results = {}
    for database, url in (
        ("sqlite", f"sqlite:///{ROOT / 'var' / 'bench-notifications.sqlite3'}"),
        ("postgresql", args.postgres),
    ):
        if database not in args.databases.split(","):
            continue
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "obieg.settings"}
        # Production settings: no query log kept in memory, as on a real server.
        env.update(DEBUG="false", SECRET_KEY="bench-" + "k" * 50, ALLOWED_HOSTS="localhost")
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
        command = [sys.executable, __file__, "--child", database, "--sizes", args.sizes]
        command += ["--runs", str(args.runs), "--postgres", args.postgres]
        print(f"== {database}", file=sys.stderr, flush=True)
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {database}: skipped ({done.stderr.strip().splitlines()[-3:]})")
            continue
        results[database] = json.loads(done.stdout.strip().splitlines()[-1])
    report(results)


def report(results: dict) -> None:
    print(f"\n{'operation':<44}{'db':<12}{'rows':>10}{'median ms':>11}{'p95 ms':>9}")
    for database, sizes in results.items():
        for size in sizes:
            for name, timings in size["timings"].items():
                print(
                    f"{name:<44}{database:<12}{size['rows']:>10,}"
                    f"{statistics.median(timings):>11.2f}{p95(timings):>9.2f}"
                )
            for name, value in size.get("facts", {}).items():
                print(f"  {name}: {value}")
    print(
        "\nrows: work items in the table, and as many notifications; 'heavy' holds 5% of the"
        " notifications, half unread; the bell shows at most 99+."
    )


# A child: one database, fresh.


def child(args) -> None:
    import django

    fresh_database(args.child)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from obieg.core.models import User
    from obieg.engine.models import Case, ProcessDefinition

    definition = ProcessDefinition.objects.create(
        key="bench", name="Bench", version=1, sources={}, solution="bench"
    )
    Case.objects.bulk_create(
        [Case(definition=definition, title=f"Case {n}", status="running") for n in range(1000)]
    )
    User.objects.bulk_create([User(username=f"bench_user_{n}") for n in range(USERS)])
    first_case = Case.objects.order_by("pk").values_list("pk", flat=True).first()
    first_user = User.objects.filter(username="bench_user_0").values_list("pk", flat=True).get()
    heavy = User.objects.create(username="heavy")
    filled = 0
    sizes = []
    for size in (int(value) for value in args.sizes.split(",")):
        began = time.perf_counter()
        with connection.cursor() as cursor:
            fill(cursor, connection.vendor, filled, size, first_case, first_user, heavy.pk)
        seconds = time.perf_counter() - began
        filled = size
        measured = measure(heavy, args.runs)
        measured["facts"]["filled in"] = f"{seconds:.1f} s"
        sizes.append({"rows": size, **measured})
    print(json.dumps(sizes))


def fill(cursor, vendor: str, start: int, end: int, first_case: int, first_user: int, me: int):
    """Rows start+1..end of work items (1 in 20 open, a third assigned, due any hour within
    ±3 weeks) and notifications (1 in 20 the heavy user's, 1 in 40 unread; 1 in 10 of the
    others' unread)."""
    if vendor == "postgresql":
        series = f"generate_series({start + 1}, {end}) AS s(g)"
        due = "now() + (g % 997 - 498) * interval '1 hour'"
        now = "now()"
        uuid = "gen_random_uuid()"
    else:
        series = f"(WITH RECURSIVE s(g) AS (SELECT {start + 1} UNION ALL SELECT g + 1 FROM s WHERE g < {end}) SELECT g FROM s)"  # noqa: E501
        due = "datetime('now', printf('%+d hours', g % 997 - 498))"
        now = "datetime('now')"
        uuid = "lower(hex(randomblob(16)))"
    cursor.execute(
        f"""
        INSERT INTO engine_workitem (case_id, task_id, element_id, name, form_key, lane,
            assignee_id, candidate_group, status, due_at, overdue, created_at, revision, unmatched)
        SELECT {first_case} + g % 1000, {uuid}, 't' || (g % 10), 'Task', '', '',
            CASE WHEN g % 3 = 0 THEN {first_user} + g % {USERS} END, 'salesperson',
            CASE WHEN g % 20 = 0 THEN 'open' ELSE 'completed' END,
            {due}, {"false" if vendor == "postgresql" else "0"}, {now}, 0, ''
        FROM {series}
        """
    )
    cursor.execute(
        f"""
        INSERT INTO notifications_notification (recipient_id, kind, source, source_id, key,
            title, url, created_at, read_at)
        SELECT CASE WHEN g % 20 = 0 THEN {me} ELSE {first_user} + g % {USERS} END,
            'mention', 'activity', g, 'mention:activity:' || g, 'Notatka ' || g, '/accounts/',
            {now}, CASE WHEN g % 40 = 0 OR (g % 20 != 0 AND g % 10 = 1) THEN NULL ELSE {now} END
        FROM {series}
        """
    )
    cursor.execute("ANALYZE")


def timed(operation, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        operation()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def measure(heavy, runs: int) -> dict:
    from django.db import connection
    from django.test import Client

    from obieg.core.models import User
    from obieg.notifications import reminders, selectors
    from obieg.notifications.models import Notification, ScanMark

    light = User.objects.get(username="bench_user_7")
    client = Client()
    client.force_login(heavy)
    for _ in range(10):
        client.get("/notifications/bell/")  # warm up: connections, templates
    timings = {
        "bell count, heavy user (capped 99+)": timed(lambda: selectors.unread_count(heavy), runs),
        "bell count, ordinary user": timed(lambda: selectors.unread_count(light), runs),
        "bell menu (newest 8)": timed(lambda: selectors.latest(heavy), runs),
        "GET /notifications/bell/ (whole request)": timed(
            lambda: client.get("/notifications/bell/"), runs
        ),
        "list page 1": timed(lambda: selectors.notifications_page(heavy), max(runs // 5, 20)),
    }

    def due_today_scan():
        # The job runs every ten minutes; forget when it last ran so each call is a full one.
        # After the first call of the day every row it offers is already there (conflicts).
        ScanMark.objects.filter(name="due_today").update(ran_at=None)
        reminders.due_today()

    first = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    timings["due-today job, first run of the day"] = timed(due_today_scan, 1)
    made = Notification.objects.filter(pk__gt=first).count()
    timings["due-today job, every ten minutes after"] = timed(due_today_scan, 5)

    def assignment_scan():
        last = ScanMark.objects.filter(name="work_items_assigned")
        if not last.exists():
            reminders.new_assignments()  # the first run marks where it starts
        # Read the newest BATCH items again, as after a busy minute.
        top = connection.ops.quote_name("engine_workitem")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {top}")
            highest = cursor.fetchone()[0]
        last.update(position=highest - reminders.BATCH)
        reminders.new_assignments()

    timings[f"new-assignments job ({reminders.BATCH} new items)"] = timed(assignment_scan, 5)
    facts = {}
    if connection.vendor == "postgresql":
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            selectors.unread_count(heavy)  # the very statement the bell runs
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {queries.captured_queries[-1]['sql']}")
            plan = " / ".join(row[0].strip() for row in cursor.fetchall())
            facts["count plan"] = plan
    facts["due-today reminders made"] = made
    facts["heavy user's unread"] = Notification.objects.filter(
        recipient=heavy, read_at__isnull=True
    ).count()
    return {"timings": timings, "facts": facts}


if __name__ == "__main__":
    main()
