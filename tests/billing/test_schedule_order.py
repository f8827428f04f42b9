"""A contract's schedule is invoiced in its order, even when a worker dies mid-batch.

Found by bench/soak.py: a worker killed while issuing an advance rolled back,
and the worker waiting behind it issued the contract's final payment first —
a VAT invoice for the whole value — after which the advance was refused for good.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction

from obieg.billing import schedules
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import Invoice, InvoiceKind, ScheduleItem

TODAY = date.today()


@pytest.fixture
def advance_then_final(org, profile, contract):
    return [
        schedules.schedule_item_add(
            actor=org.accountant, contract=contract, due_date=due, amount=Decimal(amount), kind=kind
        )
        for due, amount, kind in [
            (TODAY - timedelta(days=2), "18000.00", "advance"),
            (TODAY - timedelta(days=1), "42000.00", "final"),
        ]
    ]


def test_the_final_waits_while_an_earlier_item_has_no_invoice(advance_then_final):
    advance, final = advance_then_final
    report = schedules.IssueReport()

    # A batch that passed the advance over (another worker held it, then died).
    schedules.issue_item(final.pk, actor=SCHEDULER, on=TODAY, report=report)

    final.refresh_from_db()
    assert final.invoice is None
    assert str(advance.due_date) in final.last_error
    assert report.issued == [] and Invoice.objects.count() == 0


def test_the_next_run_issues_them_in_order_and_clears_the_note(advance_then_final):
    advance, final = advance_then_final
    schedules.issue_item(final.pk, actor=SCHEDULER, on=TODAY, report=schedules.IssueReport())

    report = schedules.issue_due_invoices(actor=SCHEDULER)

    final.refresh_from_db()
    assert [i.kind for i in report.issued] == [InvoiceKind.ADVANCE, InvoiceKind.FINAL]
    assert final.invoice.gross == Decimal("42000.00") and final.last_error == ""


@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_on_the_advance_leaves_the_final_for_later(org, profile, buyer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between sessions are exercised on PostgreSQL")
    from tests.billing.conftest import make_contract

    contract = make_contract(buyer, [("Usługa", "1", "10000.00", "23")], number="UM/K")
    advance, final = [
        schedules.schedule_item_add(
            actor=org.accountant, contract=contract, due_date=due, amount=Decimal(amount), kind=kind
        )
        for due, amount, kind in [
            (TODAY - timedelta(days=2), "3000.00", "advance"),
            (TODAY - timedelta(days=1), "9300.00", "final"),
        ]
    ]
    holding, done = threading.Event(), threading.Event()
    reports: list[schedules.IssueReport] = []

    def dying_worker():
        # Takes the advance as a worker does, then its transaction rolls back (SIGKILL).
        try:
            with transaction.atomic():
                ScheduleItem.objects.select_for_update().get(pk=advance.pk)
                holding.set()
                done.wait(timeout=5)  # long enough for the other worker to queue behind it
                transaction.set_rollback(True)
        finally:
            connection.close()

    def other_worker():
        try:
            holding.wait(timeout=20)
            reports.append(schedules.issue_due_invoices(actor=SCHEDULER))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=dying_worker), threading.Thread(target=other_worker)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)  # the other worker is now waiting on the advance's lock
    done.set()
    for thread in threads:
        thread.join(timeout=60)

    final.refresh_from_db()
    assert reports[0].issued == [] and final.invoice is None
    later = schedules.issue_due_invoices(actor=SCHEDULER)
    assert [i.kind for i in later.issued] == [InvoiceKind.ADVANCE, InvoiceKind.FINAL]
    assert sum(i.gross for i in later.issued) == contract.value_gross
