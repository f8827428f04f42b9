"""A column no SQLite index may serve: `+column`, for queries whose plan SQLite gets wrong.

SQLite keeps no statistics on how many rows a substring match or a
subquery yields, so it can pick a plan that is fast for some values and
reads the whole table for others. Its documented way to keep an index out
of a plan is the no-op unary plus: `ORDER BY +sort_name` is sorted rather
than read off the index, `+id IN (…)` is tested row by row rather than
driving the query. Used on SQLite only (PostgreSQL plans from statistics,
and has no unary plus on text).
"""

from __future__ import annotations

from django.db.models import F, Func


class Unindexed(Func):
    """The value of `expression` (a column) as SQLite's `+column`."""

    template = "+%(expressions)s"

    def __init__(self, name: str, *, output_field):
        super().__init__(F(name), output_field=output_field)
