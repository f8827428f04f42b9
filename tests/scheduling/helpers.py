"""Helpers of the calendar tests: run a sync, read and edit the external calendar."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from obieg.scheduling import tasks
from obieg.scheduling.models import Crew
from tests.scheduling.conftest import CREW_USER


def sync(crew: Crew) -> dict:
    """One sync of the crew's calendar, as the worker runs it."""
    crew.refresh_from_db()
    return tasks.sync_calendar.call(crew.caldav_id)


def remote_events(radicale, crew: Crew, user: str = CREW_USER) -> list[icalendar.Event]:
    crew.refresh_from_db()
    found = []
    for item in radicale.objects(user, crew.caldav.url):
        found.extend(icalendar.Calendar.from_ical(item.data).walk("VEVENT"))
    return found


def edit_remote(
    radicale,
    crew,
    uid: str,
    *,
    shift=timedelta(0),
    status=None,
    location=None,
    user: str = CREW_USER,
    all_day: bool = False,
):
    """What a crew does in its own calendar app: move (or cancel) one event.

    `crew` is a crew or a person's calendar; `all_day` turns the event into whole days.
    """
    crew.refresh_from_db()
    client = radicale.client(user)
    for item in radicale.objects(user, crew.caldav.url):
        cal = icalendar.Calendar.from_ical(item.data)
        for component in cal.walk("VEVENT"):
            if str(component["uid"]) != uid:
                continue
            start, end = component.start + shift, component.end + shift
            if all_day:
                start, end = _day(start), _day(end)
                if end <= start:
                    end = start + timedelta(days=1)
            for name, value in (("dtstart", start), ("dtend", end)):
                component.pop(name)
                component.add(name, value)
            if status:
                component.pop("status", None)
                component.add("status", status)
            if location is not None:
                component.pop("location", None)
                component.add("location", location)
            component.pop("sequence", None)
            component.add("sequence", 5)
            response = client.put(
                str(item.url), cal.to_ical().decode(), {"Content-Type": "text/calendar"}
            )
            assert response.status in (200, 201, 204)
            return
    raise AssertionError(f"{uid} is not in the external calendar")


def _day(value):
    """The date of a date-time in the event's own zone (a calendar app's "all day")."""
    return value.date() if hasattr(value, "date") else value


def delete_remote(radicale, crew: Crew, uid: str) -> None:
    crew.refresh_from_db()
    client = radicale.client(CREW_USER)
    for item in radicale.objects(CREW_USER, crew.caldav.url):
        if uid in item.data:
            assert client.delete(str(item.url)).status in (200, 204)
            return
    raise AssertionError(f"{uid} is not in the external calendar")
