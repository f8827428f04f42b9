"""Busy time from appointments the crew or person made in their own calendar.

The sync hands over every calendar object that is not one of Obieg's
events: it is read (in batches, calendar-multiget), its occurrences within
the horizon — a recurring series with its exceptions, through
`recurring-ical-events` — become `BusyTime` rows, and availability and the
planning board count them as busy. Transparent ("free") and cancelled
occurrences are not busy. Only times are kept, never titles: a
subcontractor's private appointments stay private.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import icalendar
import recurring_ical_events
from django.conf import settings
from django.db import transaction

from obieg.core import clock
from obieg.scheduling import ical
from obieg.scheduling.caldav_sync import CalendarClient, RemoteItem, href_key
from obieg.scheduling.models import BusyTime, CalDAVAccount, ExternalItem

logger = logging.getLogger(__name__)

OBIEG_UID_SUFFIX = "@obieg"  # models.new_uid
# A series is expanded again when its rows end this close to the horizon.
REEXPAND_SLACK = timedelta(days=7)
MAX_OCCURRENCES = 2000


def window() -> tuple[datetime, datetime]:
    """The period busy time is kept for: recent past (for the board) and the planning horizon."""
    now = clock.now()
    past = timedelta(days=int(getattr(settings, "SCHEDULING_SYNC_PAST_DAYS", 30)))
    ahead = timedelta(days=int(getattr(settings, "SCHEDULING_BUSY_HORIZON_DAYS", 400)))
    return now - past, now + ahead


def pull_foreign(
    account: CalDAVAccount,
    client: CalendarClient,
    items: list[RemoteItem],
    *,
    listed: set[str] | None,
) -> int:
    """Bring the account's own appointments up to date; returns how many objects were read.

    `items` are the changes of objects that are not Obieg's events (a None etag:
    deleted); `listed` is every object's key when the listing was complete.
    """
    known = dict(ExternalItem.objects.filter(account=account).values_list("path", "etag"))
    gone = [href_key(item.href) for item in items if item.etag is None]
    if listed is not None:
        gone.extend(path for path in known if path not in listed)
    for first in range(0, len(gone), 500):
        ExternalItem.objects.filter(account=account, path__in=gone[first : first + 500]).delete()
    changed = [
        item
        for item in items
        if item.etag is not None and (not item.etag or known.get(href_key(item.href)) != item.etag)
    ]
    if not changed:
        return 0
    etags = {href_key(item.href): item.etag for item in changed}
    fetched = client.get_many([item.href for item in changed])
    for path, (href, text, etag) in fetched.items():
        store(account, href=href, path=path, etag=etag or etags.get(path, ""), text=text)
    return len(fetched)


def _occurrence_bounds(component) -> tuple[datetime, datetime, bool] | None:
    try:
        start_value = component.start
    except (KeyError, ValueError, icalendar.InvalidCalendar):
        return None
    all_day = isinstance(start_value, date) and not isinstance(start_value, datetime)
    start = ical.aware(start_value)
    try:
        end = ical.aware(component.end)
    except (KeyError, ValueError, icalendar.InvalidCalendar):
        end = start
    if end <= start:
        end = start + (timedelta(days=1) if all_day else ical.DEFAULT_LENGTH)
    return start, end, all_day


def _busy(component) -> bool:
    if str(component.get("transp", "")).upper() == "TRANSPARENT":
        return False
    return str(component.get("status", "")).upper() != "CANCELLED"


def expand(text: str, start: datetime, end: datetime) -> tuple[str, list[tuple], bool]:
    """(uid, [(start, end, all_day)], recurring) of a calendar object's busy occurrences."""
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    uid = str(events[0].get("uid", "")) if events else ""
    recurring = any(
        event.get("rrule") is not None or event.get("rdate") is not None for event in events
    )
    found = []
    query = recurring_ical_events.of(cal, skip_bad_series=True)
    for component in query.between(start, end):
        if len(found) >= MAX_OCCURRENCES:
            break
        if not _busy(component):
            continue
        bounds = _occurrence_bounds(component)
        if bounds is not None:
            found.append(bounds)
    return uid, found, recurring


@transaction.atomic
def store(account: CalDAVAccount, *, href: str, path: str, etag: str, text: str) -> None:
    """Record one object's busy occurrences (replacing what was known of it)."""
    start, end = window()
    try:
        uid, occurrences, recurring = expand(text, start, end)
    except (ValueError, KeyError, icalendar.InvalidCalendar) as error:
        logger.warning("Unreadable calendar object %s in %s: %s", href, account, error)
        uid, occurrences, recurring = "", [], False
    if uid.endswith(OBIEG_UID_SUFFIX):
        # Obieg's own plan (another crew's event left over, a copy): never busy time.
        occurrences, recurring = [], False
    item, _created = ExternalItem.objects.update_or_create(
        account=account,
        path=path,
        defaults={
            "href": href,
            "etag": etag,
            "uid": uid[:255],
            "ics": text if recurring else "",
            "expanded_until": end if recurring else None,
        },
    )
    _replace(item, occurrences)


def _replace(item: ExternalItem, occurrences: list[tuple]) -> None:
    item.busy_times.all().delete()
    BusyTime.objects.bulk_create(
        BusyTime(item=item, account_id=item.account_id, start=start, end=end, all_day=all_day)
        for start, end, all_day in occurrences
    )


def extend_horizon(account: CalDAVAccount) -> int:
    """Expand stored series further as the horizon moves on (no request to the server)."""
    start, end = window()
    due = ExternalItem.objects.filter(account=account, expanded_until__lt=end - REEXPAND_SLACK)
    count = 0
    for item in due.exclude(ics=""):
        try:
            _uid, occurrences, _recurring = expand(item.ics, start, end)
        except (ValueError, KeyError, icalendar.InvalidCalendar):
            occurrences = []
        with transaction.atomic():
            _replace(item, occurrences)
            ExternalItem.objects.filter(pk=item.pk).update(expanded_until=end)
        count += 1
    return count
