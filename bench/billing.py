"""Benchmark of billing: invoices issued from due payment schedules, their KSeF XML and PDFs.

For each database (SQLite, PostgreSQL), on a fresh database:
1. contracts whose payment schedules hold `--items` due items (default 10,000): half PV
   contracts (advance + final, two VAT rates) and half grant contracts (three instalments
   + final, 23%); `issue_due_invoices` issues them all (one worker; with `--workers N`
   a second batch by N worker processes at once on PostgreSQL, checked for gaps and
   duplicates); prints invoices per second and queries per invoice;
2. the FA(3) XML of every issued invoice: per second, and a sample validated against the XSD;
3. the PDF of a sample of invoices of each kind: median and p95 ms per invoice.

Usage:  .venv/bin/python bench/billing.py [--items 10000] [--workers 4] [--pdfs 30]
        [--postgres postgres://postgres@127.0.0.1:5432/obieg_bench_billing]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pdfs", type=int, default=30)
    parser.add_argument("--validate", type=int, default=200, help="XML documents validated")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/obieg_bench_billing"
        ),
    )
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print(f"Billing benchmark: {args.items:,} due schedule items")
    for database, url in (
        ("sqlite", f"sqlite:///{ROOT / 'var' / 'bench-billing.sqlite3'}"),
        ("postgresql", args.postgres),
    ):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "obieg.settings"}
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
        command = [sys.executable, __file__, "--child", database, "--items", str(args.items)]
        command += ["--workers", str(args.workers), "--pdfs", str(args.pdfs)]
        command += ["--validate", str(args.validate), "--postgres", args.postgres]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"  {database}: skipped ({done.stderr.strip().splitlines()[-1:]})")
            continue
        report(database, json.loads(done.stdout.strip().splitlines()[-1]))


def report(database: str, result: dict) -> None:
    print(f"\n{database}")
    print(f"  set-up: {result['contracts']:,} contracts, {result['items']:,} due items")
    print(
        f"  issue (1 worker):   {result['issued']:,} invoices in {result['issue_s']:.1f} s"
        f" = {result['issued'] / result['issue_s']:,.0f} invoices/s,"
        f" {result['queries_per_invoice']:.1f} queries per invoice"
    )
    if result.get("parallel"):
        parallel = result["parallel"]
        print(
            f"  issue ({parallel['workers']} workers): {parallel['issued']:,} invoices in"
            f" {parallel['seconds']:.1f} s = {parallel['issued'] / parallel['seconds']:,.0f}"
            f" invoices/s; gaps or duplicates: {parallel['problems']}"
        )
    print(
        f"  KSeF XML:          {result['xml_count']:,} documents in {result['xml_s']:.1f} s"
        f" = {result['xml_count'] / result['xml_s']:,.0f}/s;"
        f" {result['validated']} validated against the XSD, {result['invalid']} invalid"
    )
    pdf = result["pdf_ms"]
    print(
        f"  PDF:               median {statistics.median(pdf):.0f} ms, p95 {p95(pdf):.0f} ms"
        f" per invoice ({len(pdf)} rendered: VAT, ZAL, ROZ)"
    )


# A child: one database, fresh.


def child(args) -> None:
    import django

    fresh_database(args.child)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from obieg.billing.invoicing import SCHEDULER
    from obieg.billing.models import Invoice
    from obieg.billing.schedules import issue_due_invoices

    result = populate(args.items)
    with CaptureQueriesContext(connection) as queries:
        probe = issue_due_invoices(actor=SCHEDULER, limit=20)
    began = time.perf_counter()
    report = issue_due_invoices(actor=SCHEDULER)
    result["issue_s"] = time.perf_counter() - began
    result["issued"] = len(report.issued) + len(probe.issued)
    result["refused"] = len(report.refused)
    result["queries_per_invoice"] = len(queries) / max(1, len(probe.issued))
    result.update(xml_figures(Invoice.objects.order_by("id"), args.validate))
    result["pdf_ms"] = pdf_figures(args.pdfs)
    if connection.vendor == "postgresql" and args.workers > 1:
        result["parallel"] = parallel_issue(args.items, args.workers)
    print(json.dumps(result))


def populate(items: int, *, prefix: str = "B") -> dict:
    """Contracts with due schedules totalling `items` items, written in bulk."""
    from datetime import date, timedelta
    from decimal import Decimal

    from obieg.billing.models import CompanyProfile, ScheduleItem
    from obieg.crm.models import Account
    from obieg.sales.models import Contract, Offer, OfferLine

    if not CompanyProfile.objects.exists():
        CompanyProfile.objects.create(
            name="Słoneczna Energia Sp. z o.o.", nip="5260250274", street="ul. Polna 1",
            postal_code="31-539", city="Kraków", bank_account="PL61109010140000071219812874",
            place_of_issue="Kraków", vat_exemption_basis="art. 43 ust. 1 pkt 37 ustawy o VAT",
        )  # fmt: skip
    pv, grants = items // 4, items // 8  # PV: 2 items each; grants: 4 items each
    count = pv + grants
    accounts = Account.objects.bulk_create(
        Account(name=f"Klient {prefix}{n} Sp. z o.o.", nip=nip(n), street=f"ul. Długa {n}",
                postal_code="30-001", city="Kraków")
        for n in range(count)
    )  # fmt: skip
    offers = Offer.objects.bulk_create(
        Offer(number=f"OF/{prefix}/{n}", account=account, title="Oferta")
        for n, account in enumerate(accounts)
    )
    lines, values = [], []
    for n, offer in enumerate(offers):
        if n < pv:
            parts = [("Moduły PV", "20", "900.00", "23"), ("Montaż", "1", "6000.00", "8")]
        else:
            parts = [("Doradztwo grantowe", "1", "12000.00", "23")]
        net = vat = Decimal(0)
        for position, (text, quantity, price, rate) in enumerate(parts, start=1):
            lines.append(OfferLine(offer=offer, position=position, description=text,
                                   quantity=Decimal(quantity), unit_price=Decimal(price),
                                   vat_rate=rate))  # fmt: skip
            value = Decimal(quantity) * Decimal(price)
            net, vat = net + value, vat + (value * Decimal(rate) / 100).quantize(Decimal("0.01"))
        values.append((net, net + vat))
    OfferLine.objects.bulk_create(lines)
    contracts = Contract.objects.bulk_create(
        Contract(number=f"UM/{prefix}/{n}", account=account, offer=offer, title="Umowa",
                 status="signed", value_net=values[n][0], value_gross=values[n][1])
        for n, (account, offer) in enumerate(zip(accounts, offers, strict=True))
    )  # fmt: skip
    day = date.today() - timedelta(days=10)
    schedule = []
    for n, contract in enumerate(contracts):
        gross = contract.value_gross
        if n < pv:
            plan = [("advance", (gross * Decimal("0.3")).quantize(Decimal("0.01")))]
            plan.append(("final", gross - plan[0][1]))
        else:
            part = (gross / 4).quantize(Decimal("0.01"))
            plan = [("instalment", part)] * 3 + [("final", gross - 3 * part)]
        for offset, (kind, amount) in enumerate(plan):
            schedule.append(ScheduleItem(contract=contract, kind=kind, amount=amount,
                                         due_date=day + timedelta(days=offset)))  # fmt: skip
    ScheduleItem.objects.bulk_create(schedule)
    return {"contracts": count, "items": len(schedule)}


def nip(n: int) -> str:
    """A NIP KSeF accepts (valid checksum, no 0 after the first digit) derived from `n`."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    seed = 111_000_000 + n * 7
    while True:
        digits = [int(d) for d in f"{seed:09d}"]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10 and digits[0] and (digits[1] or digits[2]):
            return "".join(map(str, digits)) + str(check)
        seed += 1


