"""Changes made in the crew's own calendar come back to Obieg (and the conflict rule)."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from obieg.core.audit import history_for
from obieg.scheduling import events, sync
from obieg.scheduling.caldav_sync import CaldavClient
from obieg.scheduling.models import CalDAVAccount, CalendarEvent
from tests.scheduling.conftest import CREW_PASSWORD, CREW_USER, at
from tests.scheduling.helpers import delete_remote, edit_remote, remote_events
from tests.scheduling.helpers import sync as run_sync


def planned(org, crew) -> CalendarEvent:
    event = events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż PV – Wiśniewski",
        start=at(2026, 12, 1, 8),
        end=at(2026, 12, 1, 16),
        location="Wieliczka",
    )
    run_sync(crew)
    event.refresh_from_db()
    return event


def test_an_event_moved_in_the_external_calendar_is_moved_in_obieg(org, synced_crew, radicale):
    event = planned(org, synced_crew)
    edit_remote(radicale, synced_crew, event.uid, shift=timedelta(days=1), location="Niepołomice")

    assert run_sync(synced_crew)["pulled"] == 1
    event.refresh_from_db()
    assert event.start == at(2026, 12, 2, 8) and event.end == at(2026, 12, 2, 16)
    assert event.location == "Niepołomice"
    assert event.title == "Montaż PV – Wiśniewski"
    assert not event.has_unsynced_change  # nothing to push back
    entry = history_for(event)[0]
    assert entry.actor is None
    assert entry.changes["location"] == ["Wieliczka", "Niepołomice"]
    assert entry.changes["source"][1].startswith("CalDAV 127.0.0.1")
    # Pulled once: the next sync finds nothing new.
    assert run_sync(synced_crew) == {
        "pushed": 0,
        "removed": 0,
        "pulled": 0,
        "cancelled": 0,
        "conflicts": 0,
        "external": 0,
    }


def test_an_event_deleted_in_the_external_calendar_is_cancelled_in_obieg(
    org, synced_crew, radicale
):
    event = planned(org, synced_crew)
    delete_remote(radicale, synced_crew, event.uid)

    assert run_sync(synced_crew)["cancelled"] == 1
    event.refresh_from_db()
    assert event.status == CalendarEvent.Status.CANCELLED
    assert history_for(event)[0].changes["status"] == ["planned", "cancelled"]
    assert remote_events(radicale, synced_crew) == []


def test_an_event_cancelled_externally_by_status_is_cancelled_in_obieg(org, synced_crew, radicale):
    event = planned(org, synced_crew)
    edit_remote(radicale, synced_crew, event.uid, status="CANCELLED")
    run_sync(synced_crew)
    event.refresh_from_db()
    assert event.status == CalendarEvent.Status.CANCELLED


def test_when_both_sides_changed_obiegs_version_wins_and_the_other_is_in_history(
    org, synced_crew, radicale
):
    event = planned(org, synced_crew)
    edit_remote(radicale, synced_crew, event.uid, shift=timedelta(days=3))
    events.event_move(
        actor=org.manager, event=event, start=at(2026, 12, 4, 7), end=at(2026, 12, 4, 15)
    )

    report = run_sync(synced_crew)
    assert report["conflicts"] == 1 and report["pushed"] == 1
    event.refresh_from_db()
    assert event.start == at(2026, 12, 4, 7)
    [remote] = remote_events(radicale, synced_crew)
    assert remote.start == at(2026, 12, 4, 7)
    conflict = history_for(event)[0].changes["conflict"]
    assert "2026-12-04 08:00" in conflict[0]  # what the crew wanted: 3 days later
    assert "2026-12-04 07:00" in conflict[1]  # what Obieg kept


def test_an_event_deleted_externally_but_changed_in_obieg_is_recreated(org, synced_crew, radicale):
    event = planned(org, synced_crew)
    delete_remote(radicale, synced_crew, event.uid)
    events.event_update(actor=org.manager, event=event, data={"location": "Bochnia"})

    report = run_sync(synced_crew)
    assert report["conflicts"] == 1
    [remote] = remote_events(radicale, synced_crew)
    assert str(remote["location"]) == "Bochnia"
    event.refresh_from_db()
    assert event.status == CalendarEvent.Status.PLANNED


def test_the_crews_own_appointments_are_left_alone(org, synced_crew, radicale):
    planned(org, synced_crew)
    calendar = radicale.calendar(CREW_USER, synced_crew.caldav.url)
    calendar.save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Crew//Phone//PL\r\nBEGIN:VEVENT\r\n"
        "UID:private-1\r\nDTSTAMP:20261120T100000Z\r\nDTSTART:20261205T090000Z\r\n"
        "DTEND:20261205T100000Z\r\nSUMMARY:Dentysta\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    run_sync(synced_crew)
    assert CalendarEvent.objects.count() == 1
    assert len(remote_events(radicale, synced_crew)) == 2


def test_a_forgotten_sync_token_starts_over_from_a_full_listing(org, synced_crew, radicale):
    event = planned(org, synced_crew)
    CalDAVAccount.objects.update(sync_token="http://radicale.org/ns/sync/unknown")
    edit_remote(radicale, synced_crew, event.uid, shift=timedelta(hours=2))
    run_sync(synced_crew)
    event.refresh_from_db()
    assert event.start == at(2026, 12, 1, 10)


def test_a_server_without_sync_tokens_is_compared_by_etags(org, synced_crew, radicale):
    event = planned(org, synced_crew)
    other = planned(org, synced_crew)
    account = CalDAVAccount.objects.get()
    client = CaldavClient(
        account.url, username=CREW_USER, password=CREW_PASSWORD, sync_collection=False
    )
    edit_remote(radicale, synced_crew, event.uid, shift=timedelta(hours=1))
    delete_remote(radicale, synced_crew, other.uid)

    report = sync.synchronise(account, client)
    assert report.pulled == 1 and report.cancelled == 1
    event.refresh_from_db()
    assert event.start == at(2026, 12, 1, 9)


def test_pushed_events_parse_as_valid_icalendar(org, synced_crew, radicale):
    event = planned(org, synced_crew)
    item = radicale.objects(CREW_USER, synced_crew.caldav.url)[0]
    cal = icalendar.Calendar.from_ical(item.data)
    assert "METHOD" not in cal  # RFC 4791: no METHOD in a stored calendar object
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Warsaw"]
    assert str(cal.walk("VEVENT")[0]["uid"]) == event.uid
