from datetime import timedelta
from decimal import Decimal

import pytest
from django_tasks_db.models import DBTaskResult

from obieg.billing import clock, schedules
from obieg.billing.schedules import due_items_exist


@pytest.fixture(autouse=True)
def fresh_clock():
    clock._last_enqueued["at"] = float("-inf")


def test_nothing_is_enqueued_when_no_schedule_item_is_due(db):
    clock.enqueue_due_invoices_hourly()
    assert not DBTaskResult.objects.exists()


def test_a_due_item_is_enqueued_once_an_hour(db, monkeypatch):
    monkeypatch.setattr("obieg.billing.schedules.due_items_exist", lambda on=None: True)
    clock.enqueue_due_invoices_hourly()
    clock.enqueue_due_invoices_hourly()
    assert DBTaskResult.objects.count() == 1
    clock._last_enqueued["at"] -= clock.HOUR + 1
    clock.enqueue_due_invoices_hourly()
    assert DBTaskResult.objects.count() == 2


def test_an_item_due_today_is_found_and_one_due_later_is_not(org, profile, contract):
    today = schedules.today()
    schedules.schedule_item_add(
        actor=org.accountant,
        contract=contract,
        due_date=today + timedelta(days=3),
        amount=Decimal("1000.00"),
        kind="advance",
    )
    assert not due_items_exist(today)
    assert due_items_exist(today + timedelta(days=3))
