"""Event sub-processes, run as boundary events on the rest of their scope.

SpiffWorkflow 3.2.0 starts an event sub-process (`triggeredByEvent="true"`)
beside its process but never interrupts anything, reacts only at the top
level, and a process holding a timer-started one cannot finish while its timer
waits. BPMN means something simpler that SpiffWorkflow does run well: an
event sub-process of a scope (a process or a sub-process) is a boundary event
on everything else in that scope. So, in the tree SpiffWorkflow parses (the
stored file stays as drawn), each scope with event sub-processes becomes:

    start event ─▶ [ <scope>__body: the scope's own flow ] ─▶ <scope>__end
                       ├─(start event of E, as a boundary event)─▶ [ E ] ─▶ E__end
                       └─ …

- the boundary event keeps the id and name of E's start event, and its event
  (timer, message, signal, error, escalation); `isInterrupting` becomes
  `cancelActivity`: an interrupting one cancels the body, so when E ends the
  scope ends; a non-interrupting one runs E beside it (a timer cycle or a
  message may start it again);
- the handler keeps E's id, so history, element states and the live diagram
  name the event sub-process and its tasks as drawn;
- when it fires, E starts from the scope's data as it stands then, not as it
  was when the scope began (`EventSubprocessTrigger`).

A scope with event sub-processes must have exactly one start event (its body
begins where that one led); otherwise the model is refused, naming the scope.
"""

from __future__ import annotations

from lxml import etree
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
INTERNAL = "urn:obieg:rewritten:1"  # marks what the rewrite made; never in a stored file
TRIGGER = f"{{{INTERNAL}}}eventSubProcess"
_KEPT = {
    "documentation",
    "extensionElements",
    "auditing",
    "monitoring",
    "property",
    "laneSet",
    "ioSpecification",
    "ioBinding",
    "dataObject",
    "performer",
    "humanPerformer",
    "potentialOwner",
    "resourceRole",
}
_EVENT_DEFINITIONS = {
    "messageEventDefinition",
    "timerEventDefinition",
    "signalEventDefinition",
    "errorEventDefinition",
    "escalationEventDefinition",
    "conditionalEventDefinition",
}


_MADE = ("__body", "__begin", "__end", "__enter", "__leave")


def is_made_here(element_id: str) -> bool:
    """An element the rewrite made (not in the drawn file, so not on its diagram)."""
    return element_id.endswith(_MADE)


class RewriteError(Exception):
    """A scope whose event sub-processes cannot be run; `node` is the element to name."""

    def __init__(self, node, message: str):
        super().__init__(message)
        self.node = node


def _tag(name: str) -> str:
    return f"{{{BPMN}}}{name}"


def _local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _is_event_subprocess(node) -> bool:
    return _local(node) == "subProcess" and node.get("triggeredByEvent") == "true"


def rewrite(root) -> None:
    """Turn every scope's event sub-processes into boundary events (in place; see above)."""
    scopes = [
        node
        for node in root.iter(_tag("process"), _tag("subProcess"), _tag("transaction"))
        if any(_is_event_subprocess(child) for child in node)
    ]
    # Innermost first: an event sub-process may itself hold event sub-processes.
    for scope in reversed(scopes):
        _rewrite_scope(scope)


def _flow(parent, flow_id: str, source: str, target: str):
    return etree.SubElement(
        parent, _tag("sequenceFlow"), id=flow_id, sourceRef=source, targetRef=target
    )


def _starts(scope) -> list:
    return [child for child in scope if _local(child) == "startEvent"]


def _resource_flows(scope, source_id: str) -> list:
    return [c for c in scope if _local(c) == "sequenceFlow" and c.get("sourceRef") == source_id]


