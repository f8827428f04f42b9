"""Worker leases: a job whose worker died is handed back to the queue and run again.

django-tasks-db (0.13) marks a job RUNNING, appending the worker's id to its
`worker_ids`, in a committed transaction when a worker takes it, and has no
heartbeat or time-out: a worker killed mid-job (SIGKILL, out of memory, a
machine lost) left its job RUNNING for ever, run by nobody.

So each Obieg worker holds a lease, a `WorkerLease` row under the same id,
renewed every few seconds by a thread of its own (obieg.core.worker). Every
worker's clock hands back to the queue (RUNNING → READY, one conditional
UPDATE per job) the jobs that have run longer than WORKER_LEASE_TIMEOUT and
whose last worker's lease has not been renewed for that long, and deletes
those leases. Any number of clocks may do this at once: of two UPDATEs of one
job only one changes the row. Every job Obieg queues is safe to run twice.

Lease times come from the database's clock, so workers on machines whose
clocks disagree still agree on whose lease expired.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from obieg.core.models import WorkerLease

logger = logging.getLogger(__name__)


_current = threading.local()


@contextmanager
def working_as(worker_id: str) -> Iterator[None]:
    """Within it, this thread is the worker `worker_id` (for whoever claims a thing for it)."""
    _current.worker_id = worker_id
    try:
        yield
    finally:
        _current.worker_id = ""


def current_worker_id() -> str:
    """The id of the worker running in this thread ("" outside a worker)."""
    return getattr(_current, "worker_id", "")


MIN_TIMEOUT = 15  # seconds: several renewals (every timeout / 6) and clock beats (5 s) fit in it


def timeout() -> timedelta:
    if settings.WORKER_LEASE_TIMEOUT < MIN_TIMEOUT:
        # Shorter, and a living worker's jobs would be handed back between two renewals.
        raise ImproperlyConfigured(
            f"WORKER_LEASE_TIMEOUT must be at least {MIN_TIMEOUT} seconds, "
            f"not {settings.WORKER_LEASE_TIMEOUT}."
        )
    return timedelta(seconds=settings.WORKER_LEASE_TIMEOUT)


def database_now() -> datetime:
    """The database's clock (on SQLite, with one machine, this machine's)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def expiry() -> datetime:
    """A lease not renewed since this moment has expired."""
    return database_now() - timeout()


def live_worker_ids(since: datetime) -> QuerySet:
    """The ids of the workers whose lease was renewed at or after `since` (a subquery)."""
    return WorkerLease.objects.filter(renewed_at__gte=since).values("worker_id")


def renew(worker_id: str) -> bool:
    """Renew (or take) the worker's lease; False when it had to be taken anew."""
    now = database_now()
    if WorkerLease.objects.filter(worker_id=worker_id).update(renewed_at=now):
        return True
    WorkerLease.objects.create(
        worker_id=worker_id,
        host=socket.gethostname()[:255],
        pid=os.getpid(),
        started_at=now,
        renewed_at=now,
    )
    return False


def release(worker_id: str) -> None:
    """A worker stopping cleanly gives its lease up: it holds no job any more."""
    WorkerLease.objects.filter(worker_id=worker_id).delete()


def hand_back_orphaned_jobs() -> int:
    """Hand back the jobs whose worker's lease expired; delete expired leases (a clock job)."""
    since = expiry()
    live = set(live_worker_ids(since).values_list("worker_id", flat=True))
    # A job taken less than a lease time-out ago is left alone even without a lease: its
    # worker may be one that keeps none (django-tasks-db's own db_worker), just started.
    running = DBTaskResult.objects.running().filter(started_at__lt=since)
    handed_back = _hand_back(
        (job for job in _running(running) if _last_worker(job) not in live),
        reason=f"its worker's lease was not renewed for {settings.WORKER_LEASE_TIMEOUT} s",
    )
    WorkerLease.objects.filter(renewed_at__lt=since).delete()
    return handed_back


def hand_back_jobs_of(worker_id: str) -> int:
    """Hand back the jobs this worker had taken: its loop was cut (the database went away)."""
    running = _running(DBTaskResult.objects.running())
    mine = (job for job in running if _last_worker(job) == worker_id)
    return _hand_back(mine, reason="its worker's loop was cut and started again")


def _running(jobs: QuerySet) -> list[dict]:
    # Few rows: one per busy worker, plus the orphans.
    return list(jobs.order_by().values("pk", "task_path", "worker_ids", "started_at"))


def _last_worker(job: dict) -> str | None:
    return job["worker_ids"][-1] if job["worker_ids"] else None


def _hand_back(jobs: Iterable[dict], *, reason: str) -> int:
    handed_back = 0
    for job in jobs:
        # Still RUNNING under the same claim: another clock may have handed it back already,
        # and another worker taken it again since (a new started_at).
        changed = DBTaskResult.objects.filter(
            pk=job["pk"], status=TaskResultStatus.RUNNING, started_at=job["started_at"]
        ).update(status=TaskResultStatus.READY)
        if changed:
            handed_back += 1
            logger.warning(
                "Job %s (%s), taken by worker %s at %s, is handed back to the queue: %s.",
                job["pk"],
                job["task_path"],
                _last_worker(job),
                job["started_at"].isoformat(),
                reason,
            )
    return handed_back
