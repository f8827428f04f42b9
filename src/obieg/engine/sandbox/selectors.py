"""What the test-run pages read: the runs, one run's waiting tasks with who would get them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from obieg.engine.models import (
    Case,
    CaseEvent,
    ExternalTask,
    ExternalTaskStatus,
    WorkItem,
    WorkItemStatus,
)
from obieg.engine.selectors import MAX_ID

RUN_LIMIT = 100


def runs() -> QuerySet[Case]:
    """Every test run, newest first (the studio's drafts page lists them)."""
    return (
        Case.all_objects.filter(sandbox=True)
        .select_related("definition", "started_by")
        # The sources stay: a run is named by its process in the reader's language
        # (labels.case_label reads them), which would cost a query per run if deferred.
        .defer("state")
        .order_by("-started_at", "-id")
    )


def runs_of(solution: str) -> list[Case]:
    return list(runs().filter(definition__solution=solution)[:RUN_LIMIT])


def run(pk) -> Case:
    """The test run `pk`, else Http404 (a real case's id included)."""
    if not str(pk).isdigit() or int(pk) > MAX_ID:
        raise Http404
    case = (
        Case.all_objects.filter(pk=pk, sandbox=True)
        .select_related("definition", "started_by", "owner")
        .first()
    )
    if case is None:
        raise Http404
    return case


@dataclass(frozen=True)
class WaitingTask:
    item: WorkItem
    # Who the real case would give it to, as the run noted when the task was created.
    assignee: str
    role: str
    department: str
    unmatched: str

    @property
    def route(self) -> str:
        return self.assignee or self.role or self.department or self.unmatched


def waiting_tasks(case: Case) -> list[WaitingTask]:
    items = list(
        WorkItem.objects.filter(case=case, status=WorkItemStatus.OPEN).order_by("created_at", "id")
    )
    routes = {}
    for data in case.events.filter(kind=CaseEvent.Kind.TASK_CREATED).values_list("data", flat=True):
        routes[data.get("sandbox_task", "")] = data  # the newest line of a task wins
    found = []
    for item in items:
        route = routes.get(str(item.task_id), {})
        found.append(
            WaitingTask(
                item=item,
                assignee=route.get("sandbox_assignee", ""),
                role=route.get("sandbox_role", ""),
                department=route.get("sandbox_department", ""),
                unmatched=route.get("sandbox_unmatched", ""),
            )
        )
    return found


def task_of(case: Case, item_pk) -> WaitingTask:
    """One task of the run (open or done), else Http404."""
    if not str(item_pk).isdigit() or int(item_pk) > MAX_ID:
        raise Http404
    for waiting in waiting_tasks(case):
        if waiting.item.pk == int(item_pk):
            return waiting
    item = WorkItem.objects.filter(case=case, pk=item_pk).first()
    if item is None:
        raise Http404
    return WaitingTask(item=item, assignee="", role="", department="", unmatched="")


def open_external_tasks(case: Case) -> list[ExternalTask]:
    return list(
        ExternalTask.objects.filter(case=case, status=ExternalTaskStatus.OPEN).order_by(
            "created_at", "id"
        )
    )
