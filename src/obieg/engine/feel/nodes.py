"""The FEEL syntax tree and its evaluation.

Each node has `ev(env)`. Wrong types, missing names and failed built-ins
give None (FEEL null); only resource limits raise (FeelLimitError).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from . import operators as op
from .env import MISSING, Env
from .errors import FeelLimitError
from .types import ANY, FeelType
from .values import (
    DaysTimeDuration,
    FeelFunction,
    Range,
    YearsMonthsDuration,
    bind_named,
    feel_compare,
)


class Node:
    __slots__ = ("depth",)
    depth: int

    def ev(self, env: Env) -> Any:
        raise NotImplementedError

    def children(self) -> Iterator[Node]:
        return iter(())

    def walk(self) -> Iterator[Node]:
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children())


class Literal(Node):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def ev(self, env: Env) -> Any:
        return self.value


class Name(Node):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def ev(self, env: Env) -> Any:
        env.budget.step()
        value = env.lookup(self.name)
        if value is MISSING and "." in self.name:
            # a known name like `Person.Gender` that is not in scope here is a path
            head, *rest = self.name.split(".")
            value = env.lookup(head.strip())
            for part in rest:
                value = None if value is MISSING else property_of(value, part.strip())
        return None if value is MISSING else value


class ListNode(Node):
    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items

    def children(self) -> Iterator[Node]:
        return iter(self.items)

    def ev(self, env: Env) -> Any:
        env.budget.step()
        return [item.ev(env) for item in self.items]


class ContextNode(Node):
    __slots__ = ("entries",)

    def __init__(self, entries: list[tuple[str, Node]]) -> None:
        self.entries = entries

    def children(self) -> Iterator[Node]:
        return (node for _, node in self.entries)

    def ev(self, env: Env) -> Any:
        env.budget.step()
        result: dict[str, Any] = {}
        inner = env.child(result)
        for key, node in self.entries:
            if key in result:
                return None  # duplicate keys are an error in FEEL
            result[key] = node.ev(inner)
        return result


class IntervalNode(Node):
    __slots__ = ("start_included", "start", "end", "end_included")

    def __init__(self, start_included: bool, start: Node, end: Node, end_included: bool) -> None:
        self.start_included = start_included
        self.start = start
        self.end = end
        self.end_included = end_included

    def children(self) -> Iterator[Node]:
        return iter((self.start, self.end))

    def ev(self, env: Env) -> Any:
        start = self.start.ev(env)
        end = self.end.ev(env)
        if start is None and end is None:
            return None
        if start is not None and end is not None and feel_compare(start, end) is None:
            return None
        return Range(self.start_included, start, end, self.end_included)


class ComparisonTest(Node):
    """`< 10`, `>= x`, `= 5`, `!= "a"`: a unary test, or a range as a value."""

    __slots__ = ("op", "operand")

    def __init__(self, operator: str, operand: Node) -> None:
        self.op = operator
        self.operand = operand

    def children(self) -> Iterator[Node]:
        return iter((self.operand,))

    def ev(self, env: Env) -> Any:
        value = self.operand.ev(env)
        if value is None and self.op not in ("=", "!="):
            return None
        if self.op == "<":
            return Range(False, None, value, False)
        if self.op == "<=":
            return Range(False, None, value, True)
        if self.op == ">":
            return Range(False, value, None, False)
        if self.op == ">=":
            return Range(True, value, None, False)
        if self.op == "=":
            return value
        return None

    def matches(self, value: Any, env: Env) -> bool | None:
        return op.compare(self.op, value, self.operand.ev(env))


class Negation(Node):
    __slots__ = ("operand",)

    def __init__(self, operand: Node) -> None:
        self.operand = operand

    def children(self) -> Iterator[Node]:
        return iter((self.operand,))

    def ev(self, env: Env) -> Any:
        return op.negate(self.operand.ev(env))


class Chain(Node):
    """A left-associative chain: a + b - c, a * b / c, a ** b ** c."""

    __slots__ = ("first", "rest")

    def __init__(self, first: Node, rest: list[tuple[str, Node]]) -> None:
        self.first = first
        self.rest = rest

    def children(self) -> Iterator[Node]:
        yield self.first
        for _, node in self.rest:
            yield node

    def ev(self, env: Env) -> Any:
        budget = env.budget
        value = self.first.ev(env)
        for operator, node in self.rest:
            budget.step()
            right = node.ev(env)
            if value is None or right is None:
                value = None
            elif operator == "+":
                value = op.add(value, right, budget)
            elif operator == "-":
                value = op.subtract(value, right)
            elif operator == "*":
                value = op.multiply(value, right)
            elif operator == "/":
                value = op.divide(value, right)
            else:
                value = op.power(value, right)
        return value


class Compare(Node):
    __slots__ = ("op", "left", "right")

    def __init__(self, operator: str, left: Node, right: Node) -> None:
        self.op = operator
        self.left = left
        self.right = right

    def children(self) -> Iterator[Node]:
        return iter((self.left, self.right))

    def ev(self, env: Env) -> Any:
        env.budget.step()
        return op.compare(self.op, self.left.ev(env), self.right.ev(env))


class Between(Node):
    __slots__ = ("value", "low", "high")

    def __init__(self, value: Node, low: Node, high: Node) -> None:
        self.value = value
        self.low = low
        self.high = high

    def children(self) -> Iterator[Node]:
        return iter((self.value, self.low, self.high))

    def ev(self, env: Env) -> Any:
        value = self.value.ev(env)
        return op.conjunction(
            [op.compare(">=", value, self.low.ev(env)), op.compare("<=", value, self.high.ev(env))]
        )


class Logical(Node):
    __slots__ = ("kind", "items")

    def __init__(self, kind: str, items: list[Node]) -> None:
        self.kind = kind
        self.items = items

    def children(self) -> Iterator[Node]:
        return iter(self.items)

    def ev(self, env: Env) -> Any:
        env.budget.step()
        values = []
        stop = self.kind == "or"
        for item in self.items:
            value = item.ev(env)
            if value is stop:
                return stop
            values.append(value)
        return op.disjunction(values) if stop else op.conjunction(values)


def uses_input(node: Node) -> bool:
    return any(isinstance(n, Name) and n.name == "?" for n in node.walk())


class PositiveTest(Node):
    """One unary test: a comparison test, or an expression compared to the input."""

    __slots__ = ("expr", "with_input")

    def __init__(self, expr: Node) -> None:
        self.expr = expr
        self.with_input = uses_input(expr)

    def children(self) -> Iterator[Node]:
        return iter((self.expr,))

    def ev(self, env: Env) -> Any:
        return self.expr.ev(env)

    def matches(self, value: Any, env: Env) -> bool | None:
        if isinstance(self.expr, ComparisonTest):
            return self.expr.matches(value, env)
        if self.with_input:
            result = self.expr.ev(env.child({"?": value}))
            if isinstance(result, bool):
                return result
            return op.test_value(value, result)
        return op.test_value(value, self.expr.ev(env))


class UnaryTests(Node):
    """A decision table input entry: `-`, tests separated by commas, or `not(...)`."""

    __slots__ = ("tests", "negated")

    def __init__(self, tests: list[PositiveTest] | None, negated: bool = False) -> None:
        self.tests = tests
        self.negated = negated

    def children(self) -> Iterator[Node]:
        return iter(self.tests or ())

    def matches(self, value: Any, env: Env) -> bool:
        if self.tests is None:
            return True
        scope = env.child({"?": value})
        found: bool | None = False
        for test in self.tests:
            hit = test.matches(value, scope)
            if hit:
                found = True
                break
            if hit is None:
                found = None
        if self.negated:
            return found is False
        return found is True

    def ev(self, env: Env) -> Any:
        value = env.lookup("?")
        return self.matches(None if value is MISSING else value, env)


class InTest(Node):
    __slots__ = ("value", "tests")

    def __init__(self, value: Node, tests: list[PositiveTest]) -> None:
        self.value = value
        self.tests = tests

    def children(self) -> Iterator[Node]:
        yield self.value
        yield from self.tests

    def ev(self, env: Env) -> Any:
        value = self.value.ev(env)
        scope = env.child({"?": value})
        found: bool | None = False
        for test in self.tests:
            hit = test.matches(value, scope)
            if hit:
                return True
            if hit is None:
                found = None
        return found


class InstanceOf(Node):
    __slots__ = ("value", "type_node")

    def __init__(self, value: Node, type_node: TypeNode) -> None:
        self.value = value
        self.type_node = type_node

    def children(self) -> Iterator[Node]:
        return iter((self.value,))

    def ev(self, env: Env) -> Any:
        value = self.value.ev(env)
        kind = self.type_node.resolve(env)
        if value is None:
            return kind.name == "Null"
        return kind.conforms(value)


class TypeNode:
    """A type written in FEEL (`number`, `list<string>`, `tPerson`)."""

    def __init__(self, kind: str, name: str = "", args: list[Any] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.args = args or []

    def resolve(self, env: Env | None) -> FeelType:
        from .types import (
            ContextType,
            FunctionType,
            ListType,
            RangeType,
            UnknownType,
            simple_type,
        )

        if self.kind == "name":
            found = simple_type(self.name)
            if found is not None:
                return found
            if env is not None and env.types is not None:
                named = env.types(self.name)
                if named is not None:
                    return named
            return UnknownType(self.name)
        if self.kind == "list":
            return ListType(self.args[0].resolve(env))
        if self.kind == "range":
            return RangeType(self.args[0].resolve(env))
        if self.kind == "context":
            return ContextType({key: node.resolve(env) for key, node in self.args})
        if self.kind == "function":
            *params, result = (node.resolve(env) for node in self.args)
            return FunctionType(params, result)
        return ANY


class If(Node):
    __slots__ = ("condition", "then", "otherwise")

    def __init__(self, condition: Node, then: Node, otherwise: Node) -> None:
        self.condition = condition
        self.then = then
        self.otherwise = otherwise

    def children(self) -> Iterator[Node]:
        return iter((self.condition, self.then, self.otherwise))

    def ev(self, env: Env) -> Any:
        env.budget.step()
        if self.condition.ev(env) is True:
            return self.then.ev(env)
        return self.otherwise.ev(env)


def _iteration_values(env: Env, source: Node, until: Node | None) -> list[Any] | None:
    start = source.ev(env)
    if until is not None:
        end = until.ev(env)
        return _integer_range(env, start, end)
    if isinstance(start, Range):
        if start.start is None or start.end is None:
            return None
        if feel_compare(start.start, start.end) == 1:
            return None
        first = start.start if start.start_included else start.start + 1
        last = start.end if start.end_included else start.end - 1
        return _integer_range(env, first, last)
    if start is None:
        return None
    return start if isinstance(start, list) else [start]


def _integer_range(env: Env, start: Any, end: Any) -> list[Any] | None:
    if isinstance(start, Decimal) and isinstance(end, Decimal):
        if start != start.to_integral_value() or end != end.to_integral_value():
            return None
        env.budget.check_list_size(int(abs(end - start)) + 1)
        first, last = int(start), int(end)
        step = 1 if last >= first else -1
        return [Decimal(i) for i in range(first, last + step, step)]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        if isinstance(start, dt.datetime) or isinstance(end, dt.datetime):
            return None
        env.budget.check_list_size(abs((end - start).days) + 1)
        step = 1 if end >= start else -1
        return [start + dt.timedelta(days=i * step) for i in range(abs((end - start).days) + 1)]
    return None


class For(Node):
    __slots__ = ("iterations", "body")

    def __init__(self, iterations: list[tuple[str, Node, Node | None]], body: Node) -> None:
        self.iterations = iterations
        self.body = body

    def children(self) -> Iterator[Node]:
        for _, source, until in self.iterations:
            yield source
            if until is not None:
                yield until
        yield self.body

    def ev(self, env: Env) -> Any:
        results: list[Any] = []
        bindings: dict[str, Any] = {"partial": results}
        scope = env.child(bindings)
        if not self._loop(scope, bindings, 0, results):
            return None
        return results

    def _loop(self, scope: Env, bindings: dict[str, Any], index: int, results: list[Any]) -> bool:
        if index == len(self.iterations):
            scope.budget.step()
            results.append(self.body.ev(scope))
            scope.budget.limit_list(len(results))
            return True
        name, source, until = self.iterations[index]
        values = _iteration_values(scope, source, until)
        if values is None:
            return False
        for value in values:
            bindings[name] = value
            if not self._loop(scope, bindings, index + 1, results):
                return False
        return True


class Quantified(Node):
    __slots__ = ("every", "iterations", "body")

    def __init__(
        self, every: bool, iterations: list[tuple[str, Node, Node | None]], body: Node
    ) -> None:
        self.every = every
        self.iterations = iterations
        self.body = body

    def children(self) -> Iterator[Node]:
        for _, source, _until in self.iterations:
            yield source
        yield self.body

    def ev(self, env: Env) -> Any:
        bindings: dict[str, Any] = {}
        scope = env.child(bindings)
        outcome = self._loop(scope, bindings, 0)
        return outcome

    def _loop(self, scope: Env, bindings: dict[str, Any], index: int) -> bool | None:
        if index == len(self.iterations):
            scope.budget.step()
            return self.body.ev(scope) is True
        name, source, until = self.iterations[index]
        values = _iteration_values(scope, source, until)
        if values is None:
            return None
        for value in values:
            bindings[name] = value
            hit = self._loop(scope, bindings, index + 1)
            if hit is None:
                return None
            if hit != self.every:
                return hit
        return self.every


class UserFunction(FeelFunction):
    """A function defined in FEEL (`function(a, b) a + b`) with its closure."""

    def __init__(
        self,
        params: list[tuple[str, TypeNode | None]],
        body: Node | None,
        closure: Env,
        *,
        name: str = "anonymous function",
        call_body: Any = None,
    ) -> None:
        self.params = tuple(p for p, _ in params)
        self.param_types = [t for _, t in params]
        self.body = body
        self.closure = closure
        self.name = name
        self.call_body = call_body

    def call(self, args: list[Any], named: dict[str, Any] | None, env: Env) -> Any:
        if named is not None:
            bound = bind_named(self, named)
            if bound is None:
                return None
            args = bound + [None] * (len(self.params) - len(bound))
        if len(args) != len(self.params):
            return None
        scope = self.closure.enter_call()
        scope.budget = env.budget
        bindings = scope.vars = {}
        for param, kind, arg in zip(self.params, self.param_types, args, strict=True):
            if kind is not None and arg is not None:
                resolved = kind.resolve(scope)
                if not resolved.conforms(arg):
                    from .coercion import coerce

                    arg = coerce(arg, resolved)
                    if arg is None:
                        return None
            bindings[param] = arg
        if self.call_body is not None:
            return self.call_body(bindings, scope)
        assert self.body is not None
        return self.body.ev(scope)


class FunctionDefinition(Node):
    __slots__ = ("params", "body", "external")

    def __init__(
        self, params: list[tuple[str, TypeNode | None]], body: Node, external: bool
    ) -> None:
        self.params = params
        self.body = body
        self.external = external

    def children(self) -> Iterator[Node]:
        return iter((self.body,))

    def ev(self, env: Env) -> Any:
        if self.external:
            # Java and PMML functions are never run: a model is data, not code.
            return UserFunction(self.params, Literal(None), env, name="external function")
        return UserFunction(self.params, self.body, env)


class Filter(Node):
    __slots__ = ("target", "condition")

    def __init__(self, target: Node, condition: Node) -> None:
        self.target = target
        self.condition = condition

    def children(self) -> Iterator[Node]:
        return iter((self.target, self.condition))

    def ev(self, env: Env) -> Any:
        target = self.target.ev(env)
        if target is None:
            return None
        items = target if isinstance(target, list) else [target]
        if not any(isinstance(n, Name) and n.name == "item" for n in self.condition.walk()):
            index = self.condition.ev(env)
            if isinstance(index, Decimal):
                return _index(items, index)
        kept = []
        for item in items:
            env.budget.step()
            scope: dict[str, Any] = {"item": item}
            if isinstance(item, dict):
                scope.update(item)
            if self.condition.ev(env.child(scope)) is True:
                kept.append(item)
        return kept


def _index(items: list[Any], index: Decimal) -> Any:
    if index != index.to_integral_value():
        return None
    position = int(index)
    if position > 0 and position <= len(items):
        return items[position - 1]
    if position < 0 and -position <= len(items):
        return items[position]
    return None


class Path(Node):
    __slots__ = ("target", "name")

    def __init__(self, target: Node, name: str) -> None:
        self.target = target
        self.name = name

    def children(self) -> Iterator[Node]:
        return iter((self.target,))

    def ev(self, env: Env) -> Any:
        env.budget.step()
        return property_of(self.target.ev(env), self.name)


def property_of(value: Any, name: str) -> Any:
    if isinstance(value, dict):
        return value.get(name)
    if isinstance(value, list):
        return [property_of(item, name) for item in value]
    if isinstance(value, (dt.date, dt.time)):
        return _temporal_property(value, name)
    if isinstance(value, DaysTimeDuration):
        seconds = abs(value.seconds)
        sign = -1 if value.seconds < 0 else 1
        whole = int(seconds)
        parts = {
            "days": whole // 86_400,
            "hours": whole % 86_400 // 3_600,
            "minutes": whole % 3_600 // 60,
            "seconds": whole % 60,
        }
        return Decimal(sign * parts[name]) if name in parts else None
    if isinstance(value, YearsMonthsDuration):
        sign = -1 if value.months < 0 else 1
        if name == "years":
            return Decimal(sign * (abs(value.months) // 12))
        if name == "months":
            return Decimal(sign * (abs(value.months) % 12))
        return None
    if isinstance(value, Range):
        return {
            "start": value.start,
            "end": value.end,
            "start included": value.start_included,
            "end included": value.end_included,
        }.get(name)
    return None


def _temporal_property(value: dt.date | dt.time, name: str) -> Any:
    if isinstance(value, dt.date):
        if name in ("year", "month", "day"):
            return Decimal(getattr(value, name))
        if name == "weekday":
            return Decimal(value.isoweekday())
    if isinstance(value, (dt.time, dt.datetime)):
        if name in ("hour", "minute", "second"):
            return Decimal(getattr(value, name))
        if name == "time offset":
            offset = value.utcoffset() if value.tzinfo is not None else None
            if offset is None:
                return None
            return DaysTimeDuration.of(offset)
        if name == "timezone":
            key = getattr(value.tzinfo, "key", None)
            return key
    return None


class Invocation(Node):
    __slots__ = ("callee", "args", "named")

    def __init__(
        self, callee: Node, args: list[Node], named: list[tuple[str, Node]] | None
    ) -> None:
        self.callee = callee
        self.args = args
        self.named = named

    def children(self) -> Iterator[Node]:
        yield self.callee
        yield from self.args
        if self.named:
            for _, node in self.named:
                yield node

    def ev(self, env: Env) -> Any:
        env.budget.step()
        function = self.callee.ev(env)
        if not isinstance(function, FeelFunction) and isinstance(self.callee, Name):
            from .builtins import BUILTINS

            function = BUILTINS.get(self.callee.name)
        if not isinstance(function, FeelFunction):
            return None
        if self.named is not None:
            named = {}
            for key, node in self.named:
                named[key] = node.ev(env)
            return call_function(function, [], named, env)
        return call_function(function, [arg.ev(env) for arg in self.args], None, env)


def call_function(
    function: FeelFunction, args: list[Any], named: dict[str, Any] | None, env: Env
) -> Any:
    try:
        return function.call(args, named, env)
    except FeelLimitError:
        raise
    except RecursionError as error:
        raise FeelLimitError("expression nested too deeply") from error
    except (
        TypeError,
        ValueError,
        ArithmeticError,
        OverflowError,
        IndexError,
        KeyError,
        AttributeError,
    ):
        from .builtins import DEBUG

        if DEBUG:
            raise
        return None
