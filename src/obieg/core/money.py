"""Money and VAT: Decimal PLN, VAT computed per rate over the whole document.

Polish practice (art. 106e ust. 10 of the VAT act) lets VAT be computed on the
sum of net values per rate; we do that, rounding half-up to the grosz, so a
document's totals never drift from its lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from obieg.core.numbers import DecimalInputField

GROSZ = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a MoneyField (NUMERIC(14,2)) holds.
MAX_AMOUNT = Decimal("999999999999.99")


class VatRate(models.TextChoices):
    """Rates allowed on Obieg documents; 'zw' is exempt (zwolniony)."""

    R23 = "23", "23%"
    R8 = "8", "8%"
    R5 = "5", "5%"
    R0 = "0", "0%"
    ZW = "zw", _("exempt (zw)")


def vat_fraction(rate: str) -> Decimal:
    if rate == VatRate.ZW:
        return ZERO
    if rate not in VatRate.values:
        raise ValueError(f"Unknown VAT rate {rate!r}")
    return Decimal(rate) / Decimal(100)


def to_grosz(amount: Decimal) -> Decimal:
    return amount.quantize(GROSZ, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RateTotal:
    rate: str
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


@dataclass(frozen=True)
class DocumentTotals:
    per_rate: tuple[RateTotal, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_net(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return to_grosz(quantity * unit_price)


def document_totals(lines: Iterable[tuple[str, Decimal]]) -> DocumentTotals:
    """Totals of a document from (vat_rate, line_net) pairs.

    Line nets are summed per rate first, then VAT is computed once per rate;
    the overall figures are sums of the per-rate figures, so they reconcile
    by construction.
    """
    nets: dict[str, Decimal] = {}
    for rate, net in lines:
        vat_fraction(rate)  # refuses an unknown rate
        nets[rate] = nets.get(rate, ZERO) + to_grosz(net)
    order = {value: index for index, value in enumerate(VatRate.values)}
    per_rate = tuple(
        RateTotal(rate=rate, net=net, vat=to_grosz(net * vat_fraction(rate)))
        for rate, net in sorted(nets.items(), key=lambda item: order[item[0]])
    )
    net = sum((r.net for r in per_rate), ZERO)
    vat = sum((r.vat for r in per_rate), ZERO)
    return DocumentTotals(per_rate=per_rate, net=net, vat=vat, gross=net + vat)


def fits_money_field(amount: Decimal) -> bool:
    """True when `amount` can be stored in a MoneyField without overflowing NUMERIC(14,2)."""
    return abs(amount) <= MAX_AMOUNT


def margin(net: Decimal, cost: Decimal) -> Decimal | None:
    """(net − cost) / net as a fraction, unrounded; None when net is zero.

    Decisions compare it with a minimum, so it is never rounded here (29.9998 %
    rounded to 4 places passed a 30 % minimum); pages round it for display.
    The quotient keeps Decimal's 28 significant digits: amounts in grosz under
    10^14 make any margin that differs from a 4-place minimum differ by more
    than 10^-18, so the comparison comes out as it would on the exact fraction.
    """
    if not net:
        return None
    return (net - cost) / net


class MoneyField(models.DecimalField):
    """NUMERIC(14,2) in PLN; its form field reads amounts as the pages show them ("150 000,50")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": DecimalInputField, **kwargs})
