"""Checks a model's XML before deploy: every expression safe, every name known.

Each finding names the file and the element (id and name) and says what is
wrong, so the person who drew the model can find it (`findings.Finding`).
SpiffWorkflow's parser checks structure afterwards; this checks what Obieg
adds (expressions, actions, forms, routing) and refuses what Obieg does not
allow (script tasks). What a model drawn in Camunda Modeler says that Obieg
reads differently or leaves out is a warning (`camunda_check`): the model
deploys, and the warnings are kept with the definition.
"""

from __future__ import annotations

from lxml import etree

from obieg.engine import (
    camunda,
    camunda_check,
    constructs_check,
    decisions,
    expressions,
    feel_expressions,
    form_schema,
    labels,
    moments,
    people,
    registry,
)
from obieg.engine.findings import Findings
from obieg.engine.form_schema import checks as form_checks
from obieg.engine.routing import route_for

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
OBIEG = "urn:obieg:bpmn:1"
NS = {"bpmn": BPMN}

ALLOWED_ATTRIBUTES = {
    "userTask": {"form", "due", "assignee", "role", "department"},
    "manualTask": {"form", "due", "assignee", "role", "department"},
    "task": {"form", "due", "assignee", "role", "department"},
    "serviceTask": {"action"},
    "sendTask": {"action"},
    "businessRuleTask": {"decision"},
    "lane": {"role", "department"},
    "definitions": {"language"},  # the language of the model's names (engine/labels.py)
}


def _local(node) -> str:
    return etree.QName(node).localname


def _obieg(node) -> dict[str, str]:
    prefix = "{" + OBIEG + "}"
    return {k[len(prefix) :]: v for k, v in node.attrib.items() if k.startswith(prefix)}


def _owner(node):
    """The nearest element that has an id (an expression's flow or event)."""
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return node


def _owner_id(node) -> str:
    owner = _owner(node)
    return owner.get("id", "?") if owner is not None else "?"


def _owner_name(node) -> str:
    owner = _owner(node)
    return (owner.get("name") or "") if owner is not None else ""


def _expression_problem(text: str | None) -> str | None:
    if text is None or not text.strip():
        return "the expression is empty"
    try:
        expressions.validate(text)
    except SyntaxError as error:
        return f"syntax error in {text.strip()!r}: {error.msg}"
    except expressions.ExpressionError as error:
        return f"unsafe expression {text.strip()!r}: {error}"
    return None


def check_bpmn(root, filename: str) -> Findings:
    findings = Findings()
    foreign = not camunda.is_obieg_model(root)

    def refuse(node, reason: str) -> None:
        findings.refuse(filename, _owner_id(node), reason, _owner_name(node))

    def warn(node, reason: str) -> None:
        findings.warn(filename, _owner_id(node), reason, _owner_name(node))

    lanes_by_node = {}
    for lane in root.iterfind(".//bpmn:lane", NS):
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            lanes_by_node[(ref.text or "").strip()] = lane

    def lane_of(node):
        while node is not None:
            lane = lanes_by_node.get(node.get("id"))
            if lane is not None:
                return lane
            node = node.getparent()
        return None

    _check_processes(root, filename, findings)
    labels.check_translations(root, filename, findings)
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.tag.startswith("{" + BPMN + "}"):
            continue
        tag = _local(node)
        attributes = _obieg(node)
        unknown = set(attributes) - ALLOWED_ATTRIBUTES.get(tag, set())
        if unknown:
            refuse(node, f"unknown attribute(s) obieg:{', obieg:'.join(sorted(unknown))}")
        camunda_check.check_element(node, tag, refuse=refuse, warn=warn)
        constructs_check.check_element(node, tag, root, refuse=refuse, warn=warn)
        if tag == "scriptTask":
            refuse(node, "script tasks are not allowed; use a service task with obieg:action")
        elif tag in ("userTask", "manualTask", "task"):
            _check_user_task(node, tag, attributes, lane_of(node), foreign, refuse, warn)
        elif tag in ("serviceTask", "sendTask"):
            _check_service_task(node, attributes, refuse, warn, label=_LABELS[tag])
        elif tag == "businessRuleTask" and not attributes.get("decision"):
            if not node.get(f"{{{OBIEG}}}decision"):
                refuse(
                    node,
                    "a business-rule task needs obieg:decision (or camunda:decisionRef, "
                    "zeebe:calledDecision decisionId) naming a DMN decision",
                )
        elif tag in ("timeDate", "timeDuration", "timeCycle"):
            try:
                check = moments.validate_cycle if tag == "timeCycle" else moments.validate
                check(node.text or "")
            except moments.MomentError as error:
                refuse(node.getparent().getparent(), f"timer: {error}")
        elif tag in (
            "conditionExpression",
            "condition",
            "loopCondition",
            "loopCardinality",
            "completionCondition",
            "messagePath",
            "formalExpression",
        ):
            problem = _expression_problem(node.text)
            if problem:
                refuse(node, problem)
            elif _old_syntax(node.text):
                warn(node, _OLD_SYNTAX % (node.text or "").strip())
        for name in ("assignee", "due"):
            if _old_syntax(attributes.get(name)):
                warn(node, f"obieg:{name}: " + _OLD_SYNTAX % attributes[name].strip())
    return findings


