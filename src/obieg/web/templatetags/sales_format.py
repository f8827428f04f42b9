"""Money and percentages written the Polish way, whatever the interface language.

Amounts are PLN on every document, so they read as a Polish customer expects
them ("12 345,67 zł") in both languages. pipeline.js formats column sums with
the same rule, so a sum updated after a drag looks like one the server drew.
"""

from decimal import Decimal, InvalidOperation

from django import template

from obieg.core.money import GROSZ, to_grosz

register = template.Library()

NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def polish_number(amount: Decimal, places: int = 2) -> str:
    """`amount` with non-breaking spaces between thousands and a decimal comma."""
    quantum = GROSZ if places == 2 else Decimal(1).scaleb(-places)
    grouped = f"{amount.quantize(quantum):,.{places}f}"
    return grouped.replace(",", NBSP).replace(".", ",")


@register.filter
def pln(value) -> str:
    """12345.67 → '12 345,67 zł'; empty for a missing amount."""
    amount = _decimal(value)
    if amount is None:
        return ""
    return f"{polish_number(to_grosz(amount))}{NBSP}zł"


@register.filter
def percent(fraction) -> str:
    """A fraction such as Offer.margin (0.2345) → '23,5%'; '—' when unknown."""
    value = _decimal(fraction)
    if value is None:
        return "—"
    return f"{polish_number(value * 100, places=1)}%"
