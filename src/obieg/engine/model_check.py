"""Checks a model's XML before deploy: every expression safe, every name known.

Each problem is reported as "file: element id: reason", so the person
who drew the model can find it. SpiffWorkflow's parser checks structure
afterwards; this checks what Obieg adds (expressions, actions, forms,
routing) and refuses what Obieg does not allow (script tasks).
"""

from __future__ import annotations

import re

from lxml import etree

from obieg.engine import expressions, moments, registry
from obieg.engine.routing import route_for

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
OBIEG = "urn:obieg:bpmn:1"
NS = {"bpmn": BPMN}
HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")

ALLOWED_ATTRIBUTES = {
    "userTask": {"form", "due", "assignee", "role", "department"},
    "manualTask": {"form", "due", "assignee", "role", "department"},
    "serviceTask": {"action"},
    "businessRuleTask": {"decision"},
    "lane": {"role", "department"},
}


def _local(node) -> str:
    return etree.QName(node).localname


def _obieg(node) -> dict[str, str]:
    prefix = "{" + OBIEG + "}"
    return {k[len(prefix) :]: v for k, v in node.attrib.items() if k.startswith(prefix)}


def _owner_id(node) -> str:
    """The id of the nearest element that has one (an expression's flow or event)."""
    while node is not None and node.get("id") is None:
        node = node.getparent()
    return node.get("id", "?") if node is not None else "?"


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


def check_bpmn(root, filename: str) -> list[str]:
    problems: list[str] = []

    def refuse(element_id: str, reason: str) -> None:
        problems.append(f"{filename}: {element_id}: {reason}")

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

    for node in root.iter():
        if not isinstance(node.tag, str) or not node.tag.startswith("{" + BPMN + "}"):
            continue
        tag, element_id = _local(node), node.get("id", "?")
        attributes = _obieg(node)
        unknown = set(attributes) - ALLOWED_ATTRIBUTES.get(tag, set())
        if unknown:
            refuse(element_id, f"unknown attribute(s) obieg:{', obieg:'.join(sorted(unknown))}")
        if tag == "scriptTask":
            refuse(element_id, "script tasks are not allowed; use a service task with obieg:action")
        elif tag in ("userTask", "manualTask"):
            _check_user_task(node, attributes, lane_of(node), refuse)
        elif tag == "serviceTask":
            name = attributes.get("action")
            if not name:
                refuse(element_id, "a service task needs obieg:action")
            elif not registry.has_action(name):
                refuse(element_id, f"unknown action {name!r} (no solution registered it)")
        elif tag == "businessRuleTask" and not attributes.get("decision"):
            refuse(element_id, "a business-rule task needs obieg:decision")
        elif tag in ("timeDate", "timeDuration", "timeCycle"):
            try:
                moments.validate(node.text or "")
            except moments.MomentError as error:
                refuse(_owner_id(node.getparent().getparent()), f"timer: {error}")
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
                refuse(_owner_id(node), problem)
    return problems


def _check_user_task(node, attributes, lane, refuse) -> None:
    element_id = node.get("id", "?")
    form = attributes.get("form")
    if form and not registry.has_form(form):
        refuse(element_id, f"unknown form {form!r} (no solution registered it)")
    if "due" in attributes:
        try:
            moments.validate(attributes["due"])
        except moments.MomentError as error:
            refuse(element_id, f"due date: {error}")
    if "assignee" in attributes:
        problem = _expression_problem(attributes["assignee"])
        if problem:
            refuse(element_id, f"assignee: {problem}")
    lane_attributes = {f"lane_{k}": v for k, v in _obieg(lane).items()} if lane is not None else {}
    lane_name = lane.get("name") if lane is not None else None
    if not attributes.get("assignee") and not route_for(
        {**attributes, **lane_attributes}, lane_name
    ):
        where = f"lane {lane_name!r}" if lane_name else "no lane"
        refuse(
            element_id,
            f"nobody would get this task ({where}): put it in a lane named role:… or "
            "department:…, or give it obieg:role, obieg:department or obieg:assignee",
        )


def check_dmn(root, filename: str) -> list[str]:
    problems: list[str] = []

    def refuse(element_id: str, reason: str) -> None:
        problems.append(f"{filename}: {element_id}: {reason}")

    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = _local(node)
        if tag == "decisionTable":
            policy = node.get("hitPolicy", "UNIQUE").upper()
            if policy not in HIT_POLICIES:
                refuse(
                    node.get("id", "?"),
                    f"hit policy {policy} is not supported ({', '.join(HIT_POLICIES)})",
                )
        elif tag == "text" and node.getparent() is not None:
            parent = _local(node.getparent())
            text = (node.text or "").strip()
            if parent == "inputExpression" or (parent == "outputEntry" and text):
                problem = _expression_problem(text)
            elif parent == "inputEntry" and text and text != "-":
                problem = _match_problem(text)
            else:
                continue
            if problem:
                refuse(_owner_id(node.getparent()), problem)
    return problems


def _match_problem(text: str) -> str | None:
    """A DMN input entry: a value, a list of values, "> 5"-style, or an expression using `?`."""
    candidate = _QUESTION_MARK.sub("dmninputexpr", text)
    try:
        expressions.validate(candidate)
        return None
    except SyntaxError:
        pass
    except expressions.ExpressionError as error:
        return f"unsafe entry {text!r}: {error}"
    return _expression_problem(f"dmninputexpr {text}")
