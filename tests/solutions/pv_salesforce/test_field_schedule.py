"""Building the field days: meetings placed in windows and hours, calendars, idempotent re-plans."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from obieg.core import clock
from obieg.core.errors import PermissionDenied
from obieg.scheduling import calendars, feeds
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_salesforce import field_schedule, meetings
from obieg.solutions.pv_salesforce.models_field import FieldPlan, Meeting
from obieg.solutions.pv_salesforce.models_queue import Absence
from tests.solutions.pv_salesforce.field_helpers import (
    DAY,
    NOW,
    at,
    customer,
    field_salesperson,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(org):
    """Two field salespeople: Kuba from Kraków, Kasia from Katowice (8:00–16:00)."""
    kuba = field_salesperson("kuba", "31-000", team=org.sales_team)
    kasia = field_salesperson("kasia", "40-000", team=org.sales_team, day_end=time(16, 0))
    return kuba.user, kasia.user


def book(org, name, postal_code, start, end, minutes=60):
    with clock.frozen(NOW):
        return meetings.book_meeting(
            actor=org.manager,
            opportunity=customer(name, postal_code),
            window_start=start,
            window_end=end,
            duration_minutes=minutes,
        )


def build(actor=None, day=DAY):
    with clock.frozen(NOW):
        return field_schedule.build_field_schedules(day=day, actor=actor)


def test_meetings_go_to_the_nearest_salesperson_inside_their_windows(org, team):
    kuba, kasia = team
    krakow = book(org, "Nowak", "31-042", at(9), at(12))
    wieliczka = book(org, "Wójcik", "32-020", at(13), at(15))
    katowice = book(org, "Zając", "40-001", at(10), at(11, 30))

    plan = build(org.manager)

    for meeting in (krakow, wieliczka, katowice):
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.PLANNED
        start = meeting.planned_start
        assert meeting.window_start <= start
        assert start + timedelta(minutes=meeting.duration_minutes) <= meeting.window_end
        assert meeting.event.user == meeting.salesperson
        assert (meeting.event.start, meeting.event.end) == (start, start + timedelta(hours=1))
    assert (krakow.salesperson, wieliczka.salesperson, katowice.salesperson) == (kuba, kuba, kasia)
    assert [krakow.route_position, wieliczka.route_position] == [1, 2]
    assert (plan.placed, plan.unplaced) == (3, [])


def test_a_meeting_after_the_salespersons_hours_is_reported_not_dropped(org, team):
    # Only Kasia is near, and her day ends at 16:00; Kuba's (until 18:00) is too far away.
    late = book(org, "Zając", "40-001", at(16), at(18))
    team[0].field_day.delete()

    plan = build(org.manager)

    late.refresh_from_db()
    assert late.status == Meeting.Status.BOOKED and late.salesperson is None
    assert plan.unplaced == [{"meeting": late.pk, "reason": "does_not_fit"}]
    assert not CalendarEvent.objects.exists()


def test_nobody_works_on_a_holiday_or_when_absent(org, team):
    kuba, kasia = team
    Absence.objects.create(salesperson=kasia, starts_on=DAY, ends_on=DAY)

    assert [d.user for d in field_schedule.working_salespeople(DAY)] == [kuba]
    assert field_schedule.working_salespeople(date(2027, 11, 11)) == []  # Independence Day
    assert field_schedule.working_salespeople(date(2027, 3, 13)) == []  # a Saturday


def test_an_absent_salespersons_meeting_goes_to_whoever_works(org, team):
    kuba, kasia = team
    katowice = book(org, "Zając", "40-001", at(10), at(15))
    Absence.objects.create(salesperson=kasia, starts_on=DAY, ends_on=DAY)

    build(org.manager)

    katowice.refresh_from_db()
    assert katowice.salesperson == kuba


def test_planning_again_moves_the_events_instead_of_adding_new_ones(org, team):
    kuba, kasia = team
    nowak = book(org, "Nowak", "31-042", at(9), at(12))
    zajac = book(org, "Zając", "40-001", at(10), at(15))
    build(org.manager)
    nowak.refresh_from_db()
    first_event, first_revision = nowak.event_id, nowak.revision

    build(org.manager)  # nothing changed: nothing moves
    nowak.refresh_from_db()
    assert (nowak.event_id, nowak.revision) == (first_event, first_revision)
    assert CalendarEvent.objects.count() == 2

    # Kasia falls ill: Zając goes to Kuba, and leaves Kasia's calendar.
    Absence.objects.create(salesperson=kasia, starts_on=DAY, ends_on=DAY)
    build(org.manager)

    zajac.refresh_from_db()
    assert zajac.salesperson == kuba
    live = CalendarEvent.objects.exclude(status=CalendarEvent.Status.CANCELLED)
    assert sorted(live.values_list("user__username", flat=True)) == ["kuba", "kuba"]
    assert not live.filter(user=kasia).exists()
    assert FieldPlan.objects.filter(day=DAY).count() == 1


def test_the_meeting_shows_in_the_salespersons_feed(org, team):
    kuba, _kasia = team
    book(org, "Nowak", "31-042", at(9), at(12))

    build()  # the clock's run: written in the salesperson's own name

    body = feeds.feed_ics(calendars.personal_calendar(kuba)).decode()
    assert "SUMMARY:Meeting: Nowak" in body
    assert "31-042" in body


def test_only_managers_plan_on_demand(org, team):
    book(org, "Nowak", "31-042", at(9), at(12))

    with pytest.raises(PermissionDenied):
        build(team[0])
    assert not FieldPlan.objects.exists()


def test_the_clock_plans_the_next_working_day_once(org, team, settings):
    settings.SALESFORCE_FIELD_PLAN_AT = "17:00"
    nowak = book(org, "Nowak", "31-042", at(9), at(12))
    field_schedule._last_planned.clear()

    with clock.frozen(NOW):  # 07:00: too early
        field_schedule.plan_next_day_once()
    assert not FieldPlan.objects.exists()

    evening = NOW.replace(hour=18)
    with clock.frozen(evening):
        field_schedule.plan_next_day_once()
        field_schedule._last_planned.clear()  # another worker, with no memory of the day
        field_schedule.plan_next_day_once()

    nowak.refresh_from_db()
    assert nowak.status == Meeting.Status.PLANNED
    assert FieldPlan.objects.get().day == DAY
    assert CalendarEvent.objects.count() == 1


def test_a_meeting_on_a_holiday_is_reported_as_nobody_working(org, team):
    holiday = date(2027, 11, 11)  # Independence Day, a Thursday
    meeting = Meeting.objects.create(
        opportunity=customer("Nowak", "31-042"),
        window_start=at(9, day=holiday),
        window_end=at(12, day=holiday),
        postal_code="31-042",
    )

    plan = build(org.manager, day=holiday)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.BOOKED
    assert plan.unplaced == [{"meeting": meeting.pk, "reason": "no_salesperson"}]
