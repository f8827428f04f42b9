"""A reader's lists over their access scope, compiled once per kind of reader.

`access.visible` writes the reader's scope (their records, their team's,
their department's) into every statement, and Django builds and compiles
it again for each list of each request: on a salesperson's home, four
short lists cost more Python in building their SQL than in anything else,
and PostgreSQL planned each afresh. Readers of one shape (`access.reader_shape`:
the same roles, a team or none, a department or none) get the same SQL with
their own ids, so here each list is compiled once per shape with a stand-in
reader (core/compiled_once.py), prepared on PostgreSQL, and bound with the
reader's ids and the list's own values. A reader with no shape, or a list
that does not compile (compiled_once says when), is built and run as usual.

`build(reader, values)` gives the list's queryset (of value tuples for
`rows`, of models for `instances`); it must take every value that varies
(dates, ids) from `values`, never work one out itself: compiled_once refuses
a statement whose other parameters follow the values. The stand-in reader
has only what `reader_shape` names (ids, roles, whether they manage a team):
a list that reads anything else of its reader (their team, their name) must
not be read through here.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

from django.db.models import Model, QuerySet

from obieg.core import access, compiled_once
from obieg.core.models import Department, User
from obieg.core.pagination import Keyset, Page, only_columns

_READER = {
    "user": compiled_once.Value(int, User._meta.pk),
    "department": compiled_once.Value(int, Department._meta.pk),
}


def rows(name: Hashable, user, **list_) -> list[tuple]:
    """The rows `build` reads for `user`: tuples of its columns, converted as Django would."""
    return _read(compiled_once.converted_rows, name, user, **list_)


def instances(name: Hashable, user, **list_) -> list[Model]:
    """As `rows`, for a queryset read as model instances (with its select_related ones)."""
    return _read(compiled_once.instances, name, user, **list_)


def bound(name: Hashable, user, **list_) -> tuple[str, list] | None:
    """`build`'s SQL for `user` with its values bound, compiled once per kind of reader, to
    send inside another statement; None where it is not (a reader of no shape, a statement
    compiled_once refuses): the caller builds its own. `build` may give (sql, params)."""
    statement, given = _statement(name, user, **list_)
    return None if statement is None else compiled_once.bound(statement, given)


def first_page(
    name: str,
    user,
    *,
    records: QuerySet,
    ordering: Sequence[str],
    size: int,
    columns: Sequence[str] = (),
    build: Callable[[object, Mapping[str, object]], QuerySet],
    values: Mapping[str, object] | None = None,
    kinds: Mapping[str, compiled_once.Value] | None = None,
) -> Page:
    """The first page of `build`'s records for `user`, as `pagination.keyset_page` with no
    cursor and no count reads it (`columns` only, when given), compiled once per kind of
    reader: the first screen of a list, asked far more often than the pages after.

    `records` are the list's records outside any reader's scope (cheap to build: no
    access condition), which tell the keyset what the ordering's fields are.
    """
    keyset = Keyset(records, ordering)

    def first_rows(reader, given: Mapping[str, object]) -> QuerySet:
        records = build(reader, given)
        if columns:
            records = only_columns(records, columns, keyset.ordering)
        return records.order_by(*keyset.order_by())[: size + 1]

    rows = instances(
        # Everything the statement's text follows from besides the reader's shape.
        (name, tuple(ordering), size, tuple(columns)),
        user,
        models=(records.model,),
        build=first_rows,
        values=values,
        kinds=kinds,
    )
    return keyset.page(rows, size=size, position=None)


def _read(
    read: Callable,
    name: Hashable,
    user,
    *,
    models: tuple[type[Model], ...],
    build: Callable[[object, Mapping[str, object]], QuerySet],
    values: Mapping[str, object] | None = None,
    kinds: Mapping[str, compiled_once.Value] | None = None,
    for_change: bool = False,
) -> list:
    """`models` are those whose scope `build` reads through `access.visible` (or
    `access.changeable`, `for_change`)."""
    statement, given = _statement(
        name, user, models=models, build=build, values=values, kinds=kinds, for_change=for_change
    )
    if statement is None:
        return list(build(user, values or {}))
    return read(statement, given)


def _statement(
    name: Hashable,
    user,
    *,
    models: tuple[type[Model], ...],
    build: Callable[[object, Mapping[str, object]], QuerySet | tuple[str, list]],
    values: Mapping[str, object] | None = None,
    kinds: Mapping[str, compiled_once.Value] | None = None,
    for_change: bool = False,
) -> tuple[compiled_once.Compiled | None, dict]:
    """The list's statement for readers of `user`'s shape, and the values to bind it with;
    `kinds` tells what each of `values` is compared to."""
    values, kinds = values or {}, kinds or {}
    shape = access.reader_shape(user, *models, for_change=for_change)
    if shape is None:
        return None, {}
    reader = {"user": user.pk}
    if user.department_id is not None:
        reader["department"] = user.department_id
    statement = compiled_once.compiled(
        (name, shape),
        {**{key: _READER[key] for key in reader}, **kinds},
        lambda stand_ins: build(
            access.stand_in_reader(user, stand_ins["user"], stand_ins.get("department")),
            stand_ins,
        ),
        optional=frozenset(reader),  # a scope may add no condition: the reader's ids unused
    )
    return statement, {**reader, **values}
