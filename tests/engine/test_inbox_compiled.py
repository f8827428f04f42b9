"""The inbox's statements compiled once per shape (core/compiled_once.py) are the querysets' own.

For every shape a reader and a page give (roles, a department, a cursor on
a dated or an undated item, a process or step filter), the statement bound
with the reader's values is the SQL and the parameters Django compiles from
the querysets built with those values, and reads the same instances.
"""

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from obieg.core import compiled_once
from obieg.engine import deploy, selectors
from obieg.engine.models import ProcessDefinition, WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.selectors import inbox, inbox_count
from obieg.engine.web.views_inbox import PROCESS_COLUMNS
from tests.conftest import give_role
from tests.engine.conftest import DATA, at, deploy_samples
from tests.statements import as_sent, sql_of_each

MONDAY = at(2026, 12, 7, 9)


@pytest.fixture
def items(org):
    deploy_samples("approval.bpmn")
    give_role(org.designer, "secretariat")
    case = engine.start_case(process="offer_approval", actor=org.tomasz)
    WorkItem.objects.filter(case=case).delete()
    made = []
    for number in range(12):
        fields = [
            {"assignee": org.designer},
            {"candidate_group": "designer"},
            {"candidate_group": "secretariat"},
            {"candidate_department": org.design},
        ][number % 4]
        due = (MONDAY, at(2026, 12, 8, 9), None)[number % 3]
        made.append(
            WorkItem.objects.create(
                case=case,
                task_id=uuid4(),
                element_id=("design", "check")[number % 2],
                due_at=due,
                **fields,
            )
        )
    return made


def _reader(org):
    return type(org.designer).objects.get(pk=org.designer.pk)


SHAPES = [
    {},
    {"process": "offer_approval"},
    {"element": "design"},
    {"process": "offer_approval", "element": "check"},
    {"process": "no_such_process"},
    {"after": (MONDAY, 0)},
    {"after": (None, 0)},
    {"after": (MONDAY, 0), "element": "design"},
]


def _values(user, shape: dict) -> dict:
    values = selectors._reader_values(user)
    for name in ("process", "element"):
        if shape.get(name):
            values[name] = shape[name]
    if "after" in shape:
        due, pk = shape["after"]
        if due is not None:
            values["after_due"] = due
        values["after_id"] = pk
    return values


