"""The arithmetic of advance and final invoices, exact to the grosz (pure functions).

An advance is a gross amount received (or due). Art. 106f ust. 1 pkt 3 takes
its VAT "from the gross": VAT = gross × rate / (100 + rate). When an order
has several rates, the advance is shared among them in proportion to what
remains unbilled at each rate (largest remainder in whole grosze), so no rate
is ever billed beyond its order value and the last advance closes every rate
exactly. The final invoice (art. 106f ust. 3) shows the whole order less the
sum of the advances, per rate, so order = advances + final, to the grosz, by
construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from obieg.core.money import GROSZ, ZERO, RateTotal, VatRate, to_grosz

RATE_ORDER = {value: index for index, value in enumerate(VatRate.values)}


def _rate_percent(rate: str) -> Decimal:
    return ZERO if rate == VatRate.ZW else Decimal(rate)


def vat_from_gross(gross: Decimal, rate: str) -> RateTotal:
    """Net and VAT contained in `gross` at `rate`, VAT rounded half-up to the grosz."""
    percent = _rate_percent(rate)
    vat = (gross * percent / (Decimal(100) + percent)).quantize(GROSZ, rounding=ROUND_HALF_UP)
    return RateTotal(rate=rate, net=gross - vat, vat=vat)


def split_by_weights(amount: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """`amount` shared in proportion to `weights`, in whole grosze, summing exactly to `amount`.

    Largest remainder: each share is floored, and the grosze left over go to
    the largest fractions (ties by rate order). When `amount` does not exceed
    the sum of the weights, no share exceeds its weight.
    """
    grosze = int(to_grosz(amount) / GROSZ)
    units = {rate: int(to_grosz(weight) / GROSZ) for rate, weight in weights.items()}
    total = sum(units.values())
    if total <= 0:
        raise ValueError("nothing to split against")
    shares = {rate: grosze * unit // total for rate, unit in units.items()}
    leftover = grosze - sum(shares.values())
    by_fraction = sorted(
        units, key=lambda rate: (-(grosze * units[rate] % total), RATE_ORDER.get(rate, 99))
    )
    for rate in by_fraction[:leftover]:
        shares[rate] += 1
    return {rate: Decimal(share) * GROSZ for rate, share in shares.items() if share}


def advance_rate_totals(amount: Decimal, remaining: Mapping[str, Decimal]) -> tuple[RateTotal, ...]:
    """Net and VAT per rate of an advance of `amount` (gross) against the unbilled `remaining`."""
    shares = split_by_weights(amount, remaining)
    return sort_rates(vat_from_gross(gross, rate) for rate, gross in shares.items())


def sort_rates(totals: Iterable[RateTotal]) -> tuple[RateTotal, ...]:
    return tuple(sorted(totals, key=lambda total: RATE_ORDER[total.rate]))


def subtract(
    order: Iterable[RateTotal], billed: Iterable[Iterable[RateTotal]]
) -> tuple[RateTotal, ...]:
    """Per rate: the order less everything already billed (the final invoice's P_13/P_14)."""
    net: dict[str, Decimal] = {}
    vat: dict[str, Decimal] = {}
    for total in order:
        net[total.rate] = net.get(total.rate, ZERO) + total.net
        vat[total.rate] = vat.get(total.rate, ZERO) + total.vat
    for invoice in billed:
        for total in invoice:
            net[total.rate] = net.get(total.rate, ZERO) - total.net
            vat[total.rate] = vat.get(total.rate, ZERO) - total.vat
    return sort_rates(RateTotal(rate=rate, net=net[rate], vat=vat[rate]) for rate in net)


@dataclass(frozen=True)
class Sums:
    net: Decimal
    vat: Decimal
    gross: Decimal


def sums(totals: Iterable[RateTotal]) -> Sums:
    totals = tuple(totals)
    net = sum((total.net for total in totals), ZERO)
    vat = sum((total.vat for total in totals), ZERO)
    return Sums(net=net, vat=vat, gross=net + vat)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return to_grosz(amount * percent / Decimal(100))