def xml_figures(invoices, validate_count: int) -> dict:
    from obieg.billing import ksef

    documents = []
    began = time.perf_counter()
    for invoice in invoices.prefetch_related("lines", "rate_totals", "advances").select_related(
        "contract"
    ):
        documents.append(ksef.invoice_xml(invoice))
    seconds = time.perf_counter() - began
    step = max(1, len(documents) // max(1, validate_count))
    sample = documents[::step][:validate_count]
    invalid = 0
    for document in sample:
        try:
            ksef.validate(document)
        except ksef.KsefSchemaError:
            invalid += 1
    return {"xml_count": len(documents), "xml_s": seconds, "validated": len(sample),
            "invalid": invalid}  # fmt: skip


def pdf_figures(count: int) -> list[float]:
    from obieg.billing.models import Invoice
    from obieg.billing.pdf import invoice_pdf

    invoice_pdf(Invoice.objects.first())  # fonts and styles load once
    timings = []
    per_kind = max(1, count // 3)
    for kind in ("VAT", "ZAL", "ROZ"):
        for invoice in Invoice.objects.filter(kind=kind).order_by("id")[:per_kind]:
            began = time.perf_counter()
            invoice_pdf(invoice)
            timings.append((time.perf_counter() - began) * 1000)
    return timings


def parallel_issue(items: int, workers: int) -> dict:
    """A second batch of due items issued by `workers` worker processes at once (PostgreSQL).

    Processes, as `obieg worker` runs them: threads of one process would share the GIL.
    """
    from django.db import connection

    from obieg.billing.models import Invoice, ScheduleItem

    before = Invoice.objects.count()
    populate(items, prefix="P")
    connection.close()
    command = [sys.executable, "-c", WORKER]
    began = time.perf_counter()
    processes = [subprocess.Popen(command, env=os.environ.copy()) for _ in range(workers)]
    failed = sum(process.wait() != 0 for process in processes)
    seconds = time.perf_counter() - began
    problems = ScheduleItem.objects.filter(invoice__isnull=True).count()
    for kind, _prefix in (("VAT", "FV"), ("ZAL", "FZ"), ("ROZ", "FR")):
        numbers = Invoice.objects.filter(kind=kind).values_list("number", flat=True)
        sequence = sorted(int(number.rsplit("/", 1)[1]) for number in numbers)
        problems += int(sequence != list(range(1, len(sequence) + 1)))
    return {"workers": workers, "issued": Invoice.objects.count() - before, "seconds": seconds,
            "problems": problems + failed}  # fmt: skip


WORKER = """
import django
django.setup()
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.schedules import issue_due_invoices
issue_due_invoices(actor=SCHEDULER)
"""


if __name__ == "__main__":
    main()
