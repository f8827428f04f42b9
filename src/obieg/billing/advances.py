"""Invoices for a contract: advance (ZAL), instalment (VAT) and the closing one (ROZ or VAT).

A contract is billed either with advances and a final settlement invoice
(art. 106f: the PV pattern) or in instalments of plain VAT invoices (the
grants pattern); mixing both would bill some of the order twice, so it is
refused. Each service locks the contract row first: two advances issued at
once cannot together exceed the order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.billing import amounts
from obieg.billing.invoicing import (
    Draft,
    LineDraft,
    due_date_for,
    ensure_can_bill,
    issue,
    refuse,
    today,
)
from obieg.billing.models import Invoice, InvoiceKind, PaymentMethod
from obieg.billing.orders import Order, contract_order
from obieg.billing.payments import settle_at_issue
from obieg.core.money import ZERO, RateTotal
from obieg.sales.models import Contract


@dataclass(frozen=True)
class ContractBilling:
    """A contract's order and what its invoices billed so far."""

    order: Order
    advances: tuple[Invoice, ...]
    others: tuple[Invoice, ...]  # VAT instalments and the final invoice
    billed: tuple[tuple[RateTotal, ...], ...]

    @property
    def remaining_by_rate(self) -> dict[str, Decimal]:
        left = amounts.subtract(self.order.totals.per_rate, self.billed)
        return {total.rate: total.gross for total in left if total.gross > 0}

    @property
    def remaining(self) -> Decimal:
        return sum(self.remaining_by_rate.values(), ZERO)

    @property
    def has_final(self) -> bool:
        return any(invoice.kind == InvoiceKind.FINAL for invoice in self.others)


def _rate_totals(invoice: Invoice) -> tuple[RateTotal, ...]:
    return tuple(
        RateTotal(rate=total.vat_rate, net=total.net, vat=total.vat)
        for total in invoice.rate_totals.all()
    )


def contract_billing(contract: Contract) -> ContractBilling:
    invoices = tuple(
        Invoice.objects.filter(contract=contract)
        .prefetch_related("rate_totals")
        .order_by("issue_date", "id")
    )
    return ContractBilling(
        order=contract_order(contract),
        advances=tuple(i for i in invoices if i.kind == InvoiceKind.ADVANCE),
        others=tuple(i for i in invoices if i.kind != InvoiceKind.ADVANCE),
        billed=tuple(_rate_totals(invoice) for invoice in invoices),
    )


def _locked(contract: Contract | None) -> Contract:
    if contract is None:
        raise refuse(_("This invoice needs a contract."), "contract")
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("account", "offer")
        .get(pk=contract.pk)
    )


def _order_lines(order: Order, *, annex_15: bool) -> list[LineDraft]:
    return [
        LineDraft(
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            unit=line.unit,
            annex_15=annex_15,
        )
        for line in order.lines
    ]


def _closing_totals(billing: ContractBilling) -> tuple[RateTotal, ...]:
    """What remains of the order per rate: the invoice that closes it bills exactly that.

    VAT taken from the gross of each advance rounds per invoice; taking the
    remainder on the closing invoice makes the order's VAT come out exact.
    """
    left = amounts.subtract(billing.order.totals.per_rate, billing.billed)
    return tuple(total for total in left if total.net or total.vat)


