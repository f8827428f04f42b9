"""Fill-in visits: field-queue customers placed into the gaps of a field salesperson's day.

The field queue holds customers the rules send to a visit rather than a call.
Nobody promised them a time, so when a day is planned the best-scored of
them are offered to the solver as optional visits over the whole field day
(`SALESFORCE_FIELD_HOURS`): each person takes at most
`SALESFORCE_FILL_INS_PER_PERSON` (2 by default), and only where no promised
meeting loses its place (routes.py gives them the lowest priority). A placed
one becomes a planned `Meeting` tied to its queue item; the item is then
scheduled for that person, so no other day or person takes it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection
from django.db.models import F, QuerySet

from obieg.core import audit
from obieg.solutions.pv_salesforce import geo, meetings, routes
from obieg.solutions.pv_salesforce.models_field import Meeting
from obieg.solutions.pv_salesforce.models_queue import QueueItem, QueueKind

DEFAULT_PER_PERSON = 2
CANDIDATES_PER_PLACE = 2  # the solver chooses among twice as many customers as it may place
VISIT_MINUTES = 60


def per_person() -> int:
    return int(getattr(settings, "SALESFORCE_FILL_INS_PER_PERSON", DEFAULT_PER_PERSON))


def _locked(queryset: QuerySet) -> QuerySet:
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset  # SQLite: one writer at a time


def candidates(people: int) -> list[QueueItem]:
    """The best waiting field-queue items the solver may choose from (locked for this plan)."""
    wanted = people * per_person() * CANDIDATES_PER_PLACE
    if wanted <= 0:
        return []
    waiting = QueueItem.objects.filter(queue=QueueKind.FIELD, status=QueueItem.Status.WAITING)
    best = waiting.select_related("opportunity__account").order_by("-score", "entered_at", "id")
    return list(_locked(best)[:wanted])


def window(day: date) -> tuple[int, int]:
    """A fill-in may begin any time in the field hours that leaves room for the visit."""
    first, last = meetings.field_hours()
    return routes.day_seconds(first), routes.day_seconds(last) - VISIT_MINUTES * 60


def visit_of(item: QueueItem, day: date) -> routes.Visit | None:
    """The item as an optional visit; its id is the item's, negated (meetings keep theirs)."""
    point = geo.locate(item.lat, item.lon, item.postal_code)
    if point is None:
        return None
    earliest, latest = window(day)
    return routes.Visit(-item.pk, point, VISIT_MINUTES * 60, earliest, latest, fill_in=True)


def make_meeting(item: QueueItem, person, day: date, actor) -> Meeting:
    """The fill-in visit's meeting row; the item is taken for `person` in the same write."""
    taken = QueueItem.objects.filter(pk=item.pk, status=QueueItem.Status.WAITING).update(
        status=QueueItem.Status.SCHEDULED, assigned_to=person, revision=F("revision") + 1
    )
    if not taken:
        raise IntegrityError("a fill-in item was taken by another plan")
    first, last = meetings.field_hours()
    account = item.opportunity.account
    point = geo.locate(item.lat, item.lon, item.postal_code)
    latitude, longitude = geo.as_decimals(point) if point else (None, None)
    meeting = Meeting.objects.create(
        opportunity=item.opportunity,
        queue_item=item,
        window_start=routes.moment_of(routes.day_seconds(first), day),
        window_end=routes.moment_of(routes.day_seconds(last), day),
        duration_minutes=VISIT_MINUTES,
        address=", ".join(p for p in (account.street, account.city) if p),
        postal_code=item.postal_code or account.postal_code,
        latitude=latitude,
        longitude=longitude,
        status=Meeting.Status.BOOKED,
    )
    audit.record_create(meeting, actor=actor)
    return meeting


def release(meeting: Meeting) -> None:
    """A fill-in that no longer fits: the visit is dropped, its customer waits in the queue."""
    meeting.status = Meeting.Status.CANCELLED
    QueueItem.objects.filter(pk=meeting.queue_item_id, status=QueueItem.Status.SCHEDULED).update(
        status=QueueItem.Status.WAITING, assigned_to=None, revision=F("revision") + 1
    )
