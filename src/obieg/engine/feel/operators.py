"""FEEL operators on values: arithmetic, comparison, ranges and unary tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .limits import DECIMAL_CONTEXT, Budget
from .temporal import temporal_add, temporal_subtract
from .values import (
    DaysTimeDuration,
    Range,
    YearsMonthsDuration,
    feel_compare,
    feel_equal,
)

_TEMPORAL = (dt.date, dt.time, DaysTimeDuration, YearsMonthsDuration)


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


def add(left: Any, right: Any, budget: Budget) -> Any:
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return _decimal(DECIMAL_CONTEXT.add, left, right)
    if isinstance(left, str) and isinstance(right, str):
        if len(left) + len(right) > budget.limits.max_string_length:
            budget.check_string(left + right[: budget.limits.max_string_length])
        budget.step((len(left) + len(right)) // 4096)
        return left + right
    if isinstance(left, _TEMPORAL) and isinstance(right, _TEMPORAL):
        return temporal_add(left, right)
    return None


def subtract(left: Any, right: Any) -> Any:
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return _decimal(DECIMAL_CONTEXT.subtract, left, right)
    if isinstance(left, _TEMPORAL) and isinstance(right, _TEMPORAL):
        return temporal_subtract(left, right)
    return None


def multiply(left: Any, right: Any) -> Any:
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return _decimal(DECIMAL_CONTEXT.multiply, left, right)
    if isinstance(left, Decimal) and isinstance(right, (DaysTimeDuration, YearsMonthsDuration)):
        left, right = right, left
    if isinstance(left, DaysTimeDuration) and isinstance(right, Decimal):
        product = _decimal(DECIMAL_CONTEXT.multiply, left.seconds, right)
        return None if product is None else DaysTimeDuration(product)
    if isinstance(left, YearsMonthsDuration) and isinstance(right, Decimal):
        product = _decimal(DECIMAL_CONTEXT.multiply, Decimal(left.months), right)
        return None if product is None else YearsMonthsDuration(int(product))
    return None


def divide(left: Any, right: Any) -> Any:
    if isinstance(right, Decimal) and right == 0:
        return None
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return _decimal(DECIMAL_CONTEXT.divide, left, right)
    if isinstance(left, DaysTimeDuration) and isinstance(right, Decimal):
        quotient = _decimal(DECIMAL_CONTEXT.divide, left.seconds, right)
        return None if quotient is None else DaysTimeDuration(quotient)
    if isinstance(left, YearsMonthsDuration) and isinstance(right, Decimal):
        quotient = _decimal(DECIMAL_CONTEXT.divide, Decimal(left.months), right)
        return None if quotient is None else YearsMonthsDuration(int(quotient))
    if isinstance(left, DaysTimeDuration) and isinstance(right, DaysTimeDuration):
        if right.seconds == 0:
            return None
        return _decimal(DECIMAL_CONTEXT.divide, left.seconds, right.seconds)
    if isinstance(left, YearsMonthsDuration) and isinstance(right, YearsMonthsDuration):
        if right.months == 0:
            return None
        return _decimal(DECIMAL_CONTEXT.divide, Decimal(left.months), Decimal(right.months))
    return None


def power(left: Any, right: Any) -> Any:
    if not (isinstance(left, Decimal) and isinstance(right, Decimal)):
        return None
    if abs(right) > 1_000_000_000:
        return None
    return _decimal(DECIMAL_CONTEXT.power, left, right)


def negate(value: Any) -> Any:
    if isinstance(value, Decimal):
        return DECIMAL_CONTEXT.minus(value)
    if isinstance(value, DaysTimeDuration):
        return DaysTimeDuration(-value.seconds)
    if isinstance(value, YearsMonthsDuration):
        return YearsMonthsDuration(-value.months)
    return None


def _decimal(operation: Any, left: Decimal, right: Decimal) -> Decimal | None:
    try:
        result = operation(left, right)
    except ArithmeticError:
        return None
    if result.is_nan() or result.is_infinite():
        return None
    return result


def compare(op: str, left: Any, right: Any) -> bool | None:
    if op == "=":
        return feel_equal(left, right)
    if op == "!=":
        same = feel_equal(left, right)
        return None if same is None else not same
    order = feel_compare(left, right)
    if order is None:
        return None
    if op == "<":
        return order < 0
    if op == "<=":
        return order <= 0
    if op == ">":
        return order > 0
    return order >= 0


def range_contains(value: Any, rng: Range) -> bool | None:
    if rng.start is not None:
        order = feel_compare(value, rng.start)
        if order is None:
            return None
        if order < 0 or (order == 0 and not rng.start_included):
            return False
    if rng.end is not None:
        order = feel_compare(value, rng.end)
        if order is None:
            return None
        if order > 0 or (order == 0 and not rng.end_included):
            return False
    if rng.start is None and rng.end is None:
        return None
    return True


def test_value(value: Any, expected: Any) -> bool | None:
    """Whether `value` satisfies a unary test whose expression evaluated to `expected`."""
    if isinstance(expected, Range):
        return range_contains(value, expected)
    same = feel_equal(value, expected)
    if same:
        return True
    if isinstance(expected, list):
        for item in expected:
            if isinstance(item, Range):
                hit = range_contains(value, item)
            else:
                hit = feel_equal(value, item)
            if hit:
                return True
        return False
    if isinstance(expected, bool) and not isinstance(value, bool):
        return expected
    return same


def conjunction(values: list[Any]) -> bool | None:
    result: bool | None = True
    for value in values:
        if value is False:
            return False
        if not _bool(value):
            result = None
    return result


def disjunction(values: list[Any]) -> bool | None:
    result: bool | None = False
    for value in values:
        if value is True:
            return True
        if not _bool(value):
            result = None
    return result
