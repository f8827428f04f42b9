"""Two planners of one day at once (PostgreSQL): one plan, one event per meeting."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from obieg.core import clock
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_salesforce import field_schedule, meetings
from obieg.solutions.pv_salesforce.models_field import FieldPlan, Meeting
from tests.conftest import Org
from tests.solutions.pv_salesforce.field_helpers import DAY, NOW, at, customer, field_salesperson

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks: SQLite has one writer at a time"
)


def test_two_builds_of_one_day_at_once_leave_one_event_per_meeting(transactional_db):
    org = Org()
    field_salesperson("kuba", "31-000", team=org.sales_team)
    field_salesperson("kasia", "40-000", team=org.sales_team)
    with clock.frozen(NOW):
        for name, code in (("Nowak", "31-042"), ("Wójcik", "32-020"), ("Zając", "40-001")):
            meetings.book_meeting(
                actor=org.manager,
                opportunity=customer(name, code),
                window_start=at(9),
                window_end=at(17),
            )
    errors = []
    start = threading.Barrier(2)

    def build(only_once: bool):
        try:
            start.wait()
            field_schedule.build_field_schedules(day=DAY, only_once=only_once)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    with clock.frozen(NOW, all_threads=True):
        threads = [threading.Thread(target=build, args=(flag,)) for flag in (True, False)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    assert errors == []
    assert FieldPlan.objects.count() == 1
    assert Meeting.objects.filter(status=Meeting.Status.PLANNED).count() == 3
    live = CalendarEvent.objects.exclude(status=CalendarEvent.Status.CANCELLED)
    assert live.count() == 3
    assert set(live.values_list("pk", flat=True)) == set(
        Meeting.objects.values_list("event_id", flat=True)
    )
