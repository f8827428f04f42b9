"""The reader's open process tasks: their own and their queues', overdue first.

Read through the engine's inbox selector (index-ordered, capped queries, one
per queue the reader belongs to), so a board member sees the tasks waiting
for the board, a salesperson theirs. Counts stop at CAP + 1 ("99+").
"""

from __future__ import annotations

from obieg.core import clock, roles
from obieg.engine import selectors

ROWS = 8
CAP = 99


def is_for(user) -> bool:
    # Those with a business role: an administrator sees the work that lacks an owner
    # instead (admin_health), and a person with no role keeps the sales panels, so
    # their home is never empty (dashboards.py); both find their tasks in the inbox.
    return user.is_authenticated and bool(user.role_names - {roles.ADMIN})


def panel(user) -> dict:
    items = selectors.inbox(user, limit=ROWS)
    counts = selectors.inbox_count(user, cap=CAP)
    return {
        "items": items,
        "mine": counts["mine"],
        "queued": counts["queued"],
        "overdue": counts["overdue"],
        "cap": CAP,
        "now": clock.now(),
    }
