"""Checking a decision model before it is deployed: every problem at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from obieg.engine import feel
from obieg.engine.feel.calls import unknown_function_message, unknown_functions

from .model import (
    Box,
    ConditionalBox,
    ContextBox,
    DecisionTableBox,
    Definitions,
    Element,
    FilterBox,
    FunctionBox,
    InvocationBox,
    IteratorBox,
    ListBox,
    LiteralBox,
    RelationBox,
    UnsupportedBox,
)

if TYPE_CHECKING:
    from . import DecisionModel

HIT_POLICIES = {
    "UNIQUE",
    "FIRST",
    "PRIORITY",
    "ANY",
    "COLLECT",
    "RULE ORDER",
    "OUTPUT ORDER",
    "U",
    "F",
    "P",
    "A",
    "C",
    "R",
    "O",
}
AGGREGATIONS = {"SUM", "MIN", "MAX", "COUNT"}


def boxes(box: Box | None) -> Iterator[Box]:
    """Every boxed expression inside `box`, itself included."""
    stack = [box]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        yield current
        if isinstance(current, ContextBox):
            stack.extend(entry for _, _, entry in current.entries)
        elif isinstance(current, InvocationBox):
            stack.extend(binding for _, binding in current.bindings)
        elif isinstance(current, RelationBox):
            for row in current.rows:
                stack.extend(row)
        elif isinstance(current, ListBox):
            stack.extend(current.items)
        elif isinstance(current, FunctionBox):
            stack.append(current.body)
        elif isinstance(current, ConditionalBox):
            stack.extend([current.condition, current.then, current.otherwise])
        elif isinstance(current, FilterBox):
            stack.extend([current.source, current.match])
        elif isinstance(current, IteratorBox):
            stack.extend([current.source, current.body])


def _item_names(items: object) -> Iterator[str]:
    stack = list(items)  # type: ignore[call-overload]
    while stack:
        item = stack.pop()
        yield item.name
        stack.extend(item.components)
        if item.function_item:
            yield from (p for p, _ in item.function_item[0])


def names_in(model: DecisionModel, defs: Definitions) -> set[str]:
    """All names a FEEL text in `defs` may use (elements, imports, components, entries)."""
    names: set[str] = set()
    for source in [defs] + [
        model.by_namespace[i.namespace] for i in defs.imports if i.namespace in model.by_namespace
    ]:
        names.update(e.name for e in source.elements)
        names.update(_item_names(source.item_definitions.values()))
        for element in source.elements:
            for box in boxes(element.expression):
                if isinstance(box, ContextBox):
                    names.update(name for name, _, _ in box.entries if name)
                elif isinstance(box, FunctionBox):
                    names.update(p for p, _ in box.params)
                elif isinstance(box, RelationBox):
                    names.update(box.columns)
                elif isinstance(box, IteratorBox):
                    names.add(box.variable)
                elif isinstance(box, DecisionTableBox):
                    names.update(o.name for o in box.outputs if o.name)
    names.update(i.name for i in defs.imports if i.name)
    return names


def _where(defs: Definitions, element: Element) -> str:
    return f"{defs.source}: {element.id} ({element.name})"


def validate_model(model: DecisionModel) -> list[str]:
    problems: list[str] = []
    for defs in model.definitions:
        problems.extend(defs.problems)
        for imp in defs.imports:
            if imp.namespace not in model.by_namespace:
                problems.append(
                    f"{defs.source}: import {imp.name!r} ({imp.namespace}) was not given"
                )
        check = _Checker(model, defs, problems)
        expression, tests, type_ref = check.expression, check.tests, check.type_ref
        for element in defs.elements:
            where = _where(defs, element)
            type_ref(element.type_ref, where)
            for requirement in element.requirements:
                if model.resolve_href(defs, requirement.href) is None:
                    problems.append(f"{where}: requirement {requirement.href!r} points at nothing")
            for href in (
                element.output_decisions
                + element.encapsulated_decisions
                + element.input_decisions
                + element.input_data
            ):
                if model.resolve_href(defs, href) is None:
                    problems.append(
                        f"{where}: decision service reference {href!r} points at nothing"
                    )
            if element.kind == "decision" and element.expression is None:
                problems.append(f"{where}: the decision has no decision logic")
            if element.kind == "businessKnowledgeModel" and element.expression is None:
                problems.append(f"{where}: the business knowledge model has no function")
            for box in boxes(element.expression):
                _check_box(box, where, expression, tests, type_ref, problems)
        for item in defs.item_definitions.values():
            stack = [item]
            while stack:
                current = stack.pop()
                stack.extend(current.components)
                where = f"{defs.source}: item definition {current.name!r}"
                if current.type_ref and not current.components:
                    type_ref(current.type_ref, where)
                for constraint in (current.allowed_values, current.type_constraint):
                    if constraint:
                        tests(constraint, where)
    return problems


class _Checker:
    """Parses FEEL texts and type names of one definitions file, noting problems."""

    def __init__(self, model: DecisionModel, defs: Definitions, problems: list[str]) -> None:
        self.names = model.names(defs)
        self.resolver = model.resolver(defs)
        self.problems = problems

    def expression(self, text: str, where: str) -> None:
        try:
            self._calls(feel.parse_expression(text, self.names), where)
        except feel.FeelError as error:
            self.problems.append(f"{where}: {error}")

    def tests(self, text: str, where: str) -> None:
        try:
            self._calls(feel.parse_unary_tests(text, self.names), where)
        except feel.FeelError as error:
            self.problems.append(f"{where}: {error}")

    def _calls(self, tree, where: str) -> None:  # noqa: ANN001
        unknown = unknown_functions(tree, self.names)
        if unknown:
            self.problems.append(f"{where}: {unknown_function_message(unknown)}")

    def type_ref(self, name: str | None, where: str) -> None:
        if name and self.resolver.resolve_or_none(name) is None:
            self.problems.append(f"{where}: unknown type {name!r}")


def _check_box(box, where, expression, tests, type_ref, problems) -> None:  # noqa: ANN001
    type_ref(box.type_ref, where)
    if isinstance(box, LiteralBox) and box.text.strip():
        expression(box.text, where)
    elif isinstance(box, InvocationBox):
        expression(box.callee, where)
    elif isinstance(box, FunctionBox):
        if box.function_kind.upper() != "FEEL":
            problems.append(f"{where}: {box.function_kind} functions are not run (only FEEL)")
        for _, param_type in box.params:
            type_ref(param_type, where)
    elif isinstance(box, ContextBox):
        for _, entry_type, _ in box.entries:
            type_ref(entry_type, where)
    elif isinstance(box, UnsupportedBox):
        pass  # already reported while reading
    elif isinstance(box, DecisionTableBox):
        policy = box.hit_policy.replace("_", " ")
        if policy not in HIT_POLICIES:
            problems.append(f"{where}: unknown hit policy {box.hit_policy!r}")
        if box.aggregation and box.aggregation.upper() not in AGGREGATIONS:
            problems.append(f"{where}: unknown aggregation {box.aggregation!r}")
        for text, input_type, allowed in box.inputs:
            expression(text, where)
            type_ref(input_type, where)
            if allowed:
                tests(allowed, where)
        for output in box.outputs:
            type_ref(output.type_ref, where)
            if output.values:
                tests(output.values, where)
            if output.default:
                expression(output.default, where)
        for rule in box.rules:
            label = f"{where}, rule {rule.index + 1}"
            if len(rule.inputs) != len(box.inputs) or len(rule.outputs) != len(box.outputs):
                problems.append(f"{label}: wrong number of entries")
            for entry in rule.inputs:
                tests(entry, label)
            for entry in rule.outputs:
                if entry.strip():
                    expression(entry, label)
