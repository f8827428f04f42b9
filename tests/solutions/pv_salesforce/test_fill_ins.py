"""Fill-in visits from the field queue, and re-planning a day that has begun."""

from __future__ import annotations

from datetime import timedelta

import pytest

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_salesforce import field_schedule, meetings, queue, rules, visit_outcomes
from obieg.solutions.pv_salesforce.models_field import Meeting
from obieg.solutions.pv_salesforce.models_queue import QueueItem
from tests.solutions.pv_salesforce.field_helpers import DAY, NOW, at, customer, field_salesperson

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuba(org):
    rules.rule_add(actor=org.manager, data={"name": "Wizyta", "route_to": "field", "points": "10"})
    return field_salesperson("kuba", "31-000", team=org.sales_team).user


def field_customer(org, name: str, postal_code: str, points_bonus: int = 0) -> QueueItem:
    with clock.frozen(NOW - timedelta(days=points_bonus)):
        item = queue.enqueue_opportunity(
            actor=org.manager, opportunity=customer(name, postal_code, owner=org.manager)
        )
    assert item.queue == "field"
    return item


def book(org, name, postal_code, start, end):
    with clock.frozen(NOW):
        return meetings.book_meeting(
            actor=org.manager,
            opportunity=customer(name, postal_code),
            window_start=start,
            window_end=end,
        )


def plan(org, moment=NOW, day=DAY):
    with clock.frozen(moment):
        return field_schedule.build_field_schedules(day=day, actor=org.manager)


def test_field_queue_customers_fill_the_gaps_of_the_day(org, kuba):
    promised = book(org, "Nowak", "31-042", at(9), at(11))
    near = [field_customer(org, f"Klient {n}", "31-050") for n in range(3)]

    result = plan(org)

    promised.refresh_from_db()
    assert promised.status == "planned" and promised.salesperson == kuba
    fill_ins = Meeting.objects.filter(queue_item__isnull=False, status="planned")
    assert fill_ins.count() == 2  # SALESFORCE_FILL_INS_PER_PERSON
    for visit in fill_ins:
        assert visit.salesperson == kuba and visit.booked_by is None
        assert CalendarEvent.objects.get(pk=visit.event_id).user == kuba
        assert visit.queue_item.status == "scheduled" and visit.queue_item.assigned_to == kuba
    assert result.placed == 3 and result.unplaced == []
    waiting = QueueItem.objects.filter(pk__in=[i.pk for i in near], status="waiting")
    assert waiting.count() == 1  # the third waits for another day


def test_the_number_of_fill_ins_is_a_setting(org, kuba, settings):
    settings.SALESFORCE_FILL_INS_PER_PERSON = 1
    for n in range(3):
        field_customer(org, f"Klient {n}", "31-050")

    plan(org)

    assert Meeting.objects.filter(queue_item__isnull=False).count() == 1


def test_a_fill_in_never_takes_a_promised_meetings_place(org, kuba):
    # Three promised visits of 2 h 50 min fill Kuba's 08:00–18:00 day: no hour is left.
    promised = [book(org, f"Obiecany {n}", "31-042", at(8), at(18)) for n in range(3)]
    Meeting.objects.filter(pk__in=[m.pk for m in promised]).update(duration_minutes=170)
    field_customer(org, "Wypełniacz", "31-050")

    plan(org)

    assert Meeting.objects.filter(pk__in=[m.pk for m in promised], status="planned").count() == 3
    assert not Meeting.objects.filter(queue_item__isnull=False, status="planned").exists()
    assert QueueItem.objects.get(opportunity__name="PV Wypełniacz").status == "waiting"


def test_a_fill_in_that_no_longer_fits_goes_back_to_the_queue(org, kuba, settings):
    item = field_customer(org, "Klient", "31-050")
    plan(org)
    visit = Meeting.objects.get(queue_item=item)
    assert visit.status == "planned"

    settings.SALESFORCE_FILL_INS_PER_PERSON = 0
    result = plan(org)

    visit.refresh_from_db()
    item.refresh_from_db()
    assert visit.status == "cancelled" and visit.salesperson is None
    assert CalendarEvent.objects.get(pk=visit.event_id).is_cancelled
    assert (item.status, item.assigned_to) == ("waiting", None)
    assert result.unplaced == []  # a dropped fill-in is no problem to report


def test_planning_again_keeps_the_fill_ins_and_takes_no_customer_twice(org, kuba):
    for n in range(2):
        field_customer(org, f"Klient {n}", "31-050")
    plan(org)
    first = set(Meeting.objects.filter(queue_item__isnull=False).values_list("pk", flat=True))

    plan(org)
    plan(org, day=DAY + timedelta(days=1))  # the next day finds them scheduled already

    again = Meeting.objects.filter(queue_item__isnull=False, status="planned")
    assert set(again.values_list("pk", flat=True)) == first
    assert Meeting.objects.filter(queue_item__isnull=False).count() == 2


def test_a_fill_in_customer_not_at_home_waits_in_the_field_queue_again(org, kuba):
    item = field_customer(org, "Klient", "31-050")
    plan(org)
    visit = Meeting.objects.get(queue_item=item)

    with clock.frozen(at(17)):
        visit_outcomes.record_outcome(
            actor=kuba, meeting=visit, outcome="not_at_home", revision=visit.revision
        )

    item.refresh_from_db()
    assert (item.status, item.queue, item.last_outcome) == ("waiting", "field", "not_at_home")


# --- re-planning today ---------------------------------------------------------------------------


def test_planning_today_again_leaves_the_visits_under_way_where_they_are(org, kuba):
    early = book(org, "Ranny", "31-042", at(8), at(10))
    late = book(org, "Późny", "32-020", at(11), at(17))
    plan(org)
    early.refresh_from_db()
    started_at = early.planned_start
    assert started_at < at(10)

    # At 09:10 on the day itself a new customer wants a visit; the manager re-plans.
    with clock.frozen(at(9, 10) - timedelta(days=1)):
        added = meetings.book_meeting(
            actor=org.manager,
            opportunity=customer("Nowy", "31-060"),
            window_start=at(12),
            window_end=at(16),
        )
    plan(org, moment=at(9, 10))

    for meeting in (early, late, added):
        meeting.refresh_from_db()
    assert early.planned_start == started_at and early.route_position == 1  # not moved
    assert late.status == added.status == "planned"
    assert late.planned_start > at(9, 10) and added.planned_start > at(9, 10)
    assert sorted([late.route_position, added.route_position]) == [2, 3]


def test_a_day_that_has_passed_is_not_planned_again(org, kuba):
    with pytest.raises(ApplicationError):
        plan(org, moment=at(9), day=DAY - timedelta(days=1))
