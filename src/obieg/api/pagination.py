"""The API's pages: `?cursor=` links over core.pagination's keyset, forwards and back.

DRF's CursorPagination keys its cursor on the first ordering field only and
walks ties with an OFFSET (capped at 1000), and it cannot compare NULLs or
foreign keys. This keeps DRF's interface (the `ordering` filter, the schema's
parameters) and pages the way every list does (core.pagination): the cursor
holds every ordering field of the boundary row and the ordering ends with
the primary key, so no duplicates and no gaps, whatever the sort column.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from obieg.core.pagination import InvalidCursor, Page, keyset_page, with_tiebreaker


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
        self.base_url = self._page_url = request.build_absolute_uri()
        try:
            self.keyset_page: Page = keyset_page(
                queryset,
                ordering=self.get_ordering(request, queryset, view),
                cursor=request.query_params.get(self.cursor_query_param),
                size=self.get_page_size(request),
                count=False,
                strict=True,
            )
        except InvalidCursor as error:
            raise NotFound(self.invalid_cursor_message) from error
        self.page = self.keyset_page.rows
        return self.page

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self._page_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.keyset_page.next_cursor)

    def get_previous_link(self):
        return self._link(self.keyset_page.previous_cursor)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
