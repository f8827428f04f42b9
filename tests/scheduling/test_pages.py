"""The calendar pages: planning calendar data, dragging, crews' feed and sync status."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from obieg.scheduling import calendars, events
from obieg.scheduling.models import CalDAVAccount, CalendarEvent, SyncStatus
from tests.scheduling.conftest import at


@pytest.fixture
def montaz(org, crew):
    return events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż PV",
        start=at(2026, 12, 21, 8),
        end=at(2026, 12, 21, 16),
    )


def test_the_planning_page_loads_its_calendar_from_local_static_files(client, org, crew):
    client.force_login(org.manager)
    html = client.get("/scheduling/").content.decode()
    assert 'id="planning-calendar"' in html and "Ekipa Dach" in html
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert "vendor/event-calendar/event-calendar.min.js" in assets
    assert "scheduling/planning.js" in assets
    for asset in assets:
        assert finders.find(asset), asset


def test_the_calendar_gets_events_and_holidays_in_warsaw_time(client, org, montaz):
    client.force_login(org.manager)
    data = client.get(
        "/scheduling/events.json", {"start": "2026-12-21T00:00:00", "end": "2026-12-28T00:00:00"}
    ).json()
    [event] = [item for item in data if item["id"] == str(montaz.pk)]
    assert event["start"] == "2026-12-21T08:00:00" and event["resourceIds"] == [str(montaz.crew_id)]
    assert event["editable"] is True
    holidays = [item["title"] for item in data if item.get("display") == "background"]
    assert holidays == [
        "Wigilia Bożego Narodzenia",
        "Boże Narodzenie (pierwszy dzień)",
        "Boże Narodzenie (drugi dzień)",
    ]
    assert (
        client.get("/scheduling/events.json", {"start": "nonsense", "end": "x"}).status_code == 400
    )


def test_dragging_moves_the_event_and_a_stale_drag_is_refused(client, org, montaz, other_crew):
    client.force_login(org.manager)
    url = f"/scheduling/events/{montaz.pk}/move/"
    response = client.post(
        url,
        {
            "start": "2026-12-22T08:00:00",
            "end": "2026-12-22T16:00:00",
            "crew": other_crew.pk,
            "revision": 1,
        },
    )
    assert response.status_code == 200, response.content
    montaz.refresh_from_db()
    assert (montaz.start, montaz.crew) == (at(2026, 12, 22, 8), other_crew)
    assert response.json()["event"]["extendedProps"]["revision"] == 2
    stale = client.post(
        url, {"start": "2026-12-23T08:00:00", "end": "2026-12-23T16:00:00", "revision": 1}
    )
    assert stale.status_code == 409 and stale.json()["error"]


def test_an_installer_cannot_drag(client, installer, montaz):
    client.force_login(installer)
    response = client.post(
        f"/scheduling/events/{montaz.pk}/move/",
        {"start": "2026-12-22T08:00:00", "end": "2026-12-22T16:00:00"},
    )
    assert response.status_code == 403
    assert CalendarEvent.objects.get().start == at(2026, 12, 21, 8)


def test_a_crew_page_shows_the_feed_url_sync_status_and_last_error(client, org, installer, crew):
    calendars.caldav_configure(
        actor=org.manager, owner=crew, url="https://dav.example.pl/c/", username="e", password="p"
    )
    CalDAVAccount.objects.update(status=SyncStatus.RETRYING, last_error="Connection refused")
    client.force_login(installer)
    html = client.get(f"/scheduling/crews/{crew.pk}/").content.decode()
    assert f"/scheduling/feeds/{crew.feed_token}.ics" in html
    assert "Connection refused" in html and 'data-sync-status="retrying"' in html
    assert "Revoke" not in html and "Odwołaj" not in html  # members read, planners manage
    listing = client.get("/scheduling/crews/").content.decode()
    assert "Connection refused" in listing


def test_a_planner_revokes_the_feed_and_connects_a_calendar_from_the_page(client, org, crew):
    client.force_login(org.manager)
    old = crew.feed_token
    client.post(f"/scheduling/crews/{crew.pk}/feed/revoke/")
    crew.refresh_from_db()
    assert crew.feed_token != old
    client.post(
        f"/scheduling/crews/{crew.pk}/caldav/",
        {"url": "https://dav.example.pl/ekipa/", "username": "ekipa", "password": "tajne"},
    )
    crew.refresh_from_db()
    assert crew.caldav.url == "https://dav.example.pl/ekipa/"
    assert "tajne" not in crew.caldav.password_encrypted
    client.post(f"/scheduling/crews/{crew.pk}/caldav/remove/")
    crew.refresh_from_db()
    assert crew.caldav is None


def test_a_salesperson_does_not_see_crews(client, org, crew):
    client.force_login(org.sara)
    assert client.get(f"/scheduling/crews/{crew.pk}/").status_code == 404
    assert client.post(f"/scheduling/crews/{crew.pk}/feed/revoke/").status_code == 404


def test_my_calendar_shows_my_feed(client, org):
    client.force_login(org.sara)
    html = client.get("/scheduling/me/").content.decode()
    own = calendars.personal_calendar(org.sara)
    assert f"/scheduling/feeds/{own.feed_token}.ics" in html


def test_a_planner_plans_edits_and_cancels_an_event_through_forms(client, org, crew):
    client.force_login(org.manager)
    response = client.post(
        "/scheduling/events/new/",
        {
            "crew": crew.pk,
            "title": "Montaż",
            "start": "2026-12-21T08:00",
            "end": "2026-12-21T16:00",
            "status": "planned",
        },
    )
    event = CalendarEvent.objects.get()
    assert response.status_code == 302 and event.start == at(2026, 12, 21, 8)
    response = client.post(
        f"/scheduling/events/{event.pk}/",
        {
            "crew": crew.pk,
            "title": "Montaż",
            "start": "2026-12-21T09:00",
            "end": "2026-12-21T16:00",
            "status": "confirmed",
            "revision": 1,
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "confirmed" and event.start == at(2026, 12, 21, 9)
    client.post(f"/scheduling/events/{event.pk}/cancel/")
    event.refresh_from_db()
    assert event.status == "cancelled"
    html = client.get(f"/scheduling/events/{event.pk}/").content.decode()
    assert 'id="history"' in html


def test_the_availability_page_marks_holidays(client, org, crew):
    client.force_login(org.manager)
    html = client.get(
        "/scheduling/availability/", {"start": "2026-12-23", "end": "2026-12-24"}
    ).content.decode()
    assert "Wigilia Bożego Narodzenia" in html
    assert 'data-state="holiday"' in html and 'data-state="free"' in html
