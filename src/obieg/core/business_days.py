"""Polish business days: weekdays that are not public holidays.

Deadlines in processes ("3 business days") and in contracts count these.
The holiday list comes from the `holidays` package (Poland, Polish names),
which knows the moving feasts and the newer holidays (24 December from 2025).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    return frozenset(holidays.Poland(years=year, language="pl"))


def holiday_name(day: date) -> str | None:
    """The Polish name of the public holiday on `day`, or None on an ordinary day."""
    return holidays.Poland(years=day.year, language="pl").get(day)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_business_day(day: date) -> date:
    """`day` itself when it is a business day, else the first business day after it.

    A term ending on a day off moves to the next business day (art. 115 of
    the Civil Code): payment terms, claims and reports due to a grantor.
    """
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(start: date | datetime, days: int) -> date | datetime:
    """`start` moved by `days` business days (a datetime keeps its time of day).

    The start day itself is not counted: Wednesday + 1 is Thursday, and
    Friday + 1 is Monday unless Monday is a holiday.
    """
    if days < 0:
        raise ValueError("business days to add must not be negative")
    current = start
    remaining = days
    while remaining:
        current = current + timedelta(days=1)
        if is_business_day(current.date() if isinstance(current, datetime) else current):
            remaining -= 1
    return current


def subtract_business_days(start: date, days: int) -> date:
    """The day `days` business days before `start` (the start day itself is not counted).

    Reminders "10 business days before the deadline" count back this way:
    Monday - 1 is the Friday before, unless that Friday is a holiday.
    """
    if days < 0:
        raise ValueError("business days to subtract must not be negative")
    current = start
    remaining = days
    while remaining:
        current = current - timedelta(days=1)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: date, end: date) -> int:
    """How many business days lie after `start` up to and including `end`."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count
