"""Function calls that nothing defines, found before an expression runs.

FEEL gives null for a call of an unknown function, so `Decimal("0.30")` (the
Python spelling of a number) would deploy and then quietly never match. A
model is checked once, at deploy: every call of a plain name must be a
built-in, a name the model defines (a business knowledge model, a decision
service, an input that holds a function) or a name bound inside the
expression itself (a context entry, a `for`/`some`/`every` variable, a
function parameter).
"""

from __future__ import annotations

from collections.abc import Iterable

from .builtins import BUILTINS
from .nodes import ContextNode, For, FunctionDefinition, Invocation, Name, Node, Quantified


def _bound_inside(tree: Node) -> set[str]:
    bound: set[str] = set()
    for node in tree.walk():
        if isinstance(node, ContextNode):
            bound.update(key for key, _ in node.entries)
        elif isinstance(node, For | Quantified):
            bound.update(name for name, _, _ in node.iterations)
        elif isinstance(node, FunctionDefinition):
            bound.update(name for name, _ in node.params)
    return bound


def unknown_functions(tree: Node, known: Iterable[str] = ()) -> list[str]:
    """The names `tree` calls as functions that are neither built-in nor defined, sorted."""
    called = {
        node.callee.name
        for node in tree.walk()
        if isinstance(node, Invocation) and isinstance(node.callee, Name)
    }
    if not called:
        return []
    defined = set(BUILTINS) | set(known) | _bound_inside(tree)
    # `a.b(…)` reads a function from a context: its name is a path, checked when it runs.
    return sorted(name for name in called if name not in defined and "." not in name)


# Python spellings the first Obieg models used, with what FEEL writes instead.
PYTHON_SPELLINGS = {
    "Decimal": 'a number is written 0.30, not Decimal("0.30")',
    "len": "FEEL writes count(list) or string length(text)",
    "str": "FEEL writes string(value)",
    "int": "FEEL writes floor(n) or decimal(n, 0)",
}


def unknown_function_message(names: list[str]) -> str:
    listed = ", ".join(f"{name}()" for name in names)
    hints = [PYTHON_SPELLINGS[name] for name in names if name in PYTHON_SPELLINGS]
    hint = "; ".join(hints) if hints else "docs/feel.md lists the built-in functions"
    return f"calls {listed}, which is neither a FEEL built-in nor defined in the model ({hint})"
