"""A job whose worker died is handed back to the queue and run once more; a living one's is not."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from obieg.core import leases, worker
from obieg.core.models import WorkerLease
from tests.engine.tasks import send_note

LONG_AGO = timedelta(minutes=5)  # well past the lease time-out (60 s)


@task()
def report_my_worker() -> dict:
    """Run by a worker: what it knows of itself while it runs a job."""
    worker_id = leases.current_worker_id()
    return {"worker_id": worker_id, "leased": WorkerLease.objects.filter(pk=worker_id).exists()}


def taken_by(worker_id: str, *, ago: timedelta = LONG_AGO) -> DBTaskResult:
    """A queued job as a worker leaves it when it is killed while running it."""
    job = DBTaskResult.objects.get(pk=send_note.enqueue(1, "after the crash").id)
    job.claim(worker_id)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - ago)
    return job


def lease(worker_id: str, *, renewed: timedelta = timedelta(0)) -> WorkerLease:
    now = leases.database_now()
    return WorkerLease.objects.create(
        worker_id=worker_id,
        host="elsewhere",
        pid=4242,
        started_at=now - renewed,
        renewed_at=now - renewed,
    )


def read_again(read):
    """`read()`, again after a moment when a worker thread holds the table.

    The SQLite test database is in memory with a shared cache, where a reader
    meets "database table is locked" while a worker thread writes (a file
    database in WAL mode, as Obieg runs, lets readers on).
    """
    for _attempt in range(100):
        try:
            return read()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.05)
    return read()


def status(job: DBTaskResult) -> str:
    read_again(job.refresh_from_db)
    return job.status


@pytest.mark.django_db(transaction=True)  # a worker runs the job: committed data
def test_a_job_whose_worker_holds_no_lease_is_handed_back_and_run_once(caplog):
    job = taken_by("killed-worker")

    worker.tick()  # any worker's clock, twice: the second finds nothing to do
    worker.tick()

    assert status(job) == "READY"
    assert caplog.text.count("is handed back to the queue") == 1
    assert "killed-worker" in caplog.text
    worker.build_worker(batch=True).run()
    worker.tick()
    assert status(job) == "SUCCESSFUL"
    assert job.worker_ids[0] == "killed-worker" and len(job.worker_ids) == 2


def test_a_job_whose_workers_lease_expired_is_handed_back_and_the_lease_deleted(db):
    lease("stalled", renewed=timedelta(seconds=61))
    job = taken_by("stalled")

    worker.tick()

    assert status(job) == "READY"
    assert not WorkerLease.objects.exists()


def test_a_living_workers_running_job_is_left_alone(db):
    lease("alive", renewed=timedelta(seconds=50))  # renewed within the time-out
    job = taken_by("alive", ago=timedelta(hours=2))  # a long job is no sign of death

    worker.tick()

    assert status(job) == "RUNNING"
    assert WorkerLease.objects.filter(pk="alive").exists()


def test_a_job_taken_moments_ago_is_left_alone_even_without_a_lease(db):
    job = taken_by("just-started", ago=timedelta(seconds=5))
    worker.tick()
    assert status(job) == "RUNNING"


def test_the_time_out_is_a_setting(db, settings):
    settings.WORKER_LEASE_TIMEOUT = 3600
    lease("slow", renewed=timedelta(minutes=10))
    job = taken_by("slow", ago=timedelta(minutes=30))

    worker.tick()

    assert status(job) == "RUNNING"
    settings.WORKER_LEASE_TIMEOUT = 60
    worker.tick()
    assert status(job) == "READY"


@pytest.mark.django_db(transaction=True)
def test_obieg_worker_holds_a_lease_under_the_id_it_takes_jobs_with_and_gives_it_up():
    job = DBTaskResult.objects.get(pk=report_my_worker.enqueue().id)

    call_command("worker", "--batch")

    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert job.return_value == {"worker_id": job.worker_ids[-1], "leased": True}
    assert not WorkerLease.objects.exists()  # stopped cleanly: nothing of its to hand back


@pytest.mark.django_db(transaction=True)
def test_the_serve_worker_thread_holds_a_lease_under_its_job_id():
    job = DBTaskResult.objects.get(pk=report_my_worker.enqueue().id)

    running, thread = worker.start_in_thread(interval=0.05)
    try:
        deadline = time.monotonic() + 30
        while status(job) != "SUCCESSFUL" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert read_again(WorkerLease.objects.filter(pk=running.worker_id).exists)
    finally:
        running.running = False
        thread.join(timeout=30)
    assert job.return_value == {"worker_id": running.worker_id, "leased": True}
    assert not WorkerLease.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_cut_by_a_database_outage_runs_again_when_its_worker_goes_on(monkeypatch):
    monkeypatch.setattr(worker, "RETRY_FIRST", 0.01)
    job = DBTaskResult.objects.get(pk=send_note.enqueue(1, "cut").id)
    run_task = worker.LeasedWorker.run_task
    outage = [OperationalError("server closed the connection unexpectedly")]

    def cut_once(self, db_task_result):
        if outage:  # the job was taken (RUNNING), then the database went away
            raise outage.pop()
        return run_task(self, db_task_result)

    monkeypatch.setattr(worker.LeasedWorker, "run_task", cut_once)

    call_command("worker", "--batch")

    assert status(job) == "SUCCESSFUL"
    assert len(set(job.worker_ids)) == 1 and len(job.worker_ids) == 2  # the same worker, again


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing clocks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_clocks_racing_hand_a_job_back_once(caplog):
    job = taken_by("killed-worker")
    clocks = 4
    start = threading.Barrier(clocks)
    counts: list[int] = []

    def clock():
        try:
            start.wait()
            counts.append(leases.hand_back_orphaned_jobs())
        finally:
            connection.close()

    threads = [threading.Thread(target=clock) for _ in range(clocks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(counts) == [0] * (clocks - 1) + [1]
    assert status(job) == "READY"


def test_a_time_out_too_short_to_renew_within_stops_the_worker_with_a_clear_error(db, settings):
    settings.WORKER_LEASE_TIMEOUT = 5  # a living worker's jobs would be handed back
    job = DBTaskResult.objects.get(pk=send_note.enqueue(1, "never taken").id)

    with pytest.raises(ImproperlyConfigured, match="WORKER_LEASE_TIMEOUT must be at least 15"):
        call_command("worker", "--batch")

    assert status(job) == "READY"
