"""Evaluating DMN decisions: requirements, boxed expressions, decision tables.

Errors inside a decision give null for that decision (as DMN says) and a
message in `Evaluation.messages`; resource limits raise feel.FeelLimitError.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from obieg.engine import feel
from obieg.engine.feel import nodes as n
from obieg.engine.feel.builtins import BUILTINS
from obieg.engine.feel.env import Env
from obieg.engine.feel.limits import DEFAULT_LIMITS, Budget, Limits
from obieg.engine.feel.types import FeelType, simple_type
from obieg.engine.feel.values import FeelFunction, feel_compare, feel_equal

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
)
from .typing import ItemDefinitionType, coerce_to

if TYPE_CHECKING:
    from . import DecisionModel


class DecisionError(Exception):
    """A modelling error found while evaluating (e.g. a UNIQUE table with two hits)."""


class TypeResolver:
    """Type names of one definitions file: FEEL types, item definitions, imports."""

    def __init__(self, model: DecisionModel, defs: Definitions) -> None:
        self.model = model
        self.defs = defs
        self.cache: dict[str, FeelType | None] = {}

    def __call__(self, name: str) -> FeelType | None:
        return self.resolve_or_none(name)

    def resolve_or_none(self, name: str) -> FeelType | None:
        name = " ".join(name.split())
        if name in self.cache:
            return self.cache[name]
        self.cache[name] = None
        found = simple_type(name)
        if found is None and name in self.defs.item_definitions:
            found = ItemDefinitionType(self.defs.item_definitions[name], self)
        if found is None and "." in name:
            prefix, _, rest = name.partition(".")
            imported = self.model.imported(self.defs, prefix)
            if imported is not None:
                found = self.model.resolver(imported).resolve_or_none(rest)
        if found is None and ("<" in name):
            try:
                found = feel.parse_type(name).resolve(Env({}, types=self))
            except feel.FeelError:
                found = None
        self.cache[name] = found
        return found

    def resolve(self, name: str) -> FeelType:
        from obieg.engine.feel.types import UnknownType

        return self.resolve_or_none(name) or UnknownType(name)

    def matches(self, tests: str, value: Any) -> bool:
        try:
            parsed = feel.parse_unary_tests(tests, self.model.names(self.defs))
        except feel.FeelError:
            return False
        return parsed.matches(value, Env(BUILTINS, types=self))


class BoxFunction(FeelFunction):
    """A function whose body is a boxed expression (BKM, function definition)."""

    def __init__(
        self, run: Evaluation, defs: Definitions, box: FunctionBox, closure: Env, name: str
    ) -> None:
        self.run = run
        self.defs = defs
        self.box = box
        self.closure = closure
        self.name = name
        self.params = tuple(p for p, _ in box.params)

    def call(self, args: list[Any], named: dict[str, Any] | None, env: Any) -> Any:
        if named is not None:
            if any(key not in self.params for key in named):
                return None
            args = [named.get(p) for p in self.params]
        if len(args) != len(self.params):
            return None
        if self.box.function_kind.upper() != "FEEL":
            return None  # Java / PMML functions are never run
        scope = self.closure.enter_call()
        scope.budget = env.budget if hasattr(env, "budget") else scope.budget
        bindings: dict[str, Any] = {}
        resolver = self.run.model.resolver(self.defs)
        for (param, type_ref), arg in zip(self.box.params, args, strict=True):
            if type_ref:
                arg = coerce_to(arg, resolver.resolve_or_none(type_ref))
            bindings[param] = arg
        scope.vars = bindings
        value = self.run.box(self.defs, self.box.body, scope)
        if self.box.type_ref:
            value = coerce_to(value, resolver.resolve_or_none(self.box.type_ref))
        return value


class ServiceFunction(FeelFunction):
    def __init__(self, run: Evaluation, defs: Definitions, element: Element) -> None:
        self.run = run
        self.defs = defs
        self.element = element
        self.name = element.name
        self.params = tuple(run.model.service_parameters(defs, element))

    def call(self, args: list[Any], named: dict[str, Any] | None, env: Any) -> Any:
        if named is not None:
            if any(key not in self.params for key in named):
                return None
            args = [named.get(p) for p in self.params]
        if len(args) != len(self.params):
            return None
        return self.run.service(self.defs, self.element, dict(zip(self.params, args, strict=True)))


class Evaluation:
    """One evaluation: inputs, the results so far, a step budget."""

    def __init__(
        self,
        model: DecisionModel,
        inputs: Mapping[str, Any],
        namespaced: Mapping[str, Mapping[str, Any]] | None = None,
        limits: Limits = DEFAULT_LIMITS,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.inputs = inputs
        self.namespaced = namespaced or {}
        self.context = context
        self.budget = Budget(limits)
        self.results: dict[tuple[str, str], Any] = {}
        self.messages: list[str] = []

    # --- scopes
    def root(self, defs: Definitions) -> Env:
        env = Env(BUILTINS, budget=self.budget, types=self.model.resolver(defs))
        # The names around the model (a case's variables) are visible everywhere in it.
        return env.child(self.context) if self.context is not None else env

    def input_value(self, defs: Definitions, element: Element) -> Any:
        if defs is self.model.main:
            values: Mapping[str, Any] = self.inputs
        else:
            values = self.namespaced.get(defs.namespace, self.inputs)
        value = values.get(element.name)
        kind = (
            self.model.resolver(defs).resolve_or_none(element.type_ref)
            if element.type_ref
            else None
        )
        coerced = coerce_to(value, kind)
        if value is not None and coerced is None:
            self.messages.append(f"input {element.name!r} does not conform to {element.type_ref}")
        return coerced

    def requirement_scope(
        self, defs: Definitions, element: Element, overrides: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        scope: dict[str, Any] = {}
        for requirement in element.requirements:
            found = self.model.resolve_href(defs, requirement.href)
            if found is None:
                self.messages.append(f"{element.name}: unresolved reference {requirement.href}")
                continue
            target_defs, target = found
            value = self.element_value(target_defs, target, overrides)
            if target_defs is defs:
                scope[target.name] = value
            else:
                prefix = self.model.import_name(defs, target_defs)
                holder = scope.setdefault(prefix, {}) if prefix else scope
                holder[target.name] = value
        return scope

    def element_value(
        self, defs: Definitions, element: Element, overrides: Mapping[str, Any] | None = None
    ) -> Any:
        if overrides is not None and element.id in overrides:
            return overrides[element.id]
        if element.kind == "inputData":
            return self.input_value(defs, element)
        if element.kind == "decision":
            return self.decision(defs, element, overrides)
        if element.kind == "businessKnowledgeModel":
            return self.bkm(defs, element)
        if element.kind == "decisionService":
            return ServiceFunction(self, defs, element)
        return None

    # --- DRG elements
    def decision(
        self, defs: Definitions, element: Element, overrides: Mapping[str, Any] | None = None
    ) -> Any:
        key = (defs.namespace, element.id)
        if overrides is None and key in self.results:
            return self.results[key]
        if overrides is None:
            self.results[key] = None  # a cycle evaluates to null
        scope = self.requirement_scope(defs, element, overrides)
        env = self.root(defs).child(scope)
        value = self.box(defs, element.expression, env)
        if element.type_ref:
            kind = self.model.resolver(defs).resolve_or_none(element.type_ref)
            coerced = coerce_to(value, kind)
            if value is not None and coerced is None:
                self.messages.append(
                    f"decision {element.name!r}: result does not conform to {element.type_ref}"
                )
            value = coerced
        if overrides is None:
            self.results[key] = value
        return value

    def bkm(self, defs: Definitions, element: Element) -> Any:
        box = element.expression
        if not isinstance(box, FunctionBox):
            return None
        scope = self.requirement_scope(defs, element)
        env = self.root(defs).child(scope)
        function = BoxFunction(self, defs, box, env, element.name)
        scope[element.name] = function  # recursion
        return function

    def service(self, defs: Definitions, element: Element, arguments: Mapping[str, Any]) -> Any:
        overrides: dict[str, Any] = {}
        for href in element.input_decisions + element.input_data:
            found = self.model.resolve_href(defs, href)
            if found is not None:
                overrides[found[1].id] = arguments.get(found[1].name)
        outputs = []
        for href in element.output_decisions:
            found = self.model.resolve_href(defs, href)
            if found is None:
                return None
            target_defs, target = found
            outputs.append((target.name, self.decision(target_defs, target, overrides)))
        if len(outputs) == 1:
            return outputs[0][1]
        return dict(outputs)

    # --- boxed expressions
    def box(self, defs: Definitions, box: Box | None, env: Env) -> Any:
        if box is None:
            return None
        self.budget.step()
        value = self._box(defs, box, env)
        if box.type_ref and not isinstance(box, (FunctionBox, DecisionTableBox)):
            value = coerce_to(value, self.model.resolver(defs).resolve_or_none(box.type_ref))
        return value

    def expression(self, defs: Definitions, text: str, env: Env) -> Any:
        try:
            tree = feel.parse_expression(text, self.model.names(defs))
        except feel.FeelLimitError:
            raise
        except feel.FeelError as error:
            self.messages.append(str(error))
            return None
        try:
            return tree.ev(env)
        except RecursionError as error:
            raise feel.FeelLimitError("expression nested too deeply") from error

    def _box(self, defs: Definitions, box: Box, env: Env) -> Any:
        if isinstance(box, LiteralBox):
            if not box.text.strip():
                return None
            return self.expression(defs, box.text, env)
        if isinstance(box, ContextBox):
            result: dict[str, Any] = {}
            inner = env.child(result)
            for name, type_ref, entry in box.entries:
                value = self.box(defs, entry, inner)
                if type_ref:
                    value = coerce_to(value, self.model.resolver(defs).resolve_or_none(type_ref))
                if name is None:
                    return value
                result[name] = value
            return result
        if isinstance(box, DecisionTableBox):
            return self.decision_table(defs, box, env)
        if isinstance(box, InvocationBox):
            function = self.expression(defs, box.callee, env)
            if not isinstance(function, FeelFunction):
                return None
            named = {name: self.box(defs, binding, env) for name, binding in box.bindings}
            return n.call_function(function, [], named, env)
        if isinstance(box, RelationBox):
            rows = []
            for row in box.rows:
                rows.append(
                    {
                        col: self.box(defs, cell, env)
                        for col, cell in zip(box.columns, row, strict=False)
                    }
                )
            return rows
        if isinstance(box, ListBox):
            return [self.box(defs, item, env) for item in box.items]
        if isinstance(box, FunctionBox):
            return BoxFunction(self, defs, box, env, "function")
        if isinstance(box, ConditionalBox):
            if self.box(defs, box.condition, env) is True:
                return self.box(defs, box.then, env)
            return self.box(defs, box.otherwise, env)
        if isinstance(box, FilterBox):
            source = self.box(defs, box.source, env)
            if source is None:
                return None
            items = source if isinstance(source, list) else [source]
            kept = []
            for item in items:
                scope = dict(item) if isinstance(item, dict) else {}
                scope["item"] = item
                if self.box(defs, box.match, env.child(scope)) is True:
                    kept.append(item)
            return kept
        if isinstance(box, IteratorBox):
            source = self.box(defs, box.source, env)
            if source is None:
                return None
            items = source if isinstance(source, list) else [source]
            outcomes = []
            for item in items:
                outcomes.append(self.box(defs, box.body, env.child({box.variable: item})))
            if box.kind == "for":
                return outcomes
            if box.kind == "some":
                return any(o is True for o in outcomes)
            return all(o is True for o in outcomes)
        self.messages.append(f"{box.kind} expressions are not supported")
        return None

    # --- decision tables
    def decision_table(self, defs: Definitions, table: DecisionTableBox, env: Env) -> Any:
        names = self.model.names(defs)
        resolver = self.model.resolver(defs)
        values = []
        for text, type_ref, allowed in table.inputs:
            value = self.expression(defs, text, env)
            if type_ref:
                kind = resolver.resolve_or_none(type_ref)
                coerced = coerce_to(value, kind)
                if value is not None and coerced is None:
                    self.messages.append(f"decision table input {text!r} is not a {type_ref}")
                    return None
                value = coerced
            if allowed and value is not None and not self._test(defs, allowed, value, env, names):
                self.messages.append(
                    f"decision table input {text!r}: {value!r} is not one of {allowed}"
                )
                return None
            values.append(value)
        matched = []
        for rule in table.rules:
            if all(
                self._test(defs, entry, value, env, names, input_text=text)
                for entry, value, (text, _, _) in zip(
                    rule.inputs, values, table.inputs, strict=False
                )
            ):
                matched.append(rule)
        policy = table.hit_policy.replace("_", " ")
        short = {
            "U": "UNIQUE",
            "A": "ANY",
            "P": "PRIORITY",
            "F": "FIRST",
            "C": "COLLECT",
            "R": "RULE ORDER",
            "O": "OUTPUT ORDER",
        }
        policy = short.get(policy, policy)
        if not matched:
            if (
                policy == "COLLECT"
                and table.aggregation is None
                and not any(o.default for o in table.outputs)
            ):
                return []
            if policy == "COLLECT" and (table.aggregation or "").upper() == "COUNT":
                return Decimal(0)
            return self._defaults(defs, table, env)
        results = [self._outputs(defs, table, rule, env) for rule in matched]
        if policy == "UNIQUE":
            if len(matched) > 1:
                rows = ", ".join(str(rule.index + 1) for rule in matched)
                self.messages.append(f"UNIQUE decision table: rules {rows} all match")
                return None
            return results[0]
        if policy == "FIRST":
            return results[0]
        if policy == "ANY":
            first = results[0]
            if any(feel_equal(first, other) is not True for other in results[1:]):
                self.messages.append("ANY decision table: matching rules give different outputs")
                return None
            return first
        if policy in ("PRIORITY", "OUTPUT ORDER"):
            ordered = self._by_priority(defs, table, results, env)
            return ordered[0] if policy == "PRIORITY" else ordered
        if policy == "RULE ORDER":
            return results
        if policy == "COLLECT":
            return self._aggregate(table.aggregation, results)
        self.messages.append(f"unknown hit policy {table.hit_policy}")
        return None

    def _test(
        self,
        defs: Definitions,
        text: str,
        value: Any,
        env: Env,
        names: frozenset[str],
        input_text: str | None = None,
    ) -> bool:
        try:
            tests = feel.parse_unary_tests(text, names)
        except feel.FeelLimitError:
            raise
        except feel.FeelError as error:
            self.messages.append(str(error))
            return False
        return tests.matches(value, env)

    def _outputs(self, defs: Definitions, table: DecisionTableBox, rule: Any, env: Env) -> Any:
        resolver = self.model.resolver(defs)
        values = []
        for text, spec in zip(rule.outputs, table.outputs, strict=False):
            value = self.expression(defs, text, env) if text.strip() else None
            if spec.type_ref:
                value = coerce_to(value, resolver.resolve_or_none(spec.type_ref))
            values.append(value)
        if len(table.outputs) == 1:
            return values[0]
        return {spec.name or "": value for spec, value in zip(table.outputs, values, strict=False)}

    def _defaults(self, defs: Definitions, table: DecisionTableBox, env: Env) -> Any:
        values = [
            self.expression(defs, o.default, env) if o.default else None for o in table.outputs
        ]
        if len(table.outputs) == 1:
            return values[0]
        if all(v is None for v in values):
            return None
        return {o.name or "": v for o, v in zip(table.outputs, values, strict=False)}

    def _by_priority(
        self, defs: Definitions, table: DecisionTableBox, results: list[Any], env: Env
    ) -> list[Any]:
        names = self.model.names(defs)
        ranks: list[list[Any]] = []
        for spec in table.outputs:
            if spec.values:
                try:
                    tests = feel.parse_unary_tests(spec.values, names).tests or []
                except feel.FeelError:
                    tests = []
            else:
                tests = []
            ranks.append(tests)

        def key(result: Any) -> list[int]:
            outputs = (
                [result]
                if len(table.outputs) == 1
                else [result.get(s.name or "") for s in table.outputs]
            )
            positions = []
            for value, tests in zip(outputs, ranks, strict=False):
                position = len(tests)
                for index, test in enumerate(tests):
                    if test.matches(value, env.child({"?": value})):
                        position = index
                        break
                positions.append(position)
            return positions

        return sorted(results, key=key)

    def _aggregate(self, aggregation: str | None, results: list[Any]) -> Any:
        if not aggregation:
            return results
        aggregation = aggregation.upper()
        values = [r for r in results if r is not None]
        if aggregation == "COUNT":
            return Decimal(len(values))
        if not values:
            return None
        if aggregation == "SUM":
            total = Decimal(0)
            for value in values:
                if not isinstance(value, Decimal):
                    return None
                total += value
            return total
        best = values[0]
        for value in values[1:]:
            order = feel_compare(value, best)
            if order is None:
                return None
            if (aggregation == "MIN" and order < 0) or (aggregation == "MAX" and order > 0):
                best = value
        return best
