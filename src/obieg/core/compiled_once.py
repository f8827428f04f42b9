"""Statements compiled once per process for each shape, bound per request with its values.

A page asked on every request (the inbox, its badge, the 360° page of a
customer) builds querysets whose SQL depends only on their shape (how many
roles a reader has, whether a cursor is given, which kinds of record) and
not on the values (the reader, the account): building and compiling them
cost more Python than the database spends answering. Here each shape is
compiled once, from querysets built as usual but with stand-in values, and
each request puts its own values where the stand-ins landed among the
parameters. A shape where a stand-in does not come out as a parameter of
its own (a value that went into the SQL text, or that a field converted
out of recognition) gives None, and the caller builds its querysets as
before. core/one_trip.Keyed does the same for one text key asked several
times in one statement.

On PostgreSQL each shape `compiled` keeps is also prepared once per
database session (core/prepared_statements.py), and the shape's constants
(a status, a kind of record) are written into its text as literals,
leaving only the request's values as parameters (a statement `compile_now`
gives for one request, as one_trip.Keyed's, is left as compiled).
PostgreSQL then keeps one generic plan per shape after a few runs instead
of planning every request (the inbox's rows: 1.2 ms of server time planned
each time, 0.45 prepared); a constant left as a parameter would hide from
that plan which partial index fits (the open items' indexes name status
'open'): with the status a parameter, the generic plan of the inbox's
rows took 70 ms, not 0.45.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Field, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler
from psycopg.sql import Literal

from obieg.core import clock, prepared_statements

# A parameter's place in compiled SQL (%s), or an escaped percent sign (%%).
PLACEHOLDER = re.compile(r"%%|%s")
# A stand-in of each kind no column holds and no caller passes; `number` keeps them apart.
# Ints stay within a 32-bit column's range: beyond it Django drops the condition itself.
_INT_BASE = 2_047_483_000
# The clock during a kept shape's second build (`compiled`): any day, hour or moment differs.
_A_DAY_LATER = timedelta(days=1, seconds=1, microseconds=1)


def _stand_in(kind: type, number: int):
    if kind is int:
        return _INT_BASE + number
    if kind is str:
        return f"\x00compiled_once.{number}\x00"
    if kind is datetime:
        return datetime(1901, 2, 3, 4, 5, 6, 100_000 + number, tzinfo=UTC)
    raise TypeError(kind)


@dataclass(frozen=True)
class Value:
    """A value a statement takes: its kind (int, str or datetime), the field it is compared to."""

    kind: type
    field: Field


@dataclass(frozen=True)
class Compiled:
    """One shape's SQL, its parameters, and which of them take which named value."""

    sql: str
    params: tuple
    places: tuple[tuple[int, str, Field], ...]  # (parameter, value name, field preparing it)
    compiler: SQLCompiler | None  # reads rows as the queryset would (its columns, converters)

    def bind(self, values: Mapping[str, object]) -> list:
        params = list(self.params)
        for place, name, field in self.places:
            params[place] = field.get_db_prep_value(values[name], connection, prepared=False)
        return params


_compiled: dict[Hashable, Compiled | None] = {}
_lock = threading.Lock()


def compiled(
    shape: Hashable,
    values: Mapping[str, Value],
    build: Callable[[Mapping[str, object]], QuerySet | tuple[str, list]],
    *,
    optional: frozenset[str] = frozenset(),
) -> Compiled | None:
    """The statement `build` gives for `shape`, compiled the first time this process meets it.

    `build` receives a stand-in for each named value and gives a queryset
    (read as model instances with `instances`) or (sql, params).

    The shape is built a second time, with other stand-ins and the clock a day
    later, and kept only if everything but the stand-ins came out the same: a
    parameter `build` works out from a value (a week's end from its start) or
    reads afresh (today) would otherwise be kept as the first request's
    constant; such a shape gives None, and its caller builds it each time.
    Every value must come out as a parameter, but those named `optional`,
    which a statement may not take at all (a reader's id where their scope
    adds no condition).
    """
    key = (connection.vendor, shape)
    try:
        return _compiled[key]
    except KeyError:
        pass
    found = _compiled_with(values, build, 0, optional=optional)
    if found is not None and not _same_for_other_values(found, values, build, optional):
        found = None
    if found is not None and connection.vendor == "postgresql":
        found = _constants_written(found)  # kept for every request of the shape: prepared
    with _lock:
        _compiled[key] = found
    return found


def compile_now(values: Mapping[str, Value], build) -> Compiled | None:
    """`build`'s statement with stand-ins for `values`, compiled now and not kept (`compiled`
    keeps it); None when a stand-in does not come out as a parameter of its own."""
    return _compiled_with(values, build, 0)


