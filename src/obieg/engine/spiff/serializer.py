"""A case's saved state without its spec.

SpiffWorkflow's serializer writes the whole parsed spec into every saved
workflow. Obieg keeps the spec once per `ProcessDefinition` version (and
parsed once per process, see `spec_cache`), so a case row holds only its
task tree and data: smaller rows, faster saves and loads.
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
    WorkflowConverter,
)


class _StateOnlyConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _registry():
    config = {**DEFAULT_CONFIG, BpmnWorkflow: _StateOnlyConverter}
    registry = BpmnWorkflowSerializer.configure(config)
    # Money stays Decimal and dates stay dates inside the engine's data.
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    registry.register(
        date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"])
    )
    return registry


STATE_SERIALIZER = BpmnWorkflowSerializer(_registry())
# The stock serializer (spec included) is what the benchmark compares against.
FULL_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure())


def dump_state(workflow) -> str:
    return STATE_SERIALIZER.serialize_json(workflow)


def load_state(state: str, spec, subprocess_specs):
    dct = json.loads(state)
    STATE_SERIALIZER.migrate(dct)
    return STATE_SERIALIZER.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)


def encode_data(data):
    """Case data as JSON-ready values that keep their types (Decimal, date, datetime)."""
    return STATE_SERIALIZER.registry.convert(data)


def decode_data(encoded):
    return STATE_SERIALIZER.registry.restore(encoded)
