"""From FEEL text to a syntax tree: lexer.py's tokens, lark's LALR parser,
and a transformer that builds `nodes` while lark reduces (no recursion, so
deep input cannot exhaust the Python stack).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from . import nodes as n
from .env import Env
from .errors import FeelError, FeelLimitError, FeelSyntaxError
from .lexer import KnownNames, needs_known, tokenize
from .limits import DECIMAL_CONTEXT, DEFAULT_LIMITS, Limits
from .temporal import parse_at_literal

MAX_TREE_DEPTH = 120


class _TokenFeed(Lexer):
    """lark's side of the lexer: the tokens were made by lexer.tokenize."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, data: Any, *args: Any) -> Iterable[Token]:  # type: ignore[override]
        return data


def _tokens(children: list[Any]) -> list[Any]:
    return [c for c in children if not isinstance(c, Token)]


def _node(node: n.Node) -> n.Node:
    depth = 1 + max((child.depth for child in node.children()), default=0)
    if depth > MAX_TREE_DEPTH:
        raise FeelLimitError(f"expression nested deeper than {MAX_TREE_DEPTH} levels")
    node.depth = depth
    return node


class _Builder(Transformer):
    # --- entry points
    def expression_start(self, c: list[Any]) -> n.Node:
        return c[0]

    def tests(self, c: list[Any]) -> n.Node:
        return _node(n.UnaryTests(c[0]))

    def negated_tests(self, c: list[Any]) -> n.Node:
        return _node(n.UnaryTests(c[2], negated=True))

    def positive_tests(self, c: list[Any]) -> list[n.PositiveTest]:
        return [_node(n.PositiveTest(x)) for x in _tokens(c)]  # type: ignore[misc]

    def type_start(self, c: list[Any]) -> n.TypeNode:
        return c[0]

    # --- literals and names
    def number(self, c: list[Token]) -> n.Node:
        try:
            value = DECIMAL_CONTEXT.create_decimal(str(c[0]))
        except ArithmeticError as error:
            raise FeelLimitError(f"number {c[0]!s} is outside the FEEL number range") from error
        return _node(n.Literal(value))

    def string(self, c: list[Token]) -> n.Node:
        return _node(n.Literal(str(c[0])))

    def at_literal(self, c: list[Token]) -> n.Node:
        value = parse_at_literal(str(c[0]))
        if value is None:
            raise FeelSyntaxError(f'@"{c[0]}" is not a date, time or duration')
        return _node(n.Literal(value))

    def true(self, c: list[Any]) -> n.Node:
        return _node(n.Literal(True))

    def false(self, c: list[Any]) -> n.Node:
        return _node(n.Literal(False))

    def null(self, c: list[Any]) -> n.Node:
        return _node(n.Literal(None))

    def paren(self, c: list[Any]) -> n.Node:
        return c[1]

    def name(self, c: list[Token]) -> n.Node:
        return _node(n.Name(str(c[0])))

    def list_literal(self, c: list[Any]) -> n.Node:
        return _node(n.ListNode([x for x in _tokens(c) if x is not None]))

    def context_literal(self, c: list[Any]) -> n.Node:
        return _node(n.ContextNode([x for x in _tokens(c) if x is not None]))

    def entry(self, c: list[Any]) -> tuple[str, n.Node]:
        return (" ".join(str(c[0]).split()) if c[0].type == "NAME" else str(c[0]), c[2])

    def interval(self, c: list[Any]) -> n.Node:
        opening, start, _, end, closing = c
        return _node(n.IntervalNode(opening.type == "LSQB", start, end, closing.type == "RSQB"))

    # --- operators
    def comparison_test(self, c: list[Any]) -> n.Node:
        return _node(n.ComparisonTest(str(c[0]), c[1]))

    def negation(self, c: list[Any]) -> n.Node:
        operand = c[1]
        if isinstance(operand, n.Literal) and isinstance(operand.value, Decimal):
            return _node(n.Literal(DECIMAL_CONTEXT.minus(operand.value)))
        return _node(n.Negation(operand))

    def _chain(self, c: list[Any]) -> n.Node:
        if len(c) == 1:
            return c[0]
        rest = [(str(c[i]), c[i + 1]) for i in range(1, len(c), 2)]
        return _node(n.Chain(c[0], rest))

    additive = multiplicative = power = _chain

    def compare(self, c: list[Any]) -> n.Node:
        return _node(n.Compare(str(c[1]), c[0], c[2]))

    def between(self, c: list[Any]) -> n.Node:
        return _node(n.Between(c[0], c[2], c[4]))

    def in_test(self, c: list[Any]) -> n.Node:
        return _node(n.InTest(c[0], c[2]))

    def in_tests(self, c: list[Any]) -> list[n.PositiveTest]:
        return [_node(n.PositiveTest(x)) for x in _tokens(c)]  # type: ignore[misc]

    def instance_of(self, c: list[Any]) -> n.Node:
        return _node(n.InstanceOf(c[0], c[3]))

    def conjunction(self, c: list[Any]) -> n.Node:
        items = _tokens(c)
        return items[0] if len(items) == 1 else _node(n.Logical("and", items))

    def disjunction(self, c: list[Any]) -> n.Node:
        items = _tokens(c)
        return items[0] if len(items) == 1 else _node(n.Logical("or", items))

    # --- textual expressions
    def if_expr(self, c: list[Any]) -> n.Node:
        return _node(n.If(c[1], c[3], c[5]))

    def iteration(self, c: list[Any]) -> tuple[str, n.Node, n.Node | None]:
        return (str(c[0]), c[2], None)

    def iteration_range(self, c: list[Any]) -> tuple[str, n.Node, n.Node | None]:
        return (str(c[0]), c[2], c[4])

    def for_expr(self, c: list[Any]) -> n.Node:
        iterations = [x for x in _tokens(c[:-1])]
        return _node(n.For(iterations, c[-1]))

    def quantified(self, c: list[Any]) -> n.Node:
        iterations = [x for x in _tokens(c[1:-1])]
        return _node(n.Quantified(c[0].type == "EVERY", iterations, c[-1]))

    def parameter(self, c: list[Any]) -> tuple[str, n.TypeNode | None]:
        return (str(c[0]), c[2] if len(c) > 2 and c[2] is not None else None)

    def function_definition(self, c: list[Any]) -> n.Node:
        params = [x for x in _tokens(c[:-1]) if x is not None]
        return _node(n.FunctionDefinition(params, c[-1], external=False))

    def external_function(self, c: list[Any]) -> n.Node:
        params = [x for x in _tokens(c[:-1]) if x is not None]
        return _node(n.FunctionDefinition(params, c[-1], external=True))

    # --- postfix
    def filter(self, c: list[Any]) -> n.Node:
        return _node(n.Filter(c[0], c[2]))

    def path(self, c: list[Any]) -> n.Node:
        return _node(n.Path(c[0], " ".join(str(c[2]).split())))

    def invocation(self, c: list[Any]) -> n.Node:
        args, named = c[2]
        return _node(n.Invocation(c[0], args, named))

    def no_arguments(self, c: list[Any]) -> tuple[list[n.Node], None]:
        return ([], None)

    def positional(self, c: list[Any]) -> tuple[list[n.Node], None]:
        return (_tokens(c), None)

    def named(self, c: list[Any]) -> tuple[list[n.Node], list[tuple[str, n.Node]]]:
        pairs = [(" ".join(str(c[i]).split()), c[i + 2]) for i in range(0, len(c), 4)]
        return ([], pairs)

    # --- types
    def type_name(self, c: list[Any]) -> n.TypeNode:
        return n.TypeNode("name", str(c[0]))

    def generic_type(self, c: list[Any]) -> n.TypeNode:
        kind = str(c[0])
        if kind not in ("list", "range"):
            raise FeelSyntaxError(f"unknown generic type {kind}<...>")
        return n.TypeNode(kind, args=[c[2]])

    def context_type(self, c: list[Any]) -> n.TypeNode:
        if str(c[0]) != "context":
            raise FeelSyntaxError(f"unknown generic type {c[0]}<...>")
        pairs = [(str(c[i]), c[i + 2]) for i in range(2, len(c) - 1, 4)]
        return n.TypeNode("context", args=pairs)

    def function_type(self, c: list[Any]) -> n.TypeNode:
        types = [x for x in _tokens(c) if x is not None]
        return n.TypeNode("function", args=types)


