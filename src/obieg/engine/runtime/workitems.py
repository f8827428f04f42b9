"""Keeps WorkItem rows in step with the user tasks the engine has open.

New user tasks get a row (routed to a person, a role or a department,
with a due date); rows whose task is no longer open (an interrupting
timer, a cancelled case) are cancelled. One read of the case's open rows,
at most one bulk insert and one bulk update per step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth import get_user_model

from obieg.core.models import Department
from obieg.engine import expressions, moments
from obieg.engine.models import CaseEvent, WorkItem, WorkItemStatus
from obieg.engine.routing import route_for

if TYPE_CHECKING:
    from obieg.engine.runtime.step import Step
    from obieg.engine.spiff.instance import Instance, OpenTask


def sync(step: Step, instance: Instance, *, completed: WorkItem | None) -> int:
    """Create and cancel rows to match the open user tasks; the number now open."""
    from obieg.engine.runtime.step import StepError

    open_tasks = instance.open_tasks()
    open_ids = {task.id for task in open_tasks}
    existing = {
        str(item.task_id): item
        for item in WorkItem.objects.filter(case_id=step.case.pk, status=WorkItemStatus.OPEN).only(
            "id", "task_id", "element_id", "name"
        )
    }
    if completed is not None:
        existing.pop(str(completed.task_id), None)
        WorkItem.objects.filter(pk=completed.pk).update(
            status=WorkItemStatus.COMPLETED,
            completed_at=step.now,
            completed_by=step.actor,
            assignee=completed.assignee_id or getattr(step.actor, "pk", None),
        )
    gone = [item for task_id, item in existing.items() if task_id not in open_ids]
    if gone:
        WorkItem.objects.filter(pk__in=[item.pk for item in gone]).update(
            status=WorkItemStatus.CANCELLED, completed_at=step.now
        )
        for item in gone:
            step.record(CaseEvent.Kind.TASK_CANCELLED, element_id=item.element_id, name=item.name)
    router = _Router(step)
    new_items = []
    for task in open_tasks:
        if task.id in existing:
            continue
        try:
            new_items.append(router.item_for(task))
        except (expressions.ExpressionError, moments.MomentError, LookupError) as error:
            raise StepError(f"{task.name}: {error}", task.element_id) from error
    if new_items:
        WorkItem.objects.bulk_create(new_items)
    return len(open_tasks)


class _Router:
    """Turns an open user task into a routed, dated WorkItem."""

    def __init__(self, step: Step):
        self.step = step
        self.departments: dict[str, int] = {}

    def item_for(self, task: OpenTask) -> WorkItem:
        attributes = task.extensions
        route = route_for(attributes, task.lane)
        names = {**self.step.names(), **task.data}
        assignee_id = self._assignee(attributes.get("assignee"), names)
        if assignee_id is None and not route:
            raise LookupError("nobody to give this task to (no assignee, role or department)")
        due_at = None
        if attributes.get("due"):
            due_at = moments.resolve(attributes["due"], names, start=self.step.now)
        return WorkItem(
            case_id=self.step.case.pk,
            task_id=UUID(task.id),
            element_id=task.element_id,
            name=task.name[:200],
            form_key=attributes.get("form", ""),
            lane=(task.lane or "")[:200],
            assignee_id=assignee_id,
            candidate_group=route.role,
            candidate_department_id=self._department(route.department),
            due_at=due_at,
            created_at=self.step.now,
            claimed_at=self.step.now if assignee_id else None,
        )

    def _assignee(self, expression: str | None, names: dict) -> int | None:
        if not expression:
            return None
        value = expressions.evaluate(expression, names)
        if value in (None, ""):
            return None
        users = get_user_model().objects.filter(is_active=True)
        if isinstance(value, int) and not isinstance(value, bool):
            user_id = users.filter(pk=value).values_list("pk", flat=True).first()
        else:
            user_id = users.filter(username=str(value)).values_list("pk", flat=True).first()
        if user_id is None:
            raise LookupError(f"the assignee {value!r} is not an active user")
        return user_id

    def _department(self, code: str) -> int | None:
        if not code:
            return None
        if code not in self.departments:
            department_id = Department.objects.filter(code=code).values_list("pk", flat=True).first()
            if department_id is None:
                raise LookupError(f"no department with code {code!r}")
            self.departments[code] = department_id
        return self.departments[code]
