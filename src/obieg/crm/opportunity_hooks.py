"""What solutions plug into an opportunity's life, without importing one another.

Two moments matter to more than the CRM:

- **opened**: an opportunity was converted from a lead. Listeners run in the
  conversion's own transaction, so what they write (a queue item, say) is
  kept or rolled back with it. The conversion says who carries the
  opportunity on (`carried_on_by`): a solution that converts a lead for its
  own work (the PV installation's web form) names itself, and listeners
  leave such opportunities alone — they are not free leads.
- **won, handed over**: a solution that wins an opportunity (the sales
  force's visit) hands it to the work that follows, by name
  (`SALESFORCE_WON_HANDOVER = "pv_installation"`); the solution that does
  that work registered a starter under the name. A name nobody registered
  is reported, not guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

# listener(opportunity=…, lead=…, actor=…) for every plain conversion.
_opened: list[Callable[..., None]] = []
# name → starter(actor=…, opportunity=…) returning what it started (a project, a case …).
_handovers: dict[str, Callable[..., Any]] = {}


class UnknownHandover(LookupError):
    """No solution registered the work a won opportunity is handed over to."""


def on_opened(listener: Callable[..., None]) -> None:
    if listener not in _opened:  # ready() may run twice (tests, autoreload)
        _opened.append(listener)


def opened(*, opportunity, lead, actor, carried_on_by: str = "") -> None:
    """Tell the listeners a lead became an opportunity (inside the conversion's transaction)."""
    if carried_on_by:
        return
    for listener in _opened:
        listener(opportunity=opportunity, lead=lead, actor=actor)


def register_handover(name: str, starter: Callable[..., Any]) -> None:
    _handovers[name] = starter


def handover_names() -> list[str]:
    return sorted(_handovers)


def hand_over(name: str, *, actor, opportunity) -> Any:
    """Start the work registered as `name` for a won opportunity; what it started."""
    starter = _handovers.get(name)
    if starter is None:
        raise UnknownHandover(name)
    return starter(actor=actor, opportunity=opportunity)
