"""Who takes part in a case through its work items: the cases list and the access policy.

The work items are a large table: the participation condition is read off
their indexes as plain column tests (assignee, completed_by, the queues),
the teams a user manages and the departments they head known beforehand,
never as joins from each work item to its assignee's team and department.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.db import connection

from obieg.core import access, roles
from obieg.engine import selectors
from obieg.engine.models import Case, WorkItem
from obieg.engine.runtime import services as engine
from tests.conftest import make_user
from tests.engine.conftest import deploy_samples

CASES = "/api/engine/cases/"


@pytest.fixture
def case(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.admin)
    # Set up each test's item directly: who holds it, which queue, which state.
    WorkItem.objects.filter(case=case).update(
        assignee=None, candidate_group="", candidate_department=None, completed_by=None
    )
    return case


def _item(case, **fields) -> None:
    WorkItem.objects.filter(case=case).update(**fields)


def _sees(user, case) -> bool:
    fresh = type(user).objects.get(pk=user.pk)  # a request's user, nothing memoised
    return selectors.cases_for(fresh).filter(pk=case.pk).exists()


def test_the_condition_on_work_items_joins_no_other_table(org):
    for user in (org.sara, org.manager, org.head, org.designer):
        sql = str(WorkItem.objects.filter(selectors._participation(user)).query)
        assert "JOIN" not in sql.upper(), (user, sql)


def _work_item_scans(user) -> list[str]:
    """The steps of SQLite's plan for `user`'s cases that read every work item."""
    fresh = type(user).objects.get(pk=user.pk)
    sql, params = selectors.cases_for(fresh).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    return [step for step in plan if step in ("SCAN U0", "SCAN engine_workitem")]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_sqlite_reads_the_items_by_index_when_most_name_no_one(org, case):
    # Most work items name no one who completed them (cancelled by a boundary
    # event, or loaded without) and no department. After ANALYZE, SQLite took
    # "completed_by = ?" and "candidate_department IN (...)" to match those
    # many NULLs, and read all 10^6 work items for a salesperson's cases (a
    # global search spent 240 ms there). Indexes of the non-NULL rows only
    # tell it how few each person or department has.
    WorkItem.objects.bulk_create(
        WorkItem(
            case=case,
            task_id=uuid4(),
            element_id="t",
            name="Task",
            status="completed",
            assignee=org.tomasz,
        )
        for _ in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        try:
            scans = {user.username: _work_item_scans(user) for user in (org.sara, org.head)}
            assert scans == {org.sara.username: [], org.head.username: []}  # head: departments
        finally:  # the next tests plan without these statistics
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.execute("ANALYZE sqlite_schema")


def test_who_completed_and_the_routed_department_are_indexed_only_where_set(db):
    # The migration drops the foreign keys' full indexes by the names Django gave them.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "engine_workitem")
    for column, partial in (
        ("completed_by_id", "engine_item_completed_by"),
        ("candidate_department_id", "engine_item_routed_department"),
    ):
        alone = [
            name
            for name, spec in constraints.items()
            if spec["index"] and not spec["primary_key"] and spec["columns"] == [column]
        ]
        assert alone == [partial], column


def test_the_assignee_and_their_team_manager_take_part(org, case):
    _item(case, assignee=org.tomasz)
    assert _sees(org.tomasz, case)
    assert _sees(org.manager, case)  # manages Tomasz's team
    assert not _sees(org.olga, case)
    assert not _sees(org.sara, case)  # a teammate is no participant


def test_the_head_of_the_assignees_department_takes_part(org, case):
    builder = make_user("bartek", roles.DEPARTMENT_HEAD, department=org.construction)
    _item(case, assignee=builder)
    assert _sees(org.head, case)
    assert not _sees(org.designer, case)


def test_a_department_queue_is_its_members_while_open_and_its_heads_always(org, case):
    member = make_user("cezary", department=org.construction)
    _item(case, candidate_department=org.construction)
    assert _sees(member, case) and _sees(org.head, case)

    _item(case, status="completed", completed_by=org.olga)
    assert not _sees(member, case)
    assert _sees(org.head, case)
    assert _sees(org.olga, case)  # who completed it


def test_a_role_queue_is_its_members_until_someone_takes_the_item(org, case):
    _item(case, candidate_group=roles.DESIGNER)
    assert _sees(org.designer, case)

    _item(case, assignee=org.olga)
    assert not _sees(org.designer, case)
    assert _sees(org.olga, case)


def test_the_cases_list_shows_the_participants_cases(client_for, org, case):
    _item(case, assignee=org.tomasz)
    other = engine.start_case(process="offer_approval", actor=org.admin)
    WorkItem.objects.filter(case=other).update(assignee=org.olga, candidate_group="")

    for user, expected in ((org.manager, [case.pk]), (org.olga, [other.pk])):
        rows = client_for(user).get(CASES).data["results"]
        assert [row["id"] for row in rows] == expected, user
    assert Case.objects.count() == 2


def test_the_documents_scope_builds_the_users_cases_once(org, case, monkeypatch):
    # Both participation rules (the cases' subjects, the cases themselves) derive from
    # the user's cases: built once per request, it was most of a salesperson's
    # documents list in Python (bench/page_costs.py api/documents).
    from obieg.core import access
    from obieg.documents.models import Document

    built = []
    cases_for = selectors.cases_for
    monkeypatch.setattr(selectors, "cases_for", lambda user: built.append(user) or cases_for(user))
    _item(case, assignee=org.sara)
    fresh = type(org.sara).objects.get(pk=org.sara.pk)
    list(access.visible(Document.objects.all(), fresh))
    assert len(built) == 1


def test_whom_a_reader_oversees_is_read_only_for_managers_and_heads(org, django_assert_num_queries):
    """A request's user read says whether they manage a team or head a department
    (core/auth_backend): a salesperson's participation then needs no statement for it."""
    for user, manages, heads, statements in (
        (org.sara, False, False, 0),
        (org.manager, True, False, 1),
        (org.head, False, True, 1),
    ):
        fresh = type(user).objects.get(pk=user.pk)
        access.know_standing(
            fresh, role_names=user.role_names, manages_team=manages, heads_department=heads
        )
        with django_assert_num_queries(statements):
            people, departments = selectors._overseen(fresh)
        assert (bool(people), bool(departments)) == (manages or heads, heads), user
