"""The clock's reminders: tasks given to a person, due today or overdue — each told once.

Every worker's clock beats every few seconds (`core.worker.every_tick`);
each job here runs on one worker at a time (`marks.claimed`) and reads only
what is new since its last run, through an index:

- **assigned**: process tasks created with an assignee (work items after the
  last id read) and tasks a manager handed over (`reassigned` case events
  after the last id read). A task someone claims for themselves is not news.
- **overdue**: the engine flags a task overdue once and writes an `overdue`
  case event (`engine.timers.mark_overdue_items`); the same event scan turns
  it into a notification for the task's person. A planned CRM activity
  (call, meeting) still not done an hour after its time is overdue too
  (a moment watermark over the owners' (owner, status, occurs_at) index).
- **due today**: open tasks and planned activities whose time is later
  today, every ten minutes (the engine's "coming due" index, the owners'
  index); the key carries the day, so once a day each.

Ids are read in order, in batches of `BATCH`, but a transaction that took a
smaller id may commit after a bigger one was read: the mark moves only over
rows older than `LAG` (rows younger are told now and read again next time,
harmlessly — the notification's key makes a second telling a no-op). A step that stays open
longer than `LAG` could still be passed over; steps take milliseconds.
Every time is the one clock's (`core.clock`), never the wall's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Max, QuerySet
from django.utils import timezone

from obieg.core import clock
from obieg.crm.models import Activity
from obieg.engine.models import CaseEvent, WorkItem, WorkItemStatus
from obieg.notifications import marks, services
from obieg.notifications.models import Kind, Notification, Source

LAG = timedelta(seconds=60)
BATCH = 2000
DUE_TODAY_EVERY = timedelta(minutes=10)
ACTIVITIES_OVERDUE_EVERY = timedelta(minutes=5)
# A meeting is not late while it goes on; marking it done can wait until after.
ACTIVITY_GRACE = timedelta(hours=1)
OWNER_CHUNK = 500


def end_of_day(moment: datetime) -> datetime:
    """The first moment of the next local day (Europe/Warsaw)."""
    local = timezone.localtime(moment)
    following = datetime.combine(local.date() + timedelta(days=1), time.min)
    return timezone.make_aware(following, local.tzinfo)


def _window(rows: QuerySet, position: int, moment: str, now: datetime) -> tuple[int, int]:
    """The next batch of `rows` after `position`: (its last id, where the mark may move).

    Three index reads on the primary key, none of them bringing rows into
    Python: the end of the batch, and the first row in it younger than LAG
    (whose smaller-id neighbours may still be uncommitted); the mark stops
    just before that one.
    """
    after = rows.filter(pk__gt=position).order_by("pk").values_list("pk", flat=True)
    end = next(iter(after[BATCH - 1 : BATCH]), None) or after.aggregate(last=Max("pk"))["last"]
    if end is None:
        return position, position
    young = next(iter(after.filter(pk__lte=end, **{f"{moment}__gt": now - LAG})[:1]), None)
    return end, end if young is None else young - 1


def _active_owner_chunks() -> Iterator[list[int]]:
    """Active people's ids in chunks: each chunk is one `owner IN (…)` probe of the index."""
    ids = list(
        get_user_model().objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), OWNER_CHUNK):
        yield ids[start : start + OWNER_CHUNK]


def _task_note(item, kind: str, key: str, *, actor_id=None, now) -> Notification:
    return Notification(
        recipient_id=item.assignee_id,
        kind=kind,
        source=Source.WORK_ITEM,
        source_id=item.pk,
        key=key,
        title=item.name,
        url=services.work_item_url(item.pk),
        actor_id=actor_id,
        due_at=item.due_at,
        created_at=now,
    )


def _activity_note(activity, kind: str, key: str, *, now) -> Notification:
    return Notification(
        recipient_id=activity.owner_id,
        kind=kind,
        source=Source.ACTIVITY,
        source_id=activity.pk,
        key=key,
        title=activity.subject,
        url=services.activity_url(activity),
        due_at=activity.occurs_at,
        created_at=now,
    )


class _Row:
    """A work item or event as read for a scan (no model instance: no extra columns)."""

    def __init__(self, **values):
        self.__dict__.update(values)


def new_assignments() -> int:
    """Tell people about process tasks created for them since the last run."""
    with marks.claimed("work_items_assigned") as mark:
        if mark is None:
            return 0
        if mark.position is None:  # the first run: from now on, not the whole history
            mark.position = WorkItem.objects.aggregate(last=Max("pk"))["last"] or 0
            return 0
        now = clock.now()
        end, mark_to = _window(WorkItem.objects.all(), mark.position, "created_at", now)
        notes = [
            _task_note(item, Kind.ASSIGNED, f"assigned:work_item:{item.pk}", now=now)
            for item in WorkItem.objects.filter(
                pk__gt=mark.position,
                pk__lte=end,
                status=WorkItemStatus.OPEN,
                assignee__isnull=False,
                # Revision 0: still with the person the model gave it to. One claimed or
                # handed over since is told by the events (or is no news: a claim).
                revision=0,
            ).only("pk", "assignee_id", "name", "due_at")
        ]
        mark.position = mark_to
        return services.notifications_add(notes)


