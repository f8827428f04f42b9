"""iCalendar (RFC 5545) for calendar events: what feeds publish and CalDAV stores, and back.

Times are written in Europe/Warsaw with a VTIMEZONE, not in UTC, so an event
keeps its local hour across the summer-time change in every client; the
VTIMEZONE uses yearly rules (`vtimezone`), which every common parser reads.
An all-day event is written as dates (VALUE=DATE) and read back as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings

from obieg.core import clock
from obieg.scheduling.models import CalendarEvent
from obieg.scheduling.vtimezone import vtimezone

PRODID = "-//Obieg//Obieg CRM//PL"
STATUS_TO_ICAL = {
    CalendarEvent.Status.PLANNED: "TENTATIVE",
    CalendarEvent.Status.CONFIRMED: "CONFIRMED",
    CalendarEvent.Status.CANCELLED: "CANCELLED",
}
ICAL_TO_STATUS = {value: key for key, value in STATUS_TO_ICAL.items()}
# An external event with no usable end is given this length rather than refused.
DEFAULT_LENGTH = timedelta(hours=1)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


class UnreadableEvent(ValueError):
    """The external calendar holds data that is not a usable VEVENT."""


def vevent(event: CalendarEvent, *, stamp: datetime) -> icalendar.Event:
    zone = local_zone()
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp.astimezone(UTC))
    if event.all_day:
        # Dates, not midnights: the event stays all-day in every calendar and round trip.
        component.add("dtstart", event.start.astimezone(zone).date())
        component.add("dtend", event.end.astimezone(zone).date())
    else:
        component.add("dtstart", event.start.astimezone(zone))
        component.add("dtend", event.end.astimezone(zone))
    if event.rrule:
        component.add("rrule", icalendar.vRecur.from_ical(event.rrule))
    component.add("summary", event.title)
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    component.add("status", STATUS_TO_ICAL[event.status])
    component.add("sequence", event.sequence)
    if event.created_at:
        component.add("created", event.created_at.astimezone(UTC))
    if event.updated_at:
        component.add("last-modified", event.updated_at.astimezone(UTC))
    if event.crew_id:
        component.add("categories", [event.crew.name])
    return component


def calendar(
    events: list[CalendarEvent], *, name: str = "", published: bool = False, stamp: datetime
) -> icalendar.Calendar:
    """A VCALENDAR of `events` with the VTIMEZONE their times use.

    `published` makes a subscription feed (METHOD:PUBLISH, a name, a refresh
    hint); a CalDAV object must carry no METHOD (RFC 4791 4.1).
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if published:
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    for event in events:
        cal.add_component(vevent(event, stamp=stamp))
    _add_timezone(cal, events)
    return cal


def _add_timezone(cal: icalendar.Calendar, events: list[CalendarEvent]) -> None:
    """A VTIMEZONE for Europe/Warsaw covering the events (RFC 5545 3.6.5).

    Written even for an empty feed or all-day events only: it says which zone the
    calendar is in, for clients that add events to it.
    """
    if events:
        first = min(event.start for event in events).date() - timedelta(days=366)
        last = max(event.end for event in events).date() + timedelta(days=366)
    else:
        today = clock.today()
        first, last = today - timedelta(days=366), today + timedelta(days=366)
    # Components first, the zone after them, as icalendar's own listing put it.
    cal.add_component(vtimezone(settings.TIME_ZONE, first, last))


def event_ics(event: CalendarEvent, *, stamp: datetime) -> str:
    """One event as the text of a CalDAV calendar object resource."""
    return calendar([event], stamp=stamp).to_ical().decode()


@dataclass(frozen=True)
class ExternalVersion:
    """The fields Obieg takes back from an external calendar's copy of an event."""

    uid: str
    start: datetime
    end: datetime
    location: str
    cancelled: bool
    sequence: int
    all_day: bool = False

    def describe(self) -> str:
        zone = local_zone()
        start, end = self.start.astimezone(zone), self.end.astimezone(zone)
        if self.all_day:
            last = end - timedelta(days=1)
            text = f"{start:%Y-%m-%d}" if last <= start else f"{start:%Y-%m-%d}–{last:%Y-%m-%d}"
            text += ", all day"
        else:
            text = f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
        if self.location:
            text += f", {self.location}"
        if self.cancelled:
            text += ", CANCELLED"
        return text


def aware(value: date | datetime) -> datetime:
    zone = local_zone()
    if isinstance(value, datetime):
        # A floating time (no zone) means local time to the calendar's user.
        return value.replace(tzinfo=zone) if value.tzinfo is None else value
    return datetime.combine(value, time.min, tzinfo=zone)


def parse_event(text: str | bytes) -> ExternalVersion:
    """The master VEVENT of a calendar object, as an ExternalVersion."""
    try:
        cal = icalendar.Calendar.from_ical(text)
        masters = [
            component for component in cal.walk("VEVENT") if component.get("recurrence-id") is None
        ]
        if not masters:
            raise UnreadableEvent("no VEVENT")
        component = masters[0]
        all_day = is_date(component.get("dtstart"))
        start = aware(component.start)
        try:
            end = aware(component.end)
        except (icalendar.InvalidCalendar, KeyError, ValueError):
            end = start
    except (ValueError, KeyError, icalendar.InvalidCalendar) as error:
        raise UnreadableEvent(str(error)) from error
    if end <= start:
        # RFC 5545 3.6.1: a date with no end takes that one day.
        end = start + (timedelta(days=1) if all_day else DEFAULT_LENGTH)
    return ExternalVersion(
        uid=str(component.get("uid", "")),
        start=start,
        end=end,
        location=str(component.get("location", "")),
        cancelled=str(component.get("status", "")).upper() == "CANCELLED",
        sequence=int(component.get("sequence", 0) or 0),
        all_day=all_day,
    )


def is_date(prop) -> bool:
    """Whether a DTSTART holds a date (an all-day event), not a date-time."""
    value = getattr(prop, "dt", None)
    return isinstance(value, date) and not isinstance(value, datetime)


def describe_event(event: CalendarEvent) -> str:
    """Obieg's version of an event in the same words as ExternalVersion.describe."""
    return ExternalVersion(
        uid=event.uid,
        start=event.start,
        end=event.end,
        location=event.location,
        cancelled=event.is_cancelled,
        sequence=event.sequence,
        all_day=event.all_day,
    ).describe()
