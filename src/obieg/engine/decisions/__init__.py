"""DMN 1.1-1.5 decision models for Obieg, evaluated with FEEL.

Public API:

- ``load(sources)`` -> ``DecisionModel``; ``sources`` is DMN XML bytes, a
  path, or a list of them (the first is the main model; the others are what
  its ``<import>`` elements may name, matched by namespace).
- ``model.evaluate(decision, inputs)`` -> the value of one decision (by
  name or id). ``inputs`` maps input data names to FEEL values (use
  ``feel.to_feel`` for plain Python data); inputs of imported models may
  be given per namespace with ``namespaced={namespace: {name: value}}``;
  ``context=`` names visible throughout the model, as a process's
  variables are to the decision of a business-rule task.
- ``model.evaluate_all(inputs)`` -> {decision name: value} for every decision.
- ``model.invoke(name, inputs)`` -> the value of a decision service or BKM.
- ``model.validate()`` -> every problem found (unparseable FEEL, unknown
  references and types, unsupported elements), as
  ``"file: element id (name): what"`` lines; an empty list means none.
- ``DmnReadError`` for a file that is not DMN; ``feel.FeelLimitError`` when an
  evaluation goes over its limits.

Errors inside a decision give null for that decision, as DMN says; the
reasons are in ``model.last_messages`` after an evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from obieg.engine.feel.limits import DEFAULT_LIMITS, Limits

from .evaluate import Evaluation, ServiceFunction, TypeResolver
from .model import Definitions, DmnReadError, Element, read_definitions, read_path
from .validation import names_in, validate_model

__all__ = ["DecisionModel", "DmnReadError", "load"]

Source = bytes | str | Path


class DecisionModel:
    def __init__(self, definitions: list[Definitions], limits: Limits = DEFAULT_LIMITS) -> None:
        if not definitions:
            raise DmnReadError("no DMN definitions given")
        self.main = definitions[0]
        self.definitions = definitions
        self.by_namespace = {d.namespace: d for d in definitions}
        self.limits = limits
        self._resolvers: dict[int, TypeResolver] = {}
        self._names: dict[int, frozenset[str]] = {}
        self.last_messages: list[str] = []

    # --- lookups used by the evaluator
    def resolver(self, defs: Definitions) -> TypeResolver:
        key = id(defs)
        if key not in self._resolvers:
            self._resolvers[key] = TypeResolver(self, defs)
        return self._resolvers[key]

    def imported(self, defs: Definitions, import_name: str) -> Definitions | None:
        for imp in defs.imports:
            if imp.name == import_name:
                return self.by_namespace.get(imp.namespace)
        return None

    def import_name(self, defs: Definitions, target: Definitions) -> str | None:
        for imp in defs.imports:
            if imp.namespace == target.namespace:
                return imp.name or None
        return None

    def resolve_href(self, defs: Definitions, href: str) -> tuple[Definitions, Element] | None:
        namespace, _, ident = href.rpartition("#")
        target = self.by_namespace.get(namespace, defs) if namespace else defs
        element = target.by_id(ident)
        return (target, element) if element is not None else None

    def names(self, defs: Definitions) -> frozenset[str]:
        """Names in scope in `defs` that the FEEL tokenizer must be told about."""
        key = id(defs)
        if key not in self._names:
            self._names[key] = frozenset(names_in(self, defs))
        return self._names[key]

    def service_parameters(self, defs: Definitions, element: Element) -> list[str]:
        params = []
        for href in element.input_data + element.input_decisions:
            found = self.resolve_href(defs, href)
            if found is not None:
                params.append(found[1].name)
        return params

    def element(self, name_or_id: str, kinds: Iterable[str] = ("decision",)) -> Element:
        kinds = tuple(kinds)
        for element in self.main.elements:
            if element.kind in kinds and name_or_id in (element.name, element.id):
                return element
        raise KeyError(f"{self.main.source}: no {' or '.join(kinds)} named {name_or_id!r}")

    # --- evaluation
    def _run(
        self,
        inputs: Mapping[str, Any] | None,
        namespaced: Mapping[str, Mapping[str, Any]] | None,
        context: Mapping[str, Any] | None = None,
    ) -> Evaluation:
        return Evaluation(self, inputs or {}, namespaced, self.limits, context)

    def evaluate(
        self,
        decision: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        namespaced: Mapping[str, Mapping[str, Any]] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Any:
        """The decision's value; `context` holds names visible throughout (a case's variables)."""
        element = self.element(decision)
        run = self._run(inputs, namespaced, context)
        try:
            return run.decision(self.main, element)
        finally:
            self.last_messages = run.messages

    def evaluate_all(self, inputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
        run = self._run(inputs, None)
        try:
            return {
                e.name: run.decision(self.main, e)
                for e in self.main.elements
                if e.kind == "decision"
            }
        finally:
            self.last_messages = run.messages

    def invoke(
        self,
        name: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        namespaced: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> Any:
        """A decision service called with its parameters taken from `inputs` by name."""
        element = self.element(name, ("decisionService", "businessKnowledgeModel"))
        run = self._run(inputs, namespaced)
        inputs = inputs or {}
        try:
            if element.kind == "decisionService":
                function = ServiceFunction(run, self.main, element)
            else:
                function = run.bkm(self.main, element)
            if function is None:
                return None
            args = [inputs.get(p) for p in function.params]
            return function.call(args, None, run.root(self.main))
        finally:
            self.last_messages = run.messages

    def validate(self) -> list[str]:
        return validate_model(self)


def load(sources: Source | Iterable[Source], limits: Limits = DEFAULT_LIMITS) -> DecisionModel:
    """A decision model from DMN bytes or paths (main model first)."""
    if isinstance(sources, (bytes, str, Path)):
        sources = [sources]
    definitions = []
    for source in sources:
        if isinstance(source, bytes):
            definitions.append(read_definitions(source))
        else:
            definitions.append(read_path(source))
    return DecisionModel(definitions, limits)
