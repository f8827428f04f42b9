"""The FEEL built-in function library (DMN 1.5, chapter 10.3.4).

Every function returns None (FEEL null) for arguments of the wrong type or
count; lists and strings they build are checked against the limits.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
from collections.abc import Callable
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
)
from typing import Any

from . import temporal
from .env import Env
from .errors import FeelLimitError
from .limits import DECIMAL_CONTEXT
from .operators import range_contains
from .values import (
    DaysTimeDuration,
    FeelFunction,
    PythonFunction,
    Range,
    YearsMonthsDuration,
    feel_compare,
    feel_equal,
    to_text,
)

# Set OBIEG_FEEL_DEBUG=1 to see Python errors inside built-ins instead of null.
DEBUG = os.environ.get("OBIEG_FEEL_DEBUG") == "1"

BUILTINS: dict[str, FeelFunction] = {}


class Builtin(PythonFunction):
    def __init__(
        self,
        name: str,
        signatures: list[list[str]],
        impl: Callable[..., Any],
        *,
        variadic: bool,
        wants_env: bool,
    ) -> None:
        super().__init__(name, signatures[0], impl, variadic=variadic, wants_env=wants_env)
        self.signatures = [tuple(s) for s in signatures]

    def call(self, args: list[Any], named: dict[str, Any] | None, env: Any) -> Any:
        if named is not None:
            for signature in self.signatures:
                if set(named) <= set(signature):
                    last = max(signature.index(key) for key in named) if named else -1
                    args = [named.get(p) for p in signature[: last + 1]]
                    break
            else:
                return None
        if self.name in _STRING_FUNCTIONS:
            args = [a[0] if isinstance(a, list) and len(a) == 1 else a for a in args]
        if self.wants_env:
            return self.impl(env, *args)
        return self.impl(*args)


_STRING_FUNCTIONS = {
    "upper case",
    "lower case",
    "string length",
    "substring",
    "substring before",
    "substring after",
    "contains",
    "starts with",
    "ends with",
    "matches",
    "replace",
}


def builtin(name: str, *signatures: str, variadic: bool = False, wants_env: bool = False):
    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        sigs = [[p.strip() for p in s.split(",") if p.strip()] for s in signatures] or [[]]
        BUILTINS[name] = Builtin(name, sigs, impl, variadic=variadic, wants_env=wants_env)
        return impl

    return register


def _num(*values: Any) -> bool:
    return all(isinstance(v, Decimal) for v in values)


def _int(value: Any) -> int | None:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return None


_ABSENT = object()


def _whole(value: Any) -> int | None:
    """An integer argument; a fraction is truncated, as the TCK expects."""
    if isinstance(value, Decimal) and value.is_finite():
        return int(value)
    return None


def _str(*values: Any) -> bool:
    return all(isinstance(v, str) for v in values)


def _args_list(args: tuple[Any, ...]) -> list[Any] | None:
    """min([1, 2]) and min(1, 2) alike."""
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    if len(args) == 0:
        return None
    return list(args)


# --- conversion -------------------------------------------------------------------


@builtin("date", "from", "year, month, day")
def _date(*args: Any) -> Any:
    if len(args) == 1:
        value = args[0]
        if isinstance(value, str):
            return temporal.parse_date(value)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return None
    year, month, day = (_int(a) for a in args)
    if None in (year, month, day):
        return None
    return dt.date(year, month, day)  # type: ignore[arg-type]


@builtin("date and time", "from", "date, time")
def _date_and_time(*args: Any) -> Any:
    if len(args) == 1:
        value = args[0]
        if isinstance(value, str):
            return temporal.parse_datetime(value)
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        return None
    day, moment = args
    if not isinstance(day, dt.date) or not isinstance(moment, dt.time):
        return None
    return dt.datetime.combine(day if not isinstance(day, dt.datetime) else day.date(), moment)


@builtin("time", "from", "hour, minute, second, offset")
def _time(*args: Any) -> Any:
    if len(args) == 1:
        value = args[0]
        if isinstance(value, str):
            return temporal.parse_time(value)
        if isinstance(value, dt.datetime):
            return value.timetz()
        if isinstance(value, dt.date):
            return dt.time(0, 0, 0, tzinfo=dt.UTC)
        if isinstance(value, dt.time):
            return value
        return None
    hour, minute, second = args[0], args[1], args[2]
    offset = args[3] if len(args) > 3 else None
    if _int(hour) is None or _int(minute) is None or not isinstance(second, Decimal):
        return None
    tz = None
    if offset is not None:
        if not isinstance(offset, DaysTimeDuration):
            return None
        tz = dt.timezone(offset.timedelta())
    whole = int(second)
    micro = int((second - whole) * 1_000_000)
    return dt.time(int(hour), int(minute), whole, micro, tzinfo=tz)


@builtin("number", "from, grouping separator, decimal separator")
def _number(text: Any, grouping: Any = None, decimal_sep: Any = None) -> Any:
    if not isinstance(text, str):
        return None
    if grouping not in (None, " ", ",", ".") or decimal_sep not in (None, ".", ","):
        return None
    if grouping is not None and grouping == decimal_sep:
        return None
    if grouping:
        text = text.replace(grouping, "")
    if decimal_sep:
        text = text.replace(decimal_sep, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text):
        return None
    value = DECIMAL_CONTEXT.create_decimal(text)
    return value


@builtin("string", "from")
def _string(value: Any) -> Any:
    if value is None:
        return None
    return to_text(value)


@builtin("duration", "from")
def _duration(value: Any) -> Any:
    if not isinstance(value, str):
        return None
    return temporal.parse_duration(value)


@builtin("years and months duration", "from, to")
def _ym_duration(start: Any, end: Any) -> Any:
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return None
    return YearsMonthsDuration(temporal.months_between(start, end))


@builtin("now")
def _now() -> Any:
    # Obieg's one clock (tests and replays freeze it), in the local zone as FEEL reads it.
    from django.utils import timezone

    from obieg.core import clock

    return timezone.localtime(clock.now()).replace(microsecond=0)


@builtin("today")
def _today() -> Any:
    from obieg.core import clock

    return clock.today()


# --- boolean ------------------------------------------------------------------------


@builtin("not", "negand")
def _not(value: Any) -> Any:
    return (not value) if isinstance(value, bool) else None


@builtin("is", "value1, value2")
def _is(left: Any, right: Any = None) -> Any:
    if type(left) is not type(right):
        if not (isinstance(left, dt.date) and isinstance(right, dt.date)):
            return False
        if isinstance(left, dt.datetime) != isinstance(right, dt.datetime):
            return False
    if isinstance(left, (dt.time, dt.datetime)):
        return (
            left == right and left.tzinfo == right.tzinfo and left.utcoffset() == right.utcoffset()
        )
    return feel_equal(left, right) is True


# --- strings ------------------------------------------------------------------------


@builtin("substring", "string, start position, length")
def _substring(text: Any, start: Any, length: Any = None) -> Any:
    position = _int(start)
    if not isinstance(text, str) or position is None or position == 0:
        return None
    size = len(text)
    begin = position - 1 if position > 0 else size + position
    if begin < 0:
        begin = 0
    if length is None:
        return text[begin:]
    count = _whole(length)
    if count is None or count < 0:
        return None
    return text[begin : begin + count]


@builtin("string length", "string")
def _string_length(text: Any) -> Any:
    return Decimal(len(text)) if isinstance(text, str) else None


@builtin("upper case", "string")
def _upper(text: Any) -> Any:
    return text.upper() if isinstance(text, str) else None


@builtin("lower case", "string")
def _lower(text: Any) -> Any:
    return text.lower() if isinstance(text, str) else None


@builtin("substring before", "string, match")
def _substring_before(text: Any, match: Any) -> Any:
    if not _str(text, match):
        return None
    index = text.find(match)
    return "" if index < 0 else text[:index]


@builtin("substring after", "string, match")
def _substring_after(text: Any, match: Any) -> Any:
    if not _str(text, match):
        return None
    index = text.find(match)
    return "" if index < 0 else text[index + len(match) :]


@builtin("contains", "string, match")
def _contains(text: Any, match: Any) -> Any:
    return match in text if _str(text, match) else None


@builtin("starts with", "string, match")
def _starts_with(text: Any, match: Any) -> Any:
    return text.startswith(match) if _str(text, match) else None


@builtin("ends with", "string, match")
def _ends_with(text: Any, match: Any) -> Any:
    return text.endswith(match) if _str(text, match) else None


_NESTED_QUANTIFIER = re.compile(r"\([^()]*[+*}][^()]*\)\s*[+*{]")


def _regex(pattern: Any, flags: Any) -> re.Pattern[str] | None:
    """An XPath regular expression as a Python one; None if invalid or risky."""
    if not isinstance(pattern, str) or (flags is not None and not isinstance(flags, str)):
        return None
    flags = flags or ""
    if set(flags) - set("smixq") or len(pattern) > 1000:
        return None
    # Nested quantifiers such as (a+)+ can take exponential time: refused.
    if _NESTED_QUANTIFIER.search(pattern):
        return None
    value = 0
    if "s" in flags:
        value |= re.S
    if "m" in flags:
        value |= re.M
    if "i" in flags:
        value |= re.I
    if "x" in flags:
        pattern = re.sub(r"\s+", "", pattern)
    if "q" in flags:
        pattern = re.escape(pattern)
    pattern = (
        pattern.replace(r"\p{L}", r"[^\W\d_]")
        .replace(r"\p{Lu}", "[A-Z]")
        .replace(r"\p{Ll}", "[a-z]")
    )
    try:
        return re.compile(pattern, value)
    except re.error:
        return None


@builtin("matches", "input, pattern, flags")
def _matches(text: Any, pattern: Any, flags: Any = None) -> Any:
    regex = _regex(pattern, flags)
    if regex is None or not isinstance(text, str):
        return None
    return regex.search(text) is not None


@builtin("replace", "input, pattern, replacement, flags", wants_env=True)
def _replace(env: Env, text: Any, pattern: Any, replacement: Any, flags: Any = None) -> Any:
    regex = _regex(pattern, flags)
    if regex is None or not _str(text, replacement):
        return None
    if flags and "q" in flags:
        template = replacement.replace("\\", "\\\\")
    else:
        template = re.sub(r"\$(\d+)", r"\\g<\1>", replacement)
    try:
        result = regex.sub(template, text)
    except (re.error, IndexError):
        return None
    return env.budget.check_string(result)


@builtin("split", "string, delimiter")
def _split(text: Any, delimiter: Any) -> Any:
    regex = _regex(delimiter, None)
    if regex is None or not isinstance(text, str):
        return None
    return regex.split(text)


@builtin("string join", "list, delimiter", "list", wants_env=True)
def _string_join(env: Env, items: Any, delimiter: Any = None, *rest: Any) -> Any:
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or rest:
        return None
    if delimiter is not None and not isinstance(delimiter, str):
        return None
    if not all(item is None or isinstance(item, str) for item in items):
        return None
    parts = [item for item in items if item is not None]
    size = sum(map(len, parts)) + len(delimiter or "") * max(len(parts) - 1, 0)
    if size > env.budget.limits.max_string_length:
        raise FeelLimitError(
            f"string longer than {env.budget.limits.max_string_length:,} characters"
        )
    env.budget.step(size // 4096)
    return (delimiter or "").join(parts)


# --- lists ------------------------------------------------------------------------------


@builtin("list contains", "list, element")
def _list_contains(items: Any, element: Any) -> Any:
    if not isinstance(items, list):
        return None
    return any(feel_equal(item, element) is True for item in items)


@builtin("count", "list")
def _count(items: Any) -> Any:
    return Decimal(len(items)) if isinstance(items, list) else None


def _extreme(args: tuple[Any, ...], sign: int) -> Any:
    items = _args_list(args)
    if not items:
        return None
    best = items[0]
    for item in items[1:]:
        order = feel_compare(item, best)
        if order is None:
            return None
        if order == sign:
            best = item
    if len(items) == 1 and feel_compare(best, best) is None:
        return None
    return best


@builtin("min", "list", variadic=True)
def _min(*args: Any) -> Any:
    return _extreme(args, -1)


@builtin("max", "list", variadic=True)
def _max(*args: Any) -> Any:
    return _extreme(args, 1)


def _numbers(args: tuple[Any, ...]) -> list[Decimal] | None:
    items = _args_list(args)
    if items is None or not all(isinstance(i, Decimal) for i in items):
        return None
    return items


@builtin("sum", "list", variadic=True)
def _sum(*args: Any) -> Any:
    items = _numbers(args)
    if not items:
        return None
    total = Decimal(0)
    for item in items:
        total = DECIMAL_CONTEXT.add(total, item)
    return total


@builtin("product", "list", variadic=True)
def _product(*args: Any) -> Any:
    items = _numbers(args)
    if not items:
        return None
    total = Decimal(1)
    for item in items:
        total = DECIMAL_CONTEXT.multiply(total, item)
    return total


@builtin("mean", "list", variadic=True)
def _mean(*args: Any) -> Any:
    items = _numbers(args)
    if not items:
        return None
    return DECIMAL_CONTEXT.divide(_sum(items), Decimal(len(items)))


@builtin("median", "list", variadic=True)
def _median(*args: Any) -> Any:
    items = _numbers(args)
    if not items:
        return None
    ordered = sorted(items)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return DECIMAL_CONTEXT.divide(ordered[middle - 1] + ordered[middle], Decimal(2))


@builtin("stddev", "list", variadic=True)
def _stddev(*args: Any) -> Any:
    items = _numbers(args)
    if not items or len(items) < 2:
        return None
    mean = _mean(items)
    squares = sum(((x - mean) ** 2 for x in items), Decimal(0))
    return DECIMAL_CONTEXT.sqrt(DECIMAL_CONTEXT.divide(squares, Decimal(len(items) - 1)))


@builtin("mode", "list", variadic=True)
def _mode(*args: Any) -> Any:
    items = _numbers(args)
    if items is None:
        return None
    if not items:
        return []
    counts: dict[Decimal, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    top = max(counts.values())
    return sorted(value for value, count in counts.items() if count == top)


@builtin("all", "list", variadic=True)
def _all(*args: Any) -> Any:
    items = _args_list(args)
    if items is None:
        return None
    if any(item is False for item in items):
        return False
    return True if all(item is True for item in items) else None


@builtin("any", "list", variadic=True)
def _any(*args: Any) -> Any:
    items = _args_list(args)
    if items is None:
        return None
    if any(item is True for item in items):
        return True
    return False if all(item is False for item in items) else None


@builtin("sublist", "list, start position, length")
def _sublist(items: Any, start: Any, length: Any = None) -> Any:
    position = _int(start)
    if not isinstance(items, list) or position is None or position == 0:
        return None
    begin = position - 1 if position > 0 else len(items) + position
    if begin < 0 or begin >= len(items):
        return None
    if length is None:
        return items[begin:]
    count = _int(length)
    if count is None or count < 0 or begin + count > len(items):
        return None
    return items[begin : begin + count]


@builtin("append", "list, item", variadic=True, wants_env=True)
def _append(env: Env, items: Any, *more: Any) -> Any:
    if not isinstance(items, list):
        return None
    env.budget.check_list_size(len(items) + len(more))
    return items + list(more)


@builtin("concatenate", "list", variadic=True, wants_env=True)
def _concatenate(env: Env, *lists: Any) -> Any:
    if not all(isinstance(item, list) for item in lists):
        return None
    env.budget.check_list_size(sum(len(item) for item in lists))
    return [value for item in lists for value in item]


def _position(items: list[Any], position: Any, *, insert: bool = False) -> int | None:
    index = _int(position)
    if index is None or index == 0:
        return None
    size = len(items) + (1 if insert else 0)
    if index > 0:
        return index - 1 if index <= size else None
    return len(items) + index if -index <= len(items) else None


@builtin("insert before", "list, position, newItem", wants_env=True)
def _insert_before(env: Env, items: Any, position: Any, new_item: Any) -> Any:
    if not isinstance(items, list):
        return None
    index = _position(items, position)
    if index is None:
        return None
    env.budget.check_list_size(len(items) + 1)
    return items[:index] + [new_item] + items[index:]


@builtin("remove", "list, position")
def _remove(items: Any, position: Any) -> Any:
    if not isinstance(items, list):
        return None
    index = _position(items, position)
    if index is None:
        return None
    return items[:index] + items[index + 1 :]


@builtin("reverse", "list")
def _reverse(items: Any) -> Any:
    return list(reversed(items)) if isinstance(items, list) else None


@builtin("index of", "list, match")
def _index_of(items: Any, match: Any) -> Any:
    if not isinstance(items, list):
        return None
    return [Decimal(i + 1) for i, item in enumerate(items) if feel_equal(item, match) is True]


def _distinct(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if not any(feel_equal(item, seen) is True for seen in result):
            result.append(item)
    return result


@builtin("union", "list", variadic=True, wants_env=True)
def _union(env: Env, *lists: Any) -> Any:
    if not all(isinstance(item, list) for item in lists):
        return None
    env.budget.check_list_size(sum(len(item) for item in lists))
    env.budget.step(sum(len(item) for item in lists) ** 2 // 64)
    return _distinct([value for item in lists for value in item])


@builtin("distinct values", "list", wants_env=True)
def _distinct_values(env: Env, items: Any) -> Any:
    if not isinstance(items, list):
        return None
    env.budget.step(len(items) ** 2 // 64)
    return _distinct(items)


@builtin("flatten", "list", wants_env=True)
def _flatten(env: Env, items: Any) -> Any:
    if not isinstance(items, list):
        return None
    result: list[Any] = []
    stack: list[Any] = [iter(items)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            result.append(item)
            if len(result) % 1024 == 0:
                env.budget.check_list_size(len(result))
        else:
            stack.pop()
    env.budget.check_list_size(len(result))
    return result


@builtin("list replace", "list, position, newItem", "list, match, newItem", wants_env=True)
def _list_replace(env: Env, items: Any, where: Any, new_item: Any) -> Any:
    if not isinstance(items, list):
        return None
    if isinstance(where, FeelFunction):
        result = []
        for item in items:
            hit = where.call([item, new_item], None, env)
            if not isinstance(hit, bool):
                return None
            result.append(new_item if hit else item)
        return result
    index = _position(items, where)
    if index is None:
        return None
    return items[:index] + [new_item] + items[index + 1 :]


@builtin("sort", "list, precedes", wants_env=True)
def _sort(env: Env, items: Any, precedes: Any = None) -> Any:
    if not isinstance(items, list):
        return None
    env.budget.step(len(items) * max(1, len(items).bit_length()))

    class Unsortable(Exception):
        pass

    def by_function(a: Any, b: Any) -> int:
        if precedes.call([a, b], None, env) is True:
            return -1
        if precedes.call([b, a], None, env) is True:
            return 1
        return 0

    def natural(a: Any, b: Any) -> int:
        order = feel_compare(a, b)
        if order is None:
            raise Unsortable
        return order

    if precedes is not None and not isinstance(precedes, FeelFunction):
        return None
    try:
        return sorted(items, key=functools.cmp_to_key(by_function if precedes else natural))
    except Unsortable:
        return None


# --- numbers ----------------------------------------------------------------------------


def _rounder(mode: str) -> Callable[..., Any]:
    def round_to(value: Any, scale: Any = _ABSENT) -> Any:
        if not isinstance(value, Decimal):
            return None
        digits = 0 if scale is _ABSENT else _whole(scale)
        if digits is None or not -6111 <= digits <= 6176:
            return None
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -digits and digits >= 0:
            return value
        try:
            result = value.quantize(
                Decimal(1).scaleb(-digits), rounding=mode, context=DECIMAL_CONTEXT
            )
        except ArithmeticError:
            return None
        return result

    return round_to


BUILTINS["decimal"] = Builtin(
    "decimal", [["n", "scale"]], _rounder(ROUND_HALF_EVEN), variadic=False, wants_env=False
)
BUILTINS["floor"] = Builtin(
    "floor", [["n", "scale"]], _rounder(ROUND_FLOOR), variadic=False, wants_env=False
)
BUILTINS["ceiling"] = Builtin(
    "ceiling", [["n", "scale"]], _rounder(ROUND_CEILING), variadic=False, wants_env=False
)
BUILTINS["round up"] = Builtin(
    "round up", [["n", "scale"]], _rounder(ROUND_UP), variadic=False, wants_env=False
)
BUILTINS["round down"] = Builtin(
    "round down", [["n", "scale"]], _rounder(ROUND_DOWN), variadic=False, wants_env=False
)
BUILTINS["round half up"] = Builtin(
    "round half up", [["n", "scale"]], _rounder(ROUND_HALF_UP), variadic=False, wants_env=False
)
BUILTINS["round half down"] = Builtin(
    "round half down", [["n", "scale"]], _rounder(ROUND_HALF_DOWN), variadic=False, wants_env=False
)


@builtin("abs", "n")
def _abs(value: Any) -> Any:
    if isinstance(value, Decimal):
        return abs(value)
    if isinstance(value, DaysTimeDuration):
        return DaysTimeDuration(abs(value.seconds))
    if isinstance(value, YearsMonthsDuration):
        return YearsMonthsDuration(abs(value.months))
    return None


@builtin("modulo", "dividend, divisor")
def _modulo(dividend: Any, divisor: Any) -> Any:
    if not _num(dividend, divisor) or divisor == 0:
        return None
    quotient = DECIMAL_CONTEXT.divide(dividend, divisor).to_integral_value(ROUND_FLOOR)
    return DECIMAL_CONTEXT.subtract(dividend, DECIMAL_CONTEXT.multiply(divisor, quotient))


@builtin("sqrt", "number")
def _sqrt(value: Any) -> Any:
    if not isinstance(value, Decimal) or value < 0:
        return None
    return DECIMAL_CONTEXT.sqrt(value)


@builtin("log", "number")
def _log(value: Any) -> Any:
    if not isinstance(value, Decimal) or value <= 0:
        return None
    return DECIMAL_CONTEXT.ln(value)


@builtin("exp", "number")
def _exp(value: Any) -> Any:
    if not isinstance(value, Decimal):
        return None
    return DECIMAL_CONTEXT.exp(value)


@builtin("odd", "number")
def _odd(value: Any) -> Any:
    whole = _int(value)
    return None if whole is None else whole % 2 == 1


@builtin("even", "number")
def _even(value: Any) -> Any:
    whole = _int(value)
    return None if whole is None else whole % 2 == 0


# --- dates ----------------------------------------------------------------------------------

_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@builtin("day of year", "date")
def _day_of_year(value: Any) -> Any:
    return Decimal(value.timetuple().tm_yday) if isinstance(value, dt.date) else None


@builtin("day of week", "date")
def _day_of_week(value: Any) -> Any:
    return _DAYS[value.weekday()] if isinstance(value, dt.date) else None


@builtin("month of year", "date")
def _month_of_year(value: Any) -> Any:
    return _MONTHS[value.month - 1] if isinstance(value, dt.date) else None


@builtin("week of year", "date")
def _week_of_year(value: Any) -> Any:
    return Decimal(value.isocalendar()[1]) if isinstance(value, dt.date) else None


# --- ranges ------------------------------------------------------------------------------------


def _lt(a: Any, b: Any) -> bool:
    order = feel_compare(a, b)
    if order is None:
        raise ValueError("not comparable")
    return order < 0


def _eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    order = feel_compare(a, b)
    if order is None:
        raise ValueError("not comparable")
    return order == 0


def _start_lt(a: Range, b: Range) -> bool:
    if a.start is None:
        return b.start is not None
    return b.start is not None and _lt(a.start, b.start)


def _end_gt(a: Range, b: Range) -> bool:
    if a.end is None:
        return b.end is not None
    return b.end is not None and _lt(b.end, a.end)


def _point_before_range(p: Any, r: Range) -> bool:
    if r.start is None:
        return False
    return _lt(p, r.start) or (_eq(p, r.start) and not r.start_included)


def _range_before_point(r: Range, p: Any) -> bool:
    if r.end is None:
        return False
    return _lt(r.end, p) or (_eq(r.end, p) and not r.end_included)


def _before(a: Any, b: Any) -> bool:
    if isinstance(a, Range) and isinstance(b, Range):
        if a.end is None or b.start is None:
            return False
        return _lt(a.end, b.start) or (
            _eq(a.end, b.start) and not (a.end_included and b.start_included)
        )
    if isinstance(b, Range):
        return _point_before_range(a, b)
    if isinstance(a, Range):
        return _range_before_point(a, b)
    return _lt(a, b)


def _range_args(*values: Any) -> bool:
    return all(v is not None for v in values)


@builtin("before", "point1, point2", "point, range", "range, point", "range1, range2")
def _f_before(a: Any, b: Any) -> Any:
    return _before(a, b) if _range_args(a, b) else None


@builtin("after", "point1, point2", "point, range", "range, point", "range1, range2")
def _f_after(a: Any, b: Any) -> Any:
    return _before(b, a) if _range_args(a, b) else None


def _ranges(*values: Any) -> bool:
    return all(isinstance(v, Range) for v in values)


@builtin("meets", "range1, range2")
def _meets(a: Any, b: Any) -> Any:
    if not _ranges(a, b):
        return None
    return a.end_included and b.start_included and a.end is not None and _eq(a.end, b.start)


@builtin("met by", "range1, range2")
def _met_by(a: Any, b: Any) -> Any:
    return _meets(b, a)


def _overlaps(a: Range, b: Range) -> bool:
    left = (
        a.end is None
        or b.start is None
        or _lt(b.start, a.end)
        or (_eq(a.end, b.start) and a.end_included and b.start_included)
    )
    right = (
        a.start is None
        or b.end is None
        or _lt(a.start, b.end)
        or (_eq(a.start, b.end) and a.start_included and b.end_included)
    )
    return left and right


@builtin("overlaps", "range1, range2")
def _f_overlaps(a: Any, b: Any) -> Any:
    return _overlaps(a, b) if _ranges(a, b) else None


def _overlaps_before(a: Range, b: Range) -> bool:
    starts_first = _start_lt(a, b) or (
        _eq(a.start, b.start) and a.start_included and not b.start_included
    )
    reaches = (
        a.end is None
        or b.start is None
        or _lt(b.start, a.end)
        or (_eq(a.end, b.start) and a.end_included and b.start_included)
    )
    ends_first = _end_gt(b, a) or (_eq(a.end, b.end) and (not a.end_included or b.end_included))
    return starts_first and reaches and ends_first


@builtin("overlaps before", "range1, range2")
def _f_overlaps_before(a: Any, b: Any) -> Any:
    return _overlaps_before(a, b) if _ranges(a, b) else None


@builtin("overlaps after", "range1, range2")
def _f_overlaps_after(a: Any, b: Any) -> Any:
    return _overlaps_before(b, a) if _ranges(a, b) else None


def _finishes(a: Any, b: Range) -> bool:
    if not isinstance(a, Range):
        return b.end_included and b.end is not None and _eq(a, b.end)
    return (
        a.end_included == b.end_included
        and _eq(a.end, b.end)
        and (
            _start_lt(b, a)
            or (_eq(a.start, b.start) and (not a.start_included or b.start_included))
        )
    )


@builtin("finishes", "point, range", "range1, range2")
def _f_finishes(a: Any, b: Any) -> Any:
    return _finishes(a, b) if a is not None and isinstance(b, Range) else None


@builtin("finished by", "range, point", "range1, range2")
def _f_finished_by(a: Any, b: Any) -> Any:
    return _finishes(b, a) if b is not None and isinstance(a, Range) else None


def _includes(a: Range, b: Any) -> bool:
    if not isinstance(b, Range):
        return range_contains(b, a) is True
    starts = _start_lt(a, b) or (
        _eq(a.start, b.start) and (a.start_included or not b.start_included)
    )
    ends = _end_gt(a, b) or (_eq(a.end, b.end) and (a.end_included or not b.end_included))
    return starts and ends


@builtin("includes", "range, point", "range1, range2")
def _f_includes(a: Any, b: Any) -> Any:
    return _includes(a, b) if isinstance(a, Range) and b is not None else None


@builtin("during", "point, range", "range1, range2")
def _f_during(a: Any, b: Any) -> Any:
    return _includes(b, a) if isinstance(b, Range) and a is not None else None


def _starts(a: Any, b: Range) -> bool:
    if not isinstance(a, Range):
        return b.start_included and b.start is not None and _eq(a, b.start)
    return (
        _eq(a.start, b.start)
        and a.start_included == b.start_included
        and (_end_gt(b, a) or (_eq(a.end, b.end) and (not a.end_included or b.end_included)))
    )


@builtin("starts", "point, range", "range1, range2")
def _f_starts(a: Any, b: Any) -> Any:
    return _starts(a, b) if a is not None and isinstance(b, Range) else None


@builtin("started by", "range, point", "range1, range2")
def _f_started_by(a: Any, b: Any) -> Any:
    return _starts(b, a) if b is not None and isinstance(a, Range) else None


@builtin("coincides", "point1, point2", "range1, range2")
def _coincides(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if isinstance(a, Range) and isinstance(b, Range):
        return (
            _eq(a.start, b.start)
            and _eq(a.end, b.end)
            and a.start_included == b.start_included
            and a.end_included == b.end_included
        )
    if isinstance(a, Range) or isinstance(b, Range):
        return None
    return _eq(a, b)


@builtin("range", "from")
def _range(text: Any) -> Any:
    from .parser import parse_range_literal

    if not isinstance(text, str):
        return None
    return parse_range_literal(text)


# --- contexts ------------------------------------------------------------------------------


@builtin("get value", "m, key")
def _get_value(context: Any, key: Any) -> Any:
    if not isinstance(context, dict) or not isinstance(key, str):
        return None
    return context.get(key)


@builtin("get entries", "m")
def _get_entries(context: Any) -> Any:
    if not isinstance(context, dict):
        return None
    return [{"key": k, "value": v} for k, v in context.items()]


@builtin("context", "entries")
def _context(entries: Any) -> Any:
    if isinstance(entries, dict):
        entries = [entries]
    if not isinstance(entries, list):
        return None
    result: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, dict) or "key" not in entry or "value" not in entry:
            return None
        key = entry["key"]
        if not isinstance(key, str) or key in result:
            return None
        result[key] = entry["value"]
    return result


@builtin("context put", "context, key, value", "context, keys, value")
def _context_put(context: Any, key: Any, value: Any) -> Any:
    if not isinstance(context, dict):
        return None
    if isinstance(key, str):
        result = dict(context)
        result[key] = value
        return result
    if isinstance(key, list) and key and all(isinstance(k, str) for k in key):
        if len(key) == 1:
            return _context_put(context, key[0], value)
        inner = context.get(key[0])
        if not isinstance(inner, dict):
            return None
        updated = _context_put(inner, key[1:], value)
        if updated is None:
            return None
        result = dict(context)
        result[key[0]] = updated
        return result
    return None


@builtin("context merge", "contexts")
def _context_merge(contexts: Any) -> Any:
    if not isinstance(contexts, list) or not all(isinstance(c, dict) for c in contexts):
        return None
    result: dict[str, Any] = {}
    for context in contexts:
        result.update(context)
    return result


@builtin("is defined", "value")
def _is_defined(value: Any) -> Any:
    return value is not None


del math