def _amount(billing: ContractBilling, amount: Decimal | None, percent: Decimal | None) -> Decimal:
    if (amount is None) == (percent is None):
        raise refuse(_("Give either an amount or a percentage of the contract."), "amount")
    if percent is not None:
        if not (ZERO < percent <= Decimal(100)):
            raise refuse(_("The percentage must be above 0 and at most 100."), "percent")
        amount = amounts.percent_of(billing.order.totals.gross, percent)
    if amount is None or not amount.is_finite() or amount <= 0:
        raise refuse(_("The advance must be above zero."), "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise refuse(_("The amount must be in whole grosze."), "amount")
    if amount > billing.remaining:
        raise refuse(
            _(
                "The advance of %(amount)s zł exceeds what remains to be invoiced on the contract, "
                "%(left)s zł."
            )
            % {"amount": amount, "left": billing.remaining},
            "amount",
        )
    return amount


@transaction.atomic
def advance_invoice_issue(
    *,
    actor,
    contract: Contract | None,
    amount: Decimal | None = None,
    percent: Decimal | None = None,
    received_on: date | None = None,
    issue_date: date | None = None,
    due_date: date | None = None,
    annex_15: bool = False,
    payment_method: str = PaymentMethod.TRANSFER,
    notes: str = "",
) -> Invoice:
    """Issue an advance invoice (ZAL) for an amount received or due on a contract."""
    ensure_can_bill(actor)
    contract = _locked(contract)
    billing = contract_billing(contract)
    if billing.others:
        raise refuse(
            _(
                "This contract already has instalment or final invoices; "
                "an advance cannot be added."
            ),
            "contract",
        )
    amount = _amount(billing, amount, percent)
    issue_date = issue_date or today()
    if received_on is not None and received_on > issue_date:
        raise refuse(
            _("The payment cannot be received after the invoice is issued."), "received_on"
        )
    closes_order = amount == billing.remaining
    draft = Draft(
        kind=InvoiceKind.ADVANCE,
        buyer=contract.account,
        contract=contract,
        lines=_order_lines(billing.order, annex_15=annex_15),
        rate_totals=_closing_totals(billing)
        if closes_order
        else amounts.advance_rate_totals(amount, billing.remaining_by_rate),
        issue_date=issue_date,
        sale_date=received_on,
        received_on=received_on,
        # Already paid: nothing falls due after the issue.
        due_date=issue_date
        if received_on
        else due_date_for(issue_date, due_date=due_date, payment_days=None),
        payment_method=payment_method,
        order_gross=billing.order.totals.gross,
        # Art. 106f ust. 4: the advance that completes the payment names the earlier ones.
        advances=list(billing.advances) if closes_order else [],
        notes=notes,
    )
    invoice = issue(draft, actor=actor)
    if received_on is not None:
        settle_at_issue(invoice, paid_on=received_on, actor=actor)
    return invoice


@transaction.atomic
def instalment_invoice_issue(
    *,
    actor,
    contract: Contract | None,
    amount: Decimal,
    description: str = "",
    issue_date: date | None = None,
    due_date: date | None = None,
    annex_15: bool = False,
    payment_method: str = PaymentMethod.TRANSFER,
) -> Invoice:
    """Issue a VAT invoice for one instalment (gross amount) of a contract."""
    ensure_can_bill(actor)
    contract = _locked(contract)
    billing = contract_billing(contract)
    if billing.advances or billing.has_final:
        raise refuse(
            _(
                "This contract is billed with advances or is already settled; "
                "an instalment cannot be added."
            ),
            "contract",
        )
    amount = _amount(billing, amount, None)
    return _issue_instalment(
        actor=actor,
        contract=contract,
        billing=billing,
        amount=amount,
        description=description,
        issue_date=issue_date or today(),
        due_date=due_date,
        annex_15=annex_15,
        payment_method=payment_method,
    )


def _issue_instalment(
    *,
    actor,
    contract: Contract,
    billing: ContractBilling,
    amount: Decimal,
    description: str,
    issue_date: date,
    due_date: date | None,
    annex_15: bool,
    payment_method: str,
) -> Invoice:
    # Gross prices (art. 106e ust. 7-8): the instalment is the amount the customer pays.
    if amount == billing.remaining:
        totals = _closing_totals(billing)
    else:
        totals = amounts.advance_rate_totals(amount, billing.remaining_by_rate)
    label = description or _("instalment")
    lines = [
        LineDraft(
            description=f"{contract.title} — {label}",
            quantity=Decimal(1),
            unit_price=total.gross,
            vat_rate=total.rate,
            unit="usł.",
            annex_15=annex_15,
        )
        for total in totals
    ]
    draft = Draft(
        kind=InvoiceKind.VAT,
        buyer=contract.account,
        contract=contract,
        lines=lines,
        rate_totals=totals,
        issue_date=issue_date,
        sale_date=issue_date,
        due_date=due_date_for(issue_date, due_date=due_date, payment_days=None),
        payment_method=payment_method,
        prices_gross=True,
    )
    return issue(draft, actor=actor)


@transaction.atomic
def final_invoice_issue(
    *,
    actor,
    contract: Contract | None,
    sale_date: date | None = None,
    issue_date: date | None = None,
    due_date: date | None = None,
    annex_15: bool = False,
    payment_method: str = PaymentMethod.TRANSFER,
    notes: str = "",
) -> Invoice:
    """Issue the contract's closing invoice: ROZ after advances, else VAT for what remains."""
    ensure_can_bill(actor)
    contract = _locked(contract)
    billing = contract_billing(contract)
    if billing.has_final:
        raise refuse(_("This contract already has its final invoice."), "contract")
    if billing.remaining <= 0:
        raise refuse(
            _("The contract is fully invoiced; the last advance invoice settles it."), "contract"
        )
    issue_date = issue_date or today()
    closing_draft = functools.partial(
        Draft,
        buyer=contract.account,
        contract=contract,
        issue_date=issue_date,
        sale_date=sale_date or issue_date,
        due_date=due_date_for(issue_date, due_date=due_date, payment_days=None),
        payment_method=payment_method,
        notes=notes,
    )
    if billing.advances:
        draft = closing_draft(
            kind=InvoiceKind.FINAL,
            lines=_order_lines(billing.order, annex_15=annex_15),
            rate_totals=_closing_totals(billing),
            order_gross=billing.order.totals.gross,
            advances=list(billing.advances),
        )
    elif not billing.others:
        draft = closing_draft(
            kind=InvoiceKind.VAT,
            lines=_order_lines(billing.order, annex_15=annex_15),
            rate_totals=billing.order.totals.per_rate,
        )
    else:
        return _issue_instalment(
            actor=actor,
            contract=contract,
            billing=billing,
            amount=billing.remaining,
            description=_("final instalment"),
            issue_date=issue_date,
            due_date=due_date,
            annex_15=annex_15,
            payment_method=payment_method,
        )
    return issue(draft, actor=actor)
