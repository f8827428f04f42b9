"""Python data to FEEL values (ints and floats to Decimal, tuples to lists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .limits import DECIMAL_CONTEXT
from .values import DaysTimeDuration, FeelFunction, Range, YearsMonthsDuration


def to_feel(value: Any) -> Any:
    """A FEEL value for plain Python data; unknown objects become null."""
    if value is None or isinstance(value, (bool, str, dt.date, dt.time)):
        return value
    if isinstance(value, Decimal):
        return DECIMAL_CONTEXT.plus(value) if value.is_finite() else None
    if isinstance(value, int):
        return DECIMAL_CONTEXT.create_decimal(value)
    if isinstance(value, float):
        return DECIMAL_CONTEXT.create_decimal(repr(value)) if value == value else None
    if isinstance(value, dt.timedelta):
        return DaysTimeDuration.of(value)
    if isinstance(value, (DaysTimeDuration, YearsMonthsDuration, Range, FeelFunction)):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_feel(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_feel(v) for v in value]
    return None
