"""The telephone salespeople's days: capacity, absences, holidays, call-backs, idempotence."""

from __future__ import annotations

import threading
from datetime import date
from types import SimpleNamespace

import pytest
from django.db import close_old_connections, connection

from obieg.core import clock
from obieg.crm.models import Lead
from obieg.solutions.pv_salesforce import call_schedule
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import (
    Absence,
    CallSlot,
    QueueItem,
    QueueKind,
    SellerDay,
)
from tests.solutions.pv_salesforce.helpers import (
    LABOUR_DAY,
    MONDAY,
    TUESDAY,
    at,
    enqueue,
    make_team,
    morning,
    rule,
)


def day_of(seller, day=MONDAY) -> list[tuple[str, int]]:
    """(time, item id) of the seller's calls, in order."""
    return [
        (slot.planned_at.astimezone(at(day, 0).tzinfo).strftime("%H:%M"), slot.item_id)
        for slot in CallSlot.objects.filter(salesperson=seller, day=day).order_by("planned_at")
    ]


def build(team, day=MONDAY, sellers=None):
    with morning(day):
        return build_call_schedules(day=day, sellers=sellers)


def test_the_best_items_fill_the_day_up_to_capacity(team):
    SellerDay.objects.filter(salesperson=team.paula).update(capacity=2)
    rule(1, "Referral", 50, source=Lead.Source.REFERRAL)
    rule(2, "Big", 20, min_value="40000")
    with morning():
        low = enqueue(team, value="10000")
        big = enqueue(team, value="45000")
        referral = enqueue(team, source=Lead.Source.REFERRAL)
    report = build(team, sellers=[team.paula])
    assert report.planned == 2
    assert day_of(team.paula) == [("08:00", referral.pk), ("08:10", big.pk)]
    low.refresh_from_db()
    big.refresh_from_db()
    assert low.status == QueueItem.Status.WAITING
    assert (big.status, big.assigned_to) == (QueueItem.Status.SCHEDULED, team.paula)


def test_ties_go_to_the_older_item_then_the_lower_id(team):
    SellerDay.objects.filter(salesperson=team.paula).update(capacity=3)
    with clock.frozen(at(date(2026, 2, 27), 9)):
        older = enqueue(team)
    with morning():
        first, second = enqueue(team), enqueue(team)
    build(team, sellers=[team.paula])
    assert [pk for _t, pk in day_of(team.paula)] == [older.pk, first.pk, second.pk]


def test_the_working_hours_limit_the_day(team):
    SellerDay.objects.filter(salesperson=team.paula).update(
        capacity=50, minutes_per_call=60, starts_at="09:00", ends_at="12:00"
    )
    with morning():
        for _ in range(5):
            enqueue(team)
    build(team, sellers=[team.paula])
    assert [t for t, _pk in day_of(team.paula)] == ["09:00", "10:00", "11:00"]


def test_field_items_never_enter_a_call_day(team):
    rule(1, "To the field", 0, product="pv_storage", route_to=QueueKind.FIELD)
    with morning():
        enqueue(team, product="pv_storage")
    assert build(team).planned == 0


def test_an_absent_salesperson_gets_no_calls(team):
    Absence.objects.create(salesperson=team.piotr, starts_on=MONDAY, ends_on=TUESDAY)
    with morning():
        for _ in range(4):
            enqueue(team)
    report = build(team)
    assert report.absent == [team.piotr.pk]
    assert report.per_seller == {team.paula.pk: 4}
    assert day_of(team.piotr) == []


def test_nobody_is_planned_on_a_holiday_or_a_weekend(team):
    with morning():
        enqueue(team)
    assert build(team, day=LABOUR_DAY).day_off
    assert build(team, day=date(2026, 3, 7)).day_off  # a Saturday
    assert CallSlot.objects.count() == 0


def test_a_call_back_is_placed_at_the_promised_time(team):
    with morning():
        items = [enqueue(team) for _ in range(3)]
    promised = items[2]
    QueueItem.objects.filter(pk=promised.pk).update(
        callback_at=at(MONDAY, 8, 5), assigned_to=team.paula
    )
    later = enqueue(team)
    QueueItem.objects.filter(pk=later.pk).update(callback_at=at(TUESDAY, 10))
    build(team, sellers=[team.paula])
    # 08:00 would overlap the promised 08:05 call: the next free start is 08:15.
    assert day_of(team.paula) == [
        ("08:05", promised.pk),
        ("08:15", items[0].pk),
        ("08:25", items[1].pk),
    ]
    build(team, day=TUESDAY, sellers=[team.paula])
    # Tuesday: the promised 10:00 call, and Monday's calls not made back in order.
    assert ("10:00", later.pk) in day_of(team.paula, TUESDAY)
    assert day_of(team.paula, TUESDAY)[0][0] == "08:00"


