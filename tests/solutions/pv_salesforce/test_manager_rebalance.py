"""Rebalancing a day: the calls not yet made spread evenly over the salespeople at work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.core.models import AuditEntry
from obieg.solutions.pv_salesforce import manager_rebalance
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import Absence, CallSlot, QueueItem, SellerDay
from tests.solutions.pv_salesforce.helpers import MONDAY, at, enqueue, morning


def counts() -> dict[int, int]:
    planned = CallSlot.objects.filter(day=MONDAY, status=CallSlot.Status.PLANNED)
    result: dict[int, int] = {}
    for seller in planned.values_list("salesperson_id", flat=True):
        result[seller] = result.get(seller, 0) + 1
    return result


def all_to_paula(team, customers: int) -> list[QueueItem]:
    with morning():
        items = [enqueue(team, value=str(10000 + n)) for n in range(customers)]
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    return items


def rebalance(team, when=None):
    with clock.frozen(when or at(MONDAY, 7, 30)):
        return manager_rebalance.rebalance_day(actor=team.manager, day=MONDAY)


def test_calls_spread_evenly_and_a_balanced_day_stays(team):
    all_to_paula(team, 6)

    report = rebalance(team)

    assert counts() == {team.paula.pk: 3, team.piotr.pk: 3}
    assert (report.moved, report.released, report.people) == (3, 0, 2)
    # Piotr's calls start at his day's beginning, one every 10 minutes.
    times = sorted(
        CallSlot.objects.filter(salesperson=team.piotr).values_list("planned_at", flat=True)
    )
    assert times == [at(MONDAY, 8), at(MONDAY, 8, 10), at(MONDAY, 8, 20)]
    moved = CallSlot.objects.filter(salesperson=team.piotr).values_list("item_id", flat=True)
    assert set(QueueItem.objects.filter(pk__in=moved).values_list("assigned_to", flat=True)) == {
        team.piotr.pk
    }
    assert AuditEntry.objects.filter(changes__has_key="salesperson").count() == 3

    again = rebalance(team)
    assert (again.moved, again.retimed) == (0, 0)


def test_capacity_limits_the_share_and_the_rest_goes_back_to_the_queue(team):
    items = all_to_paula(team, 6)
    SellerDay.objects.filter(salesperson=team.piotr).update(capacity=1)
    Absence.objects.create(salesperson=team.paula, starts_on=MONDAY, ends_on=MONDAY)

    report = rebalance(team)

    # Paula is away: Piotr takes the best (equal scores: the longest waiting), the other five
    # wait in the queue again.
    assert counts() == {team.piotr.pk: 1}
    assert report.released == 5
    assert CallSlot.objects.get(salesperson=team.piotr).item_id == items[0].pk
    assert QueueItem.objects.filter(status=QueueItem.Status.WAITING).count() == 5


def test_a_call_back_stays_with_whoever_promised_it(team):
    with morning():
        promised = enqueue(team)
    QueueItem.objects.filter(pk=promised.pk).update(
        callback_at=at(MONDAY, 9, 5), assigned_to=team.paula
    )
    all_to_paula(team, 4)

    rebalance(team)

    slot = CallSlot.objects.get(item=promised)
    assert (slot.salesperson, slot.planned_at) == (team.paula, at(MONDAY, 9, 5))
    # Paula: the call-back and two others; Piotr the remaining two... or as even as possible.
    assert sorted(counts().values()) == [2, 3]


def test_an_away_salespersons_call_back_goes_at_its_time_to_someone_at_work(team):
    with morning():
        promised = enqueue(team)
    QueueItem.objects.filter(pk=promised.pk).update(
        callback_at=at(MONDAY, 9, 5), assigned_to=team.paula
    )
    all_to_paula(team, 1)
    Absence.objects.create(salesperson=team.paula, starts_on=MONDAY, ends_on=MONDAY)

    rebalance(team)

    slot = CallSlot.objects.get(item=promised)
    assert (slot.salesperson, slot.planned_at) == (team.piotr, at(MONDAY, 9, 5))
    assert QueueItem.objects.get(pk=promised.pk).assigned_to == team.piotr


def test_today_the_moved_calls_start_from_now(team):
    all_to_paula(team, 4)
    rebalance(team, when=at(MONDAY, 10, 3))
    first = CallSlot.objects.filter(salesperson=team.piotr).order_by("planned_at").first()
    assert first.planned_at == at(MONDAY, 10, 10)


def test_made_calls_stay_and_count_against_the_capacity(team):
    all_to_paula(team, 4)
    CallSlot.objects.filter(salesperson=team.paula).order_by("planned_at").filter(
        pk__in=CallSlot.objects.order_by("planned_at").values("pk")[:1]
    ).update(status=CallSlot.Status.DONE, outcome="no_answer")
    rebalance(team)
    assert CallSlot.objects.filter(status=CallSlot.Status.DONE, salesperson=team.paula).count() == 1
    assert sorted(counts().values()) == [1, 2]


def test_past_days_and_days_off_are_refused(team):
    with clock.frozen(at(MONDAY, 7)), pytest.raises(ApplicationError):
        manager_rebalance.rebalance_day(actor=team.manager, day=MONDAY.replace(day=1))  # Sunday


def test_the_button_on_the_view(client, team):
    all_to_paula(team, 2)
    client.force_login(team.manager)
    with clock.frozen(at(MONDAY, 7, 30)):
        answer = client.post(
            reverse("salesforce:manager_rebalance"), {"day": MONDAY.isoformat()}, follow=True
        )
    assert "1 calls moved" in answer.content.decode()
    client.force_login(team.paula)
    with clock.frozen(at(MONDAY, 7, 30)):
        assert client.post(reverse("salesforce:manager_rebalance")).status_code == 404
