"""The background worker: runs queued tasks (Django Tasks, database backend).

`obieg worker` runs it in its own process (any number of them may share one
PostgreSQL: jobs are claimed with SELECT … FOR UPDATE SKIP LOCKED);
`obieg serve` runs one in a thread beside the web server.

Beside each worker runs a clock: every few seconds it calls the jobs apps
registered with `every_tick` (the engine fires due timers). Apps also
register `on_start` hooks (the engine deploys process models). Core knows
no app: they register in their AppConfig.ready().

django-tasks-db's worker loop raises on the first database error it does not
recognise as "locked", so a restart of PostgreSQL ended `obieg worker` and,
silently, the worker thread of `obieg serve`. `run_until_stopped` waits and
starts the loop again instead, backing off while the database stays away.

Each worker holds a lease while it runs (obieg.core.leases), renewed by a
thread of its own rather than by the clock: neither a long job nor a long
beat (hundreds of due timers) lets it lapse. Every clock's beat hands back
to the queue the jobs of workers whose lease expired.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from obieg.core import leases

logger = logging.getLogger(__name__)
CLOCK_INTERVAL = 5.0  # seconds between clock ticks
RETRY_FIRST, RETRY_MAX = 1.0, 30.0  # seconds to wait for the database, doubling

_start_hooks: list[Callable[[], object]] = []
_tick_jobs: list[Callable[[], object]] = []


def on_start(hook: Callable[[], object]) -> None:
    """Run `hook` when a worker or the server starts."""
    if hook not in _start_hooks:
        _start_hooks.append(hook)


def every_tick(job: Callable[[], object]) -> None:
    """Run `job` on every beat of every worker's clock (it must be safe to run concurrently)."""
    if job not in _tick_jobs:
        _tick_jobs.append(job)


def run_start_hooks() -> None:
    for hook in _start_hooks:
        hook()


def tick() -> None:
    """One beat: each job runs on its own, so one failing job does not stop the others."""
    for job in (leases.hand_back_orphaned_jobs, *_tick_jobs):
        try:
            job()
        except Exception:
            logger.exception("Clock job %s failed", getattr(job, "__qualname__", job))


class Clock:
    def __init__(self, interval: float = CLOCK_INTERVAL):
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                close_old_connections()  # as at a request's start: drop a broken connection
                tick()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def start_clock_in_thread(*, interval: float = CLOCK_INTERVAL) -> Clock:
    clock = Clock(interval)
    threading.Thread(target=clock.run, name="obieg-clock", daemon=True).start()
    return clock


class LeasedWorker(Worker):
    """django-tasks-db's worker, telling the jobs it runs whose they are (`current_worker_id`)."""

    def run(self) -> None:
        with leases.working_as(self.worker_id):
            super().run()


def new_worker_id() -> str:
    # Readable in a job's worker_ids (host and process), unique by its random tail; django-tasks-db
    # allows 64 characters.
    return f"{socket.gethostname()[:30]}.{os.getpid()}.{get_random_string(12)}"


def build_worker(*, interval: float = 1.0, batch: bool = False) -> Worker:
    return LeasedWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        # The lease is held under this id (run_until_stopped), and django-tasks-db appends
        # it to each job the worker takes: that is how a job's worker is found dead.
        worker_id=new_worker_id(),
        excluded_queue_names=[],
    )


class LeaseKeeper:
    """Renews a worker's lease from a thread of its own until the worker stops."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.interval = leases.timeout().total_seconds() / 6
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self.held = False

    def renew(self) -> None:
        if not leases.renew(self.worker_id) and self.held:
            # Expired (the database was away, or this process stalled) and deleted by a clock:
            # the job in hand may have been handed back and be running elsewhere too.
            logger.warning("Worker %s took its expired lease anew", self.worker_id)
        self.held = True

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="obieg-lease", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                self.renew()
            except Exception:
                logger.warning("Worker %s could not renew its lease", self.worker_id, exc_info=True)
            finally:
                connection.close()  # one renewal every few seconds needs no connection kept

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=10)  # not to renew the lease after it is given up
        try:
            leases.release(self.worker_id)
        except Exception:
            logger.warning("Worker %s could not give its lease up", self.worker_id, exc_info=True)


def run_until_stopped(worker: Worker) -> None:
    """Run the worker's loop, holding its lease; when the database fails, wait and run it again.

    A job whose run was cut by the failure would stay RUNNING under a worker
    that lives on (django-tasks-db does not hand it to anyone again): it is
    handed back before the loop starts again.
    """
    keeper = LeaseKeeper(worker.worker_id)
    try:
        _run_with_retries(worker, keeper)
    finally:
        keeper.stop()


def _run_with_retries(worker: Worker, keeper: LeaseKeeper) -> None:
    wait = RETRY_FIRST
    while True:
        began = time.monotonic()
        try:
            keeper.renew()  # held before the first job is taken
            leases.hand_back_jobs_of(worker.worker_id)
            keeper.start()
            worker.run()
            return
        except (OperationalError, InterfaceError):  # the connection, not the data
            if time.monotonic() - began > 10 * RETRY_MAX:
                wait = RETRY_FIRST  # it had been working: a new outage, start short again
            logger.warning(
                "Database unavailable; the worker retries in %.0f s", wait, exc_info=True
            )
            connection.close()
            time.sleep(wait)
            wait = min(wait * 2, RETRY_MAX)


def start_in_thread(*, interval: float = 1.0) -> tuple[Worker, threading.Thread]:
    worker = build_worker(interval=interval)
    thread = threading.Thread(
        target=run_until_stopped, args=(worker,), name="obieg-worker", daemon=True
    )
    thread.start()
    return worker, thread
