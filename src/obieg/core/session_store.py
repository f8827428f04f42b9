"""Django's database sessions, the one read every request makes compiled once per process.

`SESSION_ENGINE = "obieg.core.session_store"`. The sessions stay Django's
own (the same table, rows, cookie, expiry, and every write through Django's
code); only `load` differs: Django builds and compiles the same queryset for
each request (`Session.objects.get(session_key=…, expire_date__gt=now)`),
which costs about as much Python as the database takes to answer. Here its
SQL is compiled once per process (core/compiled_once.py) and sent with the
request's key and the current time.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.sessions.backends import db
from django.db.models import QuerySet
from django.utils import timezone

from obieg.core import compiled_once


class SessionStore(db.SessionStore):
    def load(self):
        session_key = self.session_key
        if session_key is None:  # none sent, or not a valid key (Django's base class checks)
            return {}
        values = {"key": session_key, "now": timezone.now()}
        statement = _read(self.model)
        if statement is None:
            rows = list(_session_data(self.model, values))
        else:
            rows = compiled_once.converted_rows(statement, values)
        if not rows:
            self._session_key = None  # as Django does: a new session gets a new key
            return {}
        return self.decode(rows[0][0])


def _session_data(model, values) -> QuerySet:
    return model.objects.filter(
        session_key=values["key"], expire_date__gt=values["now"]
    ).values_list("session_data")


def _read(model) -> compiled_once.Compiled | None:
    return compiled_once.compiled(
        ("session read", model._meta.label),
        {
            "key": compiled_once.Value(str, model._meta.get_field("session_key")),
            "now": compiled_once.Value(datetime, model._meta.get_field("expire_date")),
        },
        lambda given: _session_data(model, given),
    )
