"""Calendar arithmetic as contracts count it: whole months and anniversaries.

A schedule's monthly instalment, a claim period of six months and a
durability period of five years all land on "the same day" later; when that
month is shorter, on its last day (31 January + 1 month = 28/29 February;
29 February + 1 year = 28 February).
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months; a day past the target month's end becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anniversary(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February in other years."""
    return add_months(day, 12 * years)
