"""The evaluation environment: variable scopes, the step budget, named types."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import FeelLimitError
from .limits import Budget

MISSING = object()
MAX_CALL_DEPTH = 60


class Env:
    __slots__ = ("vars", "parent", "budget", "types", "calls")

    def __init__(
        self,
        variables: Mapping[str, Any],
        parent: Env | None = None,
        *,
        budget: Budget | None = None,
        types: Callable[[str], Any] | None = None,
    ) -> None:
        self.vars = variables
        self.parent = parent
        self.budget: Budget = (
            budget if budget is not None else (parent.budget if parent else Budget())
        )
        self.types: Callable[[str], Any] | None = (
            types if types is not None else (parent.types if parent else None)
        )
        self.calls: int = parent.calls if parent else 0

    def child(self, variables: Mapping[str, Any]) -> Env:
        return Env(variables, self)

    def lookup(self, name: str) -> Any:
        env: Env | None = self
        while env is not None:
            value = env.vars.get(name, MISSING)
            if value is not MISSING:
                return value
            env = env.parent
        return MISSING

    def enter_call(self) -> Env:
        env = Env({}, self)
        env.calls = self.calls + 1
        if env.calls > MAX_CALL_DEPTH:
            raise FeelLimitError(f"function calls nested deeper than {MAX_CALL_DEPTH}")
        return env
