"""Keeps WorkItem rows in step with the user tasks the engine has open.

New user tasks get a row (routed to a person, a role or a department,
with a due date); rows whose task is no longer open (an interrupting
timer, a cancelled case) are cancelled. No read of the rows is needed;
at most one statement of each kind is written per step, sent with the
case's own writes (`Step.save`).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib.auth import get_user_model

from obieg.core.models import Department
from obieg.engine import expressions, moments, people
from obieg.engine.models import CaseEvent, WorkItem, WorkItemStatus
from obieg.engine.people import Target
from obieg.engine.routing import route_for
from obieg.engine.runtime import assignment, rows

if TYPE_CHECKING:
    from obieg.engine.runtime.step import Step
    from obieg.engine.spiff.instance import OpenTask


ITEM_FIELDS = (
    "case", "task_id", "element_id", "name", "form_key", "lane", "assignee", "candidate_group",
    "candidate_department", "status", "due_at", "overdue", "created_at", "claimed_at", "revision",
    "unmatched", "follow_up_at",
)  # fmt: skip


@dataclass
class Plan:
    """The work-item writes of one step, worked out before any is sent."""

    completed: WorkItem | None
    gone: list[OpenTask]
    new_items: list[WorkItem]
    open_count: int
    now: datetime
    case_id: int

    def statements(self) -> list[rows.Statement]:
        """The writes, in order; the completed item's conditional UPDATE first.

        The completed item is written only while it is still open at the
        revision the step read: a claim or hand-over that won the race leaves
        it unchanged, which `expected` turns into a rollback.
        """
        writes = []
        if self.completed is not None:
            item = self.completed
            writes.append(
                rows.update(
                    WorkItem,
                    item.pk,
                    {"status": WorkItemStatus.OPEN, "revision": item.revision},
                    status=item.status,
                    completed_at=item.completed_at,
                    completed_by=item.completed_by_id,
                    assignee=item.assignee_id,
                    revision=item.revision + 1,
                )
            )
        if self.gone:
            writes.append(
                rows.update_in(
                    WorkItem,
                    "task_id",
                    [UUID(task.id) for task in self.gone],
                    {"case": self.case_id, "status": WorkItemStatus.OPEN},
                    status=WorkItemStatus.CANCELLED,
                    completed_at=self.now,
                )
            )
        new_items = rows.insert(WorkItem, self.new_items, ITEM_FIELDS)
        if new_items is not None:
            writes.append(new_items)
        return writes

    def expected(self) -> dict[int, int]:
        """The rows `statements` must change (by index): the completed item's UPDATE, one.

        Any other count is a lost race: `rows.run_together` raises
        `RowsChanged`, the step rolls back, and `complete` says who won.
        """
        return {0: 1} if self.completed is not None else {}


def plan(step: Step, open_tasks: list[OpenTask], *, completed: WorkItem | None) -> Plan:
    """Which rows to complete, cancel and create to match the engine's open user tasks.

    The rows open before the step are the tasks the engine had open when
    the step loaded the case (`step.opened_before`), so no query is needed
    to find them.
    """
    from obieg.engine.runtime.step import StepError

    before = {task.id: task for task in step.opened_before or []}
    open_ids = {task.id for task in open_tasks}
    if completed is not None:
        before.pop(str(completed.task_id), None)
        completed.status, completed.completed_at = WorkItemStatus.COMPLETED, step.now
        completed.completed_by = step.actor
        completed.assignee_id = completed.assignee_id or getattr(step.actor, "pk", None)
    gone = [task for task_id, task in before.items() if task_id not in open_ids]
    for task in gone:
        step.record(CaseEvent.Kind.TASK_CANCELLED, element_id=task.element_id, name=task.name)
    router = _Router(step)
    new_items = []
    for task in open_tasks:
        if task.id in before:
            continue
        try:
            new_items.append(router.item_for(task))
        except (expressions.ExpressionError, moments.MomentError, LookupError) as error:
            raise StepError(f"{task.name}: {error}", task.element_id) from error
    if step.case.sandbox:  # a test run's tasks: who would get them noted, given to nobody
        from obieg.engine.sandbox import holding

        holding.divert_items(step, new_items)
    return Plan(completed, gone, new_items, len(open_tasks), step.now, step.case.pk)


class _Router:
    """Turns an open user task into a routed, dated WorkItem."""

    def __init__(self, step: Step):
        self.step = step
        self.departments: dict[str, int] = {}

    def item_for(self, task: OpenTask) -> WorkItem:
        attributes = task.extensions
        # ChainMap only reads the maps after the first; its stubs want them mutable.
        names = ChainMap(task.data, self.step.names())  # type: ignore[arg-type]
        route, assignee_id, unmatched = self._route(task, names)
        due_at = follow_up_at = None
        if attributes.get("due"):
            due_at = moments.resolve(attributes["due"], names, start=self.step.now)
        if attributes.get("follow_up"):
            follow_up_at = moments.resolve(attributes["follow_up"], names, start=self.step.now)
        return WorkItem(
            case_id=self.step.case.pk,
            task_id=UUID(task.id),
            element_id=task.element_id,
            name=task.name[:200],
            form_key=attributes.get("form", ""),
            lane=(task.lane or "")[:200],
            assignee_id=assignee_id,
            candidate_group=route.role,
            candidate_department_id=route.department_id,
            due_at=due_at,
            created_at=self.step.now,
            claimed_at=self.step.now if assignee_id else None,
            unmatched=unmatched[:300],
            follow_up_at=follow_up_at,
        )

    def _route(self, task: OpenTask, names: Mapping) -> tuple[Target, int | None, str]:
        """(queue, person, what the model named that matched nothing) for a new task.

        Obieg's own attributes on the task come first, then the people a
        Camunda model names, then the lane (Obieg's reading, then the lane's
        name as a name in models); a manual step with nobody is the case
        owner's. What matches nothing either fails the step (an Obieg model:
        deploy refused such a task) or waits in the unassigned queue.
        """
        attributes = task.extensions
        assignee_id = self._assignee(attributes.get("assignee"), names)
        own = route_for({k: v for k, v in attributes.items() if k in ("role", "department")}, None)
        if assignee_id is not None or own:
            return self._target(own), assignee_id, ""
        if any(key.startswith("people_") for key in attributes):
            return assignment.route(attributes, names)
        lane_route = route_for(attributes, task.lane)
        if lane_route:
            return self._target(lane_route), None, ""
        if task.lane:
            found = people.resolve(task.lane)
            if found is not None:
                return assignment.split(found)
        if attributes.get("owner_if_unrouted"):
            owner_id = self.step.case.owner_id
            if owner_id is not None:
                return Target(), owner_id, ""
            return Target(), None, "the case owner (the case has none)"
        if attributes.get("queue_if_unmatched"):
            return Target(), None, f"lane {task.lane!r}" if task.lane else "nobody"
        raise LookupError("nobody to give this task to (no assignee, role or department)")

    def _target(self, route) -> Target:
        return Target(role=route.role, department_id=self._department(route.department))

    def _assignee(self, expression: str | None, names: Mapping) -> int | None:
        if not expression:
            return None
        value = expressions.evaluate(expression, names)
        if value in (None, ""):
            return None
        users = get_user_model().objects.filter(is_active=True)
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)  # FEEL's numbers are decimals: a user id read back
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
            department_id = (
                Department.objects.filter(code=code).values_list("pk", flat=True).first()
            )
            if department_id is None:
                raise LookupError(f"no department with code {code!r}")
            self.departments[code] = department_id
        return self.departments[code]
