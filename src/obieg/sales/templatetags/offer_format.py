"""Quantities on offers as the active language writes numbers: 12,5 in Polish, 12.5 in English."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def quantity(value) -> str:
    """The decimals a quantity has, at most three: 12.500 → '12,5' / '12.5', 7.000 → '7'."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    places = min(max(-number.normalize().as_tuple().exponent, 0), 3)
    return formats.number_format(number, decimal_pos=places, use_l10n=True)
