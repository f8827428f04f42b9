"""Keyset pagination for HTML lists: constant time on any page of a large table.

A page is asked for by an opaque cursor holding the sort key of the last row
shown; the query is "rows after this key" on an index, never OFFSET. Totals
are counted only up to a cap, so a list never counts a whole table.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

COUNT_CAP = 1000


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    count: int  # capped at COUNT_CAP + 1
    count_capped: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def _encode(values: list[Any]) -> str:
    def plain(value):
        if isinstance(value, (datetime, date)):
            return {"t": "dt" if isinstance(value, datetime) else "d", "v": value.isoformat()}
        if isinstance(value, Decimal):
            return {"t": "dec", "v": str(value)}
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError):
        return None
    if not isinstance(values, list):
        return None

    def typed(value):
        if isinstance(value, dict):
            kind, raw = value.get("t"), value.get("v")
            if kind == "dt":
                return datetime.fromisoformat(raw)
            if kind == "d":
                return date.fromisoformat(raw)
            if kind == "dec":
                return Decimal(raw)
        return value

    try:
        return [typed(v) for v in values]
    except (TypeError, ValueError, ArithmeticError):  # Decimal("x") raises InvalidOperation
        return None


def _after(ordering: list[str], values: list[Any]) -> Q:
    """Rows strictly after `values` in `ordering` (fields may start with '-')."""
    condition = Q()
    for index, field in enumerate(ordering):
        name = field.lstrip("-")
        op = "lt" if field.startswith("-") else "gt"
        step = Q(**{f"{name}__{op}": values[index]})
        for prior, prior_field in enumerate(ordering[:index]):
            step &= Q(**{prior_field.lstrip("-"): values[prior]})
        condition |= step
    return condition


def _field(queryset: models.QuerySet, path: str) -> models.Field:
    annotation = queryset.query.annotations.get(path)
    if annotation is not None:
        # A coalesced sort key (see keyset_page) is typed by its expression.
        return annotation.output_field
    model = queryset.model
    parts = path.split("__")
    for part in parts[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(parts[-1])


def _cursor_condition(queryset: models.QuerySet, ordering: list[str], cursor: str) -> Q | None:
    """The "after the cursor" filter, or None when the cursor is not one of ours.

    Cursors come back from the browser, so a forged or stale one must not
    raise: each value is checked against its field's type, and anything that
    does not fit gives the first page.
    """
    values = _decode(cursor)
    if values is None or len(values) != len(ordering):
        return None
    try:
        cleaned = []
        for field_name, value in zip(ordering, values, strict=True):
            if value is None or isinstance(value, (list, dict)):
                return None
            cleaned.append(_field(queryset, field_name.lstrip("-")).to_python(value))
        if any(value is None for value in cleaned):
            return None
        condition = _after(ordering, cleaned)
        queryset.filter(condition)  # builds the lookups; refuses bad values
    except (ValidationError, FieldDoesNotExist, ValueError, TypeError, ArithmeticError):
        return None
    return condition


def keyset_page(
    queryset: models.QuerySet,
    *,
    ordering: list[str],
    cursor: str | None = None,
    size: int = 25,
    count: bool = True,
) -> Page:
    """One page of `queryset` ordered by `ordering`, which must end in a unique field.

    Sort fields must not be NULL (use the non-null fields or coalesce them),
    since NULLs break the "after" comparison.
    """
    ordered = queryset.order_by(*ordering)
    page_qs = ordered
    if cursor:
        condition = _cursor_condition(queryset, ordering, cursor)
        if condition is not None:
            page_qs = ordered.filter(condition)
    rows = list(page_qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode([_value(last, field.lstrip("-")) for field in ordering])
    total = 0
    if count:
        total = queryset.order_by()[: COUNT_CAP + 1].count()
    return Page(rows=rows, next_cursor=next_cursor, count=total, count_capped=total > COUNT_CAP)


def _value(row, path: str):
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, models.Model) else value
