"""Keyset pagination: constant time on any page of a large table, for every list.

Web lists, the API and the inbox page the same way. An ordering ends with
the primary key, so every row has exactly one place; a page is "the rows
strictly after (or, going back, before) the sort key of a boundary row",
read off an index, never with OFFSET. The cursor is that key, the ordering
it belongs to and the direction, in an opaque URL-safe string: the same row
always gives the same cursor, and a cursor of another ordering is refused.
NULLs sort last going up and first going down (PostgreSQL's own order, kept
on SQLite too), so reversing a walk reverses it exactly. Totals are counted
only up to a cap, so a list never counts a whole table.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from django.utils import timezone

COUNT_CAP = 1000
CURSOR_MAX_LENGTH = 2000  # a cursor is a few values; anything longer is not ours


class InvalidCursor(ValueError):
    """A cursor this ordering did not give out: forged, damaged or of another sort."""


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    count: int = 0  # capped at COUNT_CAP + 1; 0 when not counted
    count_capped: bool = False
    previous_cursor: str | None = None  # None on the first page

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None


@dataclass(frozen=True)
class Position:
    """Where a cursor points: the boundary row's sort key, and which way to read from it."""

    values: tuple[Any, ...]
    backwards: bool = False


def with_tiebreaker(ordering: Sequence[str]) -> list[str]:
    """`ordering` ending in the primary key, so every row has a unique position.

    An ordering that names the key keeps it where it is, in its direction
    (fields after it could never break a tie); otherwise the key follows
    in the direction of the first field.
    """
    fields: list[str] = []
    for field in ordering:
        descending, name = field.startswith("-"), field.lstrip("-")
        if name in ("id", "pk"):
            return [*fields, "-id" if descending else "id"]
        fields.append(field)
    return [*fields, "-id" if fields and fields[0].startswith("-") else "id"]


def _pk_as_id(field: str) -> str:
    return {"pk": "id", "-pk": "-id"}.get(field, field)


def _reversed(field: str) -> str:
    return field[1:] if field.startswith("-") else f"-{field}"


