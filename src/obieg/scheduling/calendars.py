"""Services for a crew's or a person's calendar: the feed secret and the CalDAV connection."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import access, audit
from obieg.core.errors import PermissionDenied
from obieg.core.models import AuditAction
from obieg.core.records import full_clean
from obieg.scheduling import crypto, selectors, tasks
from obieg.scheduling.models import (
    CalDAVAccount,
    CalendarEvent,
    Crew,
    ExternalItem,
    SyncStatus,
    UserCalendar,
    new_feed_token,
)

# Sync bookkeeping of the events of a calendar whose external copy is forgotten.
_NOT_SYNCED = {
    "synced_account": None,
    "external_href": "",
    "external_etag": "",
    "synced_revision": 0,
    "last_synced_at": None,
}


def forget_sync_state(owner: Crew | UserCalendar, account: CalDAVAccount) -> None:
    """The account now points at another calendar: push every event afresh, forget its busy time."""
    selectors.owner_events(owner).update(**_NOT_SYNCED)
    ExternalItem.objects.filter(account=account).delete()


def personal_calendar(user) -> UserCalendar:
    """The person's own calendar (made on first use)."""
    calendar, _created = UserCalendar.objects.get_or_create(user=user)
    return calendar


def ensure_can_manage(actor, owner: Crew | UserCalendar) -> None:
    """Planners manage crews' calendars; a person (or an administrator) their own."""
    if isinstance(owner, Crew):
        selectors.ensure_can_plan(actor)
    elif owner.user_id != actor.pk and not access.is_admin(actor):
        raise PermissionDenied(_("Only the calendar's owner manages it."))


@transaction.atomic
def feed_token_rotate(*, actor, owner: Crew | UserCalendar) -> str:
    """Revoke the feed URL: the old one stops working at once; returns the new token."""
    ensure_can_manage(actor, owner)
    owner.feed_token = new_feed_token()
    type(owner).objects.filter(pk=owner.pk).update(feed_token=owner.feed_token)
    audit.record(
        owner, actor=actor, action=AuditAction.UPDATE, changes={"feed_url": ["…", _("revoked")]}
    )
    return owner.feed_token


@transaction.atomic
def caldav_configure(
    *, actor, owner: Crew | UserCalendar, url: str, username: str = "", password: str = ""
) -> CalDAVAccount:
    """Connect the calendar to an external CalDAV calendar and schedule a first sync.

    A blank password keeps the stored one. A new URL is a new calendar: the
    events' sync state is forgotten, so all of them are pushed to it afresh.
    """
    ensure_can_manage(actor, owner)
    owner = type(owner).objects.select_for_update().get(pk=owner.pk)
    account = owner.caldav or CalDAVAccount()
    moved = bool(account.pk) and account.url != url
    account.url = url
    account.username = username
    if password:
        account.password_encrypted = crypto.encrypt(password)
    if account.grant_id:
        # From Google to another server: Google's grant is given back.
        tasks.revoke_google_grant.enqueue(account.grant_id)
        account.grant = None
        account.display_name = ""
    if moved or not account.pk:
        account.sync_token = ""
        account.status = SyncStatus.NEVER
        account.last_error = ""
    account.failures = 0
    account.retry_at = None
    account.next_pull_at = timezone.now()
    full_clean(account, exclude=["password_encrypted", "sync_token"])
    account.save()
    if owner.caldav_id != account.pk:
        owner.caldav = account
        owner.save(update_fields=["caldav"])
    if moved:
        forget_sync_state(owner, account)
    audit.record(
        owner,
        actor=actor,
        action=AuditAction.UPDATE,
        # The user name and URL are not secrets; the password never appears.
        changes={"caldav": [None, f"{username}@{url}" if username else url]},
    )
    tasks.request_sync(account)
    return account


@transaction.atomic
def caldav_remove(*, actor, owner: Crew | UserCalendar) -> None:
    """Disconnect the external calendar (its copies of events stay there).

    A Google calendar's grant is revoked at Google too (in the background).
    """
    ensure_can_manage(actor, owner)
    account = owner.caldav
    if account is None:
        return
    if account.grant_id:
        tasks.revoke_google_grant.enqueue(account.grant_id)
    selectors.owner_events(owner).update(**_NOT_SYNCED)
    CalendarEvent.objects.filter(synced_account=account).update(**_NOT_SYNCED)
    owner.caldav = None
    owner.save(update_fields=["caldav"])
    account.delete()
    audit.record(
        owner, actor=actor, action=AuditAction.UPDATE, changes={"caldav": [account.url, None]}
    )


def sync_now(*, actor, owner: Crew | UserCalendar) -> None:
    """Ask for a sync at once (it still runs in the background)."""
    ensure_can_manage(actor, owner)
    if owner.caldav is not None:
        CalDAVAccount.objects.filter(pk=owner.caldav.pk).update(retry_at=None)
        tasks.request_sync(owner.caldav, retry=True)
