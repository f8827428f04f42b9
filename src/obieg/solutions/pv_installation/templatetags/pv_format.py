"""Quantities of a PV offer written the Polish way: "6,16 kWp", "6 160 kWh", "4,3 roku".

Amounts of money use `sales_format.pln`; these are the other numbers the
offer shows. Values are rounded here, for display only.
"""

from decimal import Decimal, InvalidOperation

from django import template

from obieg.web.templatetags.sales_format import polish_number

register = template.Library()


@register.filter
def pl_number(value, places=0) -> str:
    """6.16 → '6,16' (places=2); 6160 → '6 160'; empty for a missing value."""
    if value is None or value == "":
        return ""
    try:
        return polish_number(Decimal(str(value)), places=int(places))
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def trimmed(value) -> str:
    """A number with the decimals it has, at most three: 6.16 → '6,16', 6.300 → '6,3', 7 → '7'."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    places = min(max(-number.normalize().as_tuple().exponent, 0), 3)
    return polish_number(number, places=places)


@register.filter
def kwp(value) -> str:
    """Installed power: 6.16 → '6,16 kWp'."""
    if value is None or value == "":
        return ""
    return f"{trimmed(value)}\u00a0kWp"
