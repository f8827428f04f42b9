"""Type conversion of values to a declared type (DMN 1.5, 10.3.2.9.4)."""

from __future__ import annotations

from typing import Any

from .types import FeelType, ListType


def coerce(value: Any, kind: FeelType) -> Any:
    """The value as `kind`, or None when it does not conform.

    A single value becomes a one-item list where a list is wanted, and a
    one-item list becomes its item where a single value is wanted.
    """
    if value is None or kind.conforms(value):
        return value
    wants_list = isinstance(kind, ListType) or getattr(kind, "is_collection", False)
    if wants_list and not isinstance(value, list):
        as_list = [value]
        return as_list if kind.conforms(as_list) else None
    if isinstance(value, list) and len(value) == 1 and not wants_list:
        if kind.conforms(value[0]):
            return value[0]
    return None
