"""The step's statements prepared once per database session (PostgreSQL).

PostgreSQL plans every statement it is sent as text; for the short
statements of a step the plan costs more than the work (the case lock:
0.1 ms to plan, 0.03 ms to run). `run_together` therefore sends each
statement as `EXECUTE name(values)` of a statement prepared in the same
session, and the first time the session meets a statement, its
`PREPARE name AS ...` goes ahead of it in the same query: no round trip
is added. After a few runs the server keeps one plan for it.

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
from django.db import connection

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


@lru_cache(maxsize=512)
def _shape(sql: str) -> tuple[str, str] | None:
    """(name, PREPARE text) for `sql` with %s placeholders; None if it cannot be prepared."""
    if "%%" in sql or "$" in sql:
        return None
    pieces = sql.split("%s")
    numbered = pieces[0] + "".join(f"${n}{piece}" for n, piece in enumerate(pieces[1:], 1))
    name = PREFIX + hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()
    return name, f"PREPARE {name} AS {numbered}"


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
