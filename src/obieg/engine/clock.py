"""The engine's clock: one place that says what time it is.

Timers, due dates and overdue marking read `now()`, so tests can move
time forward (`clock.frozen(...)`) instead of sleeping.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

_state = threading.local()
_global: list[datetime] = []


def now() -> datetime:
    frozen = getattr(_state, "frozen", None) or (_global[-1] if _global else None)
    return frozen if frozen is not None else timezone.now()


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
