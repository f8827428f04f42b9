"""Plain SQL for the few statements every step runs.

A task completion reads and writes the same handful of rows; building
those statements through the ORM cost more than the engine's own work
(about 0.15 ms each against 0.02 ms). These helpers write the SQL once
per process from the models' metadata, prepare every value with the
field's own `get_db_prep_save` and convert every value read with the
field's own converters, so rows are stored and read exactly as the ORM
would. On PostgreSQL, statements whose results are not needed in between
go in one round trip (psycopg's pipeline mode).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar, cast

from django.db import connection, models

from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, ProcessDefinition, WorkItem

_M = TypeVar("_M", bound=models.Model)

# In model field order: Model.from_db assigns a partial row's values by that order.
_DEFINITION_FIELDS = tuple(
    field.attname
    for field in ProcessDefinition._meta.concrete_fields
    if field.attname in {"key", "name", "source_name", "checksum"}
)


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Send the statements inside together: one network round trip on PostgreSQL.

    psycopg's pipeline mode queues each statement and waits only when a
    result is needed; a step's writes need none. Errors surface when the
    block ends, inside the step's transaction, which then rolls back.
    """
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.connection.pipeline():
        yield


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    # Callers name the model's own concrete fields, never a reverse relation or a generic FK
    # (a cast, not a check: this runs on every step).
    return [cast(models.Field, model._meta.get_field(name)) for name in names]


@lru_cache(maxsize=64)
def _insert_sql(model: type[models.Model], names: tuple[str, ...]) -> str:
    columns = ", ".join(_qn(field.column) for field in _fields(model, names))
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {_qn(model._meta.db_table)} ({columns}) VALUES ({marks})"


def insert(model: type[models.Model], objects: Iterable[models.Model], names: tuple[str, ...]):
    """INSERT the given fields of `objects` (their ids are not read back)."""
    fields = _fields(model, names)
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        for obj in objects
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(_insert_sql(model, names), rows)


def update(model: type[models.Model], pk: int, **values: Any) -> None:
    """UPDATE one row by primary key."""
    update_where(model, pk, {}, **values).close()


def update_where(model: type[models.Model], pk: int, expect: dict[str, Any], **values: Any) -> Any:
    """UPDATE one row by primary key if its fields still hold `expect`.

    Returns the open cursor: its `rowcount` (1, or 0 when someone changed the
    row first) is known once the statement ran, which inside `batched()` is
    after the block; the caller closes it.
    """
    fields = _fields(model, tuple(values))
    assignments = ", ".join(f"{_qn(field.column)} = %s" for field in fields)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    conditions = [f"{_qn('id')} = %s"]
    params.append(pk)
    for field in _fields(model, tuple(expect)):
        conditions.append(f"{_qn(field.column)} = %s")
        params.append(field.get_db_prep_save(expect[field.name], connection))
    sql = f"UPDATE {_qn(model._meta.db_table)} SET {assignments} WHERE {' AND '.join(conditions)}"
    cursor = connection.cursor()
    cursor.execute(sql, params)
    return cursor


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
    """The case row, locked until the transaction ends, with its definition (files deferred)."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_case_sql(connection.vendor), [case_id])
        return _case_from(cursor.fetchone())


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
    if connection.vendor != "postgresql":
        return lock_case(case_id), work_item(item_id)
    with connection.cursor() as case_cursor, connection.cursor() as item_cursor:
        with batched():
            case_cursor.execute(_lock_case_sql(connection.vendor), [case_id])
            item_cursor.execute(_item_sql(connection.vendor), [item_id])
        return _case_from(case_cursor.fetchone()), _item_from(item_cursor.fetchone())
