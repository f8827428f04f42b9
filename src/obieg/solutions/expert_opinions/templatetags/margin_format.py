"""The `margin_percent` filter: a margin shown against its minimum (see `margins`)."""

from decimal import Decimal, InvalidOperation

from django import template

from obieg.solutions.expert_opinions.margins import margin_text

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def margin_percent(margin, minimum=None) -> str:
    """`{{ review.margin|margin_percent:review.minimum_margin }}`; '—' when unknown."""
    value = _decimal(margin)
    if value is None:
        return "—"
    return margin_text(value, _decimal(minimum))
