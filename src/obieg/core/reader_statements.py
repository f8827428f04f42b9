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

from collections.abc import Callable, Mapping

from django.db.models import Model, QuerySet

from obieg.core import access, compiled_once
from obieg.core.models import Department, User

_READER = {
    "user": compiled_once.Value(int, User._meta.pk),
    "department": compiled_once.Value(int, Department._meta.pk),
}


def rows(name: str, user, **list_) -> list[tuple]:
    """The rows `build` reads for `user`: tuples of its columns, converted as Django would."""
    return _read(compiled_once.converted_rows, name, user, **list_)


def instances(name: str, user, **list_) -> list[Model]:
    """As `rows`, for a queryset read as model instances (with its select_related ones)."""
    return _read(compiled_once.instances, name, user, **list_)


def _read(
    read: Callable,
    name: str,
    user,
    *,
    models: tuple[type[Model], ...],
    build: Callable[[object, Mapping[str, object]], QuerySet],
    values: Mapping[str, object] | None = None,
    kinds: Mapping[str, compiled_once.Value] | None = None,
) -> list:
    """`models` are those whose scope `build` reads through `access.visible`;
    `kinds` tells what each of `values` is compared to."""
    statement, given = _statement(name, user, models, build, values or {}, kinds or {})
    if statement is None:
        return list(build(user, values or {}))
    return read(statement, given)


def _statement(name, user, models, build, values, kinds):
    """The list's statement for readers of `user`'s shape, and the values to bind it with."""
    shape = access.reader_shape(user, *models)
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
