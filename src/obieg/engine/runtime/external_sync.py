"""Keeps ExternalTask rows in step with the external service tasks the engine has open.

A step that reaches an external service task writes a row a worker can
fetch: its topic, and the variables it gets (the task's data with its
input mappings, the model's headers). Rows whose task is no longer open
(an interrupting timer, a cancelled case) are cancelled. The row a
service completed in the same step was already closed by that service.
The writes go with the step's own (`Step.save`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from uuid import UUID

from obieg.engine import camunda
from obieg.engine.models import ExternalTask, ExternalTaskStatus
from obieg.engine.runtime import rows
from obieg.engine.spiff.serializer import encode_data

if TYPE_CHECKING:
    from obieg.engine.runtime.step import Step
    from obieg.engine.spiff.instance import OpenTask


# Every column but the id, in the order the INSERT names them.
_ROW_FIELDS = tuple(f.name for f in ExternalTask._meta.concrete_fields if not f.primary_key)


def sync(step: Step, open_tasks: list[OpenTask]) -> list[rows.Statement]:
    """The writes for `open_tasks` (the external tasks open after the step), sent by the step."""
    writes = []
    open_ids = {task.id for task in open_tasks}
    gone = [task_id for task_id in step.externals_before if task_id not in open_ids]
    if gone:
        writes.append(
            rows.update_in(
                ExternalTask,
                "task_id",
                [UUID(task_id) for task_id in gone],
                {"status": ExternalTaskStatus.OPEN},
                status=ExternalTaskStatus.CANCELLED,
                completed_at=step.now,
                locked_until=None,
            )
        )
    new = [task for task in open_tasks if task.id not in step.externals_before]
    if new:
        made = [_row(step, task) for task in new]
        if step.case.sandbox:  # a test run's external tasks: held for the run, no worker's
            from obieg.engine.sandbox import holding

            holding.hold_external(made)
        insert = rows.insert(ExternalTask, made, _ROW_FIELDS)
        if insert is not None:
            writes.append(insert)
    step.externals_before = open_ids
    return writes


def worker_variables(task: OpenTask) -> dict:
    """What a worker gets: the task's data, with its input mappings evaluated over it."""
    variables = dict(task.data)
    written = task.extensions.get("inputs")
    if written:
        variables.update(camunda.apply_mappings(json.loads(written), variables))
    return variables


def _row(step: Step, task: OpenTask) -> ExternalTask:
    retries = task.extensions.get("retries")
    return ExternalTask(
        case_id=step.case.pk,
        task_id=UUID(task.id),
        element_id=task.element_id,
        name=task.name[:200],
        topic=task.extensions.get("topic", "")[:200],
        # Typed values (Decimal, dates) as the JSON a worker reads: {"value": "…"} forms are
        # the engine's own; the worker gets plain JSON values.
        variables=_plain(encode_data(worker_variables(task))),
        headers=json.loads(task.extensions.get("headers", "{}")),
        retries=int(retries) if retries and retries.isdigit() else None,
        created_at=step.now,
    )


def _plain(value):
    """The engine's typed encoding ({"typename": "Decimal", "value": "1.5"}) as plain JSON."""
    if isinstance(value, dict):
        if set(value) == {"typename", "value"}:
            return value["value"]
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