def handed_over_and_overdue() -> int:
    """Tell people about tasks handed to them and their tasks fallen overdue since the last run."""
    with marks.claimed("case_events") as mark:
        if mark is None:
            return 0
        if mark.position is None:
            mark.position = CaseEvent.objects.aggregate(last=Max("pk"))["last"] or 0
            return 0
        now = clock.now()
        end, mark_to = _window(CaseEvent.objects.all(), mark.position, "at", now)
        events = [
            _Row(pk=pk, kind=kind, case_id=case, element_id=element, actor_id=actor, moment=at)
            for pk, kind, case, element, actor, at in CaseEvent.objects.filter(
                pk__gt=mark.position,
                pk__lte=end,
                kind__in=[CaseEvent.Kind.REASSIGNED, CaseEvent.Kind.OVERDUE],
            )
            .order_by("pk")
            .values_list("pk", "kind", "case_id", "element_id", "actor_id", "at")
        ]
        notes = _event_notes(events, now) if events else []
        mark.position = mark_to
        return services.notifications_add(notes)


def _event_notes(events: list[_Row], now: datetime) -> list[Notification]:
    """One note per task the events tell its person about, whatever the number of events.

    A step's overdue events all say the same of its open tasks (those due by
    then), and each task has one key per kind of note, which the database keeps
    once: noting every task for every event of its step made a step with 300
    open tasks and 300 overdue events 90,000 notes to build and offer in one
    transaction (12 s of SQLite's write lock on the bench data), for 300 kept.
    """
    # The events name a case and a step, not the item: the open items there, one query
    # on the (case, status) index.
    places: dict[tuple[int, str], list[_Row]] = defaultdict(list)
    for pk, case, element, assignee, name, due in WorkItem.objects.filter(
        case_id__in={event.case_id for event in events},
        status=WorkItemStatus.OPEN,
        assignee__isnull=False,
    ).values_list("pk", "case_id", "element_id", "assignee_id", "name", "due_at"):
        item = _Row(pk=pk, assignee_id=assignee, name=name, due_at=due)
        places[(case, element)].append(item)
    notes: dict[str, Notification] = {}
    overdue_by: dict[tuple[int, str], datetime] = {}  # each step's latest overdue event
    for event in events:
        place = (event.case_id, event.element_id)
        if event.kind == CaseEvent.Kind.OVERDUE:
            overdue_by[place] = max(event.moment, overdue_by.get(place, event.moment))
            continue
        for item in places[place]:
            # One key per task: each person hears once that a task is theirs, whether
            # it was made for them or handed over (even when both fall in one beat),
            # from the first event that tells them. A manager taking it is not news to them.
            key = f"assigned:work_item:{item.pk}"
            if item.assignee_id != event.actor_id and key not in notes:
                notes[key] = _task_note(item, Kind.ASSIGNED, key, actor_id=event.actor_id, now=now)
    for place, moment in overdue_by.items():
        for item in places[place]:
            if item.due_at is not None and item.due_at <= moment:  # else another instance
                key = f"overdue:work_item:{item.pk}"
                notes[key] = _task_note(item, Kind.OVERDUE, key, now=now)
    return list(notes.values())


def due_today() -> int:
    """Remind people of their open tasks and planned activities whose time is later today."""
    with marks.claimed("due_today", every=DUE_TODAY_EVERY) as mark:
        if mark is None:
            return 0
        now = clock.now()
        today, tomorrow = clock.today(), end_of_day(now)
        notes = [
            _task_note(item, Kind.DUE_TODAY, f"due_today:work_item:{item.pk}:{today}", now=now)
            # The engine's "coming due" partial index (open, not yet overdue, dated).
            for item in WorkItem.objects.filter(
                status=WorkItemStatus.OPEN,
                overdue=False,
                due_at__isnull=False,
                due_at__gte=now,
                due_at__lt=tomorrow,
                assignee__isnull=False,
            ).only("pk", "assignee_id", "name", "due_at")
        ]
        for owners in _active_owner_chunks():
            for activity in Activity.objects.filter(
                owner_id__in=owners,
                status=Activity.Status.PLANNED,
                occurs_at__gte=now,
                occurs_at__lt=tomorrow,
            ).only("pk", "owner_id", "account_id", "subject", "occurs_at"):
                key = f"due_today:activity:{activity.pk}:{today}"
                notes.append(_activity_note(activity, Kind.DUE_TODAY, key, now=now))
        return services.notifications_add(notes)


def overdue_activities() -> int:
    """Tell owners of planned activities whose time passed (with an hour's grace) undone."""
    with marks.claimed("activities_overdue", every=ACTIVITIES_OVERDUE_EVERY) as mark:
        if mark is None:
            return 0
        now = clock.now()
        until = now - ACTIVITY_GRACE
        if mark.until is None:  # the first run: from now on (the digest lists older ones)
            mark.until = until
            return 0
        if until <= mark.until:
            return 0
        notes = []
        for owners in _active_owner_chunks():
            for activity in Activity.objects.filter(
                owner_id__in=owners,
                status=Activity.Status.PLANNED,
                occurs_at__gt=mark.until,
                occurs_at__lte=until,
            ).only("pk", "owner_id", "account_id", "subject", "occurs_at"):
                # Moved to another time and late again: that is news again.
                key = f"overdue:activity:{activity.pk}:{activity.occurs_at:%Y%m%dT%H%M}"
                notes.append(_activity_note(activity, Kind.OVERDUE, key, now=now))
        mark.until = until
        return services.notifications_add(notes)


KEEP_READ = timedelta(days=90)
PRUNE_EVERY = timedelta(hours=6)
PRUNE_BATCH = 10_000


def prune_read() -> int:
    """Forget notifications read more than 90 days ago (a batch at a time)."""
    with marks.claimed("prune", every=PRUNE_EVERY) as mark:
        if mark is None:
            return 0
        old = Notification.objects.filter(read_at__lt=clock.now() - KEEP_READ)
        ids = list(old.values_list("pk", flat=True)[:PRUNE_BATCH])
        deleted, _by_model = Notification.objects.filter(pk__in=ids).delete()
        return deleted


JOBS = (new_assignments, handed_over_and_overdue, due_today, overdue_activities, prune_read)
