"""The unassigned work queue: open tasks nobody and no queue has, for administrators to hand out.

A task lands here when its model names people that match no role,
department, user or name mapping (`people`), or names nobody at all in a
model drawn elsewhere. It is never lost: administrators see the queue
(`/work/unassigned/`, `GET /api/engine/unassigned/`) and hand each task to
a person (`claims.reassign`).
"""

from __future__ import annotations

from django.db.models import QuerySet

from obieg.engine.models import WorkItem, WorkItemStatus

LIMIT = 200


def unassigned_items() -> QuerySet[WorkItem]:
    """Open items with no assignee, group or department, oldest first (a partial index)."""
    return (
        WorkItem.objects.filter(
            status=WorkItemStatus.OPEN,
            assignee__isnull=True,
            candidate_group="",
            candidate_department__isnull=True,
            case__sandbox=False,  # a test run's tasks are given to nobody on purpose
        )
        .select_related("case__definition")
        .defer("case__state", "case__data", "case__definition__sources")
        .order_by("created_at", "id")
    )


def unassigned_count(*, cap: int = 999) -> int:
    return unassigned_items()[: cap + 1].count()