class Keyset:
    """An ordering of one queryset's rows, ending in the primary key, and its cursors.

    Fields are model fields, paths through relations (`account__name`; a
    foreign key sorts by its id) or annotations of the queryset (a coalesced
    sort key is typed by its expression).
    """

    def __init__(self, queryset: models.QuerySet, ordering: Sequence[str]):
        if not ordering or ordering[-1].lstrip("-") not in ("id", "pk"):
            raise ValueError(f"a keyset ordering ends with the primary key, not {ordering!r}")
        self.ordering = [_pk_as_id(field) for field in ordering]
        self.db = queryset.db
        resolved = [_resolve(queryset, field.lstrip("-")) for field in self.ordering]
        self.fields = [field for field, _nullable, _attname in resolved]
        self.nullable = [nullable for _field, nullable, _attname in resolved]
        self._attnames = [attname for _field, _nullable, attname in resolved]

    # The query -------------------------------------------------------------

    def order_by(self, *, backwards: bool = False) -> list[str | OrderBy]:
        """ORDER BY terms: nullable fields say where NULLs go; the others stay plain for indexes."""
        terms: list[str | OrderBy] = []
        for field, nullable in zip(self.ordering, self.nullable, strict=True):
            field = _reversed(field) if backwards else field
            if not nullable:
                terms.append(field)
            elif field.startswith("-"):
                terms.append(F(field[1:]).desc(nulls_first=True))
            else:
                terms.append(F(field).asc(nulls_last=True))
        return terms

    def after(self, position: Position) -> Q:
        """The rows strictly after the position, in its direction."""
        ordering = [_reversed(f) for f in self.ordering] if position.backwards else self.ordering
        condition = Q()
        equal_so_far = Q()
        for field, nullable, value in zip(ordering, self.nullable, position.values, strict=True):
            step = _beyond(field, value, nullable=nullable)
            if step is not None:
                condition |= equal_so_far & step
            name = field.lstrip("-")
            equal_so_far &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
        return condition

    def page(
        self,
        rows: list,
        *,
        size: int,
        position: Position | None,
        count: int = 0,
        count_capped: bool = False,
    ) -> Page:
        """The page of `size` rows out of `size + 1` read from `position` in its direction.

        The extra row only says whether there is more that way; coming from
        a cursor means there are rows the other way.
        """
        backwards = position is not None and position.backwards
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        if rows:
            first, last = self.values_of(rows[0]), self.values_of(rows[-1])
        elif position is not None:
            # Past either end: the way back starts from the cursor's own place.
            first = last = list(position.values)
        else:
            first = last = []
        more_after = more if not backwards else position is not None
        more_before = more if backwards else position is not None
        return Page(
            rows=rows,
            next_cursor=self.cursor(last) if more_after and last else None,
            previous_cursor=self.cursor(first, backwards=True) if more_before and first else None,
            count=count,
            count_capped=count_capped,
        )

    # Cursors ---------------------------------------------------------------

    def values_of(self, row) -> list[Any]:
        values = []
        for attname in self._attnames:
            value = row
            for part in attname:
                value = getattr(value, part) if value is not None else None
            values.append(value)
        return values

    def cursor(self, values: Sequence[Any], *, backwards: bool = False) -> str:
        # Values go as text their field reads back (to_python): dates,
        # decimals and ids alike, exactly, with no type tags to keep in step.
        payload: dict[str, Any] = {
            "o": self.ordering,
            "v": [None if value is None else str(value) for value in values],
        }
        if backwards:
            payload["r"] = 1
        raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def position(self, cursor: str) -> Position:
        """Where `cursor` points; InvalidCursor if this ordering did not give it out.

        Cursors come back from browsers and clients, so every value is
        checked against its field: anything that is not one of ours is
        refused rather than reaching the database.
        """
        if not isinstance(cursor, str) or not cursor or len(cursor) > CURSOR_MAX_LENGTH:
            raise InvalidCursor("no cursor")
        try:
            raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            if not isinstance(raw, dict) or raw.get("o") != self.ordering:
                raise InvalidCursor("the cursor belongs to another ordering")
            backwards, values = raw.get("r", 0), raw.get("v")
            if backwards not in (0, 1) or not isinstance(values, list):
                raise InvalidCursor("the cursor has no position")
            typed = tuple(
                self._typed(field, nullable, value)
                for field, nullable, value in zip(self.fields, self.nullable, values, strict=True)
            )
        except InvalidCursor:
            raise
        except (ValueError, TypeError, ArithmeticError, ValidationError, binascii.Error) as error:
            # json and base64 errors are ValueErrors; zip(strict) a wrong length.
            raise InvalidCursor(str(error)) from error
        return Position(typed, backwards=bool(backwards))

    def _typed(self, field: models.Field, nullable: bool, value: Any) -> Any:
        if value is None:
            if not nullable:
                raise InvalidCursor("NULL in a field that is never NULL")
            return None
        if not isinstance(value, str):  # cursor() writes every value as text
            raise InvalidCursor("a cursor value is text")
        typed = field.to_python(value)
        if typed is None:
            raise InvalidCursor("a cursor value means nothing")
        if isinstance(typed, datetime) and settings.USE_TZ and timezone.is_naive(typed):
            raise InvalidCursor("a moment without its time zone")
        if isinstance(typed, (float, Decimal)) and not math.isfinite(typed):
            raise InvalidCursor("not a finite number")
        if isinstance(typed, int):
            target = field.target_field if isinstance(field, models.ForeignKey) else field
            try:
                low, high = connections[self.db].ops.integer_field_range(target.get_internal_type())
            except KeyError:  # not an integer column
                return typed
            if (low is not None and typed < low) or (high is not None and typed > high):
                raise InvalidCursor("beyond any value the column can hold")
        return typed

    def position_or_none(self, cursor: str | None) -> Position | None:
        """Web pages: a cursor that is not ours gives the first page, not an error."""
        if not cursor:
            return None
        try:
            return self.position(cursor)
        except InvalidCursor:
            return None


