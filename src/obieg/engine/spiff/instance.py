"""One running process, seen through plain data: the runtime's only handle on SpiffWorkflow."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import (
    ErrorEventDefinition,
    EscalationEventDefinition,
    SignalEventDefinition,
)
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from obieg.engine import camunda
from obieg.engine.spiff import event_subprocesses, events
from obieg.engine.spiff.script_engine import SafeScriptEngine
from obieg.engine.spiff.serializer import dump_state, load_state
from obieg.engine.spiff.specs import ActionServiceTask, DecisionTask, ExternalServiceTask
from obieg.engine.spiff.timers import next_moment

MAX_TIMER_ROUNDS = 20  # a model whose timers keep firing at once must not spin for ever


@dataclass(frozen=True)
class OpenTask:
    """A user task waiting for a person."""

    id: str
    element_id: str
    name: str
    lane: str | None
    extensions: dict[str, str]
    data: dict[str, Any]


@dataclass(frozen=True)
class Survey:
    """What a step needs to know about the tasks under way, from one walk of the tree."""

    user_tasks: list[OpenTask]  # waiting for a person
    external_tasks: list[OpenTask]  # waiting for an external worker
    live_tasks: list[Any]  # every READY or WAITING task (their data make the case data)


@dataclass
class Happening:
    """Something the engine did on its own, for the case history."""

    kind: str
    element_id: str
    name: str
    data: dict[str, Any] = field(default_factory=dict)


class Instance:
    def __init__(self, workflow: BpmnWorkflow):
        self.workflow = workflow
        self.happenings: list[Happening] = []

    @staticmethod
    def _engine(names: Mapping[str, Any], run_action: Callable | None) -> SafeScriptEngine:
        return SafeScriptEngine(extra_names=names, run_action=run_action)

    @classmethod
    def start(
        cls,
        bundle,
        data: dict[str, Any],
        *,
        names,
        run_action,
        event: tuple[str, str] | None = None,
    ) -> Instance:
        """A new workflow; `event` ("message" | "signal", name) starts it at that start event."""
        spec, subprocess_specs = bundle
        workflow = BpmnWorkflow(
            spec, subprocess_specs, script_engine=cls._engine(names, run_action)
        )
        workflow.task_tree.data.update(data)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(data)
        if event is not None:
            events.start_at_event(workflow, event[0], event[1], data)
        return cls(workflow)

    @classmethod
    def load(cls, bundle, state: str, *, names, run_action) -> Instance:
        spec, subprocess_specs = bundle
        return cls.resume(
            load_state(state, spec, subprocess_specs), names=names, run_action=run_action
        )

    @classmethod
    def resume(cls, workflow: BpmnWorkflow, *, names, run_action) -> Instance:
        """A workflow in memory (just loaded, or kept from the case's last step), for this step."""
        workflow.script_engine = cls._engine(names, run_action)
        return cls(workflow)

    def dump(self) -> str:
        return dump_state(self.workflow)

    # Running

    def run(self) -> None:
        """Run every automatic step until only people, timers or messages are awaited."""
        self.workflow.do_engine_steps(
            will_complete_task=self._before_step, did_complete_task=self._after_step
        )

    def _before_step(self, task) -> None:
        if isinstance(task.task_spec, ActionServiceTask | DecisionTask):
            task.internal_data["obieg_before"] = dict(task.data)

    def _after_step(self, task) -> None:
        spec = task.task_spec
        element_id = getattr(spec, "bpmn_id", None)
        if not element_id:
            return
        name = spec.bpmn_name or element_id
        if isinstance(spec, ExclusiveGateway | InclusiveGateway):
            taken = [
                child.task_spec.bpmn_id or child.task_spec.name
                for child in task.children
                if child.has_state(TaskState.DEFINITE_MASK | TaskState.FINISHED_MASK)
            ]
            self.happenings.append(Happening("gateway", element_id, name, {"taken": taken}))
        elif isinstance(spec, ActionServiceTask | DecisionTask):
            before = task.internal_data.pop("obieg_before", {})
            changes = {k: v for k, v in task.data.items() if k not in before or before[k] != v}
            kind = "action" if isinstance(spec, ActionServiceTask) else "decision"
            self.happenings.append(Happening(kind, element_id, name, changes))
        elif isinstance(spec, CatchingEvent) and not spec.manual:
            definition = spec.event_definition
            if isinstance(definition, TimerEventDefinition):
                self.happenings.append(Happening("timer_fired", element_id, name))
            elif isinstance(definition, MessageEventDefinition):
                self.happenings.append(
                    Happening("message", element_id, name, {"message": definition.name})
                )
            elif isinstance(definition, SignalEventDefinition):
                self.happenings.append(
                    Happening("message", element_id, name, {"signal": definition.name})
                )
            elif isinstance(definition, EscalationEventDefinition):
                self.happenings.append(
                    Happening("message", element_id, name, {"escalation": definition.code})
                )

    def complete(self, task_id: str, data: dict[str, Any]) -> None:
        task = self.workflow.get_task_from_id(UUID(task_id))
        task.data.update(data)
        task.data.update(_outputs(task, data))
        task.run()
        self.run()

    def throw_error(self, task_id: str, code: str, variables: dict[str, Any]) -> bool:
        """A BPMN error from an external task: True when a boundary event caught it.

        The error boundary events attached to the task come first; else the
        error goes to whatever in the task's (sub-)process waits for that code.
        """
        task = self.workflow.get_task_from_id(UUID(task_id))
        event = BpmnEvent(
            ErrorEventDefinition(code, code=code), payload=dict(variables), target=task.workflow
        )
        parent = task.parent
        attached = []
        if parent is not None and isinstance(parent.task_spec, BoundaryEventSplit):
            attached = [
                child
                for child in parent.children
                if child is not task
                and isinstance(child.task_spec, BoundaryEvent)
                and child.task_spec.catches(child, event)
            ]
        if attached:
            for catcher in attached:
                catcher.task_spec.catch(catcher, event)
                catcher.task_spec._update(catcher)
        elif not self.workflow.top_workflow.event_manager.catch(event):
            return False
        self.run()
        return True

    def deliver(self, message_name: str, payload: dict[str, Any]) -> bool:
        """Hand a message to the case; False when nothing in it waits for that message."""
        if message_name not in self.waiting_messages():
            return False
        event = BpmnEvent(MessageEventDefinition(message_name), payload=payload)
        self.workflow.send_event(event)
        self.run()
        return True

    def deliver_signal(self, signal_name: str, payload: dict[str, Any]) -> bool:
        """Hand a signal to the case; False when nothing in it waits for that signal."""
        if signal_name not in self.waiting_signals():
            return False
        self.workflow.send_event(events.signal_event(signal_name, payload))
        self.run()
        return True

    def thrown_signals(self) -> list[tuple[str, dict[str, Any]]]:
        """The signals thrown since the last call (name, payload), for other cases to hear."""
        return self.workflow.__dict__.pop("obieg_signals", [])

    def fire_timers(self) -> None:
        for _ in range(MAX_TIMER_ROUNDS):
            self.workflow.refresh_timers()
            if not self.workflow.get_tasks(state=TaskState.READY, manual=False):
                return
            self.run()

    def cancel(self) -> None:
        self.workflow.cancel()

    def return_points(self) -> list[dict[str, str]]:
        """The user tasks the case passed or waits at, latest reached first, one per element."""
        tasks = self.workflow.get_tasks(state=TaskState.COMPLETED | TaskState.READY, manual=True)
        latest: dict[str, Any] = {}
        for task in tasks:
            if isinstance(task.task_spec, ExternalServiceTask):
                continue
            element_id = task.task_spec.bpmn_id
            if not element_id:
                continue
            known = latest.get(element_id)
            if known is None or task.last_state_change > known.last_state_change:
                latest[element_id] = task
        ordered = sorted(latest.values(), key=lambda task: task.last_state_change, reverse=True)
        return [
            {
                "id": str(task.id),
                "element_id": task.task_spec.bpmn_id,
                "name": task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            }
            for task in ordered
        ]

    def move_back(self, task_id: str) -> None:
        """Reopen a user task: the steps after it are undone, it waits for a person again."""
        self.workflow.reset_from_task_id(UUID(task_id))
        self.run()

    # Reading

    @property
    def completed(self) -> bool:
        return self.workflow.is_completed()

    def survey(self) -> Survey:
        """The tasks under way, in tree order, from one walk of the task tree.

        Each walk of SpiffWorkflow's tree visits every task (finished ones too),
        so a step asks once what is open and reads the answer where it needs it.
        """
        user_tasks: list[OpenTask] = []
        external_tasks: list[OpenTask] = []
        live = self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
        for task in live:
            if task.state != TaskState.READY or not task.task_spec.manual:
                continue
            if isinstance(task.task_spec, ExternalServiceTask):
                external_tasks.append(_open_task(task))
            else:
                user_tasks.append(_open_task(task))
        return Survey(user_tasks, external_tasks, live)

    def open_tasks(self) -> list[OpenTask]:
        """The user tasks waiting for a person (external tasks wait for a worker: see below)."""
        return self.survey().user_tasks

    def open_external_tasks(self) -> list[OpenTask]:
        """The service tasks waiting for an external worker to fetch and complete them."""
        return self.survey().external_tasks

    def _waiting_event_tasks(self):
        return list(self.workflow.event_manager.tasks.values())

    def waiting_messages(self) -> set[str]:
        return {
            task.task_spec.event_definition.name
            for task in self._waiting_event_tasks()
            if isinstance(task.task_spec.event_definition, MessageEventDefinition)
        }

    def waiting_signals(self) -> set[str]:
        return {
            task.task_spec.event_definition.name
            for task in self._waiting_event_tasks()
            if isinstance(task.task_spec.event_definition, SignalEventDefinition)
        }

    def waiting_keys(self) -> set[str]:
        """Correlation keys the waiting message events name (Zeebe's subscription keys)."""
        keys = set()
        for task in self._waiting_event_tasks():
            expression = (getattr(task.task_spec, "extensions", None) or {}).get("correlation_key")
            if not expression:
                continue
            names = self.workflow.script_engine.names_for(task)
            try:
                value = events.correlation_value(camunda.evaluate(expression, names))
            except camunda.NotSupported:
                continue  # deploy warned: such a case answers to its other keys
            if value:
                keys.add(value)
        return keys

    def next_timer_at(self) -> datetime | None:
        moments = [m for m in map(next_moment, self._waiting_event_tasks()) if m is not None]
        return min(moments) if moments else None

    def snapshot(self, survey: Survey | None = None) -> dict[str, Any]:
        """The case data as it stands: the open branches' data over the last step's."""
        data: dict[str, Any] = dict(self.workflow.last_task.data) if self.workflow.last_task else {}
        for task in (survey or self.survey()).live_tasks:
            data.update(task.data)
        if self.workflow.is_completed():
            # Branches that ended earlier (an event sub-process beside the main flow) keep
            # what they added; the last step's values win where both wrote.
            ended = sorted(
                (
                    task
                    for task in self.workflow.get_tasks(state=TaskState.COMPLETED)
                    if isinstance(task.task_spec, EndEvent) and task.workflow is self.workflow
                ),
                key=lambda task: task.last_state_change,
            )
            merged: dict[str, Any] = {}
            for task in ended:
                merged.update(task.data)
            data = {**merged, **data}
            if not data:
                data.update(self.workflow.data)
        return data

    def element_states(self) -> dict[str, str]:
        """Each diagram element's state: "active", "waiting", "completed" or "cancelled".

        WAITING is an event held for a timer or a message; READY and STARTED are
        steps under way (a person's task, a sub-process running its tasks).
        """
        states: dict[str, str] = {}
        rank = {"cancelled": 0, "completed": 1, "waiting": 2, "active": 3}
        for task in self.workflow.get_tasks(state=TaskState.ANY_MASK):
            element_id = getattr(task.task_spec, "bpmn_id", None)
            if not element_id or event_subprocesses.is_made_here(element_id):
                continue
            if task.has_state(TaskState.READY | TaskState.STARTED):
                state = "active"
            elif task.has_state(TaskState.WAITING):
                state = "waiting"
            elif task.has_state(TaskState.COMPLETED):
                state = "completed"
            elif task.has_state(TaskState.CANCELLED | TaskState.ERROR):
                state = "cancelled"
            else:
                continue
            if rank[state] >= rank.get(states.get(element_id, "cancelled"), 0):
                states[element_id] = state
        return states


def _open_task(task) -> OpenTask:
    return OpenTask(
        id=str(task.id),
        element_id=task.task_spec.bpmn_id,
        name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
        lane=task.task_spec.lane,
        extensions=dict(getattr(task.task_spec, "extensions", None) or {}),
        data=task.data,
    )


def _outputs(task, data: dict[str, Any]) -> dict[str, Any]:
    """A task's output mappings (Zeebe ioMapping, Camunda outputParameter) over what it returned."""
    written = (getattr(task.task_spec, "extensions", None) or {}).get("outputs")
    if not written:
        return {}
    return camunda.apply_mappings(json.loads(written), {**task.data, **data})
