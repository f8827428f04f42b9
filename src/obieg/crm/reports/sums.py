"""Exact money sums in the database.

SQLite keeps NUMERIC values as floating point, so SUM(value) over 10^5 rows
can be a grosz off. Summing whole grosze as integers is exact on SQLite and
PostgreSQL alike; the Decimal is made back in Python.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import BigIntegerField, F, Q, Sum
from django.db.models.functions import Cast, Coalesce, Round

HUNDRED = Decimal(100)


def grosze(field: str = "value"):
    return Cast(Round(F(field) * 100), BigIntegerField())


def sum_grosze(field: str = "value", *, filter: Q | None = None):  # noqa: A002 - Django's name
    """SUM of an amount in grosze (an integer); 0 for no rows."""
    return Coalesce(Sum(grosze(field), filter=filter), 0)


def sum_weighted(field: str = "value", weight: str = "probability", *, filter: Q | None = None):
    """SUM(amount × percent) in grosze × percent: exact, divided by 10,000 in Python."""
    return Coalesce(Sum(grosze(field) * F(weight), filter=filter), 0)


def from_grosze(total: int | None) -> Decimal:
    return Decimal(total or 0) / HUNDRED


def from_weighted(total: int | None) -> Decimal:
    """Grosze × percent back to PLN, unrounded (rounded only for display)."""
    return Decimal(total or 0) / (HUNDRED * HUNDRED)
