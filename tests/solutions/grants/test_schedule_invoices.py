"""A three-year schedule: each invoice issued once and mailed once, however the clock runs."""

import threading
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.utils import translation
from django.utils.translation import gettext as _

from obieg.billing import schedules
from obieg.billing.invoicing import SCHEDULER
from obieg.billing.models import Invoice, ScheduleItem
from obieg.mail.models import OutboxMessage
from obieg.solutions.grants import notify, scan, schedule
from obieg.solutions.grants.models import Obligation
from tests.solutions.grants.test_process_steps import (
    START_MOMENT,
    WARSAW,
    do,
    frozen,
    prepare,
    reload,
    sign_by_link,
    start,
    terms,
)

FIRST_DUE = date(2026, 3, 31)


@pytest.fixture(autouse=True)
def quick_invoice_pdf(monkeypatch):
    """The e-mails carry a stand-in PDF: what is tested is that each goes once, not its look."""
    monkeypatch.setattr(
        notify, "invoice_pdf", lambda invoice: b"%PDF-1.4 " + invoice.number.encode()
    )


def three_year_project(inst):
    """36 monthly instalments of 12,300 gross from 31 March 2026; the contract signed."""
    with frozen(START_MOMENT):
        project = start(inst)
        terms(inst, project)
        schedule.add_instalments(
            actor=inst.advisor,
            project=project,
            total=Decimal("12300.00"),
            count=36,
            first_due=FIRST_DUE,
        )
        prepare(project, inst)
        do(project, "approve_contract", inst.manager, contract_decision="approve")
        sign_by_link(project)
    return reload(project)


def month_ends():
    items = ScheduleItem.objects.order_by("due_date").values_list("due_date", flat=True)
    return sorted(set(items))


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 7, tzinfo=WARSAW)


def invoice_subject(project, invoice) -> str:
    """The subject notify.invoice_to_client gives the invoice's e-mail."""
    with translation.override(notify.client_language(project)):
        return _("Invoice %(number)s — %(title)s") % {
            "number": invoice.number,
            "title": project.title,
        }


def assert_each_invoice_once(inst, project):
    items = ScheduleItem.objects.filter(contract=project.contract)
    assert items.count() == 36 and not items.filter(invoice__isnull=True).exists()
    invoices = Invoice.objects.filter(contract=project.contract)
    assert invoices.count() == 36
    assert sum(invoice.gross for invoice in invoices) == Decimal("12300.00")
    mailed = Obligation.objects.filter(project=project, invoice_mailed_at__isnull=False)
    assert mailed.count() == 36
    to_client = OutboxMessage.objects.filter(to=inst.client.email)
    for invoice in invoices:
        assert to_client.filter(subject=invoice_subject(project, invoice)).count() == 1


def test_the_clock_running_twice_issues_and_mails_each_invoice_once(institution, seller):
    inst = institution
    project = three_year_project(inst)
    for day in month_ends():
        with frozen(moment(day)):
            for _ in range(2):
                schedules.issue_due_invoices(actor=SCHEDULER)
                scan.scan()
        # Nothing falls due before its day: the month's invoice exists, the next does not.
        assert not ScheduleItem.objects.filter(invoice__isnull=False, due_date__gt=day).exists()
    assert_each_invoice_once(inst, project)
    first = Invoice.objects.filter(contract=project.contract).order_by("issue_date").first()
    assert first.issue_date == FIRST_DUE


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_issue_and_mail_each_invoice_once(institution, seller):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are exercised on PostgreSQL; SQLite serialises writers")
    inst = institution
    project = three_year_project(inst)
    errors: list[BaseException] = []

    def worker(barrier: threading.Barrier, day: date):
        try:
            barrier.wait(timeout=20)
            with frozen(moment(day)):
                schedules.issue_due_invoices(actor=SCHEDULER)
                scan.scan()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    # Each quarter's end: two workers run the billing scheduler and the scan at once.
    days = month_ends()[2::3] + [month_ends()[-1]]
    for day in days:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=worker, args=(barrier, day)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    # A third run afterwards finds nothing left to do.
    with frozen(moment(days[-1]) + timedelta(hours=1)):
        assert schedules.issue_due_invoices(actor=SCHEDULER).issued == []
        assert scan.scan().invoices_mailed == []
    assert_each_invoice_once(inst, project)
