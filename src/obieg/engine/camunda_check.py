"""Deploy findings for what a Camunda 7 / Zeebe model says that Obieg reads differently.

Called by `model_check` for every BPMN element. Nearly everything here is
a warning: the model deploys and runs, and the person who drew it learns
what Obieg leaves out (listeners, Java code) or will do its own way (an
unknown group's tasks wait in the unassigned queue). Only what cannot run
at all is refused (a called process computed by an expression).
"""

from __future__ import annotations

from collections.abc import Callable

from obieg.engine import camunda, people
from obieg.engine.camunda import CAMUNDA, ZEEBE

Report = Callable[[object, str], None]

_LISTENERS = (
    (CAMUNDA, "taskListener", "task listener"),
    (CAMUNDA, "executionListener", "execution listener"),
    (ZEEBE, f"taskListeners/{{{ZEEBE}}}taskListener", "task listener"),
    (ZEEBE, f"executionListeners/{{{ZEEBE}}}executionListener", "execution listener"),
)
_USER_TASKS = ("userTask", "manualTask", "task")
_WITH_MAPPINGS = ("userTask", "serviceTask", "sendTask", "callActivity", "businessRuleTask")


def check_element(node, tag: str, *, refuse: Report, warn: Report) -> None:
    _check_listeners(node, warn)
    if tag in _USER_TASKS:
        _check_form(node, warn)
        _check_schedule(node, warn)
    if tag in _WITH_MAPPINGS:
        _check_mappings(node, tag, warn)
    if tag == "callActivity":
        _check_call(node, refuse, warn)
    if tag == "businessRuleTask":
        _check_decision(node, refuse, warn)


def _check_listeners(node, warn: Report) -> None:
    for namespace, name, label in _LISTENERS:
        for listener in camunda.extension_children(node, namespace, name):
            what = (
                listener.get("class")
                or listener.get("delegateExpression")
                or listener.get("expression")
                or listener.get("type")
                or ""
            )
            event = listener.get("event") or listener.get("eventType") or ""
            detail = ", ".join(part for part in (event and f"on {event}", what) if part)
            warn(
                node,
                f"{label} ({detail or 'as drawn'}) is left out: Obieg runs no code from a model; "
                "put the work in a service task with an action (or an external task) instead",
            )


def _check_form(node, warn: Report) -> None:
    key = camunda.form_key(node)
    if key and not camunda.registered_form(key):
        names = " or ".join(repr(name) for name in camunda.form_candidates(key))
        warn(
            node,
            f"form {key!r} is not a registered Obieg form: the task shows the case data and a "
            f"comment field; register a form named {names} or write obieg:form",
        )
    if camunda.extension_children(node, CAMUNDA, "formData"):
        warn(
            node,
            "generated form fields (camunda:formData) are not shown: the task shows the case "
            "data and a comment field; register an Obieg form and name it in obieg:form",
        )


def _check_schedule(node, warn: Report) -> None:
    labels = {"due": "due date", "follow_up": "follow-up date"}
    for key, text in camunda.schedule(node).items():
        if camunda.moment_expression(text) is None:
            warn(
                node,
                f"{labels[key]} {text!r} cannot be read yet (an ISO 8601 date, duration or a "
                "variable such as ${dueDate} or =dueDate can): the task gets none",
            )


def _check_mappings(node, tag: str, warn: Report) -> None:
    inputs, outputs = camunda.mappings(node)
    if inputs and tag == "userTask":
        warn(
            node,
            "input mappings of a user task are not applied: the person sees the case data; "
            "map the values in an earlier step",
        )
    checked = outputs if tag == "userTask" else inputs + outputs
    for target, source in checked:
        if source and not camunda.read_value(source).supported:
            warn(
                node,
                f"mapping of {target!r} from {source!r} has no FEEL meaning, so the variable "
                "is not set; write a FEEL expression (= a.b) or simple JUEL (${a.b})",
            )
    if tag == "callActivity":
        for name in ("in", "out"):
            if camunda.extension_children(node, CAMUNDA, name):
                warn(
                    node,
                    f"camunda:{name} variable mappings are left out: the called process gets "
                    "all the case data and returns all of its own",
                )
                break


def _check_call(node, refuse: Report, warn: Report) -> None:
    called = camunda.zeebe_child(node, "calledElement")
    written = node.get("calledElement") or ""
    if called is not None and not written:
        written = called.get("processId") or ""
    if written.startswith(("=", "${", "#{")):
        refuse(
            node,
            f"the called process {written!r} is computed by an expression, which Obieg cannot "
            "deploy (it must know the process); name the process id",
        )


def _check_decision(node, refuse: Report, warn: Report) -> None:
    called = camunda.zeebe_child(node, "calledDecision")
    decision = camunda.camunda_attr(node, "decisionRef") or ""
    if called is not None and not decision:
        decision = called.get("decisionId") or ""
    if decision.startswith(("=", "${", "#{")):
        refuse(
            node,
            f"the decision {decision!r} is computed by an expression; name the decision id",
        )
    result = camunda.camunda_attr(node, "resultVariable") or (
        called.get("resultVariable") if called is not None else None
    )
    if result:
        warn(
            node,
            f"result variable {result!r} is not set: the decision's outputs are added to the "
            "case data under their own names",
        )


def check_people(node, *, warn: Report) -> None:
    """Warn about each assignee or candidate that reaches nobody (its tasks wait unassigned)."""
    written = camunda.assignment(node)
    labels = {
        "assignee": "assignee",
        "candidate_users": "candidate user",
        "candidate_groups": "candidate group",
    }
    matched: list[str] = []
    for key in ("assignee", "candidate_users", "candidate_groups"):
        for value in camunda.names_in(written.get(key)):
            label = labels[key]
            if value.literal is not None:
                target = people.resolve(value.literal, person_first=key != "candidate_groups")
                if target is None:
                    warn(
                        node,
                        f"{label} {value.literal!r} matches no role, department, user or name "
                        "mapping: its tasks wait in the unassigned work queue for an "
                        "administrator; add a name mapping (Processes → Names in models) or "
                        "use an Obieg role or department name",
                    )
                else:
                    matched.append(f"{value.literal} → {people.describe(target)}")
            elif not value.readable:
                how = "a method call" if "(" in value.text else "not a FEEL or JUEL expression"
                warn(
                    node,
                    f"{label} {value.text!r} is {how} and cannot be evaluated: its tasks wait in "
                    "the unassigned work queue; store the name in a case variable and write "
                    "${variable} (or =variable)",
                )
            else:
                matched.append(value.text)
    if len(matched) > 1 and "assignee" not in written:
        warn(
            node,
            f"several candidates ({', '.join(matched)}): Obieg gives each task to the first that "
            "matches when it is created; the others are not asked",
        )
