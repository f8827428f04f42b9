"""Keyset pagination for API lists: constant time on any page of a large table.

DRF's CursorPagination keys its cursor on the first ordering field only and
walks ties with an OFFSET (capped at 1000), and it cannot compare NULLs or
foreign keys. Here the cursor holds the values of *every* ordering field of
the boundary row, and the ordering always ends with the primary key, so a
page is "rows strictly after (or before) this tuple": no duplicates, no gaps,
whatever the sort column, NULLs included (they sort last going up).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


def with_tiebreaker(ordering: list[str] | tuple[str, ...]) -> list[str]:
    """`ordering` ending in the primary key, so every row has a unique position."""
    ordering = [field for field in ordering if field.lstrip("-") not in ("pk", "id")]
    tiebreak = "-id" if ordering and ordering[0].startswith("-") else "id"
    return [*ordering, tiebreak]


def _field(model: type[models.Model], name: str) -> models.Field:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise ValueError(f"{model.__name__} cannot be ordered by {name!r}") from error
    if not field.concrete or field.many_to_many:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def _order_by(field: str):
    # NULLs last going up and first going down, so reversing a page reverses
    # the whole order exactly (on every database).
    name = field.lstrip("-")
    if field.startswith("-"):
        return F(name).desc(nulls_first=True)
    return F(name).asc(nulls_last=True)


def _beyond(field: str, value: Any) -> Q | None:
    """Rows whose `field` comes strictly after `value` in the order `field` names."""
    name = field.lstrip("-")
    if field.startswith("-"):
        if value is None:
            return Q(**{f"{name}__isnull": False})
        return Q(**{f"{name}__lt": value})
    if value is None:
        return None  # nothing sorts after NULL going up
    return Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True})


def _equal(field: str, value: Any) -> Q:
    name = field.lstrip("-")
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def after(ordering: list[str], values: list[Any]) -> Q:
    """Rows strictly after the row whose ordering fields hold `values`."""
    condition = Q(pk__in=[])
    equal_so_far = Q()
    for field, value in zip(ordering, values, strict=True):
        step = _beyond(field, value)
        if step is not None:
            condition |= equal_so_far & step
        equal_so_far &= _equal(field, value)
    return condition


def reverse(ordering: list[str]) -> list[str]:
    return [field[1:] if field.startswith("-") else f"-{field}" for field in ordering]


class KeysetPagination(CursorPagination):
    """`?cursor=` pages of `page_size` rows (`?page_size=` up to 200), newest first by default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_ordering(self, request, queryset, view):
        return tuple(with_tiebreaker(super().get_ordering(request, queryset, view)))

    def get_page_size(self, request):
        # DRF falls back to the default size on `?page_size=abc`; say it is wrong
        # instead. Sizes below 1 still mean the default, above the cap the cap.
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if raw and not re.fullmatch(r"-?[0-9]+", raw):
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number.")]}
            )
        return super().get_page_size(request)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = list(self.get_ordering(request, queryset, view))
        self.fields = [_field(queryset.model, name.lstrip("-")) for name in self.ordering]
        backwards, position = self._decode(request)

        walk = reverse(self.ordering) if backwards else self.ordering
        rows = queryset.order_by(*map(_order_by, walk))
        if position is not None:
            rows = rows.filter(after(walk, position))
        rows = list(rows[: self.page_size + 1])
        more = len(rows) > self.page_size
        self.page = rows[: self.page_size]
        if backwards:
            self.page.reverse()
        # Coming back from a later page means that page exists; going forward
        # from a cursor means earlier rows exist.
        self.has_next = more if not backwards else position is not None
        self.has_previous = more if backwards else position is not None
        return self.page

    def _values(self, row) -> list[Any]:
        return [getattr(row, field.attname) for field in self.fields]

    def _decode(self, request) -> tuple[bool, list[Any] | None]:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return False, None
        try:
            raw = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            backwards, values = bool(raw["r"]), raw["v"]
            if raw["o"] != self.ordering or not isinstance(values, list):
                raise ValueError("the cursor belongs to another ordering")
            position = [
                None if value is None else field.to_python(value)
                for field, value in zip(self.fields, values, strict=True)
            ]
        except (ValueError, TypeError, KeyError, ValidationError, binascii.Error) as error:
            raise NotFound(self.invalid_cursor_message) from error
        return backwards, position

    def _link(self, row, *, backwards: bool) -> str:
        values = [None if v is None else str(v) for v in self._values(row)]
        raw = json.dumps(
            {"o": self.ordering, "r": int(backwards), "v": values}, separators=(",", ":")
        )
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        if not (self.has_next and self.page):
            return None
        return self._link(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            # Past the last row: the first page is the honest way back.
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[0], backwards=True)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
