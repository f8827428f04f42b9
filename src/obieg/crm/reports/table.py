"""What a report hands to its page, its chart and its export: typed columns and rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How a cell is shown: a name, a count, an amount in PLN, a percentage, a month.
TEXT, COUNT, MONEY, PERCENT, MONTH = "text", "count", "money", "percent", "month"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT


@dataclass
class Table:
    """Rows of cells in column order; `total` is the summing row, or None."""

    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None

    def column(self, key: str) -> list:
        index = next(i for i, column in enumerate(self.columns) if column.key == key)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Period:
    """Days `first` to `last`, both included."""

    first: date
    last: date

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as [start, end) instants in the local time zone."""
        start = timezone.make_aware(datetime.combine(self.first, time.min))
        end = timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))
        return start, end

    def month_ends(self, *, instants: bool) -> list:
        """The first moment after each of `months()`: dates, or local midnights as instants."""
        ends = [(month + timedelta(days=32)).replace(day=1) for month in self.months()]
        if not instants:
            return ends
        return [timezone.make_aware(datetime.combine(end, time.min)) for end in ends]

    def months(self) -> list[date]:
        """The first day of each month the period touches, in order."""
        month = self.first.replace(day=1)
        months = []
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


def owner_label(owner) -> str:
    return str(owner) if owner is not None else str(_("(no owner)"))


def month_bucket(field: str, period: Period, *, instants: bool) -> Case:
    """The index of the period's month `field` falls in (NULL for none), as one CASE.

    Compared with bounds made in Python (local midnights for instants), so months
    follow Polish time exactly and the database needs no date function per row:
    TruncMonth on SQLite calls back into Python for every row, ~10x slower.
    """
    whens = [
        When(**{f"{field}__lt": end}, then=Value(index))
        for index, end in enumerate(period.month_ends(instants=instants))
    ]
    return Case(*whens, default=None, output_field=IntegerField())
