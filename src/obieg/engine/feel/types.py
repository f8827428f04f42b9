"""FEEL types: `instance of` and the type checks of DMN item definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .values import FeelFunction, Range, type_name

SIMPLE_TYPES = {
    "number",
    "string",
    "boolean",
    "date",
    "time",
    "date and time",
    "days and time duration",
    "years and months duration",
    "list",
    "context",
    "range",
    "function",
}
# Older DMN (1.1/1.2, XML Schema style) type names and their FEEL names.
ALIASES = {
    "dateTime": "date and time",
    "dayTimeDuration": "days and time duration",
    "yearMonthDuration": "years and months duration",
    "duration": "days and time duration",
    "decimal": "number",
    "integer": "number",
    "double": "number",
}


class FeelType:
    name = "Any"

    def conforms(self, value: Any) -> bool:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.name


class AnyType(FeelType):
    def conforms(self, value: Any) -> bool:
        return value is not None


class NullType(FeelType):
    name = "Null"

    def conforms(self, value: Any) -> bool:
        return value is None


@dataclass
class SimpleType(FeelType):
    name: str

    def conforms(self, value: Any) -> bool:
        kind = type_name(value)
        if kind == self.name:
            return True
        # a date and time is not a date, nor the reverse; durations are distinct.
        return False


@dataclass
class ListType(FeelType):
    item: FeelType

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"list<{self.item}>"

    def conforms(self, value: Any) -> bool:
        return isinstance(value, list) and all(
            item is None or self.item.conforms(item) for item in value
        )


@dataclass
class RangeType(FeelType):
    item: FeelType

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"range<{self.item}>"

    def conforms(self, value: Any) -> bool:
        return isinstance(value, Range) and all(
            end is None or self.item.conforms(end) for end in (value.start, value.end)
        )


@dataclass
class ContextType(FeelType):
    fields: dict[str, FeelType] = field(default_factory=dict)

    @property
    def name(self) -> str:  # type: ignore[override]
        inner = ", ".join(f"{k}: {v}" for k, v in self.fields.items())
        return f"context<{inner}>"

    def conforms(self, value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for key, kind in self.fields.items():
            if key not in value:
                return False
            if value[key] is not None and not kind.conforms(value[key]):
                return False
        return True


@dataclass
class FunctionType(FeelType):
    params: list[FeelType]
    result: FeelType

    @property
    def name(self) -> str:  # type: ignore[override]
        return "function<" + ", ".join(map(str, self.params)) + f"> -> {self.result}"

    def conforms(self, value: Any) -> bool:
        if not isinstance(value, FeelFunction):
            return False
        return value.variadic or len(value.params) == len(self.params)


@dataclass
class UnknownType(FeelType):
    """A type name nobody defined: nothing is an instance of it."""

    name: str

    def conforms(self, value: Any) -> bool:
        return False


ANY = AnyType()
NULL = NullType()


def simple_type(name: str) -> FeelType | None:
    name = " ".join(name.split())
    if name.startswith("feel:"):
        name = name[5:]
    name = ALIASES.get(name, name)
    if name == "Any":
        return ANY
    if name == "Null":
        return NULL
    if name in SIMPLE_TYPES:
        return SimpleType(name)
    return None
