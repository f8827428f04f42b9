"""Two-way sync of one calendar with its CalDAV calendar: pull, then push.

Idempotent by UID: an event always lives at `<calendar>/<uid>.ics`, so
pushing it again overwrites the same object and never duplicates it.

The conflict rule, when an event changed on both sides since the last
sync (Obieg: `revision != synced_revision`; the external calendar: a new
etag): **Obieg's version wins**. The external version is not applied; it is
written into the event's history as a conflict, and Obieg's version is
pushed over it. Why: Obieg holds the plan the business depends on (orders,
invoices, other crews); a change made in a subcontractor's calendar must
not silently undo a planner's decision, yet nothing is lost: the planner
sees what the crew wanted in the history. When only the external side
changed, its new time, place, all-day flag or cancellation becomes a change
in Obieg (recorded in the history as coming from the calendar). Title,
description and repetition stay Obieg's: they describe the business record.

Objects in the calendar that are not Obieg's events — the crew's own
appointments — are never changed; they are read as busy time (`busy`).

Network calls happen outside database transactions; each change to an
event is its own short transaction with the row locked.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from obieg.core import audit, clock
from obieg.core.models import AuditAction
from obieg.scheduling import busy, ical, recurrence, selectors
from obieg.scheduling.caldav_sync import CalendarClient, EtagMismatch, href_key
from obieg.scheduling.events import snapshot
from obieg.scheduling.models import CalDAVAccount, CalendarEvent, StaleCopy

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    pushed: int = 0
    removed: int = 0
    pulled: int = 0
    cancelled: int = 0
    conflicts: int = 0
    # The crew's own appointments read (busy time).
    external: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _past_limit():
    """Events that ended longer ago than this are history; they are not pushed."""
    return clock.now() - timedelta(days=getattr(settings, "SCHEDULING_SYNC_PAST_DAYS", 30))


def synchronise(account: CalDAVAccount, client: CalendarClient) -> SyncReport:
    report = SyncReport()
    pull(account, client, report)
    push(account, client, report)
    return report


# --- pull ---------------------------------------------------------------------------------


def pull(account: CalDAVAccount, client: CalendarClient, report: SyncReport) -> None:
    changes = client.changes(account.sync_token)
    known = {
        href_key(href): pk
        for pk, href in CalendarEvent.objects.filter(synced_account=account).values_list(
            "pk", "external_href"
        )
    }
    seen = set()
    foreign = []
    for item in changes.items:
        key = href_key(item.href)
        seen.add(key)
        event_id = known.get(key) or _ours_by_name(account, item.href)
        if event_id is None:
            foreign.append(item)  # the crew's own appointment: never changed, read as busy
            continue
        if item.etag is None:
            _deleted_externally(account, event_id, report)
        else:
            _changed_externally(account, client, event_id, item.href, item.etag, report)
    if changes.complete:
        for key, event_id in known.items():
            if key not in seen:
                _deleted_externally(account, event_id, report)
    report.external += busy.pull_foreign(
        account, client, foreign, listed=seen if changes.complete else None
    )
    busy.extend_horizon(account)
    CalDAVAccount.objects.filter(pk=account.pk).update(sync_token=changes.token)
    account.sync_token = changes.token


def _ours_by_name(account: CalDAVAccount, href: str) -> int | None:
    """An event Obieg pushed but whose href it never stored (a crash right after the PUT)."""
    name = unquote(urlsplit(href).path.rsplit("/", 1)[-1])
    if not name.endswith("@obieg.ics"):
        return None  # not an Obieg UID (models.new_uid): no query for the crew's own items
    events = selectors.account_events(account).filter(uid=name[: -len(".ics")])
    return events.values_list("pk", flat=True).first()


def _changed_externally(account, client, event_id, href, etag, report) -> None:
    current = CalendarEvent.objects.filter(pk=event_id).values_list("external_etag", flat=True)
    if etag and current.first() == etag:
        return  # our own write coming back
    fetched = client.get(href)
    if fetched is None:
        _deleted_externally(account, event_id, report)
        return
    text, fetched_etag = fetched
    external = _readable(text)
    if external is None:
        logger.warning("Unreadable calendar object %s in %s", href, account)
        return
    _apply_external(account, event_id, href, fetched_etag or etag, external, report)


@transaction.atomic
def _apply_external(account, event_id, href, etag, external: ical.ExternalVersion, report):
    event = CalendarEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None or (external.uid and external.uid != event.uid):
        return
    now = timezone.now()
    bookkeeping = {"external_href": href, "external_etag": etag, "last_synced_at": now}
    if event.has_unsynced_change:
        # Both sides changed: Obieg wins; keep the external etag so the push overwrites it.
        # (The same times and place outside is no conflict: e.g. our own PUT whose
        # answer was lost.)
        if external.describe() != ical.describe_event(event):
            _record_conflict(event, account, external.describe())
            report.conflicts += 1
        CalendarEvent.objects.filter(pk=event.pk).update(**bookkeeping, synced_account=account)
        return
    before = snapshot(event)
    event.start, event.end, event.location = external.start, external.end, external.location
    event.all_day = external.all_day
    event.series_end = recurrence.series_end(event)
    if external.cancelled:
        event.status = CalendarEvent.Status.CANCELLED
    changes = audit.diff(before, snapshot(event))
    if not changes:
        CalendarEvent.objects.filter(pk=event.pk).update(**bookkeeping, synced_account=account)
        return
    event.revision += 1
    event.synced_revision = event.revision
    event.sequence = max(event.sequence + 1, external.sequence)
    event.synced_account = account
    for name, value in bookkeeping.items():
        setattr(event, name, value)
    event.save()
    changes["source"] = [None, _source(account)]
    audit.record(event, actor=None, action=AuditAction.UPDATE, changes=changes)
    report.pulled += 1


@transaction.atomic
def _deleted_externally(account, event_id, report) -> None:
    event = CalendarEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None or event.synced_account_id != account.pk:
        return
    forget = {"external_href": "", "external_etag": "", "last_synced_at": timezone.now()}
    if event.has_unsynced_change and not event.is_cancelled:
        # Obieg wins: the push recreates the event in the external calendar.
        _record_conflict(event, account, "deleted")
        report.conflicts += 1
        CalendarEvent.objects.filter(pk=event.pk).update(**forget, synced_account=None)
        return
    if event.is_cancelled:
        CalendarEvent.objects.filter(pk=event.pk).update(
            **forget, synced_account=None, synced_revision=event.revision
        )
        return
    before = snapshot(event)
    event.status = CalendarEvent.Status.CANCELLED
    event.revision += 1
    event.synced_revision = event.revision
    event.sequence += 1
    event.synced_account = None
    for name, value in forget.items():
        setattr(event, name, value)
    event.save()
    changes = audit.diff(before, snapshot(event))
    changes["source"] = [None, _source(account)]
    audit.record(event, actor=None, action=AuditAction.UPDATE, changes=changes)
    report.cancelled += 1


def _source(account: CalDAVAccount) -> str:
    return f"CalDAV {urlsplit(account.url).netloc}"


def _record_conflict(event: CalendarEvent, account: CalDAVAccount, external: str) -> None:
    """History: what the external calendar had, and that Obieg's version was kept."""
    audit.record(
        event,
        actor=None,
        action=AuditAction.UPDATE,
        changes={
            "conflict": [f"{_source(account)}: {external}", f"Obieg: {ical.describe_event(event)}"]
        },
    )


