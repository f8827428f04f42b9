"""On PostgreSQL a statement compiled once per shape is prepared once per session, its
constants written in (core/compiled_once.py, core/prepared_statements.py).

Only the request's values stay parameters, so the server's generic plan for
the shape still sees which partial index fits (status 'open'); the rows are
the queryset's whether the statement is prepared, sent as text, or prepared
again after the session lost it.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from obieg.core import compiled_once, prepared_statements
from obieg.core.models import User
from obieg.engine import selectors
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.engine.runtime import services as engine
from obieg.engine.web.inbox_rows import Record
from tests.engine.conftest import deploy_samples

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's PREPARE")

ASSIGNEE = {"assignee": compiled_once.Value(int, WorkItem._meta.get_field("assignee"))}


@pytest.fixture
def items(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.tomasz)
    WorkItem.objects.filter(case=case).delete()
    for number in range(6):
        WorkItem.objects.create(
            case=case,
            task_id=uuid4(),
            element_id="design",
            assignee=(org.designer, org.sara)[number % 2],
            status=(WorkItemStatus.OPEN, WorkItemStatus.COMPLETED)[number % 3 == 2],
        )


def _open_items_of(values) -> object:
    return WorkItem.objects.filter(
        status=WorkItemStatus.OPEN, assignee_id=values["assignee"], name__contains="a%b"
    ).order_by("pk")


def _statement(shape: str):
    statement = compiled_once.compiled(
        ("test_prepared", shape), ASSIGNEE, lambda given: _open_items_of(given).values_list("pk")
    )
    assert statement is not None
    return statement


def _expected(user: User) -> list[tuple]:
    return list(_open_items_of({"assignee": user.pk}).values_list("pk"))


def _sent(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def named_a_b(items):
    WorkItem.objects.update(name="plan a%b")


def test_a_shapes_constants_are_written_in_and_only_the_request_values_stay_parameters(
    org, named_a_b
):
    statement = _statement("constants")
    assert "= 'open'" in statement.sql
    assert WorkItemStatus.OPEN not in statement.params
    # A constant holding a % stays a parameter: the text is still formatted with the values.
    assert "%a\\%b%" in statement.params
    assert [name for _place, name, _field in statement.places] == ["assignee"]
    assert compiled_once.converted_rows(statement, {"assignee": org.designer.pk}) == _expected(
        org.designer
    )


@pytest.mark.django_db(transaction=True)
def test_the_second_read_of_a_shape_executes_what_the_session_prepared(org, named_a_b):
    statement = _statement("second")
    connection.close()  # a new server session, which has prepared nothing yet
    with CaptureQueriesContext(connection) as first:
        found_first = compiled_once.converted_rows(statement, {"assignee": org.designer.pk})
    with CaptureQueriesContext(connection) as second:
        found_second = compiled_once.converted_rows(statement, {"assignee": org.sara.pk})
    name = prepared_statements.name_for(statement.sql)
    assert _sent(first)[0].startswith(f"PREPARE {name} AS ")
    assert len(_sent(second)) == 1
    assert _sent(second)[0].startswith(f"EXECUTE {name}({org.sara.pk}, ")
    assert prepared_statements.sql_of(_sent(second)[0]) == statement.sql
    assert found_first == _expected(org.designer) and found_second == _expected(org.sara)
    assert found_first and found_second and found_first != found_second


def test_with_preparing_off_the_statement_is_sent_as_text(org, named_a_b, settings):
    settings.DB_PREPARED_STATEMENTS = False
    statement = _statement("off")
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            found = compiled_once.converted_rows(statement, {"assignee": org.designer.pk})
        assert not any("PREPARE" in sql or "EXECUTE" in sql for sql in _sent(queries))
        assert found == _expected(org.designer)


@pytest.mark.django_db(transaction=True)
def test_a_session_that_lost_its_statements_prepares_them_again(org, named_a_b):
    statement = _statement("lost")
    values = {"assignee": org.designer.pk}
    assert compiled_once.converted_rows(statement, values) == _expected(org.designer)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would, behind our back
    with pytest.raises(DatabaseError, match="does not exist"):
        compiled_once.converted_rows(statement, values)
    # The failure made the process read the session's list back: prepared anew.
    with CaptureQueriesContext(connection) as queries:
        assert compiled_once.converted_rows(statement, values) == _expected(org.designer)
    assert any(sql.startswith("PREPARE obieg_") for sql in _sent(queries))


def test_the_inbox_reads_the_same_records_prepared_as_sent_as_text(org, items, settings):
    reader = User.objects.get(pk=org.designer.pk)
    prepared = [selectors.inbox(reader, record=Record) for _ in range(7)]  # past 5: generic plan
    settings.DB_PREPARED_STATEMENTS = False
    as_text = selectors.inbox(reader, record=Record)
    assert as_text and all(rows == as_text for rows in prepared)
