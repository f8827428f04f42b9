"""Payments: partial and full; issued → partly paid → paid; overdue computed from due dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from obieg.billing import invoicing, payments, selectors
from obieg.billing.models import Invoice
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry

TODAY = date.today()


@pytest.fixture
def invoice(org, profile, buyer) -> Invoice:
    return invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[{"description": "Serwis", "quantity": "1", "unit_price": "1000", "vat_rate": "23"}],
    )


def test_partial_then_full_payment(org, invoice):
    payments.payment_record(actor=org.accountant, invoice=invoice, amount=Decimal("230.00"))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid, invoice.outstanding) == (
        Invoice.Status.PARTLY_PAID,
        Decimal("230.00"),
        Decimal("1000.00"),
    )

    payments.payment_record(actor=org.admin, invoice=invoice, amount=Decimal("1000.00"))

    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.payments.count() == 2
    assert AuditEntry.objects.filter(object_repr=invoice.number, action="update").count() == 2


def test_overpayment_is_refused_and_changes_nothing(org, invoice):
    with pytest.raises(ApplicationError, match="exceeds"):
        payments.payment_record(actor=org.accountant, invoice=invoice, amount=Decimal("1230.01"))

    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid, invoice.payments.count()) == ("issued", 0, 0)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.005")])
def test_bad_amounts_are_refused(org, invoice, amount):
    with pytest.raises(ApplicationError):
        payments.payment_record(actor=org.accountant, invoice=invoice, amount=amount)


def test_salespeople_cannot_record_payments(org, invoice):
    with pytest.raises(PermissionDenied):
        payments.payment_record(actor=org.sara, invoice=invoice, amount=Decimal(1))


def test_overdue_is_computed_from_the_due_date(org, profile, buyer, invoice):
    late = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[{"description": "Serwis", "quantity": "1", "unit_price": "10", "vat_rate": "23"}],
        issue_date=TODAY - timedelta(days=40),
        due_date=TODAY - timedelta(days=26),
    )
    paid_late = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=[{"description": "Serwis", "quantity": "1", "unit_price": "10", "vat_rate": "23"}],
        issue_date=TODAY - timedelta(days=40),
        due_date=TODAY - timedelta(days=26),
    )
    payments.payment_record(actor=org.accountant, invoice=paid_late, amount=paid_late.gross)

    overdue = selectors.invoice_search(org.accountant, status=selectors.OVERDUE)

    assert list(overdue) == [late]
    assert late.is_overdue and not invoice.is_overdue
    assert str(late.display_status) in {"overdue", "przeterminowana"}
