"""Benchmark of the grants solution (S3): the daily deadline scan and the coordinator's pages.

For each database (SQLite, PostgreSQL), on a fresh database:
1. `--projects` grant projects (default 2,000), each with a five-year payment schedule
   (60 monthly instalments, each with its payment obligation), six payment claims,
   three indicators measured yearly and five yearly durability reports — about 80
   obligations a project, written in bulk; coordinators share the projects;
2. the daily deadline scan, twice: on an ordinary day after the earlier days' scans
   ran (what the clock does every day), and on a quiet re-run of the same day
   (nothing left to send); prints obligations handled, e-mails queued and seconds;
3. the coordinator's deadlines dashboard, the project list and a project page through
   django.test.Client, as a coordinator and as the administrator who sees everything:
   median, p95 and the ratio to the 150 ms target.

Usage:  .venv/bin/python bench/grants.py [--projects 2000] [--runs 30]
        [--postgres postgres://postgres@127.0.0.1:5432/obieg_bench_grants]
Each database runs in a child process on a fresh database of its own. It measures and
prints; it never fails.
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
TARGET_MS = 150.0
COORDINATORS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/obieg_bench_grants"
        ),
    )
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"Grants benchmark: {args.projects:,} projects")
    for database, url in (
        ("sqlite", f"sqlite:///{ROOT / 'var' / 'bench-grants.sqlite3'}"),
        ("postgresql", args.postgres),
    ):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "obieg.settings"}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
        command = [sys.executable, __file__, "--child", database]
        command += ["--projects", str(args.projects), "--runs", str(args.runs)]
        command += ["--postgres", args.postgres]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {database}: failed ({done.stderr.strip().splitlines()[-3:]})")
            continue
        report(database, json.loads(done.stdout.strip().splitlines()[-1]))


def report(database: str, result: dict) -> None:
    print(f"\n{database}")
    print(
        f"  set-up: {result['projects']:,} projects, {result['obligations']:,} obligations,"
        f" {result['schedule_items']:,} schedule items in {result['setup_s']:.0f} s"
    )
    for name in ("scan_day", "scan_again"):
        scan = result[name]
        print(
            f"  {scan['label']:<34} {scan['seconds'] * 1000:8.0f} ms;"
            f" reminded {scan['reminded']:,}, escalated {scan['escalated']:,},"
            f" e-mails queued {scan['mails']:,}"
        )
    print(f"  {'page':<34} {'median':>8} {'p95':>8} {'p95/target':>11} {'queries':>8}")
    for page in result["pages"]:
        print(
            f"  {page['name']:<34} {page['median']:7.1f}ms {page['p95']:7.1f}ms"
            f" {page['p95'] / TARGET_MS:10.2f}x {page['queries']:8}"
        )


# A child: one database, fresh.


def child(args) -> None:
    import django

    fresh_database(args.child)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    result = populate(args.projects)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a load (it is off on this server)
    result["setup_s"] = time.perf_counter() - began
    result.update(scan_figures())
    result["pages"] = page_figures(args.runs)
    print(json.dumps(result))


SCAN_DAY = None  # set by populate: the day the scan is timed on


def _months_after(day, months: int):
    from datetime import date

    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def populate(count: int) -> dict:
    """Projects with schedules, claims, indicators and reports, and their obligations, in bulk."""
    global SCAN_DAY
    from datetime import date, timedelta
    from decimal import Decimal

    from django.contrib.auth.models import Group

    from obieg.billing.models import CompanyProfile, ScheduleItem
    from obieg.core import roles
    from obieg.core.models import User
    from obieg.crm.models import Account
    from obieg.sales.models import Contract
    from obieg.solutions.grants import deadlines
    from obieg.solutions.grants.models import (
        DurabilityReport,
        GrantApplication,
        GrantProject,
        Indicator,
        Measurement,
        Obligation,
        PaymentClaim,
    )

    CompanyProfile.objects.create(
        name="Fundacja Wspierania Przedsiębiorczości", nip="5260250274", street="ul. Rynek 1",
        postal_code="31-042", city="Kraków", bank_account="PL61109010140000071219812874",
    )  # fmt: skip
    group = Group.objects.get(name=roles.COORDINATOR)  # made by migrate
    advisor = User.objects.create_user("advisor", email="advisor@iob.example")
    User.objects.create_superuser("admin", email="admin@iob.example", password="x")
    coordinators = []
    for n in range(COORDINATORS):
        user = User.objects.create_user(f"coordinator{n}", email=f"c{n}@iob.example")
        user.groups.add(group)
        coordinators.append(user)
    start = date(2026, 1, 5)
    # Five business days before the first yearly measurements: every indicator is reminded.
    SCAN_DAY = date(2028, 6, 23)
    accounts = Account.objects.bulk_create(
        Account(name=f"Beneficjent {n} Sp. z o.o.", street=f"ul. Grantowa {n}",
                postal_code="30-001", city="Kraków", email=f"biuro{n}@example.com", owner=advisor)
        for n in range(count)
    )  # fmt: skip
    contracts = Contract.objects.bulk_create(
        Contract(number=f"UW/{n}", account=account, title="Umowa o współpracy", status="signed",
                 value_net=Decimal("60000.00"), value_gross=Decimal("73800.00"), signed_on=start)
        for n, account in enumerate(accounts)
    )  # fmt: skip
    projects = GrantProject.objects.bulk_create(
        GrantProject(number=f"IOB/B/{n:05}", title=f"Projekt {n}", account=account,
                     advisor=advisor, coordinator=coordinators[n % COORDINATORS],
                     contract=contract, status=GrantProject.Status.DURABILITY,
                     success_fee_percent=Decimal("3.00"), durability_years=5,
                     final_payment_on=date(2027, 6, 30), durability_ends_on=date(2032, 6, 30))
        for n, (account, contract) in enumerate(zip(accounts, contracts, strict=True))
    )  # fmt: skip
    GrantApplication.objects.bulk_create(
        GrantApplication(project=project, programme="FENG", call="FENG.01.01-IP.02-001/26",
                         requested_amount=Decimal("500000.00"),
                         awarded_amount=Decimal("450000.00"), co_financing_rate=Decimal("70"),
                         status="agreement_signed", realisation_starts_on=start,
                         realisation_ends_on=date(2027, 6, 30))
        for project in projects
    )  # fmt: skip
    moments = {}

    def obligation(project, kind, title, due, **source):
        if (kind, due) not in moments:
            moments[kind, due] = deadlines.moments(kind, due)
        remind_on, escalate_on = moments[kind, due]
        # Days before the timed one were scanned already, as the clock does every day.
        return Obligation(project=project, kind=kind, title=title, due_date=due,
                          remind_on=remind_on, escalate_on=escalate_on,
                          reminded_at=_scanned(remind_on), escalated_at=_scanned(escalate_on),
                          **source)  # fmt: skip

    rows: list[Obligation] = []
    items = ScheduleItem.objects.bulk_create(
        ScheduleItem(contract=contract, due_date=_months_after(start, month),
                     amount=Decimal("1230.00"), kind="instalment", description=f"Rata {month + 1}")
        for contract in contracts
        for month in range(60)
    )  # fmt: skip
    by_contract = {
        contract.pk: project for project, contract in zip(projects, contracts, strict=True)
    }
    rows += [
        obligation(by_contract[item.contract_id], "payment", item.description, item.due_date,
                   schedule_item=item)
        for item in items
    ]  # fmt: skip
    claims = PaymentClaim.objects.bulk_create(
        PaymentClaim(project=project, number=n + 1, kind="final" if n == 5 else "interim",
                     period_from=_months_after(start, 3 * n),
                     period_to=_months_after(start, 3 * n + 3) - timedelta(days=1),
                     due_date=_months_after(start, 3 * n + 3) + timedelta(days=10))
        for project in projects
        for n in range(6)
    )  # fmt: skip
    rows += [
        obligation(claim.project, "claim", f"Wniosek o płatność {claim.number}", claim.due_date,
                   claim=claim)
        for claim in claims
    ]  # fmt: skip
    indicators = Indicator.objects.bulk_create(
        Indicator(project=project, kind="result", name=f"Wskaźnik {n + 1}", unit="szt.",
                  baseline=Decimal(0), target=Decimal(10), latest_value=Decimal(7 + n),
                  below_target=n == 0)
        for project in projects
        for n in range(3)
    )  # fmt: skip
    measurements = Measurement.objects.bulk_create(
        Measurement(indicator=indicator, due_date=date(2028 + year, 6, 30))
        for indicator in indicators
        for year in range(5)
    )  # fmt: skip
    project_of = {indicator.pk: indicator.project for indicator in indicators}
    rows += [
        obligation(project_of[m.indicator_id], "measurement", "Pomiar wskaźnika", m.due_date,
                   measurement=m)
        for m in measurements
    ]  # fmt: skip
    reports = DurabilityReport.objects.bulk_create(
        DurabilityReport(project=project, number=year + 1, period_from=date(2027 + year, 7, 1),
                         period_to=date(2028 + year, 6, 30), due_date=date(2028 + year, 7, 30))
        for project in projects
        for year in range(5)
    )  # fmt: skip
    rows += [
        obligation(report.project, "report", f"Raport trwałości {report.number}", report.due_date,
                   report=report)
        for report in reports
    ]  # fmt: skip
    Obligation.objects.bulk_create(rows, batch_size=5_000)
    # Before the timed day, obligations whose date passed were done, as a working team does.
    Obligation.objects.filter(due_date__lt=SCAN_DAY - timedelta(days=40)).update(
        state="done", done_on=SCAN_DAY
    )
    return {
        "projects": count,
        "obligations": len(rows),
        "schedule_items": len(items),
    }


def _scanned(moment):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if moment >= SCAN_DAY:
        return None
    return datetime(moment.year, moment.month, moment.day, 6, tzinfo=ZoneInfo("Europe/Warsaw"))


def scan_figures() -> dict:
    from obieg.mail.models import OutboxMessage
    from obieg.solutions.grants.scan import scan

    figures = {}
    for name, label in (
        ("scan_day", f"daily scan on {SCAN_DAY}"),
        ("scan_again", "the same day again (nothing to do)"),
    ):
        mails = OutboxMessage.objects.count()
        began = time.perf_counter()
        result = scan(on=SCAN_DAY)
        figures[name] = {
            "label": label,
            "seconds": time.perf_counter() - began,
            "reminded": len(result.reminded),
            "escalated": len(result.escalated),
            "mails": OutboxMessage.objects.count() - mails,
        }
    return figures


def page_figures(runs: int) -> list[dict]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from obieg.core import clock
    from obieg.core.models import User
    from obieg.solutions.grants.models import GrantProject

    project = GrantProject.objects.filter(coordinator__username="coordinator0").first()
    pages = [
        ("coordinator", "deadlines", "grants:deadlines", ()),
        ("admin", "deadlines", "grants:deadlines", ()),
        ("coordinator", "project list", "grants:project_list", ()),
        ("admin", "project list", "grants:project_list", ()),
        ("coordinator", "project page", "grants:project", (project.pk,)),
    ]
    figures = []
    moment = datetime(SCAN_DAY.year, SCAN_DAY.month, SCAN_DAY.day, 10, tzinfo=ZoneInfo("UTC"))
    with clock.frozen(moment, all_threads=True):
        for username, label, route, route_args in pages:
            try:
                url = reverse(route, args=route_args)
            except NoReverseMatch:
                continue
            # The test client's default "testserver" is not an allowed host here.
            client = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(username="coordinator0" if username ==
                                                "coordinator" else "admin"))  # fmt: skip
            for _ in range(3):
                client.get(url)
            timings = []
            for _ in range(runs):
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            figures.append(
                {
                    "name": f"{label} ({username})",
                    "median": statistics.median(timings),
                    "p95": p95(timings),
                    "queries": len(queries),
                }
            )
    return figures


if __name__ == "__main__":
    main()
