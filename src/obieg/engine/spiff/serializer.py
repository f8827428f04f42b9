"""A case's saved state without its spec.

SpiffWorkflow's serializer writes the whole parsed spec into every saved
workflow. Obieg keeps the spec once per `ProcessDefinition` version (and
parsed once per process, see `spec_cache`), so a case row holds only its
task tree and data: smaller rows, faster saves and loads.

Every step dumps the whole tree, so the task's conversion is SpiffWorkflow's
own written for speed (`_TaskConverter`: the same dictionary, each task id
turned into text once per task, not four times per dump), and the JSON is
written without spaces. Both read back with SpiffWorkflow's own loader; the
tests compare the dump with the stock serializer's.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    TaskConverter,
)
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge

# Where a task keeps its id as text (`Task` has a __dict__; SpiffWorkflow never reads this).
_ID_TEXT = "_obieg_id_text"


def _id_text(task) -> str:
    text = task.__dict__.get(_ID_TEXT)
    if text is None:
        text = task.__dict__[_ID_TEXT] = str(task.id)
    return text


def _task_to_dict(task, convert) -> dict:
    """`TaskConverter.to_dict(task)`: the same dictionary, faster.

    A task's id is written as its own id, as its children's parent and in
    its parent's children: `str(UUID)` once per task (kept on the task; a
    task's id never changes) instead of at each place. The data delta and
    the internal data (`convert`: the registry's) are as SpiffWorkflow's.
    """
    tasks = task.workflow.tasks
    parent = tasks.get(task._parent)
    if parent is None:
        data, delta = task.data, {}
    else:
        data = {}
        delta = {
            "updates": DeepMerge.get_updated_keys(parent.data, task.data),
            "deletions": DeepMerge.get_deleted_keys(parent.data, task.data),
        }
    children = []
    for child_id in task._children:
        child = tasks.get(child_id)
        children.append(_id_text(child) if child is not None else str(child_id))
    internal = task.internal_data
    return {
        "id": _id_text(task),
        "parent": _id_text(parent) if parent is not None else None,
        "children": children,
        "last_state_change": task.last_state_change,
        "state": task._state,
        "task_spec": task.task_spec.name,
        "triggered": task.triggered,
        "internal_data": convert(internal) if internal else {},
        "data": data,
        "delta": delta,
    }


class _TaskConverter(TaskConverter):
    def to_dict(self, task):
        return _task_to_dict(task, self.registry.convert)


class _StateOnlyConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        # `WorkflowConverter.to_dict`'s dictionary, key for key, with the tasks keyed by the
        # text each task keeps (see `_TaskConverter`); no spec.
        convert = self.registry.convert
        last_task = workflow.last_task
        return {
            "data": convert(self.registry.clean(workflow.data)),
            "correlations": workflow.correlations,
            "last_task": _id_text(last_task) if last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "tasks": {_id_text(task): self._task(task) for task in workflow.tasks.values()},
            "root": _id_text(workflow.task_tree),
            "subprocesses": self.mapping_to_dict(workflow.subprocesses),
            "bpmn_events": convert(workflow.bpmn_events),
        }

    def _task(self, task) -> dict:
        if type(task) is Task:  # what the registry would call, without its lookups
            dct = _task_to_dict(task, self.registry.convert)
            dct["typename"] = self.registry.typenames[Task]
            return dct
        return self.registry.convert(task)

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _registry():
    config = {**DEFAULT_CONFIG, BpmnWorkflow: _StateOnlyConverter, Task: _TaskConverter}
    registry = BpmnWorkflowSerializer.configure(config)
    # Money stays Decimal and dates stay dates inside the engine's data.
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    registry.register(
        date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"])
    )
    return registry


STATE_SERIALIZER = BpmnWorkflowSerializer(_registry())
_ENCODER = STATE_SERIALIZER._encoder_cls(separators=(",", ":"))
# The stock serializer (spec included) is what the benchmark compares against.
FULL_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure())


def dump_state(workflow) -> str:
    """The workflow's saved state: its task tree and data, compact JSON."""
    registry = STATE_SERIALIZER.registry
    registry._encoder_mode = True  # as `serialize_json`: registered types left to the encoder
    try:
        dct = STATE_SERIALIZER.to_dict(workflow)
        dct[STATE_SERIALIZER.VERSION_KEY] = STATE_SERIALIZER.VERSION
        return _ENCODER.encode(dct)
    finally:
        registry._encoder_mode = False


def load_state(state: str, spec, subprocess_specs):
    dct = json.loads(state)
    STATE_SERIALIZER.migrate(dct)
    return STATE_SERIALIZER.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)


def encode_data(data):
    """Case data as JSON-ready values that keep their types (Decimal, date, datetime)."""
    return STATE_SERIALIZER.registry.convert(data)


def decode_data(encoded):
    return STATE_SERIALIZER.registry.restore(encoded)
