"""What a contract orders, line by line and per VAT rate: the base of advance and final invoices.

A contract made from an offer carries the offer's lines; when the contract's
value was changed after the offer, or it has no offer, the order is one line
(the contract's title) whose VAT rate is read from its net and gross values.
A value that fits no single rate cannot be split, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError
from obieg.core.money import DocumentTotals, VatRate, document_totals, line_net
from obieg.sales.models import Contract


@dataclass(frozen=True)
class OrderLine:
    description: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: str

    @property
    def net(self) -> Decimal:
        return line_net(self.quantity, self.unit_price)


@dataclass(frozen=True)
class Order:
    lines: tuple[OrderLine, ...]
    totals: DocumentTotals


def _from_offer(contract: Contract) -> Order | None:
    offer = contract.offer
    if offer is None:
        return None
    lines = tuple(
        OrderLine(
            description=line.description,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
        )
        for line in offer.lines.all()
    )
    if not lines:
        return None
    totals = document_totals((line.vat_rate, line.net) for line in lines)
    if (totals.net, totals.gross) != (contract.value_net, contract.value_gross):
        return None
    return Order(lines=lines, totals=totals)


def _single_rate(contract: Contract) -> str | None:
    vat = contract.value_gross - contract.value_net
    # 0% and exempt both give VAT 0; without lines we cannot tell them apart, and 0% is
    # the one that needs no legal basis of exemption.
    candidates = [VatRate.R23, VatRate.R8, VatRate.R5, VatRate.R0]
    for rate in candidates:
        computed = document_totals([(rate, contract.value_net)]).vat
        if computed == vat:
            return rate
    return None


def contract_order(contract: Contract) -> Order:
    """The contract's order lines and totals; ApplicationError when they cannot be known."""
    order = _from_offer(contract)
    if order is not None:
        return order
    if contract.value_gross <= 0:
        message = _("Contract %(number)s has no value to invoice.") % {"number": contract.number}
        raise ApplicationError(message, field_errors={"contract": [message]})
    rate = _single_rate(contract)
    if rate is None:
        message = _(
            "The net and gross values of contract %(number)s fit no single VAT rate and its "
            "offer's lines do not match them; correct the values or the offer."
        ) % {"number": contract.number}
        raise ApplicationError(message, field_errors={"contract": [message]})
    line = OrderLine(
        description=contract.title,
        unit="usł.",
        quantity=Decimal("1"),
        unit_price=contract.value_net,
        vat_rate=rate,
    )
    return Order(lines=(line,), totals=document_totals([(rate, line.net)]))
