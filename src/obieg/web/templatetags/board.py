"""Template filters of the pipeline board."""

from django import template

from obieg.crm.selectors import board

register = template.Library()


@register.filter
def more_cursor(column) -> str:
    """Where a board column goes on when scrolled, or '' when it drew every card."""
    return board.more_cursor(column) or ""
