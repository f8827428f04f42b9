"""Signals between cases: a broadcast to every case waiting for it, and to start events.

A signal thrown inside a case is caught inside it at once (the engine does
that); after the throwing step commits, `broadcast` hands it to every other
case waiting for a signal of that name — each in a transaction of its own, as
`send_message` delivers — and starts a case of every process whose start event
waits for it. `send_signal` does the same for a signal sent from outside (the
API, a solution). A case that fails on a signal is stopped like on a message,
and its administrator retries it; the others go on.

Cases are found through their correlation keys: while a case waits for a
signal it carries the key `bpmn-signal:<name>` (written by `Step.save`), so
a broadcast never reads the states of cases that do not wait for it.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

from django.db import transaction

from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, CorrelationKey

logger = logging.getLogger(__name__)

SIGNAL_KEY = "bpmn-signal:"
MAX_DEPTH = 5  # a signal whose catchers throw it again must not ring for ever
_local = threading.local()


def key_for(name: str) -> str:
    return f"{SIGNAL_KEY}{name}"[:200]


def broadcast_after_commit(thrown: list[tuple[str, dict[str, Any]]], *, origin: int, actor) -> None:
    """Broadcast the signals a step threw, once its transaction has committed."""
    if not thrown:
        return
    depth = getattr(_local, "depth", 0)
    if depth >= MAX_DEPTH:
        logger.warning("Signals %s not broadcast: %s signals deep", thrown, depth)
        return
    callback = functools.partial(_broadcast_all, thrown, origin, actor, depth + 1)
    transaction.on_commit(callback, robust=True)


def _broadcast_all(thrown, origin: int, actor, depth: int) -> None:
    before = getattr(_local, "depth", 0)
    _local.depth = depth
    try:
        for name, payload in thrown:
            broadcast(name, payload, actor=actor, origin=origin)
    finally:
        _local.depth = before


def broadcast(
    name: str, payload: dict[str, Any], *, actor, origin: int | None = None
) -> tuple[list[Case], list[Case]]:
    """Deliver signal `name` to every waiting case (but `origin`) and start its processes."""
    from obieg.engine.runtime import rows, services, starts
    from obieg.engine.runtime.step import Step, StepError

    waiting = CorrelationKey.objects.filter(
        key=key_for(name), case__status__in=ACTIVE_CASE_STATUSES
    )
    if origin is not None:  # the throwing case caught it already
        waiting = waiting.exclude(case_id=origin)
    case_ids = list(waiting.order_by("case_id").values_list("case_id", flat=True))
    delivered = []
    for case_id in case_ids:
        try:
            with transaction.atomic(durable=True):
                case = rows.lock_case(case_id)
                if case.status not in ACTIVE_CASE_STATUSES:
                    continue
                step = Step(case, actor)
                instance = step.load()
                if step.perform(functools.partial(instance.deliver_signal, name, payload)):
                    delivered.append(step.save())
        except StepError as error:
            pending = {"kind": "signal", "name": name, "payload": services.encode_data(payload)}
            failure = services._failed(case_id, error, actor=actor, pending=pending)
            logger.warning("Case %s stopped on signal %r: %s", case_id, name, failure.message)
    started = starts.start_by_event("signal", name, payload=payload, actor=actor)
    return delivered, started


def send_signal(
    *, name: str, payload: dict[str, Any] | None = None, actor=None
) -> tuple[list[Case], list[Case]]:
    """Send signal `name` from outside: (the cases that caught it, the cases it started)."""
    from obieg.engine.runtime import forms

    payload = forms.clean("", payload or {})
    return broadcast(name, payload, actor=actor)
