"""Services of "Connect Google Calendar": the grant, the calendar chosen, reconnecting, settings.

Google Calendar is synchronised through Google's CalDAV endpoint with the
grant's bearer token, by the same sync as every CalDAV calendar (see
docs/calendar.md, "Why CalDAV for Google"). Network calls to Google (the
code exchange, the calendar list) happen outside transactions.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import access, audit
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditAction
from obieg.core.records import full_clean
from obieg.scheduling import calendars, crypto, google_config, oauth, tasks
from obieg.scheduling.caldav_sync import CaldavClient, CalendarError, GrantRevoked, href_key
from obieg.scheduling.models import (
    CalDAVAccount,
    Crew,
    GoogleClientSettings,
    OAuthGrant,
    SyncStatus,
    UserCalendar,
)


def google_account(owner: Crew | UserCalendar) -> CalDAVAccount | None:
    """The owner's external calendar when it is a Google one."""
    account = owner.caldav
    return account if account is not None and account.grant_id else None


def connect_start(*, actor, owner: Crew | UserCalendar) -> tuple[str, str, str]:
    """Where to send the person to consent: (URL, state, PKCE verifier) for the session."""
    calendars.ensure_can_manage(actor, owner)
    return oauth.authorization_request()


def connect_finish(*, actor, owner: Crew | UserCalendar, code: str, verifier: str):
    """Exchange Google's code for tokens; returns (grant, reconnected).

    Reconnecting (the owner already syncs with Google) puts the new tokens into
    the same grant: the calendar, its sync state and the changes waiting to be
    sent are kept, and a sync starts at once. Otherwise the new grant waits for
    the person to choose a calendar.
    """
    calendars.ensure_can_manage(actor, owner)
    token = oauth.exchange_code(code, verifier)
    with transaction.atomic():
        account = google_account(owner)
        if account is not None:
            account = CalDAVAccount.objects.select_for_update().get(pk=account.pk)
            grant = OAuthGrant.objects.select_for_update().get(pk=account.grant_id)
        else:
            grant = OAuthGrant(connected_by=actor if getattr(actor, "pk", None) else None)
        oauth.store_token(grant, token)
        grant.revoked_at = None
        grant.save()
        if account is None:
            return grant, False
        CalDAVAccount.objects.filter(pk=account.pk).update(
            status=SyncStatus.NEVER if account.last_success_at is None else SyncStatus.OK,
            last_error="",
            failures=0,
            retry_at=None,
            next_pull_at=timezone.now(),
        )
        audit.record(
            owner,
            actor=actor,
            action=AuditAction.UPDATE,
            changes={"caldav": [_("Google access revoked"), _("reconnected")]},
        )
        tasks.request_sync(account)
    return grant, True


def calendars_of(grant: OAuthGrant) -> tuple[str, list[tuple[str, str]]]:
    """(account name, [(calendar URL, name)]) of the Google account the grant is for."""
    client = CaldavClient(google_config.caldav_url(), auth=oauth.BearerAuth(grant))
    try:
        found = client.calendars()
        account_name = client.account_name()
    except GrantRevoked:
        raise
    except CalendarError as error:
        raise ApplicationError(
            _("Google's calendars cannot be listed now (%(error)s).") % {"error": error}
        ) from error
    return account_name, found


@transaction.atomic
def link_calendar(
    *, actor, owner: Crew | UserCalendar, grant: OAuthGrant, url: str, choices: list
) -> CalDAVAccount:
    """Sync the owner's calendar with the chosen Google calendar (one of `choices`).

    Only a calendar Google listed for this grant may be chosen: the bearer token
    is never sent to an address the person typed. A new calendar forgets the
    events' sync state, so all of them are pushed to it.
    """
    calendars.ensure_can_manage(actor, owner)
    names = {href_key(choice_url): name for choice_url, name in choices}
    if href_key(url) not in names:
        raise ApplicationError(
            _("Choose one of your Google calendars."),
            field_errors={"calendar": [_("Not one of the calendars Google listed.")]},
        )
    chosen = next(choice for choice, _name in choices if href_key(choice) == href_key(url))
    owner = type(owner).objects.select_for_update().get(pk=owner.pk)
    account = owner.caldav or CalDAVAccount()
    old_grant = account.grant_id if account.pk else None
    moved = bool(account.pk) and href_key(account.url) != href_key(chosen)
    account.url = chosen
    account.display_name = names[href_key(url)][:200]
    account.username = ""
    account.password_encrypted = ""
    account.grant = grant
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
        calendars.forget_sync_state(owner, account)
    if old_grant and old_grant != grant.pk:
        tasks.revoke_google_grant.enqueue(old_grant)
    audit.record(
        owner,
        actor=actor,
        action=AuditAction.UPDATE,
        changes={"caldav": [None, f"Google: {grant.account_name or ''} {account.display_name}"]},
    )
    tasks.request_sync(account)
    return account


def forget_pending_grant(grant_id: int | None, *, actor) -> None:
    """A grant that never got a calendar (the person left the choice): revoke and drop it."""
    if not grant_id:
        return
    grant = OAuthGrant.objects.filter(pk=grant_id, accounts__isnull=True).first()
    if grant is not None and grant.connected_by_id == getattr(actor, "pk", None):
        tasks.revoke_google_grant.enqueue(grant.pk)


# --- the administrator's settings -----------------------------------------------------------


def ensure_admin(actor) -> None:
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only administrators set up Google Calendar."))


@transaction.atomic
def client_settings_save(*, actor, client_id: str, client_secret: str = "") -> GoogleClientSettings:
    """Store the OAuth client from the Google Cloud console (a blank secret keeps the old one)."""
    ensure_admin(actor)
    stored, _created = GoogleClientSettings.objects.select_for_update().get_or_create(pk=1)
    before = stored.client_id
    stored.client_id = client_id.strip()
    if client_secret:
        stored.client_secret_encrypted = crypto.encrypt(client_secret.strip())
    if not stored.client_id:
        stored.client_secret_encrypted = ""
    stored.updated_by = actor
    stored.save()
    audit.record(
        stored,
        actor=actor,
        action=AuditAction.UPDATE,
        # The client id is public (it is in every consent URL); the secret never appears.
        changes={
            "client_id": [before or None, stored.client_id or None],
            **({"client_secret": ["…", _("changed")]} if client_secret else {}),
        },
    )
    return stored
