"""Hourly, each worker's clock enqueues the issuing of due schedule invoices.

Hourly rather than every tick: a schedule item that was refused (say, a
buyer without NIP) stays due until someone fixes it, and retrying it every
few seconds would only repeat the refusal. Several workers enqueueing is
harmless: each item still gets exactly one invoice.
"""

from __future__ import annotations

import time

HOUR = 3600.0
_last_enqueued = {"at": float("-inf")}


def enqueue_due_invoices_hourly() -> None:
    now = time.monotonic()
    if now - _last_enqueued["at"] < HOUR:
        return
    from obieg.billing.schedules import due_items_exist
    from obieg.billing.tasks import issue_due_invoices_task

    _last_enqueued["at"] = now
    if due_items_exist():
        issue_due_invoices_task.enqueue()
