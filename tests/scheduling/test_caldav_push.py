"""Pushing Obieg's plan to a crew's CalDAV calendar (a real Radicale server)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from obieg.scheduling import calendars, events, tasks
from obieg.scheduling.models import CalDAVAccount, CalendarEvent
from tests.scheduling.conftest import at
from tests.scheduling.helpers import remote_events, sync

TASK = "obieg.scheduling.tasks.sync_calendar"


def plan(org, crew, day=1, **extra) -> CalendarEvent:
    return events.event_create(
        actor=org.manager,
        crew=crew,
        title=extra.pop("title", "Montaż PV – Kowalski"),
        start=at(2026, 12, day, 8),
        end=at(2026, 12, day, 16),
        location="Kraków, ul. Długa 1",
        description="Montaż paneli na dachu; klucz u sąsiada.",
        **extra,
    )


def test_a_planned_event_appears_in_the_crews_calendar(org, synced_crew, radicale):
    event = plan(org, synced_crew)
    assert sync(synced_crew)["pushed"] == 1

    [remote] = remote_events(radicale, synced_crew)
    assert str(remote["uid"]) == event.uid
    assert str(remote["summary"]) == "Montaż PV – Kowalski"
    assert str(remote["location"]) == "Kraków, ul. Długa 1"
    assert remote.start == at(2026, 12, 1, 8)
    assert remote["dtstart"].params["TZID"] == "Europe/Warsaw"
    event.refresh_from_db()
    assert event.synced_account_id == synced_crew.caldav_id
    assert event.external_etag and not event.has_unsynced_change


def test_a_moved_event_updates_the_same_external_event(org, synced_crew, radicale):
    event = plan(org, synced_crew)
    sync(synced_crew)
    events.event_move(
        actor=org.manager, event=event, start=at(2026, 12, 2, 9), end=at(2026, 12, 2, 15)
    )
    assert sync(synced_crew)["pushed"] == 1

    [remote] = remote_events(radicale, synced_crew)
    assert remote.start == at(2026, 12, 2, 9)
    assert remote["sequence"] == 1  # RFC 5545: a rescheduled event has a higher SEQUENCE


def test_a_cancelled_event_is_deleted_from_the_external_calendar(org, synced_crew, radicale):
    event = plan(org, synced_crew)
    sync(synced_crew)
    events.event_cancel(actor=org.manager, event=event)
    assert sync(synced_crew)["removed"] == 1
    assert remote_events(radicale, synced_crew) == []
    event.refresh_from_db()
    assert not event.has_unsynced_change and event.synced_account is None


def test_syncing_again_never_duplicates_an_event(org, synced_crew, radicale):
    plan(org, synced_crew, day=1)
    plan(org, synced_crew, day=2, title="Montaż PV – Nowak")
    sync(synced_crew)
    assert sync(synced_crew)["pushed"] == 0
    # Even when Obieg forgets what it pushed (a crash after the PUT), the UID-based
    # address makes the next push overwrite the same objects.
    CalendarEvent.objects.update(
        synced_account=None, external_href="", external_etag="", synced_revision=0
    )
    CalDAVAccount.objects.update(sync_token="")
    assert sync(synced_crew)["conflicts"] == 0  # finding its own copies is no conflict
    sync(synced_crew)
    assert len(remote_events(radicale, synced_crew)) == 2


def test_an_event_given_to_another_crew_moves_to_that_crews_calendar(
    org, synced_crew, other_crew, radicale
):
    calendars.caldav_configure(
        actor=org.manager,
        owner=other_crew,
        url=radicale.make_calendar("ekipa2"),
        username="ekipa2",
        password="haslo-2",
    )
    event = plan(org, synced_crew)
    sync(synced_crew)
    events.event_move(
        actor=org.manager, event=event, start=event.start, end=event.end, crew=other_crew
    )
    sync(other_crew)
    sync(synced_crew)
    assert remote_events(radicale, synced_crew) == []
    [remote] = remote_events(radicale, other_crew, user="ekipa2")
    assert str(remote["uid"]) == event.uid


def test_a_change_enqueues_its_sync_in_the_same_transaction(org, synced_crew):
    before = DBTaskResult.objects.filter(task_path=TASK).count()
    plan(org, synced_crew)
    assert DBTaskResult.objects.filter(task_path=TASK).count() == before + 1

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        plan(org, synced_crew, day=3)
        raise Abort
    assert DBTaskResult.objects.filter(task_path=TASK).count() == before + 1


def test_a_crew_without_an_external_calendar_enqueues_nothing(org, crew):
    before = DBTaskResult.objects.filter(task_path=TASK).count()
    plan(org, crew)
    assert DBTaskResult.objects.filter(task_path=TASK).count() == before


def test_a_persons_meetings_go_to_their_own_calendar(org, radicale):
    own = calendars.personal_calendar(org.sara)
    calendars.caldav_configure(
        actor=org.sara,
        owner=own,
        url=radicale.make_calendar("ekipa2", name="Sara"),
        username="ekipa2",
        password="haslo-2",
    )
    meeting = events.event_create(
        actor=org.sara,
        user=org.sara,
        title="Spotkanie u klienta",
        start=at(2026, 12, 3, 10),
        end=at(2026, 12, 3, 11),
    )
    own.refresh_from_db()
    assert tasks.sync_calendar.call(own.caldav_id)["pushed"] == 1
    [item] = radicale.objects("ekipa2", own.caldav.url)
    assert meeting.uid in item.data
