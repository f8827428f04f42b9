"""The manager moves one planned call to another telephone salesperson."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obieg.core import clock
from obieg.core.errors import Conflict
from obieg.core.models import AuditEntry
from obieg.solutions.pv_salesforce import manager_phone, outcomes
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import Absence, CallSlot, QueueItem, SellerDay
from tests.solutions.pv_salesforce.helpers import MONDAY, TUESDAY, at, enqueue, morning


def paulas_day(team, customers: int = 3) -> list[CallSlot]:
    with morning():
        for _n in range(customers):
            enqueue(team)
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    return list(CallSlot.objects.filter(salesperson=team.paula).order_by("planned_at"))


def move(client, slot, to, seller):
    url = reverse("salesforce:manager_call_move", args=[slot.pk])
    with clock.frozen(at(MONDAY, 7, 30)):
        return client.post(url, {"to": to.pk if to else "", "seller": seller.pk})


def test_a_call_moves_to_someone_free_at_its_time(client, team):
    slots = paulas_day(team)
    shown_revision = slots[1].item.revision
    client.force_login(team.manager)

    answer = move(client, slots[1], team.piotr, team.paula)

    assert answer.status_code == 302
    moved = CallSlot.objects.get(pk=slots[1].pk)
    assert moved.salesperson == team.piotr
    assert moved.planned_at == slots[1].planned_at  # Piotr's day had that time free
    item = QueueItem.objects.get(pk=moved.item_id)
    assert item.assigned_to == team.piotr and item.revision == shown_revision + 1
    assert AuditEntry.objects.filter(object_id=moved.pk, changes__has_key="salesperson").exists()


def test_the_former_salespersons_open_screen_cannot_record_it(team):
    slots = paulas_day(team)
    shown_revision = slots[0].item.revision
    with clock.frozen(at(MONDAY, 7, 30)):
        manager_phone.reassign_call(
            actor=team.manager, slot=slots[0], to_id=team.piotr.pk, shown_seller_id=team.paula.pk
        )
    moved = CallSlot.objects.get(pk=slots[0].pk)
    with clock.frozen(at(MONDAY, 8, 5)), pytest.raises(Conflict):
        outcomes.record_outcome(
            actor=team.piotr, slot=moved, outcome="no_answer", revision=shown_revision
        )
    assert CallSlot.objects.get(pk=moved.pk).status == CallSlot.Status.PLANNED


def test_a_page_showing_another_salesperson_gets_409(client, team):
    slots = paulas_day(team)
    client.force_login(team.manager)
    assert move(client, slots[0], team.piotr, team.paula).status_code == 302

    stale = move(client, slots[0], team.paula, team.paula)  # the page still said Paula's

    assert stale.status_code == 409
    assert "moved or made meanwhile" in stale.content.decode()
    assert CallSlot.objects.get(pk=slots[0].pk).salesperson == team.piotr


def test_nobody_away_or_full_takes_a_call(client, team):
    slots = paulas_day(team)
    client.force_login(team.manager)
    Absence.objects.create(salesperson=team.piotr, starts_on=MONDAY, ends_on=MONDAY)
    away = move(client, slots[0], team.piotr, team.paula)
    assert away.status_code == 400
    assert "does not work that day" in away.content.decode()

    Absence.objects.all().delete()
    SellerDay.objects.filter(salesperson=team.piotr).update(capacity=0)
    full = move(client, slots[0], team.piotr, team.paula)
    assert full.status_code == 400
    assert "day is full" in full.content.decode()

    nobody = move(client, slots[0], None, team.paula)
    assert nobody.status_code == 400
    assert CallSlot.objects.get(pk=slots[0].pk).salesperson == team.paula


def test_a_call_back_keeps_its_promised_time(client, team):
    with morning():
        item = enqueue(team)
    QueueItem.objects.filter(pk=item.pk).update(
        callback_at=at(MONDAY, 10, 5), assigned_to=team.paula
    )
    with morning():
        build_call_schedules(day=MONDAY, sellers=[team.paula])
    slot = CallSlot.objects.get(item=item)
    SellerDay.objects.filter(salesperson=team.piotr).update(starts_at="11:00")
    client.force_login(team.manager)

    outside = move(client, slot, team.piotr, team.paula)
    assert outside.status_code == 400
    assert "promised a call at 10:05" in outside.content.decode()

    SellerDay.objects.filter(salesperson=team.piotr).update(starts_at="08:00")
    assert move(client, slot, team.piotr, team.paula).status_code == 302
    slot.refresh_from_db()
    assert (slot.salesperson, slot.planned_at) == (team.piotr, at(MONDAY, 10, 5))


def test_a_call_that_clashes_takes_the_next_free_time(client, team):
    slots = paulas_day(team, customers=1)
    with morning():
        enqueue(team)
        build_call_schedules(day=MONDAY, sellers=[team.piotr])  # Piotr's 08:00 is taken
    client.force_login(team.manager)
    assert move(client, slots[0], team.piotr, team.paula).status_code == 302
    slot = CallSlot.objects.get(pk=slots[0].pk)
    assert slot.planned_at == at(MONDAY, 8, 10)


def test_past_days_stay_as_they_were(client, team):
    slots = paulas_day(team, customers=1)
    client.force_login(team.manager)
    url = reverse("salesforce:manager_call_move", args=[slots[0].pk])
    with clock.frozen(at(TUESDAY, 9)):
        answer = client.post(url, {"to": team.piotr.pk, "seller": team.paula.pk})
    assert answer.status_code == 400


def test_the_calls_page_lists_whom_a_call_can_go_to(client, team):
    paulas_day(team)
    client.force_login(team.manager)
    with clock.frozen(at(MONDAY, 7, 30)):
        page = client.get(
            reverse("salesforce:manager_calls"),
            {"day": MONDAY.isoformat(), "seller": team.paula.pk},
        )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="to"') == 3
    assert f'<option value="{team.piotr.pk}">Piotr (40 free)</option>' in html
