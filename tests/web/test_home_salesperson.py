"""A salesperson's home: today's planned work, overdue first; this week's meetings; their tasks."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from obieg.core import roles
from obieg.crm.models import Activity
from tests.web.home_fixtures import activity, at, task


def panel(response, key: str) -> dict:
    return next(shown.context for shown in response.context["panels"] if shown.key == key)


def test_my_day_lists_what_is_left_over_first_then_today(client, org):
    activity(org.sara, occurs_at=at(0, 15), subject="Dziś po południu")
    activity(org.sara, occurs_at=at(-3), subject="Zaległy telefon")
    activity(org.sara, occurs_at=at(0, 8), subject="Dziś rano", kind=Activity.Kind.MEETING)
    activity(org.sara, occurs_at=at(1), subject="Jutro")
    activity(org.sara, occurs_at=at(0), subject="Zrobione", status=Activity.Status.DONE)
    activity(org.tomasz, occurs_at=at(0), subject="Tomasza")
    client.force_login(org.sara)

    response = client.get(reverse("home"))

    day = panel(response, "web.my_day")
    assert [row.subject for row in day["activities"]] == [
        "Zaległy telefon",
        "Dziś rano",
        "Dziś po południu",
    ]
    assert day["overdue"] == 1
    html = response.content.decode()
    assert 'id="home-my-day"' in html and "Zaległy telefon" in html
    assert "Tomasza" not in html


def test_an_empty_day_says_how_to_plan_one(client, org):
    client.force_login(org.sara)
    html = client.get(reverse("home")).content.decode()
    assert "Nothing planned for today and nothing left over." in html
    assert "No meetings planned this week." in html
    assert "No process task waits for you or your queues." in html


def test_meetings_of_this_week_only(client, org):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    days_to_monday = (monday - timezone.localdate()).days
    activity(org.sara, occurs_at=at(days_to_monday, 9), kind=Activity.Kind.MEETING, subject="Pn")
    activity(
        org.sara, occurs_at=at(days_to_monday + 6, 20), kind=Activity.Kind.MEETING, subject="Nd"
    )
    activity(
        org.sara, occurs_at=at(days_to_monday + 7, 9), kind=Activity.Kind.MEETING, subject="Next"
    )
    activity(
        org.sara, occurs_at=at(days_to_monday - 1, 9), kind=Activity.Kind.MEETING, subject="Last"
    )
    activity(org.sara, occurs_at=at(days_to_monday + 2), kind=Activity.Kind.CALL, subject="Call")
    client.force_login(org.sara)

    meetings = panel(client.get(reverse("home")), "web.my_meetings")["meetings"]

    assert [meeting.subject for meeting in meetings] == ["Pn", "Nd"]


def test_my_tasks_show_mine_and_my_queues_overdue_first(client, org):
    now = timezone.now()
    task("Later", owner=org.sara, assignee=org.sara, due_at=now + timedelta(days=3))
    task("Late", owner=org.sara, assignee=org.sara, due_at=now - timedelta(days=1))
    task("Queue", owner=org.manager, candidate_group=roles.SALESPERSON)
    task("Board's", owner=org.manager, candidate_group=roles.BOARD)
    task("Tomasz's", owner=org.tomasz, assignee=org.tomasz)
    client.force_login(org.sara)

    response = client.get(reverse("home"))

    work = panel(response, "web.my_work")
    assert [item.name for item in work["items"]] == ["Late", "Later", "Queue"]
    assert (work["mine"], work["queued"], work["overdue"]) == (2, 1, 1)
    html = response.content.decode()
    assert reverse("engine:inbox") in html and "Board&#x27;s" not in html


def test_the_board_sees_the_tasks_waiting_for_the_board(client, org):
    task("Approve the offer", owner=org.manager, candidate_group=roles.BOARD)
    client.force_login(org.board)

    response = client.get(reverse("home"))

    assert [item.name for item in panel(response, "web.my_work")["items"]] == ["Approve the offer"]
    assert "web.my_day" not in [shown.key for shown in response.context["panels"]]


def test_the_next_seven_days_are_counted_from_obiegs_clock(client, org):
    # The sales box and the panels beside it agree on what "today" is (core/clock.py).
    from datetime import datetime

    from obieg.core import clock

    today = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.get_current_timezone())
    activity(org.sara, occurs_at=today + timedelta(days=1), subject="Jutro w marcu")
    activity(org.sara, occurs_at=today - timedelta(days=2), subject="Przedwczoraj")
    client.force_login(org.sara)
    with clock.frozen(today):
        response = client.get(reverse("home"))
    assert [row.subject for row in response.context["activities"]] == ["Jutro w marcu"]
