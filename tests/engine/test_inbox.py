"""The inbox: my tasks and my groups' unclaimed ones, overdue first, in three queries."""

from uuid import uuid4

from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.engine import timers
from obieg.engine.models import WorkItem
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


def test_the_inbox_takes_two_queries_however_many_items_and_queues(org):
    deploy_samples("approval.bpmn")
    for _ in range(20):
        engine.start_case(process="offer_approval", actor=org.sara)
    give_role(org.sara, "secretariat")
    give_role(org.sara, "board")
    user = type(org.sara).objects.get(pk=org.sara.pk)  # roles not yet read
    with CaptureQueriesContext(connection) as queries:
        rows = inbox(user, limit=10)
        counts = inbox_count(user, cap=5)
    assert len(rows) == 10
    # The roles; one statement for the rows of every queue; one for the three capped counts.
    assert len(queries) == 3
    assert counts == {"mine": 0, "queued": 6, "overdue": 0}


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


def test_pages_walk_every_queue_once_in_order_through_ties_and_undated_items(org, frozen):
    """Paging by (due date, id) across the user's own items and two queues: no gap, no repeat."""
    deploy_samples("approval.bpmn")
    give_role(org.sara, "secretariat")
    case = engine.start_case(process="offer_approval", actor=org.tomasz)
    WorkItem.objects.filter(case=case).delete()
    monday, tuesday = at(2026, 12, 7, 9), at(2026, 12, 8, 9)
    shown = []
    for number in range(18):
        due = (monday, tuesday, None)[number % 3]  # ties on every due date
        owner = {"assignee": org.sara} if number % 4 == 0 else {}
        group = ("salesperson", "secretariat", "salesperson")[number % 3]
        item = WorkItem.objects.create(
            case=case,
            task_id=uuid4(),
            element_id=f"e{number}",
            due_at=due,
            candidate_group="" if owner else group,
            **owner,
        )
        shown.append(item)
    hidden = [  # another queue, a done task, someone else's task
        {"candidate_group": "board"},
        {"assignee": org.sara, "status": "completed"},
        {"assignee": org.tomasz, "due_at": monday},
    ]
    WorkItem.objects.bulk_create(
        [WorkItem(case=case, task_id=uuid4(), element_id="x", **fields) for fields in hidden]
    )
    expected = sorted(shown, key=lambda item: (item.due_at is None, item.due_at or monday, item.pk))

    walked, position = [], None
    while True:
        page = inbox(org.sara, limit=4, after=position)
        walked += page
        if len(page) < 4:
            break
        position = (page[-1].due_at, page[-1].pk)
    assert [item.pk for item in walked] == [item.pk for item in expected]
    # Counted the week before the items fall due (on the real clock they became
    # overdue on 7 December 2026 at 9:00, and the test with them).
    with frozen(at(2026, 11, 30, 9)):
        assert inbox_count(org.sara, cap=99) == {"mine": 5, "queued": 13, "overdue": 0}
        assert inbox_count(org.sara) == {"mine": 5, "queued": 13, "overdue": 0}


def test_an_item_queued_to_a_role_and_a_department_shows_and_counts_once(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    WorkItem.objects.filter(case=case).delete()
    item = WorkItem.objects.create(
        case=case,
        task_id=uuid4(),
        element_id="design",
        candidate_group="designer",
        candidate_department=org.design,
    )
    assert [row.pk for row in inbox(org.designer)] == [item.pk]
    assert inbox_count(org.designer, cap=99)["queued"] == 1
    assert inbox_count(org.designer)["queued"] == 1
