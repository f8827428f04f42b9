"""Compensation: undoing completed work, as BPMN draws it (SpiffWorkflow 3.2.0 has none).

What a model says, and what Obieg does with it:

- an activity with a compensation boundary event, associated with a
  compensation handler (an activity marked `isForCompensation="true"`, any
  kind: a service task with an action, an external task, a user task …): once
  the activity has completed, the handler is what undoes it;
- a compensation throw event (intermediate or end) runs the handlers of the
  completed activities of its scope — all of them, latest completed first, one
  after the other, or only those of the activity named in `activityRef` — and
  goes on once they are done (`waitForCompletion="false"`: at once). A throw
  in an event sub-process compensates the scope the event sub-process belongs
  to. Each completed activity is compensated once; an activity that did not
  complete (or ran in a loop: each completed instance) is compensated as many
  times as it completed.

Each handler sees the case data as it stands, with the compensated
activity's own data over it (the booking number that activity got). What a
handler changes goes on with the case.

How: the boundary events and associations are read off the tree before
SpiffWorkflow parses it (`prepare`); each compensated activity's spec names
its handler (`extensions["compensation_handler"]`); the handlers are parsed as
specs of their scope without incoming flows (`HandlerParsing`); a throw is a
`CompensationThrow` task that runs them as its own children, as a
multi-instance activity runs its instances.
"""

from __future__ import annotations

from lxml import etree
from SpiffWorkflow.bpmn.specs.defaults import EndEvent, IntermediateThrowEvent
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.util.task import TaskState

from obieg.engine.spiff.event_subprocesses import INTERNAL

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
HANDLER = f"{{{INTERNAL}}}compensationHandler"  # on an activity: the id of its handler
_HANDLER_OF = "obieg_compensating"  # a handler task's internal data: the task it undoes
_DONE = "obieg_compensated"  # a compensated task's internal data


def _local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def prepare(root) -> None:
    """Mark each compensated activity with its handler; drop the boundary events (in place)."""
    associations = {
        node.get("sourceRef"): node.get("targetRef") for node in root.iter(f"{{{BPMN}}}association")
    }
    by_id = {node.get("id"): node for node in root.iter() if isinstance(node.tag, str)}
    for boundary in list(root.iter(f"{{{BPMN}}}boundaryEvent")):
        if boundary.find(f"{{{BPMN}}}compensateEventDefinition") is None:
            continue
        activity = by_id.get(boundary.get("attachedToRef"))
        handler = associations.get(boundary.get("id"))
        if activity is not None and handler:
            activity.set(HANDLER, handler)
        boundary.getparent().remove(boundary)


def is_throw(node) -> bool:
    return node.find(f"{{{BPMN}}}compensateEventDefinition") is not None


def handler_of(node) -> dict[str, str]:
    """The `extensions` entry naming a compensated activity's handler (none: {})."""
    handler = node.get(HANDLER)
    return {"compensation_handler": handler} if handler else {}


def throw_spec(task_parser, spec_class):
    """A compensation throw event's spec (`activityRef`, `waitForCompletion` read off it)."""
    definition = task_parser.node.find(f"{{{BPMN}}}compensateEventDefinition")
    return spec_class(
        task_parser.spec,
        task_parser.bpmn_id,
        activity=definition.get("activityRef") or None,
        wait=definition.get("waitForCompletion", "true") != "false",
        **task_parser.bpmn_attributes,
    )


class CompensationThrow:
    """A throw event that runs the compensation handlers of its scope's completed work."""

    def __init__(self, wf_spec, bpmn_id, *, activity=None, wait=True, **kwargs):
        super().__init__(wf_spec, bpmn_id, event_definition=NoneEventDefinition(), **kwargs)
        self.activity = activity  # activityRef: only this activity's handler
        self.wait = wait

    def _update_hook(self, my_task):
        my_task._inherit_data()
        work = _to_compensate(my_task, self.activity)
        if not work:
            return True
        my_task.internal_data["compensation"] = [[str(task.id), handler] for task, handler in work]
        if not self.wait:
            while my_task.internal_data["compensation"]:
                self._next(my_task)
            return True
        self._next(my_task)
        my_task._set_state(TaskState.STARTED)
        return None

    def _next(self, my_task) -> None:
        task_id, handler_name = my_task.internal_data["compensation"].pop(0)
        compensated = _task(my_task, task_id)
        handler_spec = compensated.workflow.spec.task_specs[handler_name]
        if not handler_spec.completed_event.is_connected(handler_done):
            handler_spec.completed_event.connect(handler_done)
        compensated.internal_data[_DONE] = True
        data = {**my_task.data, **compensated.data}
        child = my_task._add_child(handler_spec, TaskState.WAITING)
        child.triggered = True
        child.internal_data[_HANDLER_OF] = task_id
        child.data.update(data)
        child.task_spec._update(child)
        child.data.update(compensated.data)  # the compensated activity's own values win

    def _run_hook(self, my_task):
        return True


def handler_done(workflow, child) -> None:
    """A handler finished: its changes go on with the case; the next handler, or the throw, runs."""
    my_task = child.parent
    if my_task is None or not isinstance(my_task.task_spec, CompensationThrow):
        return
    my_task.data.update(child.data)
    if not my_task.task_spec.wait:
        return
    if my_task.internal_data.get("compensation"):
        my_task.task_spec._next(my_task)
    else:
        my_task._set_state(TaskState.READY)


class CompensationIntermediateThrow(CompensationThrow, IntermediateThrowEvent):
    pass


class CompensationEndThrow(CompensationThrow, EndEvent):
    pass


def _task(my_task, task_id: str):
    from uuid import UUID

    return my_task.workflow.top_workflow.get_task_from_id(UUID(task_id))


def _scopes(my_task) -> list:
    """The workflows whose completed work a throw compensates: its own, and for a throw in an
    event sub-process, the body of the scope it belongs to (see event_subprocesses)."""
    workflow = my_task.workflow
    scopes = [workflow]
    top = workflow.top_workflow
    parent_workflow = workflow.parent_workflow
    if parent_workflow is not None:
        for task in parent_workflow.get_tasks():
            if (
                task.workflow is parent_workflow
                and task.task_spec.name.endswith("__body")
                and task.id in top.subprocesses
            ):
                scopes.append(top.subprocesses[task.id])
    return scopes


def _to_compensate(my_task, activity: str | None) -> list:
    found = []
    for scope in _scopes(my_task):
        for task in scope.get_tasks(state=TaskState.COMPLETED):
            handler = (getattr(task.task_spec, "extensions", None) or {}).get(
                "compensation_handler"
            )
            if not handler or task.workflow is not scope or task.internal_data.get(_DONE):
                continue
            if activity and task.task_spec.bpmn_id != activity:
                continue
            found.append((task, handler))
    found.sort(key=lambda pair: pair[0].last_state_change, reverse=True)
    return found


class HandlerParsing:
    """A ProcessParser mixin: the compensation handlers of a scope become specs of it too."""

    def add_tasks(self):
        super().add_tasks()
        throws = [s for s in self.spec.task_specs.values() if isinstance(s, CompensationThrow)]
        for node in self.xpath("./*[@isForCompensation='true']"):
            spec = self.parse_node(node)
            spec.completed_event.connect(handler_done)
            # Reached from a throw, not by a flow (SpiffWorkflow wants every task to have an input).
            spec.inputs = list(throws) or [self.spec.start]