@pytest.mark.parametrize("shape", SHAPES)
def test_the_bound_statement_is_the_querysets_own_sql_and_parameters(org, items, shape):
    user = _reader(org)
    assert user.department_id and len(user.role_names) == 2  # two queues and a department
    values = _values(user, shape)
    built = selectors._inbox_query(values, limit=5)
    statement = compiled_once.compiled(
        ("inbox", tuple(values), 5),
        selectors._inbox_kinds(values),
        lambda given: selectors._inbox_query(given, limit=5),
    )
    assert statement is not None  # compiled, not built per request
    sql, params = built.query.get_compiler(connection=connection).as_sql()
    assert as_sent(statement.sql, statement.bind(values)) == as_sent(sql, list(params))
    if connection.vendor == "postgresql":  # only the reader's values stay parameters
        assert len(statement.params) == len(statement.places) < len(params)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_inbox_reads_the_same_instances_as_its_queryset(org, items, shape):
    user = _reader(org)
    after = shape.get("after")
    filters = {"process": shape.get("process", ""), "element": shape.get("element", "")}
    found = inbox(user, limit=5, after=after, **filters)
    expected = list(selectors._inbox_query(_values(user, shape), limit=5))
    assert [item.pk for item in found] == [item.pk for item in expected]
    for mine, theirs in zip(found, expected, strict=True):
        assert mine.__dict__.keys() == theirs.__dict__.keys()
        assert mine.get_deferred_fields() == theirs.get_deferred_fields()
        with CaptureQueriesContext(connection) as queries:  # the related rows came with it
            related = (
                mine.case.title,
                mine.case.definition.key,
                str(mine.assignee or ""),
                str(mine.candidate_department or ""),
            )
        assert len(queries) == 0
        assert related == (
            theirs.case.title,
            theirs.case.definition.key,
            str(theirs.assignee or ""),
            str(theirs.candidate_department or ""),
        )
        assert (mine.due_at, mine.status, mine._state.adding, mine._state.db) == (
            theirs.due_at,
            theirs.status,
            False,
            "default",
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANY(ARRAY(...)) is PostgreSQL's")
@pytest.mark.parametrize("shape", SHAPES)
def test_the_union_read_as_an_array_gives_the_rows_id_in_the_union_gave(
    org, items, shape, monkeypatch
):
    values = _values(_reader(org), shape)
    for limit in (2, 5, 50):
        new = selectors._inbox_query(values, limit=limit)
        assert "= ANY(ARRAY(" in str(new.query)
        with monkeypatch.context() as patch:
            patch.setattr(selectors, "_among", lambda ids: Q(pk__in=ids))
            old = selectors._inbox_query(values, limit=limit)
            assert " IN (SELECT id FROM" in str(old.query)
        assert [item.pk for item in new] == [item.pk for item in old]
    rows_expected = shape.get("process") != "no_such_process"
    assert bool(list(selectors._inbox_query(values, limit=50))) == rows_expected


def test_pages_through_the_compiled_statement_walk_every_item_once_in_order(org, items):
    user = _reader(org)
    visible = [
        item
        for item in items
        if item.assignee_id == user.pk
        or item.candidate_group in user.role_names
        or item.candidate_department_id == user.department_id
    ]
    expected = sorted(visible, key=lambda i: (i.due_at is None, i.due_at or MONDAY, i.pk))
    walked, cursor = [], None
    while True:
        page = selectors.inbox_page(user, size=2, cursor=cursor)
        walked += page.rows
        cursor = page.next_cursor
        if not cursor:
            break
    assert [item.pk for item in walked] == [item.pk for item in expected]


def test_the_capped_counts_are_the_querysets_own_sql_and_count_alike(org, items, frozen):
    user = _reader(org)
    with frozen(at(2026, 12, 7, 12)):
        values = {**selectors._reader_values(user), "now": datetime(2026, 12, 7, 11, tzinfo=UTC)}
        statement = compiled_once.compiled(
            ("inbox_count", tuple(values), 2),
            selectors._inbox_kinds(values),
            lambda given: selectors._capped_counts_sql(given, 3),
        )
        assert statement is not None
        sql, params = selectors._capped_counts_sql(values, 3)
        assert as_sent(statement.sql, statement.bind(values)) == as_sent(sql, params)
        with CaptureQueriesContext(connection) as queries:
            counted = inbox_count(user, cap=99)
        assert len(queries) == 1
        assert counted == inbox_count(user) == {"mine": 3, "queued": 9, "overdue": 1}
        assert inbox_count(user, cap=2) == {"mine": 3, "queued": 3, "overdue": 1}


def test_a_reader_without_roles_or_department_gets_their_own_items(org, items):
    WorkItem.objects.filter(pk=items[0].pk).update(assignee=org.tomasz)
    user = type(org.tomasz).objects.get(pk=org.tomasz.pk)
    assert [item.pk for item in inbox(user)] == [
        item.pk for item in selectors._inbox_query(selectors._reader_values(user), limit=50)
    ]
    assert [item.pk for item in inbox(user)][:1] == [items[0].pk]


def test_the_inbox_names_the_latest_version_of_every_process(org):
    keys = deploy_samples("approval.bpmn", "due_dates.bpmn")
    deploy_samples("approval.bpmn")  # the same again: no new version
    xml = (DATA / "approval.bpmn").read_text(encoding="utf-8")
    # A second version, and a third: the newest is named, whatever the order of the rows.
    for number in (2, 3):
        changed = xml.replace(
            'name="Offer approval" isExecutable', f'name="Offer approval {number}" isExecutable'
        )
        assert changed != xml
        deploy.deploy_sources({"approval.bpmn": changed}, solution="tests")
    found = selectors.latest_definitions(columns=PROCESS_COLUMNS)
    newest = {
        key: ProcessDefinition.objects.filter(key=key).order_by("-version").first() for key in keys
    }
    assert {d.key: d.pk for d in found if d.key in newest} == {
        key: definition.pk for key, definition in newest.items()
    }
    assert newest["offer_approval"].version == 3
    assert [(d.pk, d.key, d.name, d.checksum, d.source_name) for d in found] == [
        (d.pk, d.key, d.name, d.checksum, d.source_name) for d in selectors.latest_definitions()
    ]
    assert [d.key for d in found] == sorted(d.key for d in found)


def test_a_page_filtered_by_process_reads_its_file_once(client, org, items):
    client.force_login(org.designer)
    client.get("/work/")  # the processes' names, parsed once per process
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/work/", {"process": "offer_approval", "step": "prepare_offer"})
    assert answer.status_code == 200
    sent = sql_of_each(queries)
    work_items = [sql for sql in sent if 'FROM "engine_workitem"' in sql]
    definitions = [sql for sql in sent if 'FROM "engine_processdefinition"' in sql]
    # The rows and the counts; the filter's list. The process's file (for its steps) was
    # read with its names on the first page (engine.labels), not again for the filter.
    assert (len(work_items), len(definitions)) == (2, 1), [sql[:80] for sql in sent]
    assert [step for step, _name in answer.context["steps"]] and answer.context[
        "step"
    ] == "prepare_offer"


@pytest.mark.parametrize("shape", SHAPES)
def test_with_a_record_the_inbox_reads_the_columns_values_list_reads(org, items, shape):
    # What a page prints comes as records of those columns, not model instances,
    # converted as the queryset converts them (dates on SQLite, for one).
    from obieg.engine.web.inbox_rows import COLUMNS, Record

    user = _reader(org)
    after = shape.get("after")
    filters = {"process": shape.get("process", ""), "element": shape.get("element", "")}
    found = inbox(user, limit=5, after=after, record=Record, **filters)
    built = selectors._inbox_query(_values(user, shape), limit=5)
    expected = list(built.values_list(*COLUMNS))
    assert found == expected
    assert found or shape.get("process") == "no_such_process"  # rows were compared
    assert all(type(record) is Record for record in found)
    assert all(record.due_at is None or record.due_at.tzinfo for record in found)
