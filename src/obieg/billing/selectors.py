"""Reads of billing: invoice lists with filters, one invoice with what a document shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from obieg.billing import amounts
from obieg.billing.models import Invoice, InvoiceKind, ScheduleItem
from obieg.billing.words import amount_in_words
from obieg.core import access, clock
from obieg.core.money import RateTotal, document_totals
from obieg.sales.models import Contract

OVERDUE = "overdue"
INVOICE_ORDERINGS = {
    "newest": ["-issue_date", "-id"],
    "oldest": ["issue_date", "id"],
    "due": ["due_date", "id"],
    "largest": ["-gross", "-id"],
}


def overdue_q(on: date | None = None) -> Q:
    """Not fully paid and past the due date: overdue is computed, never stored."""
    return Q(due_date__lt=on or clock.today()) & ~Q(status=Invoice.Status.PAID)


def invoice_queryset() -> QuerySet:
    return Invoice.objects.select_related("buyer", "contract")


def invoice_search(
    user,
    *,
    kind: str = "",
    status: str = "",
    buyer: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    contract: Contract | None = None,
) -> QuerySet:
    """The invoices `user` may see, filtered; issue dates `date_from`..`date_to` inclusive."""
    invoices = access.visible(invoice_queryset(), user)
    if kind:
        invoices = invoices.filter(kind=kind)
    if status == OVERDUE:
        invoices = invoices.filter(overdue_q())
    elif status:
        invoices = invoices.filter(status=status)
    if buyer:
        digits = "".join(ch for ch in buyer if ch.isdigit())
        match = Q(buyer_name__icontains=buyer)
        if len(digits) == 10:
            match |= Q(buyer_nip=digits)
        invoices = invoices.filter(match)
    if date_from:
        invoices = invoices.filter(issue_date__gte=date_from)
    if date_to:
        invoices = invoices.filter(issue_date__lte=date_to)
    if contract is not None:
        invoices = invoices.filter(contract=contract)
    return invoices


def invoice_detail(user, pk) -> Invoice:
    # The advances are read in their order (with their totals) by invoice_summary and ksef.
    queryset = invoice_queryset().prefetch_related("lines", "rate_totals", "payments")
    return access.get_visible_or_404(queryset, user, pk=pk)


def contract_invoices(contract: Contract) -> QuerySet:
    return Invoice.objects.filter(contract=contract).order_by("issue_date", "id")


def contract_schedule(contract: Contract) -> QuerySet:
    return ScheduleItem.objects.filter(contract=contract).select_related("invoice")


@dataclass(frozen=True)
class RateRow:
    rate: str
    order: RateTotal | None  # the whole order at this rate (ZAL, ROZ)
    advances: RateTotal | None  # what advances billed at this rate (ROZ)
    invoice: RateTotal  # this invoice's own net and VAT at this rate


@dataclass(frozen=True)
class Summary:
    """What a printed invoice shows besides its lines."""

    rows: tuple[RateRow, ...]
    order_net: Decimal | None
    order_vat: Decimal | None
    words: str
    advances: tuple[Invoice, ...]
    advances_gross: Decimal | None


def _own(invoice: Invoice) -> dict[str, RateTotal]:
    return {
        total.vat_rate: RateTotal(rate=total.vat_rate, net=total.net, vat=total.vat)
        for total in invoice.rate_totals.all()
    }


def _advance_totals(advances) -> dict[str, RateTotal]:
    billed = [_own(advance).values() for advance in advances]
    negated = amounts.subtract([], billed)
    return {t.rate: RateTotal(rate=t.rate, net=-t.net, vat=-t.vat) for t in negated}


def invoice_summary(invoice: Invoice) -> Summary:
    own = _own(invoice)
    lines = list(invoice.lines.all())
    advances = tuple(invoice.advances.order_by("issue_date", "id").prefetch_related("rate_totals"))
    order = None
    if invoice.kind in (InvoiceKind.ADVANCE, InvoiceKind.FINAL):
        order = {
            t.rate: t
            for t in document_totals((line.vat_rate, line.value) for line in lines).per_rate
        }
    advanced = _advance_totals(advances) if invoice.kind == InvoiceKind.FINAL else {}
    zero = RateTotal(rate="", net=Decimal("0.00"), vat=Decimal("0.00"))
    rates = [rate for rate in amounts.RATE_ORDER if rate in own or (order and rate in order)]
    rows = tuple(
        RateRow(
            rate=rate,
            order=(order or {}).get(rate) if order is not None else None,
            advances=advanced.get(rate, zero) if invoice.kind == InvoiceKind.FINAL else None,
            invoice=own.get(rate, RateTotal(rate=rate, net=zero.net, vat=zero.vat)),
        )
        for rate in rates
    )
    return Summary(
        rows=rows,
        order_net=sum((t.net for t in order.values()), Decimal("0.00")) if order else None,
        order_vat=sum((t.vat for t in order.values()), Decimal("0.00")) if order else None,
        words=amount_in_words(invoice.gross),
        advances=advances,
        advances_gross=sum((a.gross for a in advances), Decimal("0.00")) if advances else None,
    )
