"""Deploy findings for BPMN constructs beyond tasks and gateways (docs/engine.md, "Events, loops
and compensation").

Called by `model_check` for every BPMN element. Obieg runs message and signal
start events, signal and escalation events, event sub-processes, compensation,
send and receive tasks, data objects, multi-instance activities, inclusive
gateways and timer cycles; what it cannot run of them is refused here, naming
the element and saying what to write instead, so SpiffWorkflow's parser never
meets it (its messages name no element, or none the person drew).
"""

from __future__ import annotations

from collections.abc import Callable

from obieg.engine import expressions
from obieg.engine.camunda import ZEEBE
from obieg.engine.spiff.loops import LoopSettings

Report = Callable[[object, str], None]
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _q(name: str) -> str:
    return f"{{{BPMN}}}{name}"


def check_element(node, tag: str, root, *, refuse: Report, warn: Report) -> None:
    if tag == "receiveTask":
        _check_receive_task(node, refuse)
    elif tag == "boundaryEvent":
        _check_compensation_boundary(node, root, refuse)
    elif tag == "multiInstanceLoopCharacteristics":
        _check_loop(node, refuse)
    elif tag == "subProcess" and node.get("triggeredByEvent") == "true":
        _check_event_subprocess(node, refuse)
    elif tag in ("intermediateThrowEvent", "endEvent"):
        _check_throw(node, root, refuse, warn)
    elif tag == "message":
        _check_subscription(node, warn)
    if tag in ("process", "subProcess", "transaction") and node.get("triggeredByEvent") != "true":
        _check_scope(node, refuse)


def _check_receive_task(node, refuse: Report) -> None:
    if node.get("instantiate") == "true":
        refuse(
            node,
            "a receive task that starts the process (instantiate) is not supported: draw a "
            "message start event instead",
        )
    if not node.get("messageRef"):
        refuse(node, "a receive task needs the message it waits for (messageRef)")


def _check_compensation_boundary(node, root, refuse: Report) -> None:
    if node.find(_q("compensateEventDefinition")) is None:
        return
    handlers = [
        association.get("targetRef")
        for association in root.iter(_q("association"))
        if association.get("sourceRef") == node.get("id")
    ]
    found = [root.xpath("//*[@id=$id]", id=target) for target in handlers]
    if not any(f and f[0].get("isForCompensation") == "true" for f in found):
        refuse(
            node,
            "a compensation boundary event needs a compensation handler: connect it with an "
            'association to an activity marked isForCompensation="true" (a compensation task)',
        )


def _check_loop(node, refuse: Report) -> None:
    settings = LoopSettings(node, zeebe_model=False)
    problem = settings.problem()
    if problem:
        refuse(node, problem)
    for label, text in (
        ("input collection", settings.collection),
        ("output element", settings.output_element),
    ):
        if text and _unreadable(text):
            refuse(
                node,
                f"the {label} {text!r} is not a FEEL or JUEL expression Obieg can evaluate "
                "(a method call or Java code?); write = items or ${items}",
            )


def _unreadable(text: str) -> bool:
    try:
        expressions.validate(text)
    except (expressions.ExpressionError, SyntaxError):
        return True
    return False


def _check_event_subprocess(node, refuse: Report) -> None:
    starts = node.findall(_q("startEvent"))
    if len(starts) != 1:
        refuse(node, "an event sub-process needs exactly one start event")
        return
    (start,) = starts
    if start.find(_q("compensateEventDefinition")) is not None:
        refuse(
            start,
            "a compensation event sub-process is not supported: attach a compensation boundary "
            "event to each activity to undo and connect it to its compensation handler",
        )
    elif not any(
        start.find(_q(name)) is not None
        for name in (
            "messageEventDefinition",
            "timerEventDefinition",
            "signalEventDefinition",
            "errorEventDefinition",
            "escalationEventDefinition",
            "conditionalEventDefinition",
        )
    ):
        refuse(
            start,
            "the start event of an event sub-process needs an event: a timer, a message, a "
            "signal, an error or an escalation",
        )


def _check_scope(node, refuse: Report) -> None:
    """A scope holding event sub-processes must start in one place (spiff.event_subprocesses)."""
    if not any(
        child.tag == _q("subProcess") and child.get("triggeredByEvent") == "true" for child in node
    ):
        return
    starts = node.findall(_q("startEvent"))
    if len(starts) != 1:
        refuse(
            node,
            f"a process or sub-process with an event sub-process needs exactly one start event "
            f"(it has {len(starts)}): move the other ways in into a sub-process of their own",
        )


def _check_throw(node, root, refuse: Report, warn: Report) -> None:
    compensate = node.find(_q("compensateEventDefinition"))
    if compensate is not None:
        activity = compensate.get("activityRef")
        if activity and not _compensated(root, activity):
            refuse(
                node,
                f"the compensation throw names activity {activity!r}, which has no compensation "
                "boundary event with a handler; name such an activity or leave activityRef out",
            )
    if node.find(_q("messageEventDefinition")) is not None:
        warn(
            node,
            "a message throw event reaches only this case's own message catch events; to send a "
            "message to another case or a system use a send task with an action or an external "
            "topic (or send it with the messages API)",
        )


def _compensated(root, activity: str) -> bool:
    return any(
        boundary.get("attachedToRef") == activity
        and boundary.find(_q("compensateEventDefinition")) is not None
        for boundary in root.iter(_q("boundaryEvent"))
    )


def _check_subscription(node, warn: Report) -> None:
    subscription = node.find(f"{_q('extensionElements')}/{{{ZEEBE}}}subscription")
    key = (subscription.get("correlationKey") or "").strip() if subscription is not None else ""
    if key and _unreadable(key if key.startswith(("=", "${", "#{")) else f"= {key}"):
        warn(
            node,
            f"correlation key {key!r} cannot be evaluated, so a case waiting for this message is "
            "found only by its other keys; write = orderId (a FEEL path)",
        )
