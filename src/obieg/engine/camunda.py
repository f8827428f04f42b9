"""Camunda 7 and Camunda 8 (Zeebe) extensions, read as what they mean in Obieg.

Models drawn in Camunda Modeler carry their settings as attributes in the
`camunda:` namespace (platform 7) or as `zeebe:` extension elements
(platform 8). This module reads them off an XML element into plain
values the parser keeps with the task spec (`task_extensions`), and
gives the one place where the expressions they contain are evaluated
(`evaluate`). What Obieg cannot do with them is reported at deploy by
`camunda_check`.

Expressions: a value is a literal name (`accounting`), a JUEL expression
(`${reviewer}`, `#{reviewer}`) or a FEEL one (`= author`). Both are
evaluated as FEEL (`expressions.evaluate`; JUEL is translated). What has no
FEEL meaning — a JUEL method call, text around an expression — cannot be
evaluated (`evaluate` raises `NotSupported`, deploy warns).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from obieg.engine import registry

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
MODELER = "http://camunda.org/schema/modeler/1.0"
OBIEG = "urn:obieg:bpmn:1"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"

_JUEL = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)
_FORM_PREFIXES = (
    "embedded:app:",
    "embedded:deployment:",
    "embedded:",
    "camunda-forms:app:",
    "camunda-forms:deployment:",
    "camunda-forms:bpmn:",
    "camunda-forms:",
    "app:",
    "deployment:",
)
_FORM_SUFFIXES = (".html", ".htm", ".form", ".json")


class NotSupported(ValueError):
    """An expression Obieg cannot evaluate (a JUEL method call, text around an expression)."""


def camunda_attr(node, name: str) -> str | None:
    return node.get(f"{{{CAMUNDA}}}{name}")


def zeebe_child(node, name: str):
    """The first `zeebe:<name>` element inside the node's extensionElements."""
    return node.find(f"{{{BPMN}}}extensionElements/{{{ZEEBE}}}{name}")


def zeebe_children(node, path: str) -> list:
    return node.findall(f"{{{BPMN}}}extensionElements/{path}")


def extension_children(node, namespace: str, name: str) -> list:
    return node.findall(f"{{{BPMN}}}extensionElements/{{{namespace}}}{name}")


# Reading one value


@dataclass(frozen=True)
class Value:
    """A value as written: a literal, or an expression (FEEL, or JUEL read as FEEL) or not."""

    text: str
    literal: str | None = None
    readable: bool = False  # an expression Obieg evaluates

    @property
    def supported(self) -> bool:
        return self.literal is not None or self.readable

    @property
    def is_expression(self) -> bool:
        return self.literal is None


def read_value(text: str) -> Value:
    """What `text` means: `demo` (a literal), `${…}` / `#{…}` / `= …` (an expression)."""
    from obieg.engine import expressions

    stripped = (text or "").strip()
    if not (stripped.startswith("=") or "${" in stripped or "#{" in stripped):
        return Value(stripped, literal=stripped)
    try:
        expressions.validate(stripped)
    except (expressions.ExpressionError, SyntaxError):
        return Value(stripped)  # a method call, text around an expression, bad FEEL
    return Value(stripped, readable=True)


def evaluate(text: str, names: Mapping[str, Any]) -> Any:
    """The value of an expression written in a Camunda or Zeebe attribute.

    The single place where such expressions (assignees, candidate groups,
    due dates, input/output mappings) are evaluated, as FEEL.
    """
    from obieg.engine import expressions

    value = read_value(text)
    if value.literal is not None:
        return value.literal
    if not value.readable:
        raise NotSupported(f"the expression {value.text!r} has no FEEL meaning")
    try:
        return expressions.evaluate(value.text, names)
    except expressions.ExpressionError as error:
        raise NotSupported(str(error)) from error


def names_in(text: str | None) -> list[Value]:
    """The values of a candidate list: `sales, ${team}` is two; one expression stays whole."""
    text = (text or "").strip()
    if not text:
        return []
    if text.startswith("=") or _JUEL.match(text):
        return [read_value(text)]
    return [read_value(part) for part in text.split(",") if part.strip()]


# Platform


