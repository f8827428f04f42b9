"""Private iCalendar feeds (RFC 5545) that Google Calendar, Outlook or Thunderbird subscribe to.

The URL carries the secret token instead of a log-in (calendar apps cannot
log in); revoking the token on the crew's page cuts every subscriber off.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from obieg.core import clock
from obieg.scheduling import ical, selectors
from obieg.scheduling.models import CalendarEvent, Crew, UserCalendar

# Subscribers keep what they have seen; the feed carries recent and future work.
FEED_PAST = timedelta(days=60)
FEED_CAP = 2000


def feed_name(owner: Crew | UserCalendar) -> str:
    return f"{owner} · Obieg"


def feed_events(owner: Crew | UserCalendar) -> list[CalendarEvent]:
    events = (
        selectors.owner_events(owner)
        .filter(selectors.not_ended_before(clock.now() - FEED_PAST))
        .exclude(status=CalendarEvent.Status.CANCELLED)
        .select_related("crew")
        .order_by("start", "id")
    )
    return list(events[:FEED_CAP])


def feed_ics(owner: Crew | UserCalendar) -> bytes:
    cal = ical.calendar(
        feed_events(owner), name=feed_name(owner), published=True, stamp=clock.now()
    )
    return cal.to_ical()


@require_GET
def feed(request, token: str):
    owner = selectors.owner_for_feed(token)
    if owner is None:
        raise Http404
    response = HttpResponse(feed_ics(owner), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="obieg.ics"'
    # Private to the subscriber: no shared cache may keep it after a revocation.
    response["Cache-Control"] = "private, max-age=300"
    return response
