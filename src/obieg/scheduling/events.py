"""Services for calendar events: plan, move, change, cancel (audited, synced in the background).

Every change that an external calendar should see enqueues a sync of the
calendars concerned in the same transaction, so the job exists exactly when
the change does; the request never waits for a CalDAV server.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.core import access, audit
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.core.models import AuditAction
from obieg.core.records import full_clean
from obieg.scheduling import availability, recurrence, selectors, tasks
from obieg.scheduling.models import CalendarEvent, Crew, StaleCopy

# Sync bookkeeping changes on every push and pull; the history shows the plan.
EVENT_SKIPPED = audit.SKIPPED_FIELDS | {
    "uid",
    "sequence",
    "synced_revision",
    "synced_account",
    "external_href",
    "external_etag",
    "last_synced_at",
    "series_end",
}
EVENT_FIELDS = {
    "crew",
    "user",
    "title",
    "start",
    "end",
    "all_day",
    "rrule",
    "location",
    "description",
    "status",
}
# Changes that make attendees' copies outdated: RFC 5545 asks to bump SEQUENCE.
SIGNIFICANT_FIELDS = {"start", "end", "all_day", "rrule", "location", "status"}


def snapshot(event: CalendarEvent) -> dict:
    return audit.snapshot(event, skipped=EVENT_SKIPPED)


def _check_calendar(actor, *, crew: Crew | None, person) -> None:
    if (crew is None) == (person is None):
        raise ApplicationError(
            _("An event belongs to a crew or to a person."),
            field_errors={"crew": [_("Choose a crew or a person, not both.")]},
        )
    if not selectors.may_plan_for(actor, crew=crew, person=person):
        raise PermissionDenied(_("You may not plan in this calendar."))


def _check_subject(actor, subject: models.Model | None) -> None:
    """An event may be tied only to a record its planner can see."""
    if subject is None or not hasattr(type(subject), "access"):
        return
    if not access.visible(type(subject)._default_manager.filter(pk=subject.pk), actor).exists():
        raise ApplicationError(
            _("The linked record does not exist."), field_errors={"subject": [_("Not found.")]}
        )


def _request_syncs(*events_or_accounts) -> None:
    seen = set()
    for item in events_or_accounts:
        account = selectors.owner_account(item) if isinstance(item, CalendarEvent) else item
        if account is not None and account.pk not in seen:
            seen.add(account.pk)
            tasks.request_sync(account)


@transaction.atomic
def event_create(
    *,
    actor,
    title: str,
    start,
    end,
    crew: Crew | None = None,
    user=None,
    location: str = "",
    description: str = "",
    status: str = CalendarEvent.Status.PLANNED,
    subject: models.Model | None = None,
    all_day: bool = False,
    rrule: str = "",
) -> CalendarEvent:
    """Put a piece of work into a crew's or a person's calendar (once, or repeating by `rrule`)."""
    _check_calendar(actor, crew=crew, person=user)
    _check_subject(actor, subject)
    event = CalendarEvent(
        crew=crew,
        user=user,
        title=title,
        start=start,
        end=end,
        all_day=all_day,
        rrule=rrule,
        location=location,
        description=description,
        status=status,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
        event.subject_id = subject.pk
    full_clean(event)
    event.series_end = recurrence.series_end(event)
    event.save()
    audit.record(
        event, actor=actor, action=AuditAction.CREATE, changes=audit.diff({}, snapshot(event))
    )
    _request_syncs(event)
    return event


@transaction.atomic
def event_update(
    *,
    actor,
    event: CalendarEvent,
    data: dict[str, Any],
    revision: int | None = None,
    keep_crew_free: bool = False,
) -> CalendarEvent:
    """Change an event (move it, give it to another crew, confirm it …); 409 when stale.

    With `keep_crew_free`, a crew's work may not land on a holiday, a day off
    or a day another job already takes (the rule of the planning form).
    """
    locked = CalendarEvent.objects.select_for_update().get(pk=event.pk)
    selectors.ensure_can_change_event(actor, locked)
    if revision is not None and locked.revision != revision:
        raise Conflict(
            _(
                "This event was changed in the meantime (perhaps in an external calendar); "
                "reload it and try again."
            )
        )
    old_account = selectors.owner_account(locked)
    before = snapshot(locked)
    for name, value in data.items():
        if name in EVENT_FIELDS:
            setattr(locked, name, value)
    if "crew" in data or "user" in data:
        _check_calendar(actor, crew=locked.crew, person=locked.user)
    full_clean(locked)
    changes = audit.diff(before, snapshot(locked))
    if not changes:
        return locked
    if keep_crew_free and changes.keys() & {"start", "end", "crew"}:
        _ensure_crew_free(locked)
    locked.revision += 1
    locked.series_end = recurrence.series_end(locked)
    if SIGNIFICANT_FIELDS & changes.keys():
        locked.sequence += 1
    new_account = selectors.owner_account(locked)
    if locked.synced_account_id and locked.synced_account_id != getattr(new_account, "pk", None):
        _leave_external_calendar(locked)
    locked.save()
    audit.record(locked, actor=actor, action=AuditAction.UPDATE, changes=changes)
    _request_syncs(locked, *([old_account] if old_account else []))
    return locked


def _ensure_crew_free(event: CalendarEvent) -> None:
    if event.crew_id is None or event.status == CalendarEvent.Status.CANCELLED:
        return
    # The crew's row is the lock: two planners dropping jobs on the same free day
    # one after the other see each other's job, never both succeed.
    crew = Crew.objects.select_for_update().get(pk=event.crew_id)
    availability.ensure_crew_free(crew, event.start, event.end, exclude_event=event.pk)


def _leave_external_calendar(event: CalendarEvent) -> None:
    """The event went to another crew or person: its old copy is to be deleted there."""
    if event.external_href:
        StaleCopy.objects.create(
            account_id=event.synced_account_id, href=event.external_href, etag=event.external_etag
        )
    event.synced_account = None
    event.external_href = ""
    event.external_etag = ""


def event_move(
    *, actor, event: CalendarEvent, start, end, crew: Crew | None = None, revision=None
) -> CalendarEvent:
    """Move an event to another time (and crew), as a planner's drag in the calendar does.

    Refused, like the planning form, onto a holiday, a crew's day off or a booked day.
    """
    data: dict[str, Any] = {"start": start, "end": end}
    if crew is not None:
        data["crew"] = crew
    return event_update(actor=actor, event=event, data=data, revision=revision, keep_crew_free=True)


def event_cancel(*, actor, event: CalendarEvent, revision: int | None = None) -> CalendarEvent:
    """Cancel an event: it stays in the history and leaves the external calendars."""
    return event_update(
        actor=actor, event=event, data={"status": CalendarEvent.Status.CANCELLED}, revision=revision
    )
