"""Benchmark of the PV sales force's schedules (S2): the next day of the whole sales team.

For each database (SQLite, PostgreSQL), on a fresh database:
1. `--phone` telephone salespeople (default 50) and `--queued` opportunities waiting in
   the queues (default 200,000; every tenth in the field queue, near a field
   salesperson, a candidate fill-in visit), and `--field` field salespeople (default 30)
   with their home bases spread over Poland and `--visits` booked meetings each
   (default 4) within ~35 km of them, with windows promised to the customers (all day,
   morning, afternoon, three-hour windows) — written in bulk;
2. the next day's schedules, timed: the telephone days (call_schedule) and the field
   days (field_schedule: the VROOM solver, meetings and calendar events written);
3. the nearest-first hand plan of the same field day, computed in the same run. It
   places fewer meetings than the solver, so the drives are compared on the same work:
   the solver is run again on just the meetings nearest-first placed, and the total
   drive of the two plans of those meetings gives the percentage.

Its last line reads `schedules: <seconds> s, travel -<percent> % vs nearest-first`
(the seconds and drives of the SQLite run, or of the only run that worked).
Target: under 10 s on a 2-core machine, travel at least 20 % shorter.

Usage:  .venv/bin/python bench/schedules.py [--phone 50] [--queued 200000] [--field 30]
        [--visits 6] [--postgres postgres://postgres@127.0.0.1:5432/obieg_bench_schedules]
        [--sqlite-only]
Each database runs in a child process on a fresh database of its own. It measures and
prints; it never fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from databases import fresh_database

ROOT = Path(__file__).resolve().parents[1]
DAY = "2027-03-09"  # a Tuesday and an ordinary business day
# Home bases: the centroids of 30 postal areas around the big and middle-sized towns.
HOME_AREAS = (
    "00 30 40 50 60 80 90 70 20 15 10 85 87 35 25 45 65 75 26 33 42 43 44 58 59 62 63 97 98 22"
).split()
WINDOWS = ((8, 18), (8, 13), (13, 18), (9, 12), (12, 15), (15, 18), (10, 13), (8, 18))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phone", type=int, default=50)
    parser.add_argument("--queued", type=int, default=200_000)
    parser.add_argument("--field", type=int, default=30)
    parser.add_argument("--visits", type=int, default=4)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/obieg_bench_schedules"
        ),
    )
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(
        f"Schedules benchmark: {args.phone} telephone salespeople, {args.queued:,} queued"
        f" opportunities, {args.field} field salespeople × {args.visits} meetings"
    )
    databases = [("sqlite", f"sqlite:///{ROOT / 'var' / 'bench-schedules.sqlite3'}")]
    if not args.sqlite_only:
        databases.append(("postgresql", args.postgres))
    results = {}
    for database, url in databases:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "obieg.settings"}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
        command = [sys.executable, __file__, "--child", database]
        for name in ("phone", "queued", "field", "visits", "postgres"):
            command += [f"--{name}", str(getattr(args, name))]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {database}: failed ({done.stderr.strip().splitlines()[-3:]})")
            continue
        results[database] = json.loads(done.stdout.strip().splitlines()[-1])
        report(database, results[database])
    if not results:
        print("schedules: failed")
        return
    final = results.get("sqlite") or next(iter(results.values()))
    print(
        f"schedules: {final['total_s']:.1f} s,"
        f" travel -{final['saving_percent']:.1f} % vs nearest-first"
    )


def report(database: str, r: dict) -> None:
    print(f"\n{database}")
    print(f"  set-up: {r['queued']:,} queued, {r['meetings']} meetings in {r['setup_s']:.0f} s")
    print(
        f"  telephone days: {r['calls']:,} calls for {r['phone_working']} salespeople"
        f" in {r['phone_s']:.2f} s"
    )
    print(
        f"  field days: {r['placed'] - r['fill_ins']}/{r['meetings']} meetings placed"
        f" and {r['fill_ins']} fill-in visits from the field queue,"
        f" {r['unplaced']} not placed, in {r['field_s']:.2f} s"
        f" (solver {r['solve_s']:.2f} s, {r['events']} calendar events)"
    )
    print(
        f"  drive: solver {r['travel_min']:,} min, nearest-first {r['baseline_min']:,} min"
        f" ({r['baseline_placed']}/{r['meetings']} placed, {r['baseline_s']:.2f} s)"
    )
    print(
        f"  drive on the same {r['baseline_placed']} meetings: solver {r['same_min']:,} min,"
        f" nearest-first {r['baseline_min']:,} min → -{r['saving_percent']:.1f} %"
    )
    print(f"  both schedules: {r['total_s']:.2f} s (target 10 s)")


# A child: one database, fresh.


def child(args) -> None:
    import django

    fresh_database(args.child)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    result = populate(args)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load
    result["setup_s"] = time.perf_counter() - began
    result.update(measure())
    print(json.dumps(result))


def populate(args) -> dict:
    """The team, the queue and the booked meetings, in bulk (as a nightly import would)."""
    from datetime import date, datetime, time, timedelta
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from obieg.core import roles
    from obieg.core.models import User
    from obieg.crm.models import Account, Opportunity
    from obieg.solutions.pv_salesforce import geo
    from obieg.solutions.pv_salesforce.models_field import FieldDay, Meeting
    from obieg.solutions.pv_salesforce.models_queue import QueueItem, QueueKind

    rng = random.Random(2027)
    day = date.fromisoformat(DAY)
    phone_group, _ = Group.objects.get_or_create(name=roles.PHONE_SALES)
    field_group, _ = Group.objects.get_or_create(name=roles.FIELD_SALES)
    phone = User.objects.bulk_create(
        [User(username=f"phone{i:03}", first_name=f"Phone {i}") for i in range(args.phone)]
    )
    field = User.objects.bulk_create(
        [User(username=f"field{i:03}", first_name=f"Field {i}") for i in range(args.field)]
    )
    phone = list(User.objects.filter(username__startswith="phone"))
    field = list(User.objects.filter(username__startswith="field").order_by("username"))
    phone_group.user_set.add(*phone)
    field_group.user_set.add(*field)
    areas = geo.postal_areas()
    homes = []
    for i, user in enumerate(field):
        home = areas[HOME_AREAS[i % len(HOME_AREAS)]]
        homes.append(home)
        FieldDay.objects.create(
            user=user,
            home_latitude=Decimal(f"{home[0]:.6f}"),
            home_longitude=Decimal(f"{home[1]:.6f}"),
        )
    meetings_wanted = args.field * args.visits
    total = args.queued + meetings_wanted
    batch = 5_000
    entered = timezone.make_aware(datetime(2027, 1, 4, 9))
    for start in range(0, total, batch):
        count = min(batch, total - start)
        accounts = Account.objects.bulk_create(
            [
                Account(kind=Account.Kind.PERSON, name=f"Klient {n}", phone=f"5{n:08}")
                for n in range(start, start + count)
            ]
        )
        opportunities = Opportunity.objects.bulk_create(
            [Opportunity(account=a, name=f"PV {a.name}") for a in accounts]
        )
        queued = [o for o in opportunities if o.pk is not None][: max(0, args.queued - start)]
        items = []
        for o in queued:
            item = QueueItem(
                opportunity=o,
                queue=QueueKind.PHONE,
                score=rng.randint(0, 100),
                entered_at=entered + timedelta(minutes=rng.randint(0, 60 * 24 * 60)),
            )
            if o.pk % 10 == 0:  # a field-queue customer somewhere near a field salesperson
                home = homes[o.pk % len(homes)]
                item.queue = QueueKind.FIELD
                item.lat = Decimal(f"{home[0] + rng.uniform(-0.3, 0.3):.6f}")
                item.lon = Decimal(f"{home[1] + rng.uniform(-0.45, 0.45):.6f}")
            items.append(item)
        QueueItem.objects.bulk_create(items)
    # The last opportunities get the field meetings, around the salespeople's home bases.
    customers = list(
        Opportunity.objects.order_by("-pk").values_list("pk", flat=True)[:meetings_wanted]
    )
    meetings = []
    for n, opportunity_id in enumerate(customers):
        home = homes[n % len(homes)]
        lat = home[0] + rng.uniform(-0.3, 0.3)  # ±33 km
        lon = home[1] + rng.uniform(-0.45, 0.45)  # ±32 km
        first, last = rng.choice(WINDOWS)
        meetings.append(
            Meeting(
                opportunity_id=opportunity_id,
                window_start=timezone.make_aware(datetime.combine(day, time(first))),
                window_end=timezone.make_aware(datetime.combine(day, time(last))),
                duration_minutes=60,
                address=f"ul. Słoneczna {n + 1}",
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lon:.6f}"),
            )
        )
    Meeting.objects.bulk_create(meetings)
    return {"queued": args.queued, "meetings": len(meetings)}


def measure() -> dict:
    """The next day's schedules, timed; the nearest-first plan of the same field day."""
    from datetime import date

    from obieg.scheduling.models import CalendarEvent
    from obieg.solutions.pv_salesforce import call_schedule, field_schedule, routes
    from obieg.solutions.pv_salesforce.models_field import Meeting

    day = date.fromisoformat(DAY)
    began = time.perf_counter()
    phone = call_schedule.build_call_schedules(day=day)
    phone_s = time.perf_counter() - began

    problem = field_schedule.problem_for(
        day, list(field_schedule.day_meetings(day)), field_schedule.working_salespeople(day)
    )
    began = time.perf_counter()
    baseline = routes.nearest_first(problem.workers, problem.visits)
    baseline_s = time.perf_counter() - began
    began = time.perf_counter()
    routes.solve(problem.workers, problem.visits)
    solve_s = time.perf_counter() - began
    # The same work for both: the solver's plan of just the meetings nearest-first placed.
    taken = {stop.visit_id for stops in baseline.routes.values() for stop in stops}
    same = routes.solve(problem.workers, [v for v in problem.visits if v.id in taken])
    same_min = round(same.travel / 60)

    began = time.perf_counter()
    plan = field_schedule.build_field_schedules(day=day)
    field_s = time.perf_counter() - began
    baseline_min = round(baseline.travel / 60)
    return {
        "phone_s": phone_s,
        "calls": phone.planned,
        "phone_working": len(phone.working),
        "field_s": field_s,
        "solve_s": solve_s,
        "placed": plan.placed,
        "fill_ins": Meeting.objects.filter(queue_item__isnull=False, status="planned").count(),
        "unplaced": len(plan.unplaced),
        "events": CalendarEvent.objects.count(),
        "travel_min": plan.travel_minutes,
        "baseline_min": baseline_min,
        "baseline_placed": baseline.placed,
        "baseline_s": baseline_s,
        "same_min": same_min,
        "same_placed": same.placed,
        "saving_percent": 100 * (baseline_min - same_min) / max(1, baseline_min),
        "total_s": phone_s + field_s,
    }


if __name__ == "__main__":
    main()
