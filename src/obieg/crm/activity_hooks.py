"""What other apps plug into an activity being written, without the CRM importing them.

**saved**: an activity (a note, a call, a meeting) was created or changed.
Listeners run in the save's own transaction, so what they write (a
notification for a person @mentioned in the note) is kept or rolled back
with the activity. The notifications app listens; the CRM knows no listener.
"""

from __future__ import annotations

from collections.abc import Callable

# listener(activity=…, actor=…, created=…) after every create and update.
_saved: list[Callable[..., None]] = []


def on_saved(listener: Callable[..., None]) -> None:
    if listener not in _saved:  # ready() may run twice (tests, autoreload)
        _saved.append(listener)


def saved(*, activity, actor, created: bool) -> None:
    """Tell the listeners an activity was written (inside the write's transaction)."""
    for listener in _saved:
        listener(activity=activity, actor=actor, created=created)
