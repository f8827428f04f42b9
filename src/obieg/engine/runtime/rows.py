"""Plain SQL for the few statements every step runs.

A task completion reads and writes the same handful of rows; building
those statements through the ORM cost more than the engine's own work
(about 0.15 ms each against 0.02 ms). These helpers write the SQL once
per process from the models' metadata, prepare every value with the
field's own `get_db_prep_save` and convert every value read with the
field's own converters, so rows are stored and read exactly as the ORM
would. On PostgreSQL, statements whose results are not needed in between
go to the server as one multi-statement query (`run_together`): one round
trip, and half the client's work of psycopg's pipeline mode, which sends,
flushes and reads back each statement on its own (measured: 0.45 against
0.75 ms of client CPU for a step's reads and writes).

A step's transaction takes two round trips there, not four: the first
query of the transaction carries its BEGIN, and a step that ends its
transaction (`ends_transaction=True`) sends its COMMIT with its writes.
A write that must change an exact number of rows (`expect`) is checked by
the server in the same query, so a lost race stops the query before the
COMMIT and the transaction rolls back as it would have before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar, cast

from django.db import DatabaseError, connection, models
from django.db.models.constants import OnConflict

from obieg.core import prepared_statements
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, ProcessDefinition, WorkItem

_M = TypeVar("_M", bound=models.Model)

# In model field order: Model.from_db assigns a partial row's values by that order.
_DEFINITION_FIELDS = tuple(
    field.attname
    for field in ProcessDefinition._meta.concrete_fields
    if field.attname in {"key", "name", "source_name", "checksum"}
)


# psycopg's status of a result with rows (`psycopg.pq.ExecStatus.TUPLES_OK`).
_TUPLES_OK = 2

# A statement with its parameters, for `run_together`.
Statement = tuple[str, list[Any]]


class RowsChanged(Exception):
    """A write of `run_together` changed another number of rows than it was expected to.

    The transaction must roll back. `by_server`: the server refused it (the
    query carried its COMMIT), so the transaction is already failed and
    nothing more can be read in it; otherwise it can still be read.
    """

    def __init__(self, index: int, expected: int, changed: int, *, by_server: bool = False):
        super().__init__(f"statement {index} changed {changed} rows, not {expected}")
        self.index, self.expected, self.changed = index, expected, changed
        self.by_server = by_server


# What the server's refusal of an expected row count says (see `_expecting`).
_MARK = "obieg-rows-changed"


def _one_query() -> bool:
    """Whether statements can go as one query: psycopg 3 with client-side binding (the default).

    A server-side bound statement (`server_side_binding`) cannot hold several commands.
    """
    if connection.vendor != "postgresql":
        return False
    import psycopg

    connection.ensure_connection()
    return issubclass(connection.connection.cursor_factory, psycopg.ClientCursor)


def _opens_transaction(pg) -> bool:
    """Whether psycopg would send a BEGIN on its own, in a round trip, before the next query.

    Sending it with the query uses two of psycopg's own attributes (its
    BEGIN text, its autocommit flag); without them, psycopg sends its own.
    tests/engine/runtime/test_round_trips.py fails if neither happens.
    """
    from psycopg.pq import TransactionStatus

    return (
        connection.in_atomic_block
        and not pg.autocommit
        and pg.info.transaction_status == TransactionStatus.IDLE
        and getattr(pg, "_pipeline", None) is None
        and hasattr(pg, "_get_tx_start_command")
        and hasattr(pg, "_autocommit")
    )


def _may_end_transaction() -> bool:
    """Whether the transaction open now is one `atomic` block's own, with no savepoint.

    Only then may a step's last writes carry the COMMIT: inside a caller's
    transaction (or a test's) the writes must not commit it.
    """
    return (
        connection.in_atomic_block
        and len(connection.atomic_blocks) == 1
        and not connection.savepoint_ids
        and not connection.needs_rollback
    )


def _expecting(sql: str, params: list[Any], index: int, rows: int) -> Statement:
    """`sql` (an UPDATE or DELETE) made to fail on the server unless it changes `rows` rows.

    The failure is a cast of a text holding the count: it depends on the
    rows the write changed, so the server cannot fold it away beforehand.
    """
    return (
        f"WITH changed AS ({sql} RETURNING 1) SELECT CASE WHEN count(*) = %s THEN 0 "
        f"ELSE CAST(%s || count(*) AS integer) END FROM changed",
        [*params, rows, f"{_MARK}:{index}:{rows}:"],
    )


def _refusal(error: DatabaseError) -> RowsChanged | None:
    """The expected row count behind a database error raised by `_expecting`'s statement."""
    found = re.search(_MARK + r":(\d+):(\d+):(\d+)", str(error))
    if found is None:
        return None
    index, rows, changed = (int(number) for number in found.groups())
    return RowsChanged(index, rows, changed, by_server=True)


def run_together(
    statements: Sequence[Statement],
    *,
    expect: Mapping[int, int] | None = None,
    ends_transaction: bool = False,
) -> list[tuple[int, list[tuple] | None]]:
    """Run `statements` in order; (row count, rows or None) for each.

    On PostgreSQL they travel as one query; the server runs them one after
    the other in the step's transaction and stops at the first error, which
    is raised here (the step then rolls back whole). Elsewhere, one by one.
    `expect` maps a statement's index to the rows it must change; if it
    changes another number, `RowsChanged` is raised and the caller's
    transaction must roll back. `ends_transaction`: nothing else runs in
    this `atomic` block after these statements, so on PostgreSQL the COMMIT
    goes with them (the block's own commit then finds nothing left to do),
    and the server checks `expect` itself, stopping before the COMMIT.
    """
    expect = expect or {}
    if _one_query() and (
        len(statements) > 1 or ends_transaction or _opens_transaction(connection.connection)
    ):
        return _run_as_one(statements, expect, ends_transaction)
    results: list[tuple[int, list[tuple] | None]] = []
    with connection.cursor() as cursor:
        for index, (sql, params) in enumerate(statements):
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description is not None else None
            results.append((cursor.rowcount, rows))
            if index in expect and cursor.rowcount != expect[index]:
                raise RowsChanged(index, expect[index], cursor.rowcount)
    return results


def _run_as_one(
    statements: Sequence[Statement], expect: Mapping[int, int], ends_transaction: bool
) -> list[tuple[int, list[tuple] | None]]:
    pg = connection.connection
    session = prepared_statements.session(pg)  # before `opens`: after a failure it reads the server
    texts, params = [], []
    kept: list[bool] = []  # per text: whether its result is one of `statements`'
    new: list[str] = []  # statements this query prepares
    opens = _opens_transaction(pg)
    if opens:
        # The BEGIN psycopg would have sent alone, with the connection's isolation level.
        texts.append(pg._get_tx_start_command().decode())
        kept.append(False)
    commits = ends_transaction and _may_end_transaction()
    for index, (sql, values) in enumerate(statements):
        if commits and index in expect:
            # Checked by the server: a wrong count must stop the query before its COMMIT.
            sql, values = _expecting(sql, values, index, expect[index])
        if session is not None:
            prepare, sql = prepared_statements.texts(session, sql, len(values), new)
            if prepare is not None:
                texts.append(prepare)
                kept.append(False)
        texts.append(sql)
        kept.append(True)
        params.extend(values)
    if commits:
        texts.append("COMMIT")
        kept.append(False)
    results: list[tuple[int, list[tuple] | None]] = []
    with connection.cursor() as cursor:
        if opens:
            pg._autocommit = True  # the query carries its BEGIN: psycopg must not send one
        try:
            cursor.execute(";\n".join(texts), params)
        except DatabaseError as error:
            if session is not None:
                session.known = False  # which of its PREPAREs ran is not known
            refusal = _refusal(error)
            if refusal is not None:
                raise refusal from error
            raise
        finally:
            if opens:
                pg._autocommit = False
        if session is not None:
            session.names.update(new)
        # psycopg's own cursor: Django's wrapper looks each attribute up anew, and
        # `description` builds a column object per column; a result's status says the same.
        raw = cursor.cursor
        for keep in kept:
            if keep:
                result = raw.pgresult
                has_rows = result is not None and result.status == _TUPLES_OK
                results.append((raw.rowcount, raw.fetchall() if has_rows else None))
            if not raw.nextset():
                break
    if len(results) != len(statements):
        raise RuntimeError(f"{len(statements)} statements sent, {len(results)} results back")
    if commits:
        # An expected write came back as the one row of its check, passed: the count expected.
        return [(expect[i], None) if i in expect else result for i, result in enumerate(results)]
    for index, rows in expect.items():
        if results[index][0] != rows:  # still in the transaction: the caller rolls it back
            raise RowsChanged(index, rows, results[index][0])
    return results


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    # Callers name the model's own concrete fields, never a reverse relation or a generic FK
    # (a cast, not a check: this runs on every step).
    return [cast(models.Field, model._meta.get_field(name)) for name in names]


@lru_cache(maxsize=64)
def _insert_sql(
    model: type[models.Model], names: tuple[str, ...], ignore_conflicts: bool
) -> tuple[str, str, str]:
    fields = _fields(model, names)
    columns = ", ".join(_qn(field.column) for field in fields)
    marks = "(" + ", ".join(["%s"] * len(names)) + ")"
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    insert = connection.ops.insert_statement(on_conflict=on_conflict)
    tail = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    head = f"{insert} {_qn(model._meta.db_table)} ({columns}) VALUES "
    return head, marks, f" {tail}" if tail else ""


def insert(
    model: type[models.Model],
    objects: Iterable[models.Model],
    names: tuple[str, ...],
    *,
    ignore_conflicts: bool = False,
) -> Statement | None:
    """One INSERT of the given fields of `objects` (ids not read back); None for no objects.

    `ignore_conflicts`: rows a unique constraint already holds are skipped, as
    `bulk_create(ignore_conflicts=True)` does.
    """
    fields = _fields(model, names)
    params = [
        field.get_db_prep_save(getattr(obj, field.attname), connection)
        for obj in objects
        for field in fields
    ]
    if not params:
        return None
    head, marks, tail = _insert_sql(model, names, ignore_conflicts)
    return head + ", ".join([marks] * (len(params) // len(fields))) + tail, params


def update(model: type[models.Model], pk: int, expect: dict[str, Any], **values: Any) -> Statement:
    """UPDATE one row by primary key, only while its fields still hold `expect`.

    Its row count (1, or 0 when someone changed the row first) comes back
    from `run_together`.
    """
    sql, fields, conditions = _update_sql(model, tuple(values), tuple(expect))
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    params.append(pk)
    for field in conditions:
        params.append(field.get_db_prep_save(expect[field.name], connection))
    return sql, params


@lru_cache(maxsize=64)
def _update_sql(
    model: type[models.Model], names: tuple[str, ...], where: tuple[str, ...]
) -> tuple[str, list[models.Field], list[models.Field]]:
    """`update`'s SQL (written once per shape), its fields set and its fields compared."""
    fields = _fields(model, names)
    conditions = _fields(model, where)
    assignments = ", ".join(f"{_qn(field.column)} = %s" for field in fields)
    tests = " AND ".join([f"{_qn('id')} = %s", *(f"{_qn(f.column)} = %s" for f in conditions)])
    return f"UPDATE {_qn(model._meta.db_table)} SET {assignments} WHERE {tests}", fields, conditions


def update_in(
    model: type[models.Model], column: str, keys: Sequence[Any], where: dict[str, Any], **values
) -> Statement:
    """UPDATE the rows whose `column` is one of `keys` and whose fields hold `where`."""
    fields = _fields(model, tuple(values))
    key_field = _fields(model, (column,))[0]
    assignments = ", ".join(f"{_qn(field.column)} = %s" for field in fields)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    params += [key_field.get_db_prep_value(key, connection) for key in keys]
    conditions = [f"{_qn(key_field.column)} IN ({', '.join(['%s'] * len(keys))})"]
    for field in _fields(model, tuple(where)):
        conditions.append(f"{_qn(field.column)} = %s")
        params.append(field.get_db_prep_save(where[field.name], connection))
    sql = f"UPDATE {_qn(model._meta.db_table)} SET {assignments} WHERE {' AND '.join(conditions)}"
    return sql, params


_CASE_FIELDS = tuple(f for f in Case._meta.concrete_fields if f.name != "data")
_ITEM_FIELDS = tuple(WorkItem._meta.concrete_fields)


@lru_cache(maxsize=8)
def _converters(model: type[models.Model], fields: tuple[models.Field, ...]) -> list:
    """(position, converters, column) for the fields whose database values need converting."""
    compiler = model._default_manager.none().query.get_compiler(connection.alias)
    columns = [field.get_col(model._meta.db_table) for field in fields]
    return [
        (pos, convs, column) for pos, (convs, column) in compiler.get_converters(columns).items()
    ]


def _build(model: type[_M], fields: tuple[models.Field, ...], row) -> _M:
    """A model instance from a row of `fields` (the others deferred), as the ORM builds it."""
    values = list(row[: len(fields)])
    for pos, converters, column in _converters(model, fields):
        for converter in converters:
            values[pos] = converter(values[pos], column, connection)
    return model.from_db(connection.alias, [field.attname for field in fields], values)


def _case_select(where: str, *, tail: str = "", skip_locked: bool = False) -> str:
    case, definition = _qn(Case._meta.db_table), _qn(ProcessDefinition._meta.db_table)
    columns = ", ".join(f"c.{_qn(field.column)}" for field in _CASE_FIELDS)
    extra = ", ".join(f"d.{_qn(n)}" for n in _DEFINITION_FIELDS)
    # NO KEY UPDATE: rows referring to the case (history, work items) can still be added
    # by others meanwhile.
    lock = " FOR NO KEY UPDATE OF c" if connection.features.has_select_for_update_of else ""
    if not lock and connection.features.has_select_for_update:
        lock = " FOR UPDATE"
    if lock and skip_locked:
        lock += " SKIP LOCKED"
    return (
        f"SELECT {columns}, {extra} FROM {case} c JOIN {definition} d "
        f"ON d.{_qn('id')} = c.{_qn('definition_id')} WHERE {where}{tail}{lock}"
    )


@lru_cache(maxsize=4)
def _lock_case_sql(vendor: str) -> str:
    return _case_select(f"c.{_qn('id')} = %s")


@lru_cache(maxsize=4)
def _next_due_sql(vendor: str) -> str:
    statuses = ", ".join(["%s"] * len(ACTIVE_CASE_STATUSES))
    where = (
        f"c.{_qn('status')} IN ({statuses}) AND c.{_qn('next_timer_at')} <= %s "
        f"AND c.{_qn('id')} > %s"
    )
    return _case_select(where, tail=f" ORDER BY c.{_qn('id')} LIMIT 1", skip_locked=True)


@lru_cache(maxsize=4)
def _item_sql(vendor: str) -> str:
    columns = ", ".join(_qn(field.column) for field in _ITEM_FIELDS)
    return f"SELECT {columns} FROM {_qn(WorkItem._meta.db_table)} WHERE {_qn('id')} = %s"


def _case_from(row) -> Case:
    if row is None:
        raise Case.DoesNotExist("no such case")
    case = _build(Case, _CASE_FIELDS, row)
    names = ["id", *_DEFINITION_FIELDS]
    values = [case.definition_id, *row[len(_CASE_FIELDS) :]]
    case.definition = ProcessDefinition.from_db(connection.alias, names, values)
    return case


def _item_from(row) -> WorkItem:
    if row is None:
        raise WorkItem.DoesNotExist("no such work item")
    return _build(WorkItem, _ITEM_FIELDS, row)


def lock_case(case_id: int) -> Case:
    """The case row, locked until the transaction ends, with its definition (files deferred).

    The transaction's BEGIN travels with it (`run_together`).
    """
    ((_, case_rows),) = run_together([(_lock_case_sql(connection.vendor), [case_id])])
    return _case_from(case_rows[0] if case_rows else None)


def lock_next_due_case(now, after_id: int) -> Case | None:
    """The next case (by id, after `after_id`) whose timer is due, locked; None when none is.

    Cases another worker holds are skipped (SKIP LOCKED on PostgreSQL; on
    SQLite one writer at a time gives the same guarantee), so each timer
    fires once however many workers run the clock.
    """
    field = Case._meta.get_field("next_timer_at")
    params = [
        *(status.value for status in ACTIVE_CASE_STATUSES),
        field.get_db_prep_value(now, connection),
        after_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_next_due_sql(connection.vendor), params)
        row = cursor.fetchone()
    return _case_from(row) if row is not None else None


def work_item(pk: int) -> WorkItem:
    """One work item, read fresh."""
    with connection.cursor() as cursor:
        cursor.execute(_item_sql(connection.vendor), [pk])
        return _item_from(cursor.fetchone())


def lock_case_and_read_item(case_id: int, item_id: int) -> tuple[Case, WorkItem]:
    """Lock the case, then read the item fresh: in one round trip on PostgreSQL.

    The server runs the two statements in order, so the item is read after
    the case lock is held, exactly as if they had been sent one by one.
    """
    vendor = connection.vendor
    (_, case_rows), (_, item_rows) = run_together(
        [(_lock_case_sql(vendor), [case_id]), (_item_sql(vendor), [item_id])]
    )
    case_row = case_rows[0] if case_rows else None
    item_row = item_rows[0] if item_rows else None
    return _case_from(case_row), _item_from(item_row)