def _rewrite_scope(scope) -> None:
    handlers = [child for child in scope if _is_event_subprocess(child)]
    starts = _starts(scope)
    if len(starts) != 1:
        raise RewriteError(
            scope,
            f"a scope with an event sub-process needs exactly one start event (it has "
            f"{len(starts)}); put the flows that start differently in a sub-process of their own",
        )
    (start,) = starts
    scope_id = scope.get("id")
    body = etree.Element(_tag("subProcess"), id=f"{scope_id}__body", name=scope.get("name") or "")
    begin = etree.SubElement(body, _tag("startEvent"), id=f"{scope_id}__begin")
    for child in list(scope):
        if child is start or _is_event_subprocess(child) or _local(child) in _KEPT:
            continue
        if not isinstance(child.tag, str):
            continue
        body.append(child)
    for flow in _resource_flows(body, start.get("id")):
        flow.set("sourceRef", begin.get("id"))
    for outgoing in start.findall(_tag("outgoing")):
        start.remove(outgoing)
    scope.append(body)
    end = etree.SubElement(scope, _tag("endEvent"), id=f"{scope_id}__end")
    _flow(scope, f"{scope_id}__enter", start.get("id"), body.get("id"))
    _flow(scope, f"{scope_id}__leave", body.get("id"), end.get("id"))
    for handler in handlers:
        _as_boundary(scope, body, handler)


def _as_boundary(scope, body, handler) -> None:
    starts = _starts(handler)
    if len(starts) != 1:
        raise RewriteError(handler, "an event sub-process needs exactly one start event")
    (start,) = starts
    definitions = [child for child in start if _local(child) in _EVENT_DEFINITIONS]
    if not definitions:
        raise RewriteError(
            start,
            "the start event of an event sub-process needs an event (timer, message, signal, "
            "error or escalation)",
        )
    handler_id = handler.get("id")
    boundary = etree.SubElement(
        scope,
        _tag("boundaryEvent"),
        id=start.get("id"),
        attachedToRef=body.get("id"),
        cancelActivity=start.get("isInterrupting", "true"),
    )
    if start.get("name"):
        boundary.set("name", start.get("name"))
    boundary.set(TRIGGER, "true")
    for child in start:
        if _local(child) in _EVENT_DEFINITIONS or _local(child) == "extensionElements":
            boundary.append(child)
    handler.remove(start)
    begin = etree.Element(_tag("startEvent"), id=f"{start.get('id')}__begin")
    handler.insert(0, begin)
    for flow in _resource_flows(handler, start.get("id")):
        flow.set("sourceRef", begin.get("id"))
    handler.attrib.pop("triggeredByEvent", None)
    end = etree.SubElement(scope, _tag("endEvent"), id=f"{handler_id}__end")
    _flow(scope, f"{handler_id}__enter", boundary.get("id"), handler_id)
    _flow(scope, f"{handler_id}__leave", handler_id, end.get("id"))


class EventSubprocessTrigger(BoundaryEvent):
    """The start event of an event sub-process, waiting on the body of its scope.

    When it fires, the handler starts from the scope's current data (a plain
    boundary event would hand on the data the scope began with). A
    non-interrupting one that waited for a message, a signal or an escalation
    waits again at once, so the next one starts the handler again, as BPMN
    says; a timer cycle repeats by itself.
    """

    def _run_hook(self, my_task):
        my_task.data.update(_scope_data(my_task))
        result = super()._run_hook(my_task)  # puts what the event carried over it
        if not self.cancel_activity and not isinstance(self.event_definition, TimerEventDefinition):
            again = my_task.parent._add_child(self, TaskState.FUTURE)
            again.task_spec._predict(again, mask=TaskState.NOT_FINISHED_MASK)  # its paths
            again.task_spec._update(again)
        return result


def _scope_data(my_task) -> dict:
    """The data of the body the trigger waits on as it stands: its last step's, open ones over."""
    split = my_task.parent
    body = next(
        (child for child in split.children if not isinstance(child.task_spec, BoundaryEvent)),
        None,
    )
    if body is None:
        return {}
    subworkflow = my_task.workflow.top_workflow.subprocesses.get(body.id)
    if subworkflow is None:
        return dict(body.data)
    data = dict(subworkflow.last_task.data) if subworkflow.last_task else dict(body.data)
    for task in subworkflow.get_tasks(
        state=TaskState.READY | TaskState.WAITING | TaskState.STARTED
    ):
        data.update(task.data)
    return data
