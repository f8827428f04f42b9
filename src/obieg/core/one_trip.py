"""Several small, bounded reads in one round trip to the database.

A page that shows six board columns or five lists of a customer asks the
same short question six or five times (a capped count, the first rows).
Each query is cheap for the database; what costs is the trip and, in
Python, building each query. These helpers take querysets built as usual
(so the access policy's filters are in them, with their parameters) and
send them as one statement: scalar subqueries side by side, or branches of
a UNION ALL. Each part keeps its own LIMIT, so each stays bounded; the SQL
is the querysets' own, parameters bound by the driver, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from obieg.core.money import ZERO, to_grosz
from obieg.core.pagination import COUNT_CAP


def _sql(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def capped_counts(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """How many rows each queryset has, up to COUNT_CAP + 1, in one statement."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, part_params = _sql(queryset.order_by().values("pk")[: COUNT_CAP + 1])
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def capped_counts_and_sums(querysets: dict[str, QuerySet], field: str) -> dict[str, tuple]:
    """Per queryset: (count, sum of `field`) over its first COUNT_CAP + 1 rows, in one statement.

    The sum is of the counted rows only: a lower bound when the count is capped.
    """
    parts, params = [], []
    for queryset in querysets.values():
        sql, part_params = _sql(queryset.order_by().values_list("pk", field)[: COUNT_CAP + 1])
        parts.append(f'SELECT COUNT(*), SUM(capped."{field}") FROM ({sql}) capped')
        params += part_params
    with connection.cursor() as cursor:
        # Each branch is one row; UNION ALL keeps them apart (no DISTINCT), in order.
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return {key: (count, money(total)) for key, (count, total) in zip(querysets, rows, strict=True)}


def union_rows(querysets: list[QuerySet]) -> list[tuple]:
    """The rows of every queryset (each values_list()ed and sliced alike), in one statement.

    Values come out as the querysets would give them (a date, a Decimal, on
    SQLite too: the first queryset's converters read every row). The rows
    come in no particular order: the caller sorts them.
    """
    parts, params, compilers = [], [], []
    for queryset in querysets:
        compiler = queryset.query.get_compiler(connection=connection)
        sql, part_params = compiler.as_sql()
        compilers.append(compiler)
        parts.append(f"SELECT * FROM ({sql}) part")
        params += list(part_params)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return list(compilers[0].results_iter(results=[rows], tuple_expected=True))


def money(value) -> Decimal:
    """A sum as PLN: PostgreSQL gives a Decimal, SQLite a float or an int (or NULL)."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        value = Decimal(repr(value))
    return to_grosz(value)