def _beyond(field: str, value: Any, *, nullable: bool) -> Q | None:
    """Rows whose `field` comes strictly after `value` in the order `field` names."""
    name = field.lstrip("-")
    if field.startswith("-"):
        if value is None:
            return Q(**{f"{name}__isnull": False})
        return Q(**{f"{name}__lt": value})
    if value is None:
        return None  # nothing sorts after NULL going up
    beyond = Q(**{f"{name}__gt": value})
    return beyond | Q(**{f"{name}__isnull": True}) if nullable else beyond


def _resolve(queryset: models.QuerySet, path: str) -> tuple[models.Field, bool, list[str]]:
    """The field a sort path ends at, whether it can be NULL, and the attributes that read it."""
    annotation = queryset.query.annotations.get(path)
    if annotation is not None:
        field = annotation.output_field
        return field, bool(field.null), [path]
    model = queryset.model
    parts = path.split("__")
    nullable = False
    attributes = []
    try:
        for part in parts[:-1]:
            relation = model._meta.get_field(part)
            if not relation.is_relation or relation.many_to_many or relation.one_to_many:
                raise ValueError(f"{model.__name__}.{part} is not a single related row")
            nullable = nullable or relation.null
            attributes.append(relation.name)
            model = relation.related_model
        field = model._meta.get_field(parts[-1])
    except FieldDoesNotExist as error:
        raise ValueError(f"{queryset.model.__name__} cannot be ordered by {path!r}") from error
    if not field.concrete or field.many_to_many:
        raise ValueError(f"{model.__name__}.{parts[-1]} is not a column")
    # A foreign key sorts by its id: read the id, not the related row.
    attributes.append(field.attname)
    return field, nullable or field.null, attributes


def count_capped(queryset: models.QuerySet) -> int:
    """How many rows, counting no further than COUNT_CAP + 1."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def only_columns(
    queryset: models.QuerySet, columns: Sequence[str], ordering: Sequence[str] = ()
) -> models.QuerySet:
    """`queryset` reading only `columns` and the fields `ordering` sorts by (and the key).

    Columns are model fields or paths through single relations
    (`owner__first_name`); those relations are the ones joined and loaded,
    in place of whatever select_related the queryset had. A list prints a
    few of its records' many columns (and of their account's and owner's):
    every other column would be SQL to compile, data to send and a value to
    convert and put in an object, for 25 rows on every visit. A field left
    out is still read when asked for, one query per row, so the pages that
    pass columns are checked for queries per row by their tests.
    """
    names = list(columns)
    for field in ordering:
        name = field.lstrip("-")
        if name not in queryset.query.annotations and name not in names:
            names.append(name)
    relations = sorted({name.rpartition("__")[0] for name in names if "__" in name})
    narrowed = queryset.select_related(None)
    if relations:  # select_related() with no names would follow every relation
        narrowed = narrowed.select_related(*relations)
    return narrowed.only(*names)


def keyset_page(
    queryset: models.QuerySet,
    *,
    ordering: Sequence[str],
    cursor: str | None = None,
    size: int = 25,
    count: bool = True,
    strict: bool = False,
    columns: Sequence[str] = (),
) -> Page:
    """One page of `queryset` ordered by `ordering`, which must end in the primary key.

    A cursor that is not one of ours gives the first page (a web list
    links on), or raises InvalidCursor with `strict` (the API says 404).
    With `columns`, the rows hold only those fields (`only_columns`).
    """
    keyset = Keyset(queryset, ordering)
    position = keyset.position(cursor) if strict and cursor else keyset.position_or_none(cursor)
    backwards = position is not None and position.backwards
    rows_qs = only_columns(queryset, columns, keyset.ordering) if columns else queryset
    rows_qs = rows_qs.order_by(*keyset.order_by(backwards=backwards))
    if position is not None:
        rows_qs = rows_qs.filter(keyset.after(position))
    rows = list(rows_qs[: size + 1])
    total = count_capped(queryset) if count else 0
    return keyset.page(
        rows, size=size, position=position, count=total, count_capped=total > COUNT_CAP
    )
