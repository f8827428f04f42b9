"""Amounts, quantities and rates on invoices, written the Polish way ("12 345,67")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()

NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def amount(value) -> str:
    """12345.6 → '12 345,60' (no currency: invoice tables name it in the header)."""
    number = _decimal(value)
    if number is None:
        return ""
    grouped = f"{number.quantize(Decimal('0.01')):,.2f}"
    return grouped.replace(",", NBSP).replace(".", ",")


@register.filter
def zl(value) -> str:
    text = amount(value)
    return f"{text}{NBSP}zł" if text else ""


@register.filter
def quantity(value) -> str:
    """1.000 → '1'; 2.500 → '2,5'."""
    number = _decimal(value)
    if number is None:
        return ""
    if number == number.to_integral():
        return f"{int(number):,}".replace(",", NBSP)
    return f"{number.normalize():f}".replace(".", ",")


@register.filter
def rate_label(rate: str) -> str:
    return "zw" if rate == "zw" else f"{rate}%"


@register.filter
def gross(total) -> Decimal:
    return total.net + total.vat
