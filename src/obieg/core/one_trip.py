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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.sql.compiler import SQLCompiler

from obieg.core import compiled_once
from obieg.core.money import ZERO, to_grosz
from obieg.core.pagination import COUNT_CAP


def _sql(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def capped_counts(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """How many rows each queryset has, up to COUNT_CAP + 1, in one statement."""
    sql, params = capped_count_columns(querysets)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + sql, params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def capped_count_columns(querysets: dict[str, QuerySet]) -> tuple[str, list]:
    """`capped_counts` as the columns of a SELECT, one per queryset, to send with others."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, part_params = _sql(queryset.order_by().values("pk")[: COUNT_CAP + 1])
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params += part_params
    return ", ".join(parts), params


def _capped_values(queryset: QuerySet, field: str) -> QuerySet:
    return queryset.order_by().values_list("pk", field)[: COUNT_CAP + 1]


def capped_counts_and_sums(querysets: dict[str, QuerySet], field: str) -> dict[str, tuple]:
    """Per queryset: (count, sum of `field`) over its first COUNT_CAP + 1 rows, in one statement.

    The sum is of the counted rows only: a lower bound when the count is capped.
    """
    statements = [_sql(_capped_values(queryset, field)) for queryset in querysets.values()]
    return _counts_and_sums(list(querysets), statements, field)


def capped_counts_and_sums_each(
    of_key: Callable[[str], QuerySet], keys: Sequence[str], field: str
) -> dict[str, tuple]:
    """`capped_counts_and_sums` of `of_key(key)` for each key, the query compiled once (`Keyed`)."""
    keyed = Keyed.compile(lambda key: _capped_values(of_key(key), field), keys)
    if keyed is None:
        querysets = {key: of_key(key) for key in keys}
        return capped_counts_and_sums(querysets, field) if querysets else {}
    if connection.vendor != "postgresql":
        return _counts_and_sums(list(keys), keyed.statements(keys), field)
    sql, params = keyed.lateral(
        keys, around=(f'SELECT COUNT(*), SUM(capped."{field}") FROM (', ") capped")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {Keyed.ALIAS}.value, part.* FROM {sql} part", params)
        found = {key: (count, money(total)) for key, count, total in cursor.fetchall()}
    return {key: found[key] for key in keys}


def _counts_and_sums(keys: list, statements: list[tuple[str, list]], field: str) -> dict:
    parts, params = [], []
    for sql, part_params in statements:
        parts.append(f'SELECT COUNT(*), SUM(capped."{field}") FROM ({sql}) capped')
        params += part_params
    with connection.cursor() as cursor:
        # Each branch is one row; UNION ALL keeps them apart (no DISTINCT), in order.
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return {key: (count, money(total)) for key, (count, total) in zip(keys, rows, strict=True)}


def union_rows(querysets: list[QuerySet]) -> list[tuple]:
    """The rows of every queryset (each values_list()ed and sliced alike), in one statement.

    Values come out as the querysets would give them (a date, a Decimal, on
    SQLite too: the first queryset's converters read every row). The rows
    come in no particular order: the caller sorts them.
    """
    compilers = [queryset.query.get_compiler(connection=connection) for queryset in querysets]
    statements = []
    for compiler in compilers:
        sql, params = compiler.as_sql()
        statements.append((sql, list(params)))
    return _union(compilers[0] if compilers else None, statements)


def union_rows_each(of_key: Callable[[str], QuerySet], keys: Sequence[str]) -> list[tuple]:
    """`union_rows` of `of_key(key)` for each key, the query compiled once (`Keyed`)."""
    keyed = Keyed.compile(of_key, keys)
    if keyed is None:
        return union_rows([of_key(key) for key in keys])
    if connection.vendor != "postgresql":
        return _union(keyed.compiler, keyed.statements(keys))
    sql, params = keyed.lateral(keys)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT part.* FROM {sql} part", params)
        rows = cursor.fetchall()
    return _converted(keyed.compiler, rows)


def _union(compiler: SQLCompiler | None, statements: list[tuple[str, list]]) -> list[tuple]:
    if compiler is None or not statements:
        return []
    parts, params = [], []
    for sql, part_params in statements:
        parts.append(f"SELECT * FROM ({sql}) part")
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return _converted(compiler, rows)


def _converted(compiler: SQLCompiler, rows: list) -> list[tuple]:
    """Rows as the compiler's queryset gives them (its converters: dates, decimals on SQLite)."""
    return cast(list[tuple], list(compiler.results_iter(results=[rows], tuple_expected=True)))


# The key is text compared to a column: prepared as any text is.
_TEXT_KEY = compiled_once.Value(str, TextField())


@dataclass(frozen=True)
class Keyed:
    """One query asked for several keys, compiled once.

    A board asks one question per stage: the same query but for the stage's
    value (`visible.filter(stage=stage)`). Building and compiling it six
    times costs more than sending it; here it is compiled once, for a
    placeholder key, and each key's value goes where the placeholder's
    parameter is. `of_key` must use the key only as a parameter (a text
    compared or matched), so the SQL is the same for every key; when the
    placeholder does not come out as a parameter of its own (a field that
    converts it, say), `compile` gives None and the caller compiles each.

    On PostgreSQL the keys are then one list the query is joined to
    laterally (`lateral`), planned once: planning six copies of a query
    joined by UNION ALL took the board 5 ms of the database's time, the
    lateral join 0.3 ms, for the same rows. SQLite, which has no lateral
    join and plans quickly, gets the copies (`statements`).
    """

    ALIAS: ClassVar[str] = "one_trip_key"

    compiler: SQLCompiler  # reads the rows of any key (its converters)
    sql: str
    params: tuple
    places: tuple[int, ...]  # which parameters are the key

    @classmethod
    def compile(cls, of_key: Callable[[str], QuerySet], keys: Sequence[str]) -> Keyed | None:
        if not keys:
            return None
        try:
            statement = compiled_once.compile_now(
                {"key": _TEXT_KEY}, lambda given: of_key(cast(str, given["key"]))
            )
        except (ValueError, TypeError, ValidationError):
            return None  # the key is not text to this query (a number, say)
        if statement is None or statement.compiler is None:
            return None
        places = tuple(place for place, _name, _field in statement.places)
        return cls(statement.compiler, statement.sql, statement.params, places)

    def statements(self, keys: Sequence[str]) -> list[tuple[str, list]]:
        """The query of each key, as (sql, params)."""
        statements = []
        for key in keys:
            params = list(self.params)
            for place in self.places:
                params[place] = key
            statements.append((self.sql, params))
        return statements

    def lateral(
        self, keys: Sequence[str], *, around: tuple[str, str] = ("", "")
    ) -> tuple[str, list]:
        """`(VALUES <keys>) AS one_trip_key(value) CROSS JOIN LATERAL (<query>)`, and its params.

        The query reads the key from one_trip_key.value, and is put between
        the two parts of `around` (SQL without parameters); alias the
        lateral part after it (`… FROM <this> part`).
        """
        places = set(self.places)
        params: list = list(keys)
        number = -1

        def placeholder(match: re.Match[str]) -> str:
            nonlocal number
            if match.group() == "%%":
                return "%%"
            number += 1
            if number in places:
                return f"{self.ALIAS}.value"
            params.append(self.params[number])
            return "%s"

        # One %s per parameter (compiled_once checked it when the key was compiled).
        inner = compiled_once.PLACEHOLDER.sub(placeholder, self.sql)
        values = ", ".join(["(%s)"] * len(keys))
        return (
            f"(VALUES {values}) AS {self.ALIAS}(value)"
            f" CROSS JOIN LATERAL ({around[0]}{inner}{around[1]})",
            params,
        )


def money(value) -> Decimal:
    """A sum as PLN: PostgreSQL gives a Decimal, SQLite a float or an int (or NULL)."""
    if value is None:
        return ZERO
    if not isinstance(value, Decimal):
        value = Decimal(repr(value))
    return to_grosz(value)
