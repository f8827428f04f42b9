"""A CalDAV server that is down: retried with back-off, never a duplicate, no request blocked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from obieg.core.worker import build_worker
from obieg.scheduling import calendars, events, tasks
from obieg.scheduling.models import CalDAVAccount, SyncStatus
from tests.scheduling.conftest import CREW_USER, at
from tests.scheduling.helpers import remote_events, sync

TASK = "obieg.scheduling.tasks.sync_calendar"


def retries() -> list[DBTaskResult]:
    return [
        job
        for job in DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at")
        if job.args_kwargs["kwargs"].get("retry")
    ]


def plan(org, crew):
    return events.event_create(
        actor=org.manager, crew=crew, title="Montaż", start=at(2026, 12, 1), end=at(2026, 12, 1, 16)
    )


def test_a_server_down_is_retried_with_growing_back_off_then_synced_once(
    org, synced_crew, radicale
):
    plan(org, synced_crew)
    radicale.stop()

    started = timezone.now()
    result = sync(synced_crew)
    account = CalDAVAccount.objects.get()
    assert account.status == SyncStatus.RETRYING and account.failures == 1
    assert account.last_error and result["error"] == account.last_error
    assert timedelta(seconds=29) < account.retry_at - started < timedelta(seconds=40)
    [first_retry] = retries()
    assert first_retry.run_after == account.retry_at

    # While it backs off, ordinary requests do not knock on the door again.
    assert tasks.sync_calendar.call(account.pk) == {"skipped": "backing off"}
    assert CalDAVAccount.objects.get().failures == 1

    tasks.sync_calendar.call(account.pk, retry=True)
    account.refresh_from_db()
    assert account.failures == 2
    assert timedelta(seconds=59) < account.retry_at - timezone.now() < timedelta(seconds=70)

    radicale.start()
    assert tasks.sync_calendar.call(account.pk, retry=True)["pushed"] == 1
    account.refresh_from_db()
    assert (account.status, account.failures, account.last_error) == (SyncStatus.OK, 0, "")
    assert account.retry_at is None and account.last_success_at is not None
    sync(synced_crew)
    assert len(remote_events(radicale, synced_crew)) == 1


def test_back_off_doubles_up_to_a_cap(settings):
    settings.SCHEDULING_SYNC_BACKOFF_BASE = 30
    settings.SCHEDULING_SYNC_BACKOFF_MAX = 3600
    waits = [tasks.backoff(failures).total_seconds() for failures in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_refused_login_waits_for_a_person(org, crew, radicale):
    calendars.caldav_configure(
        actor=org.manager,
        owner=crew,
        url=radicale.make_calendar(CREW_USER),
        username=CREW_USER,
        password="wrong-password",
    )
    sync(crew)
    account = CalDAVAccount.objects.get()
    assert account.status == SyncStatus.FAILED
    assert "Unauthorized" in account.last_error or "401" in account.last_error
    assert retries() == []


def test_one_sync_per_calendar_at_a_time(org, synced_crew):
    CalDAVAccount.objects.update(lease_until=timezone.now() + timedelta(minutes=1))
    before = DBTaskResult.objects.filter(task_path=TASK).count()
    assert sync(synced_crew) == {"skipped": "another sync is running"}
    follow_up = DBTaskResult.objects.filter(task_path=TASK).order_by("-enqueued_at").first()
    assert DBTaskResult.objects.filter(task_path=TASK).count() == before + 1
    assert follow_up.run_after > timezone.now()


def test_the_clock_enqueues_each_due_pull_once(org, synced_crew):
    CalDAVAccount.objects.update(next_pull_at=timezone.now() - timedelta(seconds=1))
    assert tasks.enqueue_due_syncs() == 1
    assert tasks.enqueue_due_syncs() == 0
    assert CalDAVAccount.objects.get().next_pull_at > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_the_worker_pushes_a_change_after_it_commits(org, synced_crew, radicale):
    with transaction.atomic():
        event = plan(org, synced_crew)
    build_worker(batch=True).run()
    [remote] = remote_events(radicale, synced_crew)
    assert str(remote["uid"]) == event.uid
    assert CalDAVAccount.objects.get().status == SyncStatus.OK
