"""Background sync of external calendars (Django Tasks, database backend).

`sync_calendar(account_id)` pulls and pushes one calendar. A server that is
down is retried with exponential back-off (30 s, 1 min, 2 min … capped at
an hour): the retry is the same task re-enqueued with `run_after`, and while
it waits, other requests for that calendar are skipped; the retry carries
every pending change, since a sync pushes all of them. A refusal (wrong
password, 4xx) is not retried at once: it waits for a person, or for the
next periodic pull.

Only one sync per calendar runs at a time, across any number of workers:
a lease taken with a conditional update (never a row lock held over the
network).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from obieg.core.errors import ApplicationError
from obieg.scheduling.models import CalDAVAccount, OAuthGrant, SyncStatus

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
# A sync asked for while another runs is tried again this much later.
BUSY_RETRY = timedelta(seconds=20)


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def backoff(failures: int) -> timedelta:
    """The wait before attempt number `failures + 1`: doubling from the base, capped."""
    base = _setting("SCHEDULING_SYNC_BACKOFF_BASE", 30)
    cap = _setting("SCHEDULING_SYNC_BACKOFF_MAX", 3600)
    return timedelta(seconds=min(base * 2 ** max(failures - 1, 0), cap))


def pull_interval() -> timedelta:
    return timedelta(seconds=_setting("SCHEDULING_PULL_INTERVAL", 300))


def request_sync(account: CalDAVAccount, *, retry: bool = False) -> None:
    """Enqueue a sync of `account` (in the caller's transaction: it exists if the change does)."""
    sync_calendar.enqueue(account.pk, retry=retry)


@task()
def sync_calendar(account_id: int, retry: bool = False) -> dict:
    from obieg.scheduling import caldav_sync, sync

    now = timezone.now()
    account = CalDAVAccount.objects.filter(pk=account_id).first()
    if account is None or account.owner is None:
        return {"skipped": "no such calendar"}
    if not retry and account.retry_at and account.retry_at > now:
        return {"skipped": "backing off"}
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    claimed = CalDAVAccount.objects.filter(free, pk=account_id).update(
        lease_until=now + LEASE, last_attempt_at=now
    )
    if not claimed:
        sync_calendar.using(run_after=now + BUSY_RETRY).enqueue(account_id, retry=retry)
        return {"skipped": "another sync is running"}
    try:
        report = sync.synchronise(account, caldav_sync.client_for(account))
    except caldav_sync.GrantRevoked as error:
        return _revoked(account_id, error)
    except (caldav_sync.CalendarError, ApplicationError) as error:
        return _failed(
            account_id,
            error,
            retryable=getattr(error, "retryable", False),
            retry_after=getattr(error, "retry_after", None),
        )
    except Exception as error:  # a bug must not leave the calendar silently stuck
        logger.exception("Calendar sync of %s failed", account)
        return _failed(account_id, error, retryable=False)
    finally:
        CalDAVAccount.objects.filter(pk=account_id).update(lease_until=None)
    CalDAVAccount.objects.filter(pk=account_id).update(
        status=SyncStatus.OK,
        last_error="",
        failures=0,
        retry_at=None,
        last_success_at=timezone.now(),
        next_pull_at=timezone.now() + pull_interval(),
    )
    return report.as_dict()


def _revoked(account_id: int, error: Exception) -> dict:
    """Google took the grant back: wait for "Reconnect", no retries (they cannot help)."""
    CalDAVAccount.objects.filter(pk=account_id).update(
        status=SyncStatus.RECONNECT,
        last_error=(str(error) or type(error).__name__)[:2000],
        retry_at=None,
        # The periodic pull would only fail again: the reconnect schedules the next sync.
        next_pull_at=None,
    )
    return {"error": str(error), "reconnect": True}


def _failed(
    account_id: int, error: Exception, *, retryable: bool, retry_after: float | None = None
) -> dict:
    now = timezone.now()
    with transaction.atomic():
        account = CalDAVAccount.objects.select_for_update().get(pk=account_id)
        account.failures += 1
        account.last_error = (str(error) or type(error).__name__)[:2000]
        wait = backoff(account.failures)
        if retry_after:
            # The server said how long to wait (429 Retry-After): never sooner, capped.
            cap = _setting("SCHEDULING_SYNC_BACKOFF_MAX", 3600)
            wait = max(wait, timedelta(seconds=min(retry_after, cap)))
        account.next_pull_at = now + max(wait, pull_interval())
        if retryable:
            account.status = SyncStatus.RETRYING
            account.retry_at = now + wait
            sync_calendar.using(run_after=account.retry_at).enqueue(account_id, retry=True)
        else:
            account.status = SyncStatus.FAILED
            account.retry_at = None
        account.save(update_fields=["failures", "last_error", "status", "retry_at", "next_pull_at"])
    return {"error": account.last_error, "retry_at": str(account.retry_at or "")}


def enqueue_due_syncs(*, limit: int = 100) -> int:
    """Clock job: enqueue the periodic pull of every calendar that is due (once, across clocks)."""
    now = timezone.now()
    due = (
        CalDAVAccount.objects.filter(next_pull_at__lte=now)
        .filter(Q(crew__isnull=False) | Q(usercalendar__isnull=False))
        .values_list("pk", "next_pull_at")[:limit]
    )
    enqueued = 0
    for pk, due_at in list(due):
        with transaction.atomic():
            # Whoever moves next_pull_at first enqueues; other clocks see 0 rows.
            claimed = CalDAVAccount.objects.filter(pk=pk, next_pull_at=due_at).update(
                next_pull_at=now + pull_interval()
            )
            if claimed:
                sync_calendar.enqueue(pk)
                enqueued += 1
    return enqueued


@task()
def revoke_google_grant(grant_id: int) -> dict:
    """Give a Google grant back (RFC 7009) and forget it, unless a calendar uses it again."""
    from obieg.scheduling import oauth

    grant = OAuthGrant.objects.filter(pk=grant_id).first()
    if grant is None:
        return {"skipped": "no such grant"}
    if grant.accounts.exists():
        return {"skipped": "in use"}
    revoked = oauth.revoke(grant)
    OAuthGrant.objects.filter(pk=grant_id, accounts__isnull=True).delete()
    return {"revoked": revoked}