_OLD_SYNTAX = (
    "%r is written in the Python-like syntax of Obieg's first models, which still runs but "
    "will go: write it in FEEL, e.g. = amount > 1000 (Camunda 7's ${…} is read as FEEL too)"
)


def _old_syntax(text: str | None) -> bool:
    """An expression in the first models' Python-like syntax (not FEEL, JUEL or a literal)."""
    if not text or not text.strip() or moments.is_literal(text):
        return False
    try:
        return feel_expressions.body_of(text) is None
    except feel_expressions.FeelExpressionError:
        return False


def _check_processes(root, filename: str, findings: Findings) -> None:
    """A pool that is not executable is a warning; a file with nothing to run is refused."""
    processes = root.findall("bpmn:process", NS)
    executable = [p for p in processes if p.get("isExecutable", "true") == "true"]
    for process in processes if executable else []:
        if process.get("isExecutable", "true") != "true":
            findings.warn(
                filename,
                process.get("id", "?"),
                "this process (pool) is not executable, so it is not deployed; if it should "
                'run, mark it executable (isExecutable="true", "Executable" in Camunda Modeler)',
                process.get("name") or _pool_name(root, process),
            )
    if not executable:
        findings.refuse(
            filename,
            "-",
            "no executable process in this file: nothing would be deployed; mark the process "
            'that should run executable (isExecutable="true")',
        )


def _pool_name(root, process) -> str:
    for participant in root.iterfind(".//bpmn:participant", NS):
        if participant.get("processRef") == process.get("id"):
            return participant.get("name") or ""
    return ""


_LABELS = {"serviceTask": "service task", "sendTask": "send task"}


def _check_service_task(node, attributes, refuse, warn, *, label: str = "service task") -> None:
    name = attributes.get("action")
    if name:
        if not registry.has_action(name):
            refuse(node, f"unknown action {name!r} (no solution registered it)")
        return
    found = camunda.implementation(node)
    if found is None:
        refuse(
            node,
            f"a {label} needs obieg:action naming a registered action, or an external "
            'topic (camunda:type="external" camunda:topic="…", zeebe:taskDefinition type="…")',
        )
    elif not found.name:
        refuse(node, f'an external {label} needs a topic: write camunda:topic="…"')
    elif not registry.has_action(found.name):
        warn(
            node,
            f"{found.kind} {found.name!r} names no registered Obieg action, so this runs as "
            f"an external task on topic {found.name!r}: the case waits until a worker fetches "
            "and completes it through the API (docs/external-tasks.md); register an action "
            f"named {found.name!r} to run it inside Obieg",
        )


def _check_user_task(node, tag, attributes, lane, foreign, refuse, warn) -> None:
    form = attributes.get("form")
    if form and form.startswith(form_schema.PREFIX):
        for reason in form_checks.user_task_problems(node, form[len(form_schema.PREFIX) :]):
            refuse(node, reason)
    elif form and not registry.has_form(form):
        refuse(node, f"unknown form {form!r} (no solution registered it)")
    if "due" in attributes:
        try:
            moments.validate(attributes["due"])
        except moments.MomentError as error:
            refuse(node, f"due date: {error}")
    if "assignee" in attributes:
        problem = _expression_problem(attributes["assignee"])
        if problem:
            refuse(node, f"assignee: {problem}")
    if attributes.get("assignee"):
        return
    lane_attributes = {f"lane_{k}": v for k, v in _obieg(lane).items()} if lane is not None else {}
    lane_name = lane.get("name") if lane is not None else None
    if route_for({k: v for k, v in attributes.items() if k in ("role", "department")}, None):
        return
    if camunda.assignment(node):
        camunda_check.check_people(node, warn=warn)
        return
    if route_for(lane_attributes, lane_name):
        return
    if lane_name and people.resolve(lane_name) is not None:
        return
    if tag in ("task", "manualTask"):
        return  # a manual step with nobody named is the case owner's (runtime.workitems)
    where = f"lane {lane_name!r}" if lane_name else "no lane"
    if foreign:
        warn(
            node,
            f"nobody is named for this task ({where}): its tasks wait in the unassigned work "
            "queue for an administrator to hand out; name a candidate group, a candidate user "
            "or an assignee (or a lane named after a role or department)",
        )
        return
    refuse(
        node,
        f"nobody would get this task ({where}): put it in a lane named role:… or "
        "department:…, or give it obieg:role, obieg:department or obieg:assignee",
    )


def check_dmn(root, filename: str) -> Findings:
    """Every problem of a DMN file, read as FEEL (engine/decisions), as refusals."""
    findings = Findings()
    try:
        model = decisions.load(etree.tostring(root))
    except decisions.DmnReadError as error:
        findings.refuse(filename, "-", str(error))
        return findings
    labels.check_translations(root, filename, findings)
    for line in model.validate():
        # "model.dmn: element id (name)[, rule n]: what" → the element and what is wrong
        _source, _colon, rest = line.partition(": ")
        where, _colon, what = rest.partition(": ")
        element_id, _space, name = where.partition(" (")
        findings.refuse(filename, element_id, what or rest, name.split(")")[0])
    return findings
