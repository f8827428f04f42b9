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
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

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
    for job in _tick_jobs:
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


def build_worker(*, interval: float = 1.0, batch: bool = False) -> Worker:
    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


def run_until_stopped(worker: Worker) -> None:
    """Run the worker's loop; when the database fails, wait (backing off) and run it again.

    A job whose run was cut by the failure stays RUNNING (django-tasks-db does
    not hand it to anyone again), as it does when a worker is killed.
    """
    wait = RETRY_FIRST
    while True:
        began = time.monotonic()
        try:
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
