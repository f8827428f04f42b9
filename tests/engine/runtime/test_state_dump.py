"""A case's saved state is SpiffWorkflow's own dictionary, without the spec, written compactly.

`dump_state` converts tasks with Obieg's faster converter; what it writes
must be exactly what SpiffWorkflow's serializer gives for the same
workflow (minus the spec), and load back to a workflow that dumps the same.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter

from obieg.engine import spec_cache
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.spiff.serializer import dump_state, load_state
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import reload


class _StockStateConverter(BpmnWorkflowConverter):
    """SpiffWorkflow's workflow conversion without the spec, as Obieg's state first was."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


def _stock_serializer() -> BpmnWorkflowSerializer:
    """SpiffWorkflow's stock converters (tasks included), with Obieg's two value types."""
    registry = BpmnWorkflowSerializer.configure(
        {**DEFAULT_CONFIG, BpmnWorkflow: _StockStateConverter}
    )
    registry.register(Decimal, lambda v: {"value": str(v)}, lambda v: Decimal(v["value"]))
    registry.register(
        date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"])
    )
    return BpmnWorkflowSerializer(registry)


STOCK = _stock_serializer()


def stock_state(workflow) -> dict:
    """SpiffWorkflow's stock serialization of `workflow` (its spec left out)."""
    whole = json.loads(STOCK.serialize_json(workflow))
    whole.pop(STOCK.VERSION_KEY)
    return whole


def assert_state_is_stock(case) -> None:
    case = reload(case)
    workflow = load_state(case.state, *spec_cache.bundle_for(case.definition))
    dumped = dump_state(workflow)
    ours = json.loads(dumped)
    assert ours.pop(STOCK.VERSION_KEY) == STOCK.VERSION
    assert ours == stock_state(workflow)
    assert ", " not in dumped and '": ' not in dumped  # compact
    reloaded = load_state(dumped, *spec_cache.bundle_for(case.definition))
    assert dump_state(reloaded) == dumped


def test_every_step_of_a_case_saves_spiffworkflows_own_state(org):
    deploy_samples("ten_steps.bpmn")
    case = engine.start_case(process="ten_steps", actor=org.sara)
    assert_state_is_stock(case)
    data = {"amount": Decimal("5000.50"), "note": "ok"}
    while item := WorkItem.objects.filter(case=case, status="open").order_by("id").first():
        engine.complete(work_item=item, actor=org.sara, data=data)
        assert_state_is_stock(case)
        data = {}
    assert reload(case).status == "completed"


def test_a_sub_process_is_saved_as_spiffworkflow_saves_it(org):
    deploy_samples("subprocess.bpmn")
    case = engine.start_case(process="site_audit", actor=org.sara)
    assert_state_is_stock(case)
    item = WorkItem.objects.filter(case=case, status="open").order_by("id").first()
    engine.complete(work_item=item, actor=org.sara, data={"roof_m2": 40})
    assert_state_is_stock(case)
