"""The manager gives one field visit to another field salesperson; both routes are planned again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obieg.core import clock
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_salesforce import field_schedule, meetings
from obieg.solutions.pv_salesforce.models_field import FieldPlan, Meeting
from obieg.solutions.pv_salesforce.models_queue import Absence
from tests.solutions.pv_salesforce.field_helpers import DAY, NOW, at, customer, field_salesperson

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_planned(org):
    """Kuba and Ola, both from Kraków; two visits booked and the day planned."""
    kuba = field_salesperson("kuba", "31-000", team=org.sales_team)
    ola = field_salesperson("ola", "31-000", team=org.sales_team)
    with clock.frozen(NOW):
        booked = [
            meetings.book_meeting(
                actor=org.manager,
                opportunity=customer(name, code),
                window_start=start,
                window_end=end,
            )
            for name, code, start, end in (
                ("Nowak", "31-042", at(9), at(11)),
                ("Wójcik", "32-020", at(13), at(15)),
            )
        ]
        field_schedule.build_field_schedules(day=DAY, actor=org.manager)
    for meeting in booked:
        meeting.refresh_from_db()
    return kuba.user, ola.user, booked


def give(client, meeting, to, shown=None, revision=None):
    url = reverse("salesforce:manager_meeting_move", args=[meeting.pk])
    data = {
        "to": to.pk,
        "salesperson": (shown or meeting.salesperson).pk,
        "revision": revision if revision is not None else meeting.revision,
    }
    with clock.frozen(NOW):
        return client.post(url, data)


def test_a_visit_goes_to_another_salesperson_with_its_calendar_event(client, org, day_planned):
    kuba, ola, booked = day_planned
    visit = booked[0]
    other = ola if visit.salesperson == kuba else kuba
    former = visit.salesperson
    client.force_login(org.manager)

    answer = give(client, visit, other)

    assert answer.status_code == 302
    visit.refresh_from_db()
    assert visit.salesperson == other and visit.status == Meeting.Status.PLANNED
    assert at(9) <= visit.planned_start <= at(10)  # inside the window, room for the hour
    assert visit.route_position >= 1
    event = CalendarEvent.objects.get(pk=visit.event_id)
    assert event.user == other and event.start == visit.planned_start
    # The former salesperson's calendar no longer has it.
    assert (
        not CalendarEvent.objects.filter(user=former, title__contains="Nowak")
        .exclude(status=CalendarEvent.Status.CANCELLED)
        .exists()
    )
    assert FieldPlan.objects.get(day=DAY).placed == 2


def test_a_stale_page_gets_409(client, org, day_planned):
    kuba, ola, booked = day_planned
    visit = booked[0]
    client.force_login(org.manager)
    answer = give(
        client, visit, ola if visit.salesperson == kuba else kuba, revision=visit.revision - 1
    )
    assert answer.status_code == 409
    assert "changed this visit meanwhile" in answer.content.decode()


def test_only_someone_at_work_that_day_takes_it(client, org, day_planned):
    kuba, ola, booked = day_planned
    visit = booked[0]
    other = ola if visit.salesperson == kuba else kuba
    Absence.objects.create(salesperson=other, starts_on=DAY, ends_on=DAY)
    client.force_login(org.manager)
    answer = give(client, visit, other)
    assert answer.status_code == 400
    assert "works that day" in answer.content.decode()
    visit_after = Meeting.objects.get(pk=visit.pk)
    assert visit_after.salesperson == visit.salesperson


def test_a_day_not_planned_yet_is_planned_first(client, org):
    kuba = field_salesperson("kuba", "31-000", team=org.sales_team).user
    with clock.frozen(NOW):
        visit = meetings.book_meeting(
            actor=org.manager,
            opportunity=customer("Nowak", "31-042"),
            window_start=at(9),
            window_end=at(11),
        )
    client.force_login(org.manager)
    url = reverse("salesforce:manager_meeting_move", args=[visit.pk])
    with clock.frozen(NOW):
        answer = client.post(url, {"to": kuba.pk, "salesperson": "", "revision": visit.revision})
        page = client.get(reverse("salesforce:manager_meetings"), {"day": DAY.isoformat()})
    assert answer.status_code == 400
    assert "not planned yet" in answer.content.decode()
    assert 'id="not-planned"' in page.content.decode()
