"""FEEL values as Python objects.

number -> Decimal, string -> str, boolean -> bool, null -> None,
date -> datetime.date, time -> datetime.time, date and time ->
datetime.datetime, days and time duration -> DaysTimeDuration, years and
months duration -> YearsMonthsDuration, list -> list, context -> dict,
range -> Range, function -> FeelFunction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .limits import DECIMAL_CONTEXT


@dataclass(frozen=True)
class YearsMonthsDuration:
    months: int

    def __str__(self) -> str:
        sign = "-" if self.months < 0 else ""
        years, months = divmod(abs(self.months), 12)
        text = (f"{years}Y" if years else "") + (f"{months}M" if months or not years else "")
        return f"{sign}P{text}"


@dataclass(frozen=True)
class DaysTimeDuration:
    seconds: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "seconds", Decimal(self.seconds) + 0)

    @classmethod
    def of(cls, delta: dt.timedelta) -> DaysTimeDuration:
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return cls(Decimal(micros).scaleb(-6))

    def timedelta(self) -> dt.timedelta:
        return dt.timedelta(microseconds=int(self.seconds.scaleb(6)))

    def __str__(self) -> str:
        sign = "-" if self.seconds < 0 else ""
        total = abs(self.seconds)
        whole = int(total)
        fraction = total - whole
        days, rest = divmod(whole, 86_400)
        hours, rest = divmod(rest, 3_600)
        minutes, seconds = divmod(rest, 60)
        date_part = f"{days}D" if days else ""
        time_part = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        if seconds or fraction:
            sec = Decimal(seconds) + fraction
            time_part += f"{format(sec.normalize(), 'f')}S"
        if not date_part and not time_part:
            return "PT0S"
        return f"{sign}P{date_part}" + (f"T{time_part}" if time_part else "")


@dataclass(frozen=True)
class Range:
    """A FEEL range; a missing end (None with the flag False) is unbounded."""

    start_included: bool
    start: Any
    end: Any
    end_included: bool

    def __str__(self) -> str:
        return (
            ("[" if self.start_included else "(")
            + to_text(self.start)
            + ".."
            + to_text(self.end)
            + ("]" if self.end_included else ")")
        )


class FeelFunction:
    """A function value: built-in, defined in FEEL, or a DMN element (BKM, service)."""

    name: str = "anonymous function"
    params: Sequence[str] = ()
    variadic: bool = False

    def call(self, args: list[Any], named: dict[str, Any] | None, env: Any) -> Any:
        raise NotImplementedError


class PythonFunction(FeelFunction):
    """A function implemented in Python (the built-ins, decision services)."""

    def __init__(
        self,
        name: str,
        params: Sequence[str],
        impl: Callable[..., Any],
        *,
        variadic: bool = False,
        wants_env: bool = False,
    ) -> None:
        self.name = name
        self.params = tuple(params)
        self.impl = impl
        self.variadic = variadic
        self.wants_env = wants_env

    def call(self, args: list[Any], named: dict[str, Any] | None, env: Any) -> Any:
        if named is not None:
            bound = bind_named(self, named)
            if bound is None:
                return None
            args = bound
        if self.wants_env:
            return self.impl(env, *args)
        return self.impl(*args)

    def __repr__(self) -> str:
        return f"<function {self.name}>"


def bind_named(function: FeelFunction, named: dict[str, Any]) -> list[Any] | None:
    """Positional arguments from named ones; None when a name is unknown."""
    if any(key not in function.params for key in named):
        return None
    last = max((function.params.index(key) for key in named), default=-1)
    return [named.get(param) for param in function.params[: last + 1]]


def is_number(value: Any) -> bool:
    return isinstance(value, Decimal)


def is_datetime(value: Any) -> bool:
    return isinstance(value, dt.datetime)


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def is_time(value: Any) -> bool:
    return isinstance(value, dt.time)


def type_name(value: Any) -> str:
    """The FEEL type name of a value."""
    if value is None:
        return "Null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "date and time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, DaysTimeDuration):
        return "days and time duration"
    if isinstance(value, YearsMonthsDuration):
        return "years and months duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, Range):
        return "range"
    if isinstance(value, FeelFunction):
        return "function"
    return "unknown"


def number(value: int | str | Decimal) -> Decimal:
    return DECIMAL_CONTEXT.create_decimal(value)


# --- equality and order -------------------------------------------------------


def _time_key(value: dt.time) -> tuple[Any, ...] | None:
    offset = value.utcoffset()
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    micro = value.microsecond
    if value.tzinfo is not None and offset is None:
        # a zone id without a date: its offset is unknown; compare as local.
        return (seconds, micro, "zone", str(value.tzinfo))
    if offset is None:
        return (seconds, micro, None)
    seconds -= int(offset.total_seconds())
    return (seconds % 86_400, micro, "utc")


def feel_equal(left: Any, right: Any) -> bool | None:
    """FEEL `=`: true, false, or None when the types cannot be compared."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        if isinstance(left, bool) and isinstance(right, bool):
            return left == right
        return None
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if isinstance(left, dt.datetime) or isinstance(right, dt.datetime):
        if not (isinstance(left, dt.datetime) and isinstance(right, dt.datetime)):
            return None
        if (left.tzinfo is None) != (right.tzinfo is None):
            return False
        return left == right
    if isinstance(left, dt.date) and isinstance(right, dt.date):
        return left == right
    if isinstance(left, dt.time) and isinstance(right, dt.time):
        return _time_key(left) == _time_key(right)
    if isinstance(left, DaysTimeDuration) and isinstance(right, DaysTimeDuration):
        return left.seconds == right.seconds
    if isinstance(left, YearsMonthsDuration) and isinstance(right, YearsMonthsDuration):
        return left.months == right.months
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return False
        for a, b in zip(left, right, strict=True):
            same = feel_equal(a, b)
            if not same:
                return same
        return True
    if isinstance(left, dict) and isinstance(right, dict):
        if set(left) != set(right):
            return False
        for key, a in left.items():
            same = feel_equal(a, right[key])
            if not same:
                return same
        return True
    if isinstance(left, Range) and isinstance(right, Range):
        return (
            left.start_included == right.start_included
            and left.end_included == right.end_included
            and feel_equal(left.start, right.start) is True
            and feel_equal(left.end, right.end) is True
        )
    if isinstance(left, FeelFunction) and isinstance(right, FeelFunction):
        return left is right
    return None


