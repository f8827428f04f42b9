"""The inbox's page cursor: the due date and id of the last item shown.

The inbox merges one index-ordered query per queue (see `selectors.inbox`),
so it pages by "after this (due_at, id)" rather than through keyset_page,
which needs a single queryset. Cursors come back from the browser, so a
forged one simply means the first page.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime

from obieg.engine import selectors
from obieg.engine.models import WorkItem
from obieg.engine.selectors import MAX_ID

Position = tuple[datetime | None, int]


def encode(item: WorkItem) -> str:
    raw = json.dumps([item.due_at.isoformat() if item.due_at else None, item.pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str | None) -> Position | None:
    if not cursor or len(cursor) > 200:
        return None
    try:
        due, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= MAX_ID:
            return None
        moment = datetime.fromisoformat(due) if due is not None else None
    except (ValueError, TypeError):
        return None
    if moment is not None and moment.tzinfo is None:
        return None
    return moment, pk


def page(user, *, size: int, cursor: str | None, **filters) -> tuple[list[WorkItem], str | None]:
    """One page of the inbox and the cursor of the next page (None on the last)."""
    rows = selectors.inbox(user, limit=size + 1, after=decode(cursor), **filters)
    if len(rows) > size:
        return rows[:size], encode(rows[size - 1])
    return rows, None
