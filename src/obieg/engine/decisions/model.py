"""Reading DMN 1.1-1.5 files into plain objects (no evaluation here).

Namespaces are ignored on purpose: DMN 1.1 to 1.5 differ in namespace but
hardly in the elements used for evaluation. Problems found while reading
(an unknown expression kind, a broken reference) are collected in
`problems`, never raised one by one, so a deploy can show them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)
MAX_FILE_BYTES = 5_000_000


class DmnReadError(Exception):
    """The file is not a DMN document."""


def local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(element: Any, name: str) -> list[Any]:
    return [c for c in element if local(c.tag) == name]


def child(element: Any, name: str) -> Any:
    for c in element:
        if local(c.tag) == name:
            return c
    return None


def text_of(element: Any, name: str = "text") -> str | None:
    found = child(element, name) if element is not None else None
    return None if found is None else (found.text or "")


# --- boxed expressions --------------------------------------------------------------


@dataclass
class Box:
    kind: str
    id: str | None
    type_ref: str | None


@dataclass
class LiteralBox(Box):
    text: str


@dataclass
class ContextBox(Box):
    entries: list[tuple[str | None, str | None, Box | None]]  # name, typeRef, expression


@dataclass
class RuleSpec:
    id: str | None
    inputs: list[str]
    outputs: list[str]
    index: int


@dataclass
class OutputSpec:
    name: str | None
    type_ref: str | None
    values: str | None
    default: str | None


@dataclass
class DecisionTableBox(Box):
    hit_policy: str
    aggregation: str | None
    inputs: list[tuple[str, str | None, str | None]]  # expression, typeRef, allowed values
    outputs: list[OutputSpec]
    rules: list[RuleSpec]


@dataclass
class InvocationBox(Box):
    callee: str
    bindings: list[tuple[str, Box | None]]


@dataclass
class RelationBox(Box):
    columns: list[str]
    rows: list[list[Box | None]]


@dataclass
class ListBox(Box):
    items: list[Box | None]


@dataclass
class FunctionBox(Box):
    params: list[tuple[str, str | None]]
    body: Box | None
    function_kind: str


@dataclass
class ConditionalBox(Box):
    condition: Box | None
    then: Box | None
    otherwise: Box | None


@dataclass
class FilterBox(Box):
    source: Box | None
    match: Box | None


@dataclass
class IteratorBox(Box):
    """Boxed for / some / every."""

    variable: str
    source: Box | None
    body: Box | None


@dataclass
class UnsupportedBox(Box):
    tag: str


# --- DRG elements -------------------------------------------------------------------------


@dataclass
class Requirement:
    kind: str  # decision, input, knowledge
    href: str


@dataclass
class Element:
    kind: str  # decision, inputData, businessKnowledgeModel, decisionService
    id: str
    name: str
    type_ref: str | None
    requirements: list[Requirement] = field(default_factory=list)
    expression: Box | None = None
    # decision services
    output_decisions: list[str] = field(default_factory=list)
    encapsulated_decisions: list[str] = field(default_factory=list)
    input_decisions: list[str] = field(default_factory=list)
    input_data: list[str] = field(default_factory=list)


@dataclass
class ItemDefinition:
    name: str
    type_ref: str | None
    is_collection: bool
    allowed_values: str | None
    type_constraint: str | None
    components: list[ItemDefinition]
    function_item: tuple[list[tuple[str, str | None]], str | None] | None


@dataclass
class Import:
    name: str
    namespace: str
    location: str | None


@dataclass
class Definitions:
    name: str
    namespace: str
    source: str
    elements: list[Element]
    item_definitions: dict[str, ItemDefinition]
    imports: list[Import]
    problems: list[str]

    def by_id(self, element_id: str) -> Element | None:
        for element in self.elements:
            if element.id == element_id:
                return element
        return None

    def by_name(self, name: str) -> Element | None:
        for element in self.elements:
            if element.name == name:
                return element
        return None


# --- reading ---------------------------------------------------------------------------------

_EXPRESSION_TAGS = {
    "literalExpression",
    "context",
    "decisionTable",
    "invocation",
    "relation",
    "list",
    "functionDefinition",
    "conditional",
    "filter",
    "for",
    "some",
    "every",
}


def _expression_child(element: Any) -> Any:
    for c in element:
        if local(c.tag) in _EXPRESSION_TAGS:
            return c
    return None


def _variable_type(element: Any) -> str | None:
    variable = child(element, "variable")
    return variable.get("typeRef") if variable is not None else element.get("typeRef")


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def where(self, element: Any) -> str:
        ident = element.get("id") or ""
        name = element.get("name") or ""
        label = f"{ident} ({name})" if name and ident else (ident or name or local(element.tag))
        return f"{self.source}: {label}"

    def box(self, element: Any) -> Box | None:
        if element is None:
            return None
        tag = local(element.tag)
        ident = element.get("id")
        type_ref = element.get("typeRef")
        if tag == "literalExpression":
            text = text_of(element)
            if text is None:
                if child(element, "importedValues") is not None:
                    self.problems.append(
                        f"{self.where(element)}: imported values are not supported"
                    )
                text = ""
            return LiteralBox(tag, ident, type_ref, text)
        if tag == "context":
            entries: list[tuple[str | None, str | None, Box | None]] = []
            for entry in children(element, "contextEntry"):
                variable = child(entry, "variable")
                name = variable.get("name") if variable is not None else None
                var_type = variable.get("typeRef") if variable is not None else None
                entries.append((name, var_type, self.box(_expression_child(entry))))
            return ContextBox(tag, ident, type_ref, entries)
        if tag == "decisionTable":
            return self.decision_table(element)
        if tag == "invocation":
            callee = _expression_child(element)
            callee_text = (
                text_of(callee)
                if callee is not None and local(callee.tag) == "literalExpression"
                else None
            )
            if callee_text is None:
                self.problems.append(f"{self.where(element)}: invocation without a function name")
                callee_text = ""
            bindings = []
            for binding in children(element, "binding"):
                parameter = child(binding, "parameter")
                bindings.append(
                    (
                        parameter.get("name") if parameter is not None else "",
                        self.box(_expression_child(binding)),
                    )
                )
            return InvocationBox(tag, ident, type_ref, callee_text.strip(), bindings)
        if tag == "relation":
            columns = [c.get("name") or "" for c in children(element, "column")]
            rows = [
                [self.box(c) for c in row if local(c.tag) in _EXPRESSION_TAGS]
                for row in children(element, "row")
            ]
            return RelationBox(tag, ident, type_ref, columns, rows)
        if tag == "list":
            return ListBox(
                tag,
                ident,
                type_ref,
                [self.box(c) for c in element if local(c.tag) in _EXPRESSION_TAGS],
            )
        if tag == "functionDefinition":
            params = [
                (p.get("name") or "", p.get("typeRef"))
                for p in children(element, "formalParameter")
            ]
            return FunctionBox(
                tag,
                ident,
                type_ref,
                params,
                self.box(_expression_child(element)),
                element.get("kind") or "FEEL",
            )
        if tag == "conditional":
            parts = {local(c.tag): self.box(_expression_child(c)) for c in element}
            return ConditionalBox(
                tag, ident, type_ref, parts.get("if"), parts.get("then"), parts.get("else")
            )
        if tag == "filter":
            parts = {local(c.tag): self.box(_expression_child(c)) for c in element}
            return FilterBox(tag, ident, type_ref, parts.get("in"), parts.get("match"))
        if tag in ("for", "some", "every"):
            parts = {local(c.tag): self.box(_expression_child(c)) for c in element}
            body = parts.get("return") if tag == "for" else parts.get("satisfies")
            return IteratorBox(
                tag, ident, type_ref, element.get("iteratorVariable") or "", parts.get("in"), body
            )
        self.problems.append(f"{self.where(element)}: expression <{tag}> is not supported")
        return UnsupportedBox("unsupported", ident, type_ref, tag)

    def decision_table(self, element: Any) -> DecisionTableBox:
        inputs = []
        for item in children(element, "input"):
            expression = child(item, "inputExpression")
            inputs.append(
                (
                    text_of(expression) or "",
                    expression.get("typeRef") if expression is not None else None,
                    text_of(child(item, "inputValues")),
                )
            )
        outputs = [
            OutputSpec(
                o.get("name"),
                o.get("typeRef"),
                text_of(child(o, "outputValues")),
                text_of(child(o, "defaultOutputEntry")),
            )
            for o in children(element, "output")
        ]
        rules = []
        for index, rule in enumerate(children(element, "rule")):
            rules.append(
                RuleSpec(
                    rule.get("id"),
                    [e.findtext("{*}text") or "" for e in children(rule, "inputEntry")],
                    [e.findtext("{*}text") or "" for e in children(rule, "outputEntry")],
                    index,
                )
            )
        policy = (element.get("hitPolicy") or "UNIQUE").upper()
        return DecisionTableBox(
            "decisionTable",
            element.get("id"),
            element.get("typeRef"),
            policy,
            element.get("aggregation"),
            inputs,
            outputs,
            rules,
        )

    def item_definition(self, element: Any) -> ItemDefinition:
        function_item = child(element, "functionItem")
        function_spec = None
        if function_item is not None:
            params = [
                (p.get("name") or "", p.get("typeRef"))
                for p in children(function_item, "parameters")
            ]
            function_spec = (params, function_item.get("outputTypeRef"))
        return ItemDefinition(
            name=element.get("name") or "",
            type_ref=(element.findtext("{*}typeRef") or None),
            is_collection=element.get("isCollection") == "true",
            allowed_values=text_of(child(element, "allowedValues")),
            type_constraint=text_of(child(element, "typeConstraint")),
            components=[self.item_definition(c) for c in children(element, "itemComponent")],
            function_item=function_spec,
        )

    def element(self, node: Any) -> Element | None:
        tag = local(node.tag)
        if tag not in ("decision", "inputData", "businessKnowledgeModel", "decisionService"):
            return None
        element = Element(tag, node.get("id") or "", node.get("name") or "", _variable_type(node))
        for requirement in node:
            req_tag = local(requirement.tag)
            if req_tag not in ("informationRequirement", "knowledgeRequirement"):
                continue
            for ref in requirement:
                kind = {
                    "requiredDecision": "decision",
                    "requiredInput": "input",
                    "requiredKnowledge": "knowledge",
                }.get(local(ref.tag))
                if kind:
                    element.requirements.append(Requirement(kind, ref.get("href") or ""))
        if tag == "decision":
            element.expression = self.box(_expression_child(node))
        elif tag == "businessKnowledgeModel":
            logic = child(node, "encapsulatedLogic")
            element.expression = self.function_from(logic) if logic is not None else None
        elif tag == "decisionService":
            element.output_decisions = [
                r.get("href") or "" for r in children(node, "outputDecision")
            ]
            element.encapsulated_decisions = [
                r.get("href") or "" for r in children(node, "encapsulatedDecision")
            ]
            element.input_decisions = [r.get("href") or "" for r in children(node, "inputDecision")]
            element.input_data = [r.get("href") or "" for r in children(node, "inputData")]
        return element

    def function_from(self, logic: Any) -> FunctionBox:
        params = [
            (p.get("name") or "", p.get("typeRef")) for p in children(logic, "formalParameter")
        ]
        return FunctionBox(
            "functionDefinition",
            logic.get("id"),
            logic.get("typeRef"),
            params,
            self.box(_expression_child(logic)),
            logic.get("kind") or "FEEL",
        )


def read_definitions(data: bytes, source: str = "model.dmn") -> Definitions:
    """One DMN file; DmnReadError if it is not XML with <definitions> at the top."""
    if len(data) > MAX_FILE_BYTES:
        raise DmnReadError(f"{source}: file larger than {MAX_FILE_BYTES:,} bytes")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise DmnReadError(f"{source}: not well-formed XML: {error}") from None
    if local(root.tag) != "definitions":
        raise DmnReadError(f"{source}: the root element is <{local(root.tag)}>, not <definitions>")
    reader = _Reader(source)
    elements = [e for e in (reader.element(node) for node in root) if e is not None]
    items = {
        item.get("name") or "": reader.item_definition(item)
        for item in children(root, "itemDefinition")
    }
    imports = [
        Import(i.get("name") or "", i.get("namespace") or "", i.get("locationURI"))
        for i in children(root, "import")
    ]
    return Definitions(
        name=root.get("name") or "",
        namespace=root.get("namespace") or "",
        source=source,
        elements=elements,
        item_definitions=items,
        imports=imports,
        problems=reader.problems,
    )


def read_path(path: str | Path) -> Definitions:
    path = Path(path)
    return read_definitions(path.read_bytes(), path.name)
