"""A step's statements are prepared once per database session, and never assumed wrongly.

`PREPARE` survives a rollback, and a new connection has none: after a
failed query the session's list is read back from the server, and a new
connection starts from nothing, so no step fails on a statement the
session lacks or already has.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from obieg.core import prepared_statements as prepared
from obieg.engine.models import CorrelationKey
from obieg.engine.runtime import rows
from obieg.engine.runtime import services as engine
from tests.engine.helpers import open_item, reload
from tests.engine.runtime.test_round_trips import queries, ten_steps_case  # noqa: F401

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE"),
    pytest.mark.skipif(not settings.DB_PREPARED_STATEMENTS, reason="DB_PREPARED_STATEMENTS=false"),
    pytest.mark.django_db(transaction=True),
]


def server_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall() if name.startswith(prepared.PREFIX)}


def test_the_second_completion_runs_statements_the_session_prepared(ten_steps_case):  # noqa: F811
    org, case = ten_steps_case
    engine.complete(work_item=open_item(case, "t1"), actor=org.sara, data={"amount": 5000})
    item = open_item(reload(case), "t2")

    with CaptureQueriesContext(connection) as captured:
        engine.complete(work_item=item, actor=org.sara, data={})

    read, write = queries(captured)
    assert "PREPARE" not in read and "EXECUTE obieg_" in read  # the case lock, prepared before
    assert "EXECUTE obieg_" in write
    assert prepared.session(connection.connection).names <= server_names()


def test_after_a_failed_query_the_session_is_read_back_from_the_server(ten_steps_case):  # noqa: F811
    _org, case = ten_steps_case
    key = CorrelationKey(case_id=case.pk, key="offer:1")
    broken = CorrelationKey(case_id=case.pk, key="offer:2")
    broken.case_id = 0  # the deferred foreign key fails at the COMMIT, after the PREPARE ran
    statement = rows.insert(CorrelationKey, [key], ("case", "key"))
    assert statement is not None
    name = prepared.name_for(statement[0])
    assert name is not None and name not in server_names()

    with pytest.raises(Exception, match="foreign key"), transaction.atomic(durable=True):
        rows.run_together(
            [statement, rows.insert(CorrelationKey, [broken], ("case", "key"))],
            ends_transaction=True,
        )

    assert name in server_names()  # the rollback did not undo the PREPARE
    # The same statement again: run, not prepared a second time ("already exists").
    with transaction.atomic(durable=True):
        rows.run_together([statement], ends_transaction=True)
    assert list(CorrelationKey.objects.filter(case=case).values_list("key", flat=True)) == [
        "offer:1"
    ]


def test_a_new_connection_prepares_its_statements_again(ten_steps_case):  # noqa: F811
    org, case = ten_steps_case
    engine.complete(work_item=open_item(case, "t1"), actor=org.sara, data={"amount": 5000})
    connection.close()  # the server session, and what it prepared, are gone

    engine.complete(work_item=open_item(reload(case), "t2"), actor=org.sara, data={})

    assert prepared.session(connection.connection).names <= server_names()
    assert reload(case).revision == case.revision + 2
