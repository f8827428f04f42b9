"""Whole months and anniversaries as contracts count them."""

from datetime import date

import pytest

from obieg.core.calendar_dates import add_months, anniversary


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_months_land_on_the_same_day_or_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_29_february_has_its_anniversary_on_28_february():
    assert anniversary(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert anniversary(date(2028, 2, 29), 4) == date(2032, 2, 29)
