"""The reader's open process tasks: their own and their queues', overdue first.

Read through the engine's inbox selector (index-ordered, capped queries, one
per queue the reader belongs to), so a board member sees the tasks waiting
for the board, a salesperson theirs. Counts stop at CAP + 1 ("99+").
"""

from __future__ import annotations

from obieg.core import clock, roles
from obieg.engine import selectors
from obieg.engine.web import inbox_rows

ROWS = 8
CAP = 99


def is_for(user) -> bool:
    # Those with a business role: an administrator sees the work that lacks an owner
    # instead (admin_health), and a person with no role keeps the sales panels, so
    # their home is never empty (dashboards.py); both find their tasks in the inbox.
    return user.is_authenticated and bool(user.role_names - {roles.ADMIN})


def panel(user) -> dict:
    counts = selectors.inbox_count(user, cap=CAP)
    return {
        # Printed as the inbox prints its rows: labels, links and due dates worked out once.
        "items": inbox_rows.prepare(
            selectors.inbox(user, limit=ROWS, record=inbox_rows.Record), user
        ),
        "mine": counts["mine"],
        "queued": counts["queued"],
        "overdue": counts["overdue"],
        "cap": CAP,
        "now": clock.now(),
    }
