"""What a test run holds back: its tasks from every queue, its external tasks, its signals.

The engine runs a test run like any case (`runtime.step` asks `case.sandbox`
at the few places where a case reaches others); what reaches others is held
here instead, and written into the run's history so the administrator sees
what the real case would have done:

- a new user task is routed as the model says, the route is written in a
  "task created" line (who would get it), and the work item is then given
  to nobody: no assignee, role or department, so no inbox, queue, team page,
  notification or digest can find it; the administrator completes it from
  the test run's page, as that role (`sandbox.runs.complete_as`);
- an external task is locked for the test run for good, so no worker fetches
  it; the administrator completes it from the run's page;
- a thrown signal is noted, not broadcast; the run gets no correlation keys,
  so no real message or signal reaches it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from obieg.core.models import Department
from obieg.engine.models import CaseEvent, ExternalTask, WorkItem

if TYPE_CHECKING:
    from obieg.engine.runtime.step import Step

# Who "holds" a test run's external tasks, and until when: no worker's fetch takes them.
HELD_BY = "obieg-test-run"
HELD_UNTIL = datetime(3000, 1, 1, tzinfo=UTC)


def divert_items(step: Step, items: list[WorkItem]) -> None:
    """Note who would get each new task, then give the task to nobody."""
    users = dict(
        get_user_model()
        .objects.filter(pk__in={item.assignee_id for item in items if item.assignee_id})
        .values_list("pk", "username")
    )
    departments = dict(
        Department.objects.filter(
            pk__in={item.candidate_department_id for item in items if item.candidate_department_id}
        ).values_list("pk", "name")
    )
    for item in items:
        route = {
            "sandbox_task": str(item.task_id),
            "sandbox_assignee": users.get(item.assignee_id, "") if item.assignee_id else "",
            "sandbox_role": item.candidate_group,
            "sandbox_department": departments.get(item.candidate_department_id, "")
            if item.candidate_department_id
            else "",
            "sandbox_unmatched": item.unmatched,
        }
        step.record(
            CaseEvent.Kind.TASK_CREATED,
            element_id=item.element_id,
            name=item.name,
            data={key: value for key, value in route.items() if value},
        )
        item.assignee_id = None
        item.candidate_group = ""
        item.candidate_department_id = None
        item.claimed_at = None


def hold_external(tasks: list[ExternalTask]) -> None:
    """Lock a test run's external tasks for the run: no worker fetches them."""
    for task in tasks:
        task.worker_id, task.locked_until = HELD_BY, HELD_UNTIL


def hold_signals(step: Step, thrown: list[tuple[str, dict]]) -> None:
    """Note the signals the run threw; they reach no other case."""
    for name, _payload in thrown:
        step.record(CaseEvent.Kind.REHEARSED, name=name, data={"sandbox_signal": name})
