"""Reading cases and inboxes, for pages and the API.

The inbox reads WorkItem rows only, through the indexes (assignee,
status, due_at), (candidate_group, status, assignee, due_at) and
(candidate_department, status, assignee, due_at): index-ordered queries,
each capped, merged in Python. It never opens a case's saved state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q, QuerySet

from obieg.core import access
from obieg.engine import clock, spec_cache
from obieg.engine.models import Case, CaseEvent, ProcessDefinition, WorkItem, WorkItemStatus

INBOX_LIMIT = 50
_FAR_FUTURE = datetime.max
# Dated items by due date (so overdue ones first), undated ones after, oldest first.
_INBOX_ORDER = (F("due_at").asc(nulls_last=True), "id")


def _inbox_rows(queryset: QuerySet, limit: int) -> list[WorkItem]:
    return list(
        queryset.select_related("case", "case__definition", "assignee")
        .defer("case__state", "case__data", "case__definition__sources")
        .order_by(*_INBOX_ORDER)[:limit]
    )


def _order_key(item: WorkItem):
    due = item.due_at.replace(tzinfo=None) if item.due_at else _FAR_FUTURE
    return (item.due_at is None, due, item.pk)


def inbox(user, *, limit: int = INBOX_LIMIT) -> list[WorkItem]:
    """The user's open tasks and their groups' unclaimed ones, overdue first, then by due date.

    One capped, index-ordered query for the user's own items and one per
    queue they belong to (each role, their department), merged here: the
    cost follows the number of the user's roles, not the size of the table.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    open_items = WorkItem.objects.filter(status=WorkItemStatus.OPEN)
    found = _inbox_rows(open_items.filter(assignee=user), limit)
    queued = open_items.filter(assignee__isnull=True)
    for role in sorted(user.role_names):
        found += _inbox_rows(queued.filter(candidate_group=role), limit)
    if user.department_id:
        found += _inbox_rows(queued.filter(candidate_department_id=user.department_id), limit)
    return sorted(found, key=_order_key)[:limit]


def inbox_count(user) -> dict[str, int]:
    """How many open tasks the user has, how many wait in their queues, how many are overdue."""
    if not user.is_authenticated:
        return {"mine": 0, "queued": 0, "overdue": 0}
    open_items = WorkItem.objects.filter(status=WorkItemStatus.OPEN)
    queue_filter = Q(candidate_group__in=sorted(user.role_names))
    if user.department_id:
        queue_filter |= Q(candidate_department_id=user.department_id)
    mine = open_items.filter(assignee=user).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_at__lt=clock.now()))
    )
    queued = open_items.filter(queue_filter, assignee__isnull=True).count()
    return {"mine": mine["total"], "queued": queued, "overdue": mine["overdue"]}


def team_load(manager) -> list[dict]:
    """Open and overdue tasks per person in the teams `manager` manages."""
    return list(
        WorkItem.objects.filter(status=WorkItemStatus.OPEN, assignee__team__manager=manager)
        .values("assignee", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=clock.now())))
        .order_by("-overdue", "-open", "assignee__username")
    )


def visible_cases(user) -> QuerySet[Case]:
    """Cases the user may see (their own, their team's; all for an administrator)."""
    return access.visible(Case.objects.select_related("definition", "owner"), user)


def failed_cases() -> QuerySet[Case]:
    """Cases stopped by a failed step, newest first: an administrator's to-do list."""
    return (
        Case.objects.filter(status="error")
        .select_related("definition", "owner")
        .defer("state", "definition__sources")
        .order_by("-updated_at", "-id")
    )


def case_history(case: Case, *, limit: int = 200) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("at", "id")[:limit])


def case_work_items(case: Case) -> list[WorkItem]:
    return list(
        case.work_items.select_related("assignee", "completed_by").order_by("created_at", "id")
    )


@dataclass(frozen=True)
class CaseDiagram:
    """What a live diagram needs: the BPMN XML and each element's state."""

    bpmn: str
    element_states: dict[str, str]
    failed_element: str


def case_diagram(case: Case) -> CaseDiagram:
    """The case's process drawing with active, completed and failed elements (for bpmn-js)."""
    from obieg.engine.spiff.instance import Instance

    states: dict[str, str] = {}
    if case.state:
        bundle = spec_cache.bundle_for(case.definition)
        states = Instance.load(bundle, case.state, names={}, run_action=None).element_states()
    if case.error_element:
        states[case.error_element] = "failed"
    return CaseDiagram(case.definition.bpmn, states, case.error_element)


def latest_definitions() -> list[ProcessDefinition]:
    """The newest version of every process (what new cases start on)."""
    return list(
        ProcessDefinition.objects.order_by("key", "-version").distinct("key")
        if _supports_distinct_on()
        else _latest_portable()
    )


def _supports_distinct_on() -> bool:
    from django.db import connection

    return connection.features.can_distinct_on_fields


def _latest_portable():
    latest: dict[str, ProcessDefinition] = {}
    for definition in ProcessDefinition.objects.defer("sources").order_by("key", "-version"):
        latest.setdefault(definition.key, definition)
    return latest.values()
