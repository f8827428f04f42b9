"""Signals, message keys and start events: what events mean beyond one case.

- **Signals** are broadcast, as BPMN says: a signal thrown in a case (an
  intermediate throw or an end event) is caught inside that case at once by
  SpiffWorkflow, and the runtime then hands it to every other case waiting for
  it and starts the processes with a signal start event of that name
  (`runtime.signals`). What a signal carries is what the model maps onto it —
  Zeebe's input mappings on the throw event, Camunda 7's `camunda:in` on the
  signal event definition (`variables="all"` for the whole case data) — and
  nothing else: one case's data never spills into another's by default.
- **Message correlation keys** written the Zeebe way
  (`<zeebe:subscription correlationKey="= orderId"/>` on the message) are
  evaluated when a case starts waiting for the message; the value becomes one
  of the case's correlation keys, so `send_message(name, key=<that value>)`
  reaches it.
- **Start events**: which messages and signals start a process
  (`start_triggers`), and a workflow started at one of them
  (`start_at_event`), the other start events of the process left aside.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.parser.event_parsers import EndEventParser
from SpiffWorkflow.bpmn.parser.util import first
from SpiffWorkflow.bpmn.specs.control import StartEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from obieg.engine import camunda
from obieg.engine.camunda import CAMUNDA, ZEEBE

SIGNAL_XPATH = ".//bpmn:signalEventDefinition"


class ObiegSignal(SignalEventDefinition):
    """A signal whose payload is what the model maps onto it; its throws are kept for broadcast."""

    def __init__(self, name, mappings: str = "", **kwargs):
        super().__init__(name, **kwargs)
        self.mappings = mappings  # JSON [[target, source], …], or "*" for the whole data

    def payload(self, my_task) -> dict[str, Any]:
        if self.mappings == "*":
            return dict(my_task.data)
        if not self.mappings:
            return {}
        names = my_task.workflow.script_engine.names_for(my_task)
        return camunda.apply_mappings(json.loads(self.mappings), names)

    def throw(self, my_task):
        payload = self.payload(my_task)
        thrown = my_task.workflow.top_workflow.__dict__.setdefault("obieg_signals", [])
        thrown.append((self.name, dict(payload)))
        event = BpmnEvent(self, payload=payload)
        top = my_task.workflow.top_workflow
        top.catch(event)
        # Nobody in this case caught it: SpiffWorkflow keeps it for "outside", which is the
        # runtime's broadcast (thrown above), so it must not stay in the saved state.
        top.bpmn_events = [e for e in top.bpmn_events if e is not event]


def signal_event(name: str, payload: dict[str, Any] | None = None) -> BpmnEvent:
    """A signal from outside the case (another case, the API), as its catch events expect it."""
    return BpmnEvent(ObiegSignal(name), payload=dict(payload or {}))


def message_event(name: str, payload: dict[str, Any] | None = None) -> BpmnEvent:
    return BpmnEvent(MessageEventDefinition(name), payload=dict(payload or {}))


def _signal_mappings(event_node, definition_node) -> str:
    inputs, _outputs = camunda.mappings(event_node)
    if inputs:
        return json.dumps(inputs)
    found = []
    for item in definition_node.findall(f"{{*}}extensionElements/{{{CAMUNDA}}}in"):
        if item.get("variables") == "all":
            return "*"
        source = item.get("sourceExpression") or item.get("source") or ""
        if source and not source.startswith(("${", "#{", "=")):
            source = f"= {source}"
        if item.get("target"):
            found.append([item.get("target"), source])
    return json.dumps(found) if found else ""


class SignalsAndKeys:
    """An event-parser mixin: signals as `ObiegSignal`, Zeebe message keys in `extensions`."""

    def parse_signal_event(self, signal_event):
        definition = super().parse_signal_event(signal_event)
        return ObiegSignal(
            definition.name,
            _signal_mappings(self.node, signal_event),
            description=definition.description,
        )

    def parse_extensions(self, node=None):
        extensions = dict(super().parse_extensions(node) or {})
        definition = first(self.xpath(".//bpmn:messageEventDefinition"))
        message_ref = definition.get("messageRef") if definition is not None else None
        message_ref = message_ref or self.node.get("messageRef")  # a receive task's
        if message_ref:
            found = self.doc_xpath(f".//bpmn:message[@id='{message_ref}']")
            key = _zeebe_correlation_key(found[0]) if found else ""
            if key:
                extensions["correlation_key"] = key
        return extensions


def _zeebe_correlation_key(message) -> str:
    subscription = message.find(f"{{*}}extensionElements/{{{ZEEBE}}}subscription")
    return (subscription.get("correlationKey") or "").strip() if subscription is not None else ""


class SignalEndEventParser(SignalsAndKeys, EndEventParser):
    """End events, signal end events included (SpiffWorkflow reads them as none end events)."""

    def create_task(self):
        if self.xpath(SIGNAL_XPATH):
            event_definition = self.get_event_definition([SIGNAL_XPATH])
            task = self._create_task(event_definition)
            task.connect(self.spec.end)
            return task
        return super().create_task()


def correlation_value(value: Any) -> str | None:
    """A correlation key as the case keeps it: text, whole numbers without decimals."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)[:200]


# Start events


def start_triggers(spec) -> set[tuple[str, str]]:
    """("message" | "signal", name) of every start event of the process that waits for one."""
    found = set()
    for task_spec in spec.task_specs.values():
        if not isinstance(task_spec, StartEvent) or task_spec not in _top_starts(spec):
            continue
        definition = task_spec.event_definition
        if isinstance(definition, MessageEventDefinition):
            found.add(("message", definition.name))
        elif isinstance(definition, SignalEventDefinition):
            found.add(("signal", definition.name))
    return found


def _top_starts(spec) -> list:
    starts = []
    for output in spec.start.outputs:
        if isinstance(output, StartEventSplit):
            starts.extend(output.outputs)
        else:
            starts.append(output)
    return starts


def has_plain_start(spec) -> bool:
    """True when a case can start without an event (a none or timer start event)."""
    return any(
        not isinstance(s.event_definition, (MessageEventDefinition, SignalEventDefinition))
        for s in _top_starts(spec)
        if isinstance(s, StartEvent)
    )


def start_at_event(workflow, kind: str, name: str, payload: dict[str, Any]) -> None:
    """Start `workflow` at its start event for message or signal `name`, the others cancelled."""
    for task in workflow.get_tasks(state=TaskState.READY):
        if not isinstance(task.task_spec, StartEvent):
            task.run()
    for task in workflow.get_tasks(state=TaskState.READY):
        if isinstance(task.task_spec, StartEventSplit):
            task.run()
    definition_class = MessageEventDefinition if kind == "message" else SignalEventDefinition
    for task in workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
        if not isinstance(task.task_spec, StartEvent) or task.workflow is not workflow:
            continue
        definition = task.task_spec.event_definition
        if not (isinstance(definition, definition_class) and definition.name == name):
            task.cancel()
    event = message_event(name, payload) if kind == "message" else signal_event(name, payload)
    workflow.send_event(event)
