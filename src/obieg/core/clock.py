"""The clock: the one place that says what time and what day it is.

The engine's timers and due dates, billing's issue and overdue dates and the
solutions' deadline scans all read `now()` / `today()`, so tests (and a
replay) move time forward with `clock.frozen(...)` instead of sleeping, and
every part of Obieg agrees on what "today" is. The calendar counts its windows
from it too (what is synchronised, kept as busy time, listed as upcoming).

What times processes and servers among themselves keeps the wall clock:
sessions, leases, a worker's retries, an OAuth token's expiry against the
server that issued it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import date, datetime

from django.utils import timezone

_state = threading.local()
_global: list[datetime] = []


def now() -> datetime:
    frozen = getattr(_state, "frozen", None) or (_global[-1] if _global else None)
    return frozen if frozen is not None else timezone.now()


def today() -> date:
    """The local date of `now()` (Europe/Warsaw): the day invoices and deadlines count from."""
    return timezone.localdate(now())


@contextlib.contextmanager
def frozen(moment: datetime, *, all_threads: bool = False) -> Iterator[None]:
    """Make `now()` return `moment` inside the block (for tests and replays)."""
    if timezone.is_naive(moment):
        raise ValueError("the frozen moment must be timezone-aware")
    if all_threads:
        _global.append(moment)
        try:
            yield
        finally:
            _global.pop()
        return
    previous = getattr(_state, "frozen", None)
    _state.frozen = moment
    try:
        yield
    finally:
        _state.frozen = previous
