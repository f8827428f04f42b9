"""Background work of grant projects: the deadline scan, enqueued by each worker's clock.

Hourly rather than on every beat: the scan's work changes by the day (due
dates are dates), and an invoice issued by billing's hourly run is mailed
within the hour. Several clocks enqueueing it is harmless: every e-mail is
claimed by a conditional UPDATE (see scan.py).
"""

from __future__ import annotations

import time

from django_tasks import task

HOUR = 3600.0
_last_enqueued = {"at": float("-inf")}


@task()
def deadline_scan_task() -> dict:
    from obieg.solutions.grants.scan import scan

    report = scan()
    return {
        "invoices_mailed": len(report.invoices_mailed),
        "payments_done": report.payments_done,
        "reminded": len(report.reminded),
        "escalated": len(report.escalated),
    }


def enqueue_scan_hourly() -> None:
    """Clock job: enqueue the deadline scan at most once an hour per worker."""
    now = time.monotonic()
    if now - _last_enqueued["at"] < HOUR:
        return
    _last_enqueued["at"] = now
    deadline_scan_task.enqueue()
