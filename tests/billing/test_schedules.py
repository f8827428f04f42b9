"""Payment schedules: each due item gets exactly one invoice, however often and wherever run."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection

from obieg.billing import schedules
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import Invoice, InvoiceKind, ScheduleItem, SeriesCounter
from obieg.core.errors import ApplicationError, PermissionDenied
from tests.billing.conftest import make_contract

TODAY = date.today()


def plan(org, contract, *items):
    return [
        schedules.schedule_item_add(
            actor=org.accountant, contract=contract, due_date=due, amount=Decimal(amount), kind=kind
        )
        for due, amount, kind in items
    ]


def test_due_items_become_invoices_once_even_when_run_twice(org, profile, contract):
    advance, later = plan(
        org,
        contract,
        (TODAY - timedelta(days=1), "18000.00", "advance"),
        (TODAY + timedelta(days=30), "42000.00", "final"),
    )

    first = schedules.issue_due_invoices(actor=org.accountant)
    second = schedules.issue_due_invoices(actor=org.accountant)

    advance.refresh_from_db()
    later.refresh_from_db()
    assert [i.number for i in first.issued] == [advance.invoice.number]
    assert second.issued == []
    assert advance.invoice.kind == InvoiceKind.ADVANCE
    assert advance.invoice.gross == Decimal("18000.00")
    assert later.invoice is None
    assert Invoice.objects.count() == 1


def test_the_final_item_settles_the_advances(org, profile, contract):
    advance, final = plan(
        org,
        contract,
        (TODAY - timedelta(days=20), "18000.00", "advance"),
        (TODAY, "42000.00", "final"),
    )

    report = schedules.issue_due_invoices(actor=SCHEDULER)

    advance.refresh_from_db()
    final.refresh_from_db()
    assert [i.kind for i in report.issued] == [InvoiceKind.ADVANCE, InvoiceKind.FINAL]
    assert final.invoice.gross == Decimal("42000.00")
    assert list(final.invoice.advances.all()) == [advance.invoice]


def test_instalments_are_vat_invoices_with_gross_prices(org, profile, buyer):
    contract = make_contract(buyer, [("Doradztwo grantowe", "1", "12000.00", "23")], number="UM/G")
    plan(
        org,
        contract,
        (TODAY - timedelta(days=60), "4920.00", "instalment"),
        (TODAY - timedelta(days=30), "4920.00", "instalment"),
        (TODAY, "4920.00", "final"),
    )

    report = schedules.issue_due_invoices(actor=SCHEDULER)

    assert [i.kind for i in report.issued] == [InvoiceKind.VAT] * 3
    assert all(i.prices_gross for i in report.issued)
    assert sum(i.gross for i in report.issued) == contract.value_gross
    assert sum(i.vat for i in report.issued) == Decimal("2760.00")


def test_a_refused_item_keeps_its_reason_and_consumes_no_number(org, profile, contract, buyer):
    (item,) = plan(org, contract, (TODAY, "1000.00", "advance"))
    buyer.nip = ""
    buyer.save()

    report = schedules.issue_due_invoices(actor=SCHEDULER)

    item.refresh_from_db()
    assert report.issued == [] and len(report.refused) == 1
    assert "NIP" in item.last_error
    assert not SeriesCounter.objects.filter(last_number__gt=0).exists()


def test_schedule_cannot_exceed_the_contract(org, profile, contract):
    plan(org, contract, (TODAY, "50000.00", "advance"))

    with pytest.raises(ApplicationError, match="exceed"):
        plan(org, contract, (TODAY, "10000.01", "final"))


def test_an_invoiced_item_stays_on_the_schedule(org, profile, contract):
    (item,) = plan(org, contract, (TODAY, "1000.00", "advance"))
    schedules.issue_due_invoices(actor=SCHEDULER)
    item.refresh_from_db()

    with pytest.raises(ApplicationError):
        schedules.schedule_item_remove(actor=org.accountant, item=item)


def test_only_accounting_plans_and_issues(org, profile, contract):
    with pytest.raises(PermissionDenied):
        schedules.schedule_item_add(
            actor=org.sara, contract=contract, due_date=TODAY, amount=Decimal(1), kind="advance"
        )
    with pytest.raises(PermissionDenied):
        schedules.issue_due_invoices(actor=org.sara)


def test_the_command_issues_due_invoices(org, profile, contract, capsys):
    plan(org, contract, (TODAY, "1000.00", "advance"))

    call_command("billing_issue_due")
    call_command("billing_issue_due")

    assert Invoice.objects.count() == 1
    assert "1 issued" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_make_a_second_invoice(org, profile, buyer):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are exercised on PostgreSQL; SQLite serialises writers")
    contracts = [
        make_contract(buyer, [("Usługa", "1", "1000.00", "23")], number=f"UM/W/{n}")
        for n in range(12)
    ]
    for contract in contracts:
        plan(
            org,
            contract,
            (TODAY - timedelta(days=2), "300.00", "advance"),
            (TODAY - timedelta(days=1), "300.00", "advance"),
            (TODAY, "630.00", "final"),
        )
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait(timeout=20)
            schedules.issue_due_invoices(actor=SCHEDULER)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    items = ScheduleItem.objects.all()
    assert items.count() == 36 and not items.filter(invoice__isnull=True).exists()
    assert Invoice.objects.count() == 36
    for kind, prefix, count in [("ZAL", "FZ", 24), ("ROZ", "FR", 12)]:
        numbers = sorted(Invoice.objects.filter(kind=kind).values_list("number", flat=True))
        assert numbers == [f"{prefix}/{TODAY:%Y/%m}/{n:04}" for n in range(1, count + 1)]
