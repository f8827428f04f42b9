"""The safe evaluator for every expression written in a process model.

FEEL is the expression language of Obieg: an expression written `= …`
(as Camunda 8 writes them) or `${…}` (Camunda 7's JUEL, translated) is
evaluated as FEEL by feel_expressions.py. The rest of this module reads the
Python-like syntax the first models were written in, kept for them:

Gateway conditions, DMN entries, timer and due-date expressions and
assignee expressions are data drawn in a modeller, never code: they are
parsed with `ast` and interpreted here node by node. Nothing reaches
`eval`. Only whitelisted syntax is accepted (constants, names from the
case data, arithmetic, comparisons, boolean logic, `in`, subscripts,
`a if c else b`, lists/tuples/dicts and a few named functions); there are
no builtins, no imports, no lambdas or comprehensions, no attribute
access except a key lookup on a mapping (`offer.margin`), and no name or
key starting with an underscore.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from obieg.core import clock
from obieg.core.business_days import add_business_days
from obieg.engine import feel_expressions

MAX_SEQUENCE = 10_000  # longest string or list an expression may build
MAX_SOURCE = 2_000  # longest expression text accepted


class ExpressionError(Exception):
    """An expression is unsafe, malformed, or failed on the case data."""


def _business_days(days: int) -> str:
    """The moment `days` Polish business days from now, as an ISO timestamp."""
    if not isinstance(days, int) or isinstance(days, bool):
        raise ExpressionError("business_days() takes a whole number of days")
    moment = add_business_days(timezone.localtime(clock.now()), days)
    return moment.isoformat()


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ExpressionError(f"Decimal() cannot read {value!r}") from error


def _str(value: Any) -> str:
    if not isinstance(value, _CONSTANT_TYPES + (Decimal, date)):
        raise ExpressionError("str() takes a single value, not a collection")
    return str(value)


def _today() -> date:
    return timezone.localdate(clock.now())


def _days(number: int) -> timedelta:
    return timedelta(days=number)


# The only callables an expression may name. Each takes plain values only.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": len,
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "sum": sum,
    "any": any,
    "all": all,
    "int": int,
    "str": _str,
    "bool": bool,
    "Decimal": _decimal,
    "business_days": _business_days,
    "today": _today,
    "days": _days,
}

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.Not: operator.not_,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
_CONSTANT_TYPES = (str, int, float, bool, type(None))
_VALUE_TYPES = (str, int, float, bool, type(None), Decimal, date, datetime, timedelta)


def _reject(node: ast.AST, reason: str) -> ExpressionError:
    return ExpressionError(f"{reason} (at column {getattr(node, 'col_offset', 0) + 1})")


def _check_name(node: ast.AST, name: str) -> None:
    if name.startswith("_"):
        raise _reject(node, f"the name {name!r} is not allowed (it starts with an underscore)")


def parse(source: str) -> ast.Expression:
    """The checked syntax tree of `source`; raises ExpressionError if unsafe.

    A plain syntax error is raised as SyntaxError, so callers that try
    alternative readings (DMN's "> 5" shorthand) can tell the two apart.
    """
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text")
    if len(source) > MAX_SOURCE:
        raise ExpressionError(f"the expression is longer than {MAX_SOURCE} characters")
    tree = ast.parse(source.strip(), mode="eval")
    _Checker().visit(tree)
    return tree


class _Checker(ast.NodeVisitor):
    """Walks a tree and refuses any node outside the whitelist."""

    ALLOWED = (
        ast.Expression,
        ast.BoolOp,
        ast.And,
        ast.Or,
        ast.UnaryOp,
        ast.BinOp,
        ast.Compare,
        ast.IfExp,
        ast.Constant,
        ast.Name,
        ast.Load,
        ast.Subscript,
        ast.Slice,
        ast.Tuple,
        ast.List,
        ast.Dict,
        ast.Call,
        ast.Attribute,
        *_BINARY,
        *_UNARY,
        *_COMPARE,
    )

    def generic_visit(self, node: ast.AST) -> None:
        if not isinstance(node, self.ALLOWED):
            raise _reject(node, f"{type(node).__name__} is not allowed in a model expression")
        super().generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, _CONSTANT_TYPES):
            raise _reject(node, f"the constant {node.value!r} is not allowed")

    def visit_Name(self, node: ast.Name) -> None:
        _check_name(node, node.id)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            _check_name(node, key.value)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        _check_name(node, node.attr)
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            shown = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise _reject(node, f"calling {shown!r} is not allowed")
        if node.keywords:
            raise _reject(node, "keyword arguments are not allowed")
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                raise _reject(node, "*arguments are not allowed")
            self.visit(argument)


def validate(source: str) -> None:
    """Raise ExpressionError (or SyntaxError) unless `source` is a safe expression."""
    if not isinstance(source, str):
        raise ExpressionError("an expression must be text")
    try:
        body = feel_expressions.body_of(source)
        if body is not None:
            feel_expressions.validate(body)
            return
    except feel_expressions.FeelExpressionError as error:
        raise ExpressionError(str(error)) from error
    parse(source)


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """The value of `source` over `names` (the case data); raises ExpressionError.

    FEEL (`= …`) and JUEL (`${…}`) go to FEEL; anything else is the
    Python-like syntax of Obieg's first models, still read for them.
    """
    try:
        body = feel_expressions.body_of(source) if isinstance(source, str) else None
        if body is not None:
            return feel_expressions.evaluate(body, names)
    except feel_expressions.FeelExpressionError as error:
        raise ExpressionError(f"{source!r}: {error}") from error
    try:
        tree = parse(source)
    except SyntaxError as error:
        raise ExpressionError(f"syntax error in {source!r}: {error.msg}") from error
    return _Interpreter(names).run(tree.body)


class _Interpreter:
    def __init__(self, names: Mapping[str, Any]):
        self.names = names

    def run(self, node: ast.AST) -> Any:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:  # the checker already refused it; belt and braces
            raise _reject(node, f"{type(node).__name__} is not allowed in a model expression")
        try:
            return method(node)
        except ExpressionError:
            raise
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError) as error:
            raise _reject(node, f"{ast.unparse(node)!r} failed: {error}") from error

    def _Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _Name(self, node: ast.Name) -> Any:
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        if node.id in self.names:
            return _safe_value(node, self.names[node.id])
        if node.id in FUNCTIONS:
            raise _reject(node, f"{node.id!r} is a function; call it")
        raise _reject(node, f"unknown name {node.id!r}")

    def _Attribute(self, node: ast.Attribute) -> Any:
        container = self.run(node.value)
        if not isinstance(container, Mapping):
            raise _reject(node, f"{ast.unparse(node)!r}: only data fields can be read with a dot")
        if node.attr not in container:
            raise _reject(node, f"{ast.unparse(node.value)!r} has no field {node.attr!r}")
        return _safe_value(node, container[node.attr])

    def _Subscript(self, node: ast.Subscript) -> Any:
        container = self.run(node.value)
        key = self.run(node.slice)
        if isinstance(key, str) and key.startswith("_"):
            raise _reject(node, f"the key {key!r} is not allowed (it starts with an underscore)")
        if not isinstance(container, Mapping | list | tuple | str):
            raise _reject(node, f"{ast.unparse(node.value)!r} cannot be indexed")
        try:
            return _safe_value(node, container[key])
        except (KeyError, IndexError) as error:
            raise _reject(node, f"{ast.unparse(node)!r}: no such item") from error

    def _Slice(self, node: ast.Slice) -> slice:
        parts = [
            None if part is None else self.run(part) for part in (node.lower, node.upper, node.step)
        ]
        return slice(*parts)

    def _Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.run(item) for item in node.elts)

    def _List(self, node: ast.List) -> list:
        return [self.run(item) for item in node.elts]

    def _Dict(self, node: ast.Dict) -> dict:
        keys = [key for key in node.keys if key is not None]  # None stands for **unpacking
        if len(keys) != len(node.keys):
            raise _reject(node, "**unpacking is not allowed")
        return {
            self.run(key): self.run(value) for key, value in zip(keys, node.values, strict=True)
        }

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        result: Any = None
        for value in node.values:
            result = self.run(value)
            if isinstance(node.op, ast.And) and not result:
                return result
            if isinstance(node.op, ast.Or) and result:
                return result
        return result

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        return _UNARY[type(node.op)](self.run(node.operand))

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.run(node.left), self.run(node.right)
        if isinstance(node.op, ast.Mod) and isinstance(left, str):
            raise _reject(node, "%-formatting of text is not allowed")
        if isinstance(node.op, ast.Mult):
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(count, int):
                    if len(sequence) * max(count, 0) > MAX_SEQUENCE:
                        raise _reject(node, "the result would be too long")
        if (
            isinstance(left, Decimal)
            and isinstance(right, float)
            or (isinstance(right, Decimal) and isinstance(left, float))
        ):
            left, right = _decimal(left), _decimal(right)
        result = _BINARY[type(node.op)](left, right)
        if isinstance(result, str | list | tuple) and len(result) > MAX_SEQUENCE:
            raise _reject(node, "the result would be too long")
        return result

    def _Compare(self, node: ast.Compare) -> bool:
        left = self.run(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.run(comparator)
            if isinstance(left, Decimal) and isinstance(right, float):
                right = _decimal(right)
            elif isinstance(right, Decimal) and isinstance(left, float):
                left = _decimal(left)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp) -> Any:
        return self.run(node.body) if self.run(node.test) else self.run(node.orelse)

    def _Call(self, node: ast.Call) -> Any:
        # The checker let through only calls of the names in FUNCTIONS.
        if not isinstance(node.func, ast.Name):
            raise _reject(node, "only a named function can be called")
        function = FUNCTIONS[node.func.id]
        return _safe_value(node, function(*(self.run(argument) for argument in node.args)))


def _safe_value(node: ast.AST, value: Any) -> Any:
    """Refuse anything but plain data, so no object's methods can be reached."""
    if isinstance(value, _VALUE_TYPES):
        return value
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return value
    raise _reject(node, f"a value of type {type(value).__name__} cannot be used in an expression")