# --- push ---------------------------------------------------------------------------------


def push(account: CalDAVAccount, client: CalendarClient, report: SyncReport) -> None:
    # Copies that no longer belong here: their events went to another crew or person.
    for copy in StaleCopy.objects.filter(account=account):
        try:
            client.delete(copy.href, etag=copy.etag or None)
        except EtagMismatch:
            client.delete(copy.href)
        copy.delete()
        report.removed += 1
    mine = selectors.account_events(account)
    pending = (
        mine.filter(selectors.not_ended_before(_past_limit()))
        .filter(
            Q(synced_account__isnull=True)
            | ~Q(synced_account=account)
            | ~Q(revision=F("synced_revision"))
        )
        .select_related("crew")
        .order_by("start")
    )
    for event in pending:
        if event.is_cancelled:
            _remove(account, client, event, report, mark_synced=True)
        else:
            _put(account, client, event, report)


def _put(account, client: CalendarClient, event: CalendarEvent, report: SyncReport) -> None:
    here = event.synced_account_id == account.pk and event.external_href
    href = event.external_href if here else client.href_for(event.uid)
    ics = ical.event_ics(event, stamp=timezone.now())
    try:
        etag = client.put(href, ics, etag=(event.external_etag if here else None) or None)
    except EtagMismatch:
        # Changed externally after our last pull: Obieg wins (see the module's rule).
        current = client.get(href)
        external = _readable(current[0]) if current is not None else None
        if external is not None and external.describe() != ical.describe_event(event):
            _record_conflict(event, account, external.describe())
            report.conflicts += 1
        etag = client.put(href, ics)
    _mark_synced(event, account=account, href=href, etag=etag)
    report.pushed += 1


def _readable(text: str) -> ical.ExternalVersion | None:
    try:
        return ical.parse_event(text)
    except ical.UnreadableEvent:
        return None


def _remove(account, client, event, report, *, mark_synced: bool) -> None:
    if event.synced_account_id == account.pk and event.external_href:
        try:
            client.delete(event.external_href, etag=event.external_etag or None)
        except EtagMismatch:
            client.delete(event.external_href)  # Obieg's cancellation wins
        report.removed += 1
        _mark_synced(event, account=None, href="", etag="", revision_synced=mark_synced)
    elif mark_synced:
        # The copy (if any) is in another calendar, whose own sync removes it.
        CalendarEvent.objects.filter(pk=event.pk, revision=event.revision).update(
            synced_revision=event.revision
        )


def _mark_synced(event, *, account, href, etag, revision_synced: bool = True) -> None:
    """Store where the copy is; the revision only if nobody changed the event meanwhile."""
    rows = CalendarEvent.objects.filter(pk=event.pk)
    rows.update(
        synced_account=account,
        external_href=href,
        external_etag=etag,
        last_synced_at=timezone.now(),
    )
    if revision_synced:
        rows.filter(revision=event.revision).update(synced_revision=event.revision)
