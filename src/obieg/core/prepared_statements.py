"""Statements prepared once per database session (PostgreSQL).

PostgreSQL plans every statement it is sent as text; for the short
statements of a step the plan costs more than the work (the case lock:
0.1 ms to plan, 0.03 ms to run), and the inbox's rows statement cost 1.2
ms of server time as text against 0.45 prepared. A statement asked again
and again is therefore sent as `EXECUTE name(values)` of a statement
prepared in the same session, and the first time the session meets it,
its `PREPARE name AS ...` goes ahead of it in the same query: no round
trip is added. After five runs the server keeps one generic plan for it
when that plan is estimated no dearer than the ones made for each run's
values. Two callers: a step's statements (engine/runtime/rows.py
`run_together`) and the statements compiled once per shape
(core/compiled_once.py), through `rows_of`.

What a session has prepared is kept with its connection (a new connection
starts with nothing). `PREPARE` is not undone by a rollback, so after a
query that failed (which of its statements ran is not known) the next
query first reads the session's list back from `pg_prepared_statements`.
A session must be the process's own: behind a pooler that hands one
server session to several clients in turn (PgBouncer's transaction mode)
set DB_PREPARED_STATEMENTS=false (settings.py).
"""

from __future__ import annotations

import hashlib
import weakref
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError, connection

PREFIX = "obieg_"
# Inserts differ by their number of rows: a session prepares a bounded number of shapes.
MAX_PER_SESSION = 200


class Session:
    """The statements one server session has prepared, as far as this process knows."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.known = True  # False after a failed query: read the list back before trusting it

    def resync(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM pg_prepared_statements WHERE starts_with(name, %s)", [PREFIX]
            )
            self.names = {name for (name,) in cursor.fetchall()}
        self.known = True


_sessions: weakref.WeakKeyDictionary[object, Session] = weakref.WeakKeyDictionary()


def session(pg) -> Session | None:
    """What the session of psycopg connection `pg` has prepared; None when not preparing."""
    if not settings.DB_PREPARED_STATEMENTS:
        return None
    found = _sessions.get(pg)
    if found is None:
        found = _sessions[pg] = Session()
    if not found.known:
        found.resync()
    return found


# Each name this process has given, and the statement it stands for (`sql_of`); started
# again past MAX_NAMED, as the shapes' cache below forgets the least used.
_statements: dict[str, str] = {}
MAX_NAMED = 4096


@lru_cache(maxsize=512)
def _shape(sql: str) -> tuple[str, str] | None:
    """(name, PREPARE text) for `sql` with %s placeholders; None if it cannot be prepared."""
    if "%%" in sql or "$" in sql:
        return None
    pieces = sql.split("%s")
    numbered = pieces[0] + "".join(f"${n}{piece}" for n, piece in enumerate(pieces[1:], 1))
    name = PREFIX + hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()
    if len(_statements) >= MAX_NAMED:
        _statements.clear()
    _statements[name] = sql
    return name, f"PREPARE {name} AS {numbered}"


def sql_of(text: str) -> str:
    """The statement a sent `EXECUTE name(…)` runs, for reading a log or captured queries;
    any other text as it is."""
    if text.startswith("EXECUTE " + PREFIX):
        name = text[len("EXECUTE ") :].split("(", 1)[0]
        return _statements.get(name, text)
    return text


def name_for(sql: str) -> str | None:
    """The name `sql` is prepared under in every session (None: it is sent as it is)."""
    shape = _shape(sql)
    return shape[0] if shape is not None else None


def texts(found: Session, sql: str, count: int, new: list[str]) -> tuple[str | None, str]:
    """(PREPARE text or None, text to run) for `sql` taking `count` values, in `found`.

    A name to be prepared by this query is appended to `new`; the caller
    adds `new` to the session once the query has succeeded.
    """
    shape = _shape(sql)
    if shape is None:
        return None, sql
    name, prepare = shape
    run = f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    if name in found.names or name in new:
        return None, run
    if len(found.names) + len(new) >= MAX_PER_SESSION:
        return None, sql
    new.append(name)
    return prepare, run


def rows_of(sql: str, params: list) -> list[tuple]:
    """The rows of one statement, run as a statement this session prepared where it can be.

    `sql` takes %s placeholders as Django's cursors do; one that cannot be
    prepared (it holds `%%` or `$`), or any statement when preparing is off
    or the database is not PostgreSQL, is sent as it is.
    """
    with connection.cursor() as cursor:
        found = session(connection.connection) if connection.vendor == "postgresql" else None
        if found is None:
            cursor.execute(sql, params)
            return cursor.fetchall()
        new: list[str] = []
        prepare, run = texts(found, sql, len(params), new)
        try:
            cursor.execute(run if prepare is None else f"{prepare};\n{run}", params)
        except DatabaseError:
            found.known = False  # whether its PREPARE ran is not known
            raise
        found.names.update(new)
        # The PREPARE's result comes first when it went with the query.
        raw = cursor.cursor
        if prepare is not None:
            raw.nextset()
        return raw.fetchall()