def _same_for_other_values(
    statement: Compiled, values: Mapping[str, Value], build, optional: frozenset[str]
) -> bool:
    with clock.frozen(clock.now() + _A_DAY_LATER):
        other = _compiled_with(values, build, len(values), optional=optional)
    if other is None or (other.sql, other.places) != (statement.sql, statement.places):
        return False
    taken = {place for place, _name, _field in statement.places}
    return all(
        mine == theirs
        for place, (mine, theirs) in enumerate(zip(statement.params, other.params, strict=True))
        if place not in taken
    )


def _compiled_with(
    values: Mapping[str, Value], build, offset: int, *, optional: frozenset[str] = frozenset()
) -> Compiled | None:
    """The statement with stand-ins numbered from `offset`; None as compile_now says (a
    value named `optional` that the statement does not take is no reason)."""
    stand_ins = {
        name: _stand_in(value.kind, offset + n) for n, (name, value) in enumerate(values.items())
    }
    built = build(stand_ins)
    compiler = None
    if isinstance(built, QuerySet):
        compiler = built.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
    else:
        sql, params = built
    stand_in_params = {
        name: values[name].field.get_db_prep_value(stand_in, connection, prepared=False)
        for name, stand_in in stand_ins.items()
    }
    places = []
    for place, param in enumerate(params):
        for name, stand_in in stand_in_params.items():
            if type(param) is type(stand_in) and param == stand_in:
                places.append((place, name, values[name].field))
    placeholders = sum(1 for token in PLACEHOLDER.findall(sql) if token == "%s")
    named = {name for _place, name, _field in places}
    unused = set(values) - named
    if placeholders != len(params) or unused - optional or _leaks(sql, stand_in_params.values()):
        return None  # a value went into the SQL text, or was converted out of recognition
    return Compiled(sql, tuple(params), tuple(places), compiler)


def _constants_written(statement: Compiled) -> Compiled:
    """`statement` with each parameter that is not a value of the request written as a literal.

    Written as psycopg writes a parameter into the text it sends (the same
    literal, the same cast), so the statement means what it meant. A literal
    holding `%` or `$` stays a parameter: the text is still formatted with
    the request's values, and prepared_statements sends a text with `$` as it is.
    """
    connection.ensure_connection()
    pg = connection.connection
    sql, params = statement.sql, statement.params
    taken = {place: (name, field) for place, name, field in statement.places}
    pieces: list[str] = []
    kept: list = []  # the parameters left: the request's values (and literals holding % or $)
    kept_places: list = []
    start, index = 0, 0
    for token in PLACEHOLDER.finditer(sql):
        if token.group() == "%%":
            continue
        pieces.append(sql[start : token.start()])
        start = token.end()
        param = params[index]
        literal = None if index in taken else Literal(param).as_string(pg)
        if literal is None or "%" in literal or "$" in literal:
            if index in taken:
                kept_places.append((len(kept), *taken[index]))
            pieces.append("%s")
            kept.append(param)
        else:
            pieces.append(literal)
        index += 1
    pieces.append(sql[start:])
    return Compiled("".join(pieces), tuple(kept), tuple(kept_places), statement.compiler)


def _leaks(sql: str, stand_ins) -> bool:
    return any(str(stand_in).strip("\x00") in sql for stand_in in stand_ins)


def instances(statement: Compiled, values: Mapping[str, object]) -> list:
    """The statement's rows as its queryset's model instances, with their select_related objects.

    What Django's ModelIterable does, from the compiler kept with the shape.
    """
    compiler = statement.compiler
    assert compiler is not None
    rows: list = _rows(statement, values)
    klass_info, select = compiler.klass_info, compiler.select
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    attnames = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, connection.alias)
    found = []
    for row in compiler.results_iter(results=[rows]):
        instance = model.from_db(connection.alias, attnames, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        found.append(instance)
    return found


def scalars(statement: Compiled, values: Mapping[str, object]) -> tuple:
    """The one row of a statement that gives one."""
    return _rows(statement, values)[0]


def converted_rows(statement: Compiled, values: Mapping[str, object]) -> list[tuple]:
    """The statement's rows as tuples of its queryset's columns, each value converted as the
    queryset would (its converters: dates, decimals and flags on SQLite)."""
    compiler = statement.compiler
    assert compiler is not None
    rows: list = _rows(statement, values)
    return [tuple(row) for row in compiler.results_iter(results=[rows], tuple_expected=True)]


def bound(statement: Compiled, values: Mapping[str, object]) -> tuple[str, list]:
    """(SQL, parameters) of the statement for `values`, to send or to put inside another."""
    return statement.sql, statement.bind(values)


def _rows(statement: Compiled, values: Mapping[str, object]) -> list[tuple]:
    return prepared_statements.rows_of(statement.sql, statement.bind(values))