_GRAMMAR = (Path(__file__).with_name("grammar.lark")).read_text(encoding="utf-8")
_GRAMMAR += "\ntype_start: type\n"


@functools.lru_cache(maxsize=1)
def _lark() -> Lark:
    return Lark(
        _GRAMMAR,
        parser="lalr",
        lexer=_TokenFeed,
        transformer=_Builder(),
        start=["expression_start", "unary_tests_start", "type_start"],
    )


def _describe(error: UnexpectedInput, text: str) -> str:
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END":
            return f"unexpected end of expression in {text!r}"
        return f"unexpected {token.value!r} at line {token.line}, column {token.column} in {text!r}"
    return f"cannot read {text!r}"


def _parse(text: str, start: str, names: frozenset[str], limits: Limits) -> Any:
    known = _known(names)
    tokens = list(tokenize(text, known, limits, unary_tests=start == "unary_tests_start"))
    try:
        return _lark().parse(tokens, start=start)
    except FeelError:
        raise
    except UnexpectedInput as error:
        raise FeelSyntaxError(_describe(error, text)) from None
    except LarkError as error:
        cause = error.__context__
        if isinstance(cause, FeelError):
            raise cause from None
        orig = getattr(error, "orig_exc", None)
        if isinstance(orig, FeelError):
            raise orig from None
        raise FeelSyntaxError(f"cannot read {text!r}") from None


