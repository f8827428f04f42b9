"""Payments against invoices: partial or full; the invoice's status follows what was paid.

Overdue is not stored: it is "not paid and past the due date", computed at
read time (`Invoice.is_overdue`, `selectors.overdue_q`), so it is never stale.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.billing.invoicing import ensure_can_bill, refuse, today
from obieg.billing.models import Invoice, Payment, PaymentMethod
from obieg.core import audit
from obieg.core.money import fits_money_field


def _status(invoice: Invoice) -> str:
    if invoice.paid >= invoice.gross:
        return Invoice.Status.PAID
    if invoice.paid > 0:
        return Invoice.Status.PARTLY_PAID
    return Invoice.Status.ISSUED


def _apply(invoice: Invoice, *, amount: Decimal, paid_on: date, method: str, reference: str, actor):
    before = audit.snapshot(invoice)
    payment = Payment.objects.create(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    invoice.paid += amount
    invoice.status = _status(invoice)
    invoice.revision += 1
    invoice.save(update_fields=["paid", "status", "revision", "updated_at"])
    audit.record_create(payment, actor=actor)
    audit.record_update(invoice, actor=actor, before=before)
    return payment


@transaction.atomic
def payment_record(
    *,
    actor,
    invoice: Invoice,
    amount: Decimal,
    paid_on: date | None = None,
    method: str = PaymentMethod.TRANSFER,
    reference: str = "",
) -> Payment:
    """Record a payment received for an invoice (partial or full)."""
    ensure_can_bill(actor)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    paid_on = paid_on or today()
    if method not in PaymentMethod.values:
        raise refuse(_("Unknown payment method."), "method")
    if amount is None or not amount.is_finite() or amount <= 0 or not fits_money_field(amount):
        raise refuse(_("The payment must be above zero."), "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise refuse(_("The amount must be in whole grosze."), "amount")
    if amount > invoice.outstanding:
        raise refuse(
            _("The payment of %(amount)s zł exceeds the %(left)s zł still due on %(number)s.")
            % {"amount": amount, "left": invoice.outstanding, "number": invoice.number},
            "amount",
        )
    if paid_on > today():
        raise refuse(_("A payment cannot be dated in the future."), "paid_on")
    return _apply(
        invoice,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference[:200],
        actor=actor,
    )


def settle_at_issue(invoice: Invoice, *, paid_on: date, actor) -> Payment:
    """An advance invoice for a payment already received is paid from the start."""
    return _apply(
        invoice,
        amount=invoice.gross,
        paid_on=paid_on,
        method=invoice.payment_method,
        reference=_("received before the invoice"),
        actor=actor,
    )
