"""FEEL, the expression language of DMN 1.5, for Obieg.

Public API:

- ``parse_expression(text, names=())`` -> a syntax tree with ``.ev(env)``;
  ``parse_unary_tests(text, names=())`` for decision table input entries.
  ``names`` are the variables in scope whose names contain keywords or
  symbols (``date of birth`` reads fine without it; ``Date-Time`` does not).
  Both raise ``FeelSyntaxError`` for text that is not FEEL and
  ``FeelLimitError`` for text over the limits.
- ``evaluate(text, context)`` -> value of an expression with the variables of
  ``context`` (a Mapping of names to FEEL values).
- ``unary_test_matches(text, input_value, context)`` -> bool: whether the
  input entry matches the value.
- ``FeelError`` (base), ``FeelSyntaxError``, ``FeelLimitError``; ``Limits``.

Values: Decimal numbers (34 digits, half-even), str, bool, None (null),
datetime.date / time / datetime, ``DaysTimeDuration``,
``YearsMonthsDuration``, lists, dicts (contexts), ``Range``, ``FeelFunction``.
Use ``to_feel(python_value)`` to turn ints/floats and nested data into FEEL
values.

Errors inside an expression give null, as FEEL says; only syntax and
resource limits raise. Nothing in an expression can run Python code:
there is no eval, no attribute access on Python objects, and external
(Java/PMML) functions evaluate to null.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .builtins import BUILTINS
from .coercion import coerce as coercion_coerce
from .convert import to_feel
from .env import Env
from .errors import FeelError, FeelLimitError, FeelSyntaxError
from .limits import DEFAULT_LIMITS, Budget, Limits
from .parser import parse_expression, parse_type, parse_unary_tests
from .values import (
    DaysTimeDuration,
    FeelFunction,
    Range,
    YearsMonthsDuration,
    feel_equal,
    to_text,
    type_name,
)

__all__ = [
    "DaysTimeDuration",
    "Env",
    "FeelError",
    "FeelFunction",
    "FeelLimitError",
    "FeelSyntaxError",
    "Limits",
    "Range",
    "YearsMonthsDuration",
    "coercion_coerce",
    "evaluate",
    "feel_equal",
    "make_env",
    "parse_expression",
    "parse_type",
    "parse_unary_tests",
    "to_feel",
    "to_text",
    "type_name",
    "unary_test_matches",
]


def make_env(context: Mapping[str, Any] | None = None, limits: Limits = DEFAULT_LIMITS) -> Env:
    """A fresh environment (new step budget) over the built-ins and `context`."""
    root = Env(BUILTINS, budget=Budget(limits))
    # Read name by name, never copied: the engine passes a view whose values are
    # computed (and converted to FEEL) only when an expression reads them.
    return root.child(context if context is not None else {})


def _run(function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except RecursionError as error:
        raise FeelLimitError("expression nested too deeply") from error


def evaluate(
    text: str, context: Mapping[str, Any] | None = None, limits: Limits = DEFAULT_LIMITS
) -> Any:
    """The value of a FEEL expression with the variables of `context`."""
    context = context or {}
    tree = parse_expression(text, context.keys(), limits)
    return _run(tree.ev, make_env(context, limits))


def unary_test_matches(
    text: str,
    input_value: Any,
    context: Mapping[str, Any] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> bool:
    """Whether `input_value` satisfies the unary tests `text` (e.g. `[1..10]`, `< 5`, `-`)."""
    context = context or {}
    tests = parse_unary_tests(text, context.keys(), limits)
    return bool(_run(tests.matches, input_value, make_env(context, limits)))