@functools.lru_cache(maxsize=256)
def _known(names: frozenset[str]) -> KnownNames:
    return KnownNames.of(names)


def special_names(names: Iterable[str]) -> frozenset[str]:
    """The names the tokenizer must be told about (those with keywords or symbols)."""
    return frozenset(name for name in names if needs_known(name))


@functools.lru_cache(maxsize=4096)
def _cached(text: str, start: str, names: frozenset[str], limits: Limits) -> Any:
    return _parse(text, start, names, limits)


def parse_expression(
    text: str, names: Iterable[str] = (), limits: Limits = DEFAULT_LIMITS
) -> n.Node:
    """The syntax tree of a FEEL expression; FeelSyntaxError / FeelLimitError if refused."""
    if not text or not text.strip():
        raise FeelSyntaxError("empty expression")
    return _cached(text, "expression_start", special_names(names), limits)


def parse_unary_tests(
    text: str, names: Iterable[str] = (), limits: Limits = DEFAULT_LIMITS
) -> n.UnaryTests:
    """Unary tests (a decision table input entry); `-` or empty means any value."""
    if text is None or not text.strip() or text.strip() == "-":
        return n.UnaryTests(None)
    return _cached(text, "unary_tests_start", special_names(names), limits)


def parse_type(text: str) -> n.TypeNode:
    return _cached(text, "type_start", frozenset(), DEFAULT_LIMITS)


def parse_range_literal(text: str) -> Any:
    """The value of `range("[1..10]")`: an interval or comparison of literal end points."""
    try:
        tree = parse_expression(text)
    except FeelError:
        return None
    if not isinstance(tree, (n.IntervalNode, n.ComparisonTest)):
        return None
    ends = [tree.start, tree.end] if isinstance(tree, n.IntervalNode) else [tree.operand]
    allowed = (n.Literal, n.Invocation)
    for end in ends:
        if not isinstance(end, allowed):
            return None
        if isinstance(end, n.Invocation) and not (
            isinstance(end.callee, n.Name)
            and end.callee.name in ("date", "time", "date and time", "duration")
        ):
            return None
    if isinstance(tree, n.ComparisonTest) and tree.op in ("=", "!="):
        return None
    return tree.ev(Env({}))
