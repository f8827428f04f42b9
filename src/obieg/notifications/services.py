"""Writes: notifications added (once each), read, and each person's choices."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from obieg.core import access, clock, records
from obieg.core.errors import Conflict
from obieg.notifications import mentions
from obieg.notifications.models import Kind, Notification, Preferences, Source

logger = logging.getLogger(__name__)


def _preferences_of(user_ids: Iterable[int]) -> dict[int, Preferences]:
    found = {prefs.user_id: prefs for prefs in Preferences.objects.filter(user_id__in=user_ids)}
    return {user_id: found.get(user_id) or Preferences(user_id=user_id) for user_id in user_ids}


def notifications_add(notifications: list[Notification]) -> int:
    """Add what each recipient wants to hear about; a notification already given is skipped.

    The unique (recipient, key) makes this safe to call again with the same
    rows — by a second worker, a retried job, a note saved twice. Returns how
    many rows were offered to the database (those already there are ignored).
    """
    if not notifications:
        return 0
    preferences = _preferences_of({note.recipient_id for note in notifications})
    wanted = [note for note in notifications if preferences[note.recipient_id].wants(note.kind)]
    for note in wanted:
        note.title = note.title[:200]
    Notification.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=500)
    return len(wanted)


def activity_url(activity) -> str:
    return reverse("account_detail", args=[activity.account_id]) + f"#activity-{activity.pk}"


def work_item_url(work_item_id: int) -> str:
    return reverse("engine:task", args=[work_item_id])


def mentions_notify(*, activity, actor, created: bool = True) -> int:
    """Tell each person @mentioned in a note (who may see it) that they were; once per note.

    Called in the note's own transaction (crm.activity_hooks). The author is
    not told about themselves; someone who may not see the account is not
    told, since the notification would show them the note's subject.
    """
    text = f"{activity.subject}\n{activity.body}"
    if "@" not in text:
        return 0
    author_id = getattr(actor, "pk", None)
    rows = []
    for user in mentions.users_mentioned(text).exclude(pk=author_id):
        if not access.visible(type(activity).objects.filter(pk=activity.pk), user).exists():
            logger.info("%s mentioned in activity %s they may not see", user, activity.pk)
            continue
        rows.append(
            Notification(
                recipient=user,
                kind=Kind.MENTION,
                source=Source.ACTIVITY,
                source_id=activity.pk,
                key=f"mention:activity:{activity.pk}",
                title=activity.subject,
                url=activity_url(activity),
                actor_id=author_id,
                created_at=clock.now(),
            )
        )
    return notifications_add(rows)


def notification_mark_read(*, user, notification_id: int) -> Notification | None:
    """Mark one of the user's notifications read; None when it is not theirs (or not there).

    One conditional UPDATE: reading it twice, or in two tabs, changes nothing more.
    """
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=clock.now()
    )
    return Notification.objects.filter(pk=notification_id, recipient=user).first()


def notifications_mark_all_read(*, user, up_to: int | None = None) -> int:
    """Mark the user's unread notifications read, up to the newest one they were shown.

    A notification that arrived after the page was drawn (`up_to`) stays
    unread: nobody has seen it yet.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    return unread.update(read_at=clock.now())


def preferences_for(user) -> Preferences:
    """The user's saved choices, or the defaults (not saved)."""
    return Preferences.objects.filter(user=user).first() or Preferences(user=user)


@transaction.atomic
def preferences_update(*, user, data: dict[str, Any], revision: int | None = None) -> Preferences:
    """Save a person's choices; a stale page (another tab saved first) is refused with Conflict.

    A person without a row saw the defaults at revision 1: the row is written
    with them first (if absent), then locked and checked like any other.
    """
    Preferences.objects.bulk_create([Preferences(user=user)], ignore_conflicts=True)
    prefs = Preferences.objects.select_for_update().get(user=user)
    if revision is not None and prefs.revision != revision:
        raise Conflict(
            _(
                "Your settings were changed in another window meanwhile. "
                "Nothing was saved: reload the page and try again."
            )
        )
    for name, value in data.items():
        setattr(prefs, name, value)
    records.full_clean(prefs, exclude=["user"])
    prefs.revision += 1
    prefs.save()
    return prefs
