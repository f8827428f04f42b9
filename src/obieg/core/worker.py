"""The background worker: runs queued tasks (Django Tasks, database backend).

`obieg worker` runs it in its own process (any number of them may share one
PostgreSQL: jobs are claimed with SELECT … FOR UPDATE SKIP LOCKED);
`obieg serve` runs one in a thread beside the web server.
"""

from __future__ import annotations

import threading

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker


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


def start_in_thread(*, interval: float = 1.0) -> tuple[Worker, threading.Thread]:
    worker = build_worker(interval=interval)
    thread = threading.Thread(target=worker.run, name="obieg-worker", daemon=True)
    thread.start()
    return worker, thread
