"""Reads: the bell's count and menu, the list page, and what a day's digest tells.

A person reads only their own notifications (every query starts from
`recipient=user`); the digest reads the person's own tasks (work items
assigned to them) and activities (owned by them) through the inbox's and
the owners' indexes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from obieg.core import clock
from obieg.core.pagination import Page, keyset_page
from obieg.crm.models import Activity
from obieg.engine import labels
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.notifications.models import Kind, Notification, Source
from obieg.notifications.reminders import ACTIVITY_GRACE, end_of_day

BELL_CAP = 99
MENU_SIZE = 8
PAGE_SIZE = 25
DIGEST_ROWS = 20  # per section; the total says how many more
DIGEST_COUNT_CAP = 999


def unread_count(user, *, cap: int = BELL_CAP) -> int:
    """How many unread notifications the user has, up to cap + 1 (the bell shows "99+").

    One COUNT over at most cap + 1 entries of the partial "unread" index:
    the same cost with ten notifications or a million.
    """
    if not user.is_authenticated:
        return 0
    # Ordered as the partial index is, so the database walks it and stops at the cap
    # (an order the index does not give would sort every unread row first).
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-id")
    return unread[: cap + 1].count()


def latest(user, *, limit: int = MENU_SIZE) -> list[Notification]:
    """The user's newest notifications, read or not, for the bell's menu."""
    return with_task_names(
        list(
            Notification.objects.filter(recipient=user)
            .select_related("actor")
            .order_by("-id")[:limit]
        )
    )


# What a task's name is read with: its element and its version (whose names are cached).
_TASK_NAME_FIELDS = (
    "pk",
    "name",
    "element_id",
    "case__id",
    "case__definition__id",
    "case__definition__checksum",
)


def with_task_names(notifications: list[Notification]) -> list[Notification]:
    """Each task notification's `shown_title`: the task's name in the reader's language.

    A notification keeps the task's name as its model gives it (the one
    language of the model); it is read in the reader's language when shown,
    like every other task name (engine/labels.py), so a person who switches
    language, or a digest written in theirs, reads it in their own. One query
    for the page's tasks; a task since deleted keeps the stored name.
    """
    ids = [n.source_id for n in notifications if n.source == Source.WORK_ITEM]
    if not ids:
        return notifications
    items = {
        item.pk: item
        for item in WorkItem.objects.filter(pk__in=ids)
        .select_related("case__definition")
        .only(*_TASK_NAME_FIELDS)
    }
    for notification in notifications:
        item = items.get(notification.source_id)
        if item is not None and notification.source == Source.WORK_ITEM:
            notification.shown_title = labels.element_label(
                item.case.definition, item.element_id, notification.title
            )
    return notifications


def notifications_page(user, *, cursor: str | None = None, unread_only: bool = False) -> Page:
    """A page of the user's notifications, newest first (keyset on the (recipient, id) index)."""
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = keyset_page(notifications, ordering=["-id"], cursor=cursor, size=PAGE_SIZE)
    with_task_names(page.rows)
    return page


@dataclass
class Section:
    rows: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass
class Digest:
    """What a person's morning e-mail says."""

    overdue_tasks: Section
    tasks_today: Section
    overdue_activities: Section
    activities_today: Section
    news: Section  # mentions and tasks given to them since the last digest, still unread

    @property
    def is_empty(self) -> bool:
        return not any(
            section.total
            for section in (
                self.overdue_tasks,
                self.tasks_today,
                self.overdue_activities,
                self.activities_today,
                self.news,
            )
        )


def _section(queryset, *, named=False) -> Section:
    rows = list(queryset[:DIGEST_ROWS])
    if named:
        with_task_names(rows)
    if len(rows) < DIGEST_ROWS:
        return Section(rows, len(rows))
    return Section(rows, queryset.order_by()[: DIGEST_COUNT_CAP + 1].count())


# A digest's task: its name is shown in the person's language (`task_label`), read from its
# version's names (cached per version; the version's files are read once, if at all).
_DIGEST_TASK = (*_TASK_NAME_FIELDS, "due_at")


def digest_for(user, *, since: datetime, now: datetime | None = None) -> Digest:
    """The person's overdue and today's tasks and activities, and unread news since `since`."""
    now = now or clock.now()
    tomorrow = end_of_day(now)
    # The inbox index (assignee, status, due_at, id).
    mine = (
        WorkItem.objects.filter(assignee=user, status=WorkItemStatus.OPEN)
        .select_related("case__definition")
        .order_by("due_at", "id")
    )
    # The owners' index (owner, status, occurs_at).
    planned = Activity.objects.filter(owner=user, status=Activity.Status.PLANNED).order_by(
        "occurs_at", "id"
    )
    late = now - ACTIVITY_GRACE
    news = Notification.objects.filter(
        recipient=user,
        read_at__isnull=True,
        kind__in=[Kind.MENTION, Kind.ASSIGNED],
        created_at__gt=since,
    ).select_related("actor")
    return Digest(
        overdue_tasks=_section(mine.filter(due_at__lt=now).only(*_DIGEST_TASK)),
        tasks_today=_section(mine.filter(due_at__gte=now, due_at__lt=tomorrow).only(*_DIGEST_TASK)),
        overdue_activities=_section(planned.filter(occurs_at__lt=late).select_related("account")),
        activities_today=_section(
            planned.filter(occurs_at__gte=late, occurs_at__lt=tomorrow).select_related("account")
        ),
        news=_section(news.order_by("-id"), named=True),
    )
