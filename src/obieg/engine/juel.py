"""JUEL (Camunda 7's `${…}` expressions) translated to FEEL when a model is read.

Camunda 7 models write conditions and assignees in JUEL, the Java Unified
Expression Language: `${amount > 1000}`, `${approved == true && level eq 'A'}`,
`${reviewer}`. Obieg evaluates FEEL, so such an expression is parsed (with
lark, from the JUEL grammar's operator table) and written out as the FEEL
expression that means the same. What has no FEEL meaning — a method call
(`${service.findEditor(id)}`), a bean, text around the expression — is
refused with `JuelError` naming what cannot be translated; the caller
decides whether that is a warning (an assignee: its tasks go unassigned) or
a refusal (a gateway condition).

Two differences are bridged on the way: JUEL lists count from 0 and FEEL
lists from 1 (`items[0]` becomes `items[1]`), and `empty x` becomes a test
for null, an empty string or an empty list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, VisitError

MAX_SOURCE = 2_000


class JuelError(ValueError):
    """A JUEL expression that cannot be read, or has no FEEL meaning."""


_GRAMMAR = r"""
?start: expr

?expr: ternary
?ternary: or_expr
    | or_expr "?" expr ":" expr        -> ternary
?or_expr: and_expr
    | or_expr ("||" | "or") and_expr   -> or_
?and_expr: eq_expr
    | and_expr ("&&" | "and") eq_expr  -> and_
?eq_expr: rel_expr
    | eq_expr EQ_OP rel_expr           -> compare
?rel_expr: add_expr
    | rel_expr REL_OP add_expr         -> compare
?add_expr: mul_expr
    | add_expr ADD_OP mul_expr         -> arith
?mul_expr: unary
    | mul_expr MUL_OP unary            -> arith
?unary: postfix
    | ("!" | "not") unary              -> not_
    | "-" unary                        -> neg
    | "empty" unary                    -> empty
?postfix: atom
    | postfix "." NAME                 -> member
    | postfix "[" expr "]"             -> index
    | postfix "(" [expr ("," expr)*] ")" -> call
?atom: NUMBER                          -> number
    | STRING                           -> string
    | "true"                           -> true
    | "false"                          -> false
    | "null"                           -> null
    | NAME                             -> name
    | "(" expr ")"

EQ_OP: "==" | "!=" | /eq(?![\w$])/ | /ne(?![\w$])/
REL_OP: "<=" | ">=" | "<" | ">" | /le(?![\w$])/ | /ge(?![\w$])/ | /lt(?![\w$])/ | /gt(?![\w$])/
ADD_OP: "+" | "-"
MUL_OP: "*" | "/" | "%" | /div(?![\w$])/ | /mod(?![\w$])/
NAME: /(?!(KEYWORDS)(?![\w$]))[A-Za-z_$][\w$]*/
NUMBER: /\d+(\.\d+)?([eE][+-]?\d+)?/ | /\.\d+([eE][+-]?\d+)?/
STRING: /'(\\.|[^'\\])*'/ | /"(\\.|[^"\\])*"/

%import common.WS
%ignore WS
"""
_KEYWORDS = "true false null empty not and or eq ne lt gt le ge div mod instanceof".split()
_GRAMMAR = _GRAMMAR.replace("KEYWORDS", "|".join(_KEYWORDS))

_OPERATORS = {
    "==": "=", "eq": "=", "!=": "!=", "ne": "!=",
    "<": "<", "lt": "<", ">": ">", "gt": ">", "<=": "<=", "le": "<=", ">=": ">=", "ge": ">=",
    "+": "+", "-": "-", "*": "*", "/": "/", "div": "/",
}  # fmt: skip


def _feel_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


@v_args(inline=True)
class _ToFeel(Transformer):
    """Each JUEL node as FEEL text, parenthesised so precedence is kept as JUEL had it."""

    def number(self, token: Token) -> str:
        return str(token)

    def string(self, token: Token) -> str:
        return _feel_string(_unquote(str(token)))

    def true(self) -> str:
        return "true"

    def false(self) -> str:
        return "false"

    def null(self) -> str:
        return "null"

    def name(self, token: Token) -> str:
        if "$" in token:
            raise JuelError(f"the name {token!s} has no FEEL meaning")
        return str(token)

    def ternary(self, condition: str, then: str, otherwise: str) -> str:
        return f"(if {condition} then {then} else {otherwise})"

    def or_(self, left: str, right: str) -> str:
        return f"({left} or {right})"

    def and_(self, left: str, right: str) -> str:
        return f"({left} and {right})"

    def compare(self, left: str, operator: Token, right: str) -> str:
        return f"({left} {_OPERATORS[str(operator)]} {right})"

    def arith(self, left: str, operator: Token, right: str) -> str:
        if str(operator) in ("%", "mod"):
            return f"modulo({left}, {right})"
        return f"({left} {_OPERATORS[str(operator)]} {right})"

    def not_(self, operand: str) -> str:
        return f"not({operand})"

    def neg(self, operand: str) -> str:
        return f"(-{operand})"

    def empty(self, operand: str) -> str:
        return f'({operand} = null or {operand} = "" or {operand} = [])'

    def member(self, target: str, name: Token) -> str:
        return f"{target}.{name}"

    def index(self, target: str, key: str) -> str:
        if re.fullmatch(r"\d+", key):
            return f"{target}[{int(key) + 1}]"  # FEEL lists count from 1
        if key.startswith('"'):
            return f"{target}.{_context_key(key)}"
        return f"{target}[{key} + 1]"

    def call(self, target: str, *arguments) -> str:
        raise JuelError(f"{target}(…) calls a method; FEEL cannot call Java code")


def _context_key(feel_string: str) -> str:
    key = feel_string[1:-1]
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise JuelError(f"the key {key!r} cannot be read as a FEEL path")
    return key


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR, parser="lalr")


_WHOLE = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)


def is_juel(text: str | None) -> bool:
    """Whether `text` is written as one JUEL expression (`${…}` or `#{…}`)."""
    return text is not None and _WHOLE.match(text) is not None


@lru_cache(maxsize=1024)
def to_feel(text: str) -> str:
    """The FEEL expression meaning what the JUEL expression `text` means."""
    if len(text) > MAX_SOURCE:
        raise JuelError(f"the expression is longer than {MAX_SOURCE} characters")
    match = _WHOLE.match(text)
    if match is None:
        raise JuelError("only a whole ${…} expression can be translated, not text around one")
    body = match.group("body")
    if "${" in body or "#{" in body:
        raise JuelError("text mixed with several ${…} expressions has no FEEL meaning")
    try:
        tree = _parser().parse(body)
        return _ToFeel().transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, JuelError):
            raise error.orig_exc from None
        raise JuelError(str(error.orig_exc)) from None
    except LarkError as error:
        raise JuelError(f"not a JUEL expression: {str(error).splitlines()[0]}") from None