def platform(root) -> str:
    """'camunda7', 'camunda8', or '' for a model that declares neither."""
    declared = root.get(f"{{{MODELER}}}executionPlatform", "")
    if declared == "Camunda Cloud":
        return "camunda8"
    if declared == "Camunda Platform":
        return "camunda7"
    namespaces = set(root.nsmap.values())
    if ZEEBE in namespaces:
        return "camunda8"
    if CAMUNDA in namespaces:
        return "camunda7"
    return ""


def is_obieg_model(root) -> bool:
    """A model written for Obieg (it declares the obieg: namespace)."""
    return OBIEG in set(root.nsmap.values())


def normalise(root) -> None:
    """Rewrite what SpiffWorkflow reads from a fixed place, in the parsed tree only.

    `zeebe:calledElement processId` becomes the call activity's `calledElement`,
    `camunda:decisionRef` and `zeebe:calledDecision decisionId` the business-rule
    task's `obieg:decision`. The stored files stay as drawn.
    """
    for call in root.iter(f"{{{BPMN}}}callActivity"):
        called = zeebe_child(call, "calledElement")
        process_id = (called.get("processId") or "").strip() if called is not None else ""
        if not call.get("calledElement") and process_id and not process_id.startswith("="):
            call.set("calledElement", process_id)
    for task in root.iter(f"{{{BPMN}}}businessRuleTask"):
        if task.get(f"{{{OBIEG}}}decision"):
            continue
        decision = camunda_attr(task, "decisionRef") or ""
        called = zeebe_child(task, "calledDecision")
        if not decision and called is not None:
            decision = called.get("decisionId") or ""
        if decision and not decision.startswith(("=", "${", "#{")):
            task.set(f"{{{OBIEG}}}decision", decision)


# Forms


def form_candidates(key: str) -> list[str]:
    """Names a Camunda form key may mean: as written, then without prefix, folder and suffix."""
    key = key.strip()
    found = [key]
    bare = key
    for prefix in _FORM_PREFIXES:
        if bare.startswith(prefix):
            bare = bare[len(prefix) :]
            break
    bare = bare.rsplit("/", 1)[-1]
    for suffix in _FORM_SUFFIXES:
        if bare.endswith(suffix):
            bare = bare[: -len(suffix)]
    if bare and bare not in found:
        found.append(bare)
    return found


def form_key(node) -> str:
    """The form a Camunda or Zeebe user task names, as written ('' when none)."""
    key = camunda_attr(node, "formKey") or camunda_attr(node, "formRef") or ""
    definition = zeebe_child(node, "formDefinition")
    if not key and definition is not None:
        key = definition.get("formId") or definition.get("formKey") or ""
        key = key or definition.get("externalReference") or ""
    return key.strip()


def registered_form(key: str) -> str:
    """The registered Obieg form a form key means, or ''."""
    for candidate in form_candidates(key) if key else []:
        if registry.has_form(candidate):
            return candidate
    return ""


# People


def assignment(node) -> dict[str, str]:
    """Assignee and candidates as written (Camunda 7 attributes or Zeebe assignmentDefinition)."""
    found = {
        "assignee": camunda_attr(node, "assignee") or "",
        "candidate_users": camunda_attr(node, "candidateUsers") or "",
        "candidate_groups": camunda_attr(node, "candidateGroups") or "",
    }
    zeebe = zeebe_child(node, "assignmentDefinition")
    if zeebe is not None:
        found["assignee"] = found["assignee"] or zeebe.get("assignee") or ""
        found["candidate_users"] = found["candidate_users"] or zeebe.get("candidateUsers") or ""
        found["candidate_groups"] = found["candidate_groups"] or zeebe.get("candidateGroups") or ""
    return {key: value.strip() for key, value in found.items() if value and value.strip()}


def schedule(node) -> dict[str, str]:
    """Due and follow-up dates as written."""
    found = {
        "due": camunda_attr(node, "dueDate") or "",
        "follow_up": camunda_attr(node, "followUpDate") or "",
    }
    zeebe = zeebe_child(node, "taskSchedule")
    if zeebe is not None:
        found["due"] = found["due"] or zeebe.get("dueDate") or ""
        found["follow_up"] = found["follow_up"] or zeebe.get("followUpDate") or ""
    return {key: value.strip() for key, value in found.items() if value and value.strip()}