def _order_key(value: Any) -> tuple[str, Any] | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, dt.datetime):
        return ("datetime", value)
    if isinstance(value, dt.date):
        return ("date", value)
    if isinstance(value, dt.time):
        key = _time_key(value)
        return ("time", key) if key is not None and key[2] != "zone" else None
    if isinstance(value, DaysTimeDuration):
        return ("dtd", value.seconds)
    if isinstance(value, YearsMonthsDuration):
        return ("ymd", value.months)
    return None


def feel_compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 for ordered values of one type; None when not comparable."""
    a = _order_key(left)
    b = _order_key(right)
    if a is None or b is None or a[0] != b[0]:
        return None
    x, y = a[1], b[1]
    if a[0] == "datetime" and (x.tzinfo is None) != (y.tzinfo is None):
        return None
    if a[0] == "time" and (x[2] is None) != (y[2] is None):
        return None
    try:
        return -1 if x < y else (1 if x > y else 0)
    except TypeError:
        return None


# --- text form -------------------------------------------------------------------


def to_text(value: Any) -> str:
    """The FEEL `string()` form of a value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return datetime_text(value)
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, dt.time):
        return time_text(value)
    if isinstance(value, list):
        return "[" + ", ".join(_inner_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inner_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Range):
        return str(value)
    if isinstance(value, FeelFunction):
        return f"function {value.name}"
    return str(value)


def _inner_text(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return to_text(value)


def number_text(value: Decimal) -> str:
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1), context=DECIMAL_CONTEXT), "f")
    return format(value.normalize(DECIMAL_CONTEXT), "f")


def date_text(value: dt.date) -> str:
    if value.year > 9999 or value.year < 1:
        return f"{value.year:05d}-{value.month:02d}-{value.day:02d}"
    return value.isoformat()


def _zone_text(value: dt.time | dt.datetime) -> str:
    tz = value.tzinfo
    if tz is None:
        return ""
    key = getattr(tz, "key", None)
    if key:
        return "@" + key
    offset = value.utcoffset() if isinstance(value, dt.datetime) else tz.utcoffset(None)
    if offset is None:
        return ""
    if offset == dt.timedelta(0):
        return "Z"
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total) // 60, 60)
    seconds = abs(total) % 60
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{seconds:02d}" if seconds else "")


def time_text(value: dt.time) -> str:
    base = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        base += f".{value.microsecond:06d}".rstrip("0")
    return base + _zone_text(value)


def datetime_text(value: dt.datetime) -> str:
    return date_text(value.date()) + "T" + _plain_time(value) + _zone_text(value)


def _plain_time(value: dt.datetime) -> str:
    base = f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    if value.microsecond:
        base += f".{value.microsecond:06d}".rstrip("0")
    return base
