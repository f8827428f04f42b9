"""Model expressions in FEEL: what a condition, an assignee or a due date means over a case.

`expressions.evaluate` sends here every expression written as FEEL — with
Zeebe's leading `=` (`= amount > 1000`), or translated from Camunda 7's JUEL
(`${amount > 1000}`, see juel.py). The case's names are read one by one, as
the expression asks for them, and turned into FEEL values (ints and floats
into decimals, timedeltas into durations); nothing else of the case is
computed. Parsed expressions are cached, since the same few conditions run
for every case.

Obieg adds one function to FEEL's library, `business_days(n)`: the moment
`n` Polish business days from now, as the due dates of tasks need it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils import timezone

from obieg.core import clock
from obieg.core.business_days import add_business_days
from obieg.engine import feel, juel
from obieg.engine.feel.calls import unknown_function_message, unknown_functions
from obieg.engine.feel.values import PythonFunction

FEEL_PREFIX = "="
MAX_SOURCE = 2_000  # longest expression a model may hold, as for the old syntax


class FeelExpressionError(Exception):
    """A FEEL (or JUEL) expression that cannot be read or ran over a limit."""


def _business_days(days: Any) -> date | datetime | None:
    if not isinstance(days, Decimal) or days != days.to_integral_value():
        return None  # FEEL's way with a wrong argument: null
    return add_business_days(timezone.localtime(clock.now()), int(days))


EXTENSIONS = {"business_days": PythonFunction("business_days", ("days",), _business_days)}


class CaseNames(Mapping):
    """The case's names as FEEL values, converted when read (and only then)."""

    def __init__(self, names: Mapping[str, Any]):
        self._names = names
        self._seen: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name in self._seen:
            return self._seen[name]
        if name in EXTENSIONS:
            value = EXTENSIONS[name]
        else:
            value = feel.to_feel(self._names[name])
        self._seen[name] = value
        return value

    def __iter__(self) -> Iterator[str]:
        yield from EXTENSIONS
        yield from self._names

    def __len__(self) -> int:
        return len(EXTENSIONS) + len(self._names)


def body_of(source: str) -> str | None:
    """The FEEL text of an expression written in FEEL or JUEL; None for the Python-like syntax."""
    text = source.strip()
    if len(text) > MAX_SOURCE:
        raise FeelExpressionError(f"the expression is longer than {MAX_SOURCE} characters")
    if text.startswith(FEEL_PREFIX) and not text.startswith("=="):
        return text[len(FEEL_PREFIX) :].strip()
    if "${" in text or "#{" in text:  # JUEL, whole or (refused) mixed with text
        try:
            return juel.to_feel(text)
        except juel.JuelError as error:
            raise FeelExpressionError(f"JUEL {text!r} cannot be read as FEEL: {error}") from error
    return None


@lru_cache(maxsize=2048)
def _parsed(body: str, odd_names: tuple[str, ...]):
    return feel.parse_expression(body, odd_names)


def _odd(names) -> tuple[str, ...]:
    """Names FEEL can only read when told of them (with spaces, keywords or symbols)."""
    return tuple(sorted(n for n in names if not n.isidentifier()))


def validate(body: str, names=()) -> None:
    """Refuse FEEL that cannot be read, or that calls a function nothing defines.

    A case's data is JSON, so no case name can hold a function: only FEEL's
    built-ins and Obieg's extensions can be called from a process model.
    """
    try:
        tree = _parsed(body, _odd(names))
    except feel.FeelError as error:
        raise FeelExpressionError(str(error)) from error
    unknown = unknown_functions(tree, EXTENSIONS)
    if unknown:
        raise FeelExpressionError(unknown_function_message(unknown))


def evaluate(body: str, names: Mapping[str, Any]) -> Any:
    """The value of the FEEL expression `body` over the case's `names` (FEEL values)."""
    try:
        tree = _parsed(body, _odd(names))
        return tree.ev(feel.make_env(CaseNames(names)))
    except RecursionError as error:
        raise FeelExpressionError("the expression is nested too deeply") from error
    except feel.FeelError as error:
        raise FeelExpressionError(str(error)) from error