def test_a_call_back_promised_by_one_salesperson_is_not_given_to_another(team):
    with morning():
        item = enqueue(team)
    QueueItem.objects.filter(pk=item.pk).update(callback_at=at(MONDAY, 9), assigned_to=team.piotr)
    build(team, sellers=[team.paula])
    assert day_of(team.paula) == []
    build(team, sellers=[team.piotr])
    assert day_of(team.piotr) == [("09:00", item.pk)]


def test_building_twice_changes_nothing(team):
    with morning():
        for _ in range(6):
            enqueue(team)
    first = build(team)
    slots = list(
        CallSlot.objects.order_by("pk").values_list("pk", "salesperson", "item", "planned_at")
    )
    items = list(QueueItem.objects.order_by("pk").values_list("pk", "status", "revision"))
    second = build(team)
    assert first.planned == 6
    assert second.planned == 0
    assert (
        list(CallSlot.objects.order_by("pk").values_list("pk", "salesperson", "item", "planned_at"))
        == slots
    )
    assert list(QueueItem.objects.order_by("pk").values_list("pk", "status", "revision")) == items


def test_a_rebuild_tops_a_day_up_with_new_items(team):
    SellerDay.objects.filter(salesperson=team.paula).update(capacity=3)
    with morning():
        first = enqueue(team)
    build(team, sellers=[team.paula])
    with morning():
        newer = [enqueue(team) for _ in range(3)]
    assert build(team, sellers=[team.paula]).planned == 2
    assert day_of(team.paula) == [
        ("08:00", first.pk),
        ("08:10", newer[0].pk),
        ("08:20", newer[1].pk),
    ]


def test_salespeople_never_share_an_item(team):
    with morning():
        for _ in range(30):
            enqueue(team)
    build(team)
    planned = list(CallSlot.objects.values_list("item_id", flat=True))
    assert len(planned) == 30
    assert len(set(planned)) == 30
    assert (
        CallSlot.objects.filter(salesperson=team.paula).count()
        == 30 - CallSlot.objects.filter(salesperson=team.piotr).count()
    )


def test_calls_not_made_return_to_the_queue_the_next_day(team):
    with morning():
        item = enqueue(team)
    build(team, sellers=[team.paula])
    build(team, day=TUESDAY, sellers=[team.piotr])
    assert CallSlot.objects.get(day=MONDAY).status == CallSlot.Status.SKIPPED
    assert day_of(team.piotr, TUESDAY) == [("08:00", item.pk)]


def test_the_clock_enqueues_the_build_once_a_day(team, monkeypatch):
    enqueued = []
    monkeypatch.setattr(call_schedule, "_last_built", {"day": None})
    monkeypatch.setattr(
        call_schedule, "build_call_schedules_task", SimpleNamespace(enqueue=enqueued.append)
    )
    with morning():
        call_schedule.build_each_morning()
        call_schedule.build_each_morning()
    with morning(TUESDAY):
        call_schedule.build_each_morning()
    assert enqueued == ["2026-03-02", "2026-03-03"]


def test_the_task_builds_the_day(team):
    with morning():
        enqueue(team)
        result = call_schedule.build_call_schedules_task.call(MONDAY.isoformat())
    assert result == {"day": "2026-03-02", "planned": 1, "working": 2}


@pytest.mark.django_db(transaction=True)
def test_two_builders_at_once_never_plan_one_item_twice(org):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent builders are exercised on PostgreSQL; SQLite serialises writers")
    team = make_team(org, capacity=40)
    with morning():
        for _ in range(150):
            enqueue(team)
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    reports = []

    def worker(sellers):
        try:
            start.wait(timeout=20)
            reports.append(build_call_schedules(day=MONDAY, sellers=sellers))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    with morning(all_threads=True):
        threads = [
            threading.Thread(target=worker, args=([team.paula],)),
            threading.Thread(target=worker, args=([team.piotr],)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    planned = list(CallSlot.objects.values_list("item_id", flat=True))
    assert len(planned) == 80 == sum(r.planned for r in reports)
    assert len(set(planned)) == 80
    assert QueueItem.objects.filter(status=QueueItem.Status.SCHEDULED).count() == 80
    for seller in (team.paula, team.piotr):
        assert CallSlot.objects.filter(salesperson=seller).count() == 40


@pytest.mark.django_db(transaction=True)
def test_two_builders_of_the_whole_team_at_once_plan_each_day_once(org):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent builders are exercised on PostgreSQL; SQLite serialises writers")
    team = make_team(org, capacity=20)
    with morning():
        for _ in range(100):
            enqueue(team)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait(timeout=20)
            build_call_schedules(day=MONDAY)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    with morning(all_threads=True):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    planned = list(CallSlot.objects.values_list("item_id", flat=True))
    assert len(planned) == 40 == len(set(planned))