def moment_expression(text: str) -> str | None:
    """A due date as Obieg's moments read it: an ISO literal, or a variable path; else None."""
    from obieg.engine import moments

    if moments.is_literal(text):
        return text.strip()
    value = read_value(text)
    if value.literal is not None and moments.is_literal(value.literal):
        return value.literal
    return value.text if value.readable else None


# Service tasks


@dataclass(frozen=True)
class Implementation:
    """What a service task says runs it: `kind` ('topic', 'job type', 'class' …) and `name`."""

    kind: str
    name: str
    retries: str = ""


def implementation(node) -> Implementation | None:
    """The external implementation a Camunda or Zeebe service task names, or None."""
    zeebe = zeebe_child(node, "taskDefinition")
    if zeebe is not None and (zeebe.get("type") or "").strip():
        job_type = zeebe.get("type", "").strip()
        name = job_type[1:].strip() if job_type.startswith("=") else job_type
        return Implementation("job type", name, (zeebe.get("retries") or "").strip())
    if camunda_attr(node, "type") == "external":
        return Implementation("topic", (camunda_attr(node, "topic") or "").strip())
    connector = node.find(
        f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}connector/{{{CAMUNDA}}}connectorId"
    )
    for kind, attribute in (
        ("class", "class"),
        ("delegate expression", "delegateExpression"),
        ("expression", "expression"),
    ):
        text = (camunda_attr(node, attribute) or "").strip()
        if text:
            juel = _JUEL.match(text)
            return Implementation(kind, juel["body"].strip() if juel else text)
    if connector is not None and (connector.text or "").strip():
        return Implementation("connector", connector.text.strip())
    return None


# Input and output mappings


def mappings(node) -> tuple[list[list[str]], list[list[str]]]:
    """([[target, source], …] inputs, outputs) from zeebe:ioMapping or camunda:inputOutput."""
    inputs: list[list[str]] = []
    outputs: list[list[str]] = []
    for item in zeebe_children(node, f"{{{ZEEBE}}}ioMapping/{{{ZEEBE}}}input"):
        inputs.append([item.get("target", ""), item.get("source", "")])
    for item in zeebe_children(node, f"{{{ZEEBE}}}ioMapping/{{{ZEEBE}}}output"):
        outputs.append([item.get("target", ""), item.get("source", "")])
    for item in zeebe_children(node, f"{{{CAMUNDA}}}inputOutput/{{{CAMUNDA}}}inputParameter"):
        inputs.append([item.get("name", ""), (item.text or "").strip()])
    for item in zeebe_children(node, f"{{{CAMUNDA}}}inputOutput/{{{CAMUNDA}}}outputParameter"):
        outputs.append([item.get("name", ""), (item.text or "").strip()])
    return inputs, outputs


def headers(node) -> dict[str, str]:
    return {
        item.get("key", ""): item.get("value", "")
        for item in zeebe_children(node, f"{{{ZEEBE}}}taskHeaders/{{{ZEEBE}}}header")
        if item.get("key")
    }


def apply_mappings(pairs: list[list[str]], names: Mapping[str, Any]) -> dict[str, Any]:
    """{target: value} for the mappings that can be evaluated (the others were warned about)."""
    result: dict[str, Any] = {}
    for target, source in pairs:
        if not target:
            continue
        try:
            result[target] = evaluate(source, names) if source else None
        except NotSupported:
            continue
    return result


# What the parser keeps with a task spec


def task_extensions(node) -> dict[str, str]:
    """The Camunda/Zeebe settings of a task, as the spec's `extensions` (text values only)."""
    found: dict[str, str] = {}
    for key, value in assignment(node).items():
        found[f"people_{key}"] = value
    key = form_key(node)
    if key:
        found["camunda_form"] = key
        registered = registered_form(key)
        if registered:
            found["form"] = registered
    for key, value in schedule(node).items():
        expression = moment_expression(value)
        if expression:
            found[key] = expression
    inputs, outputs = mappings(node)
    if inputs:
        found["inputs"] = json.dumps(inputs)
    if outputs:
        found["outputs"] = json.dumps(outputs)
    task_headers = headers(node)
    if task_headers:
        found["headers"] = json.dumps(task_headers)
    return found
