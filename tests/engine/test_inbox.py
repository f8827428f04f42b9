"""The inbox: my tasks and my groups' unclaimed ones, overdue first, in three queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.engine import timers
from obieg.engine.runtime import services as engine
from obieg.engine.selectors import inbox, inbox_count, team_load
from tests.conftest import give_role
from tests.engine.conftest import at, deploy_samples
from tests.engine.helpers import open_item


def test_overdue_tasks_come_first_then_by_due_date_then_undated(org, frozen):
    deploy_samples("due_dates.bpmn", "approval.bpmn")
    give_role(org.sara, "secretariat")
    with frozen(at(2026, 12, 21, 9)):
        older = engine.start_case(process="complaint", actor=org.manager)
    with frozen(at(2026, 12, 23, 10)):
        newer = engine.start_case(process="complaint", actor=org.manager)
    with frozen(at(2026, 12, 23, 11)):
        offer = engine.start_case(process="offer_approval", actor=org.sara)
        mine = engine.claim(work_item=open_item(offer, "prepare_offer"), actor=org.sara)
    with frozen(at(2026, 12, 23, 13)):
        timers.mark_overdue_items()
        rows = [(item.case_id, item.element_id, item.is_overdue) for item in inbox(org.sara)]
        counts = inbox_count(org.sara)

    assert rows == [
        (older.pk, "acknowledge", True),  # due 21 Dec 11:00
        (newer.pk, "acknowledge", True),  # due 23 Dec 12:00
        (older.pk, "answer", False),  # due 28 Dec 09:00 (24-27 Dec are holidays and a Sunday)
        (newer.pk, "answer", False),  # due 30 Dec 10:00
        (older.pk, "file", False),  # no due date: oldest first
        (newer.pk, "file", False),
        (offer.pk, mine.element_id, False),
    ]
    assert counts == {"mine": 1, "queued": 6, "overdue": 0}


def test_the_inbox_takes_three_queries_however_many_items(org):
    deploy_samples("approval.bpmn")
    for _ in range(20):
        engine.start_case(process="offer_approval", actor=org.sara)
    user = type(org.sara).objects.get(pk=org.sara.pk)  # roles not yet read
    with CaptureQueriesContext(connection) as queries:
        rows = inbox(user, limit=10)
    assert len(rows) == 10
    assert len(queries) == 3  # the roles, their own items, the salesperson queue


def test_a_manager_sees_the_load_of_the_team(org):
    deploy_samples("approval.bpmn")
    for _ in range(2):
        case = engine.start_case(process="offer_approval", actor=org.sara)
        engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.tomasz)
    load = team_load(org.manager)
    assert [(row["assignee__username"], row["open"]) for row in load] == [("tomasz", 2)]


def test_dated_tasks_come_before_undated_ones_even_when_the_list_is_capped(org, frozen):
    deploy_samples("due_dates.bpmn", "approval.bpmn")
    give_role(org.sara, "secretariat")
    with frozen(at(2026, 12, 1, 9)):
        for _ in range(3):
            engine.start_case(process="offer_approval", actor=org.sara)  # undated, older
    with frozen(at(2026, 12, 2, 9)):
        complaint = engine.start_case(process="complaint", actor=org.manager)
        rows = inbox(org.sara, limit=2)
    assert [(item.case_id, item.element_id) for item in rows] == [
        (complaint.pk, "acknowledge"),
        (complaint.pk, "answer"),
    ]
