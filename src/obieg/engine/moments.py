"""When a timer fires or a task falls due, from what a model says.

A model writes either an ISO 8601 literal — a duration (`PT4H`, `P3D`,
`P1W`), a moment (`2026-12-24T10:00`, `2026-12-24`) or a cycle
(`R3/PT1H`) — or an expression over the case data that yields one of
those, a date and time, a date or a duration: in FEEL
`= business_days(3)` for three Polish business days, `= offer_valid_until`,
`= duration("P" + string(reminder_days) + "D")`; the first models' Python-like
`business_days(3)`, `days(reminder_days)` still read.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from obieg.engine import expressions
from obieg.engine.feel import DaysTimeDuration, YearsMonthsDuration

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+([+-]\d{2}:?\d{2}|Z)?)?$")
_CYCLE = re.compile(r"^R(?P<count>\d*)/(?P<interval>P[^/]+)$")


class MomentError(ValueError):
    """A timer or due-date expression does not name a moment."""


def is_literal(text: str) -> bool:
    text = text.strip()
    return bool(_DURATION.match(text) or _MOMENT.match(text) or _CYCLE.match(text))


def validate(text: str) -> None:
    """Refuse (MomentError) a timer or due text that is neither a literal nor a safe expression."""
    if not text or not text.strip():
        raise MomentError("the timer expression is empty")
    if is_literal(text):
        return
    try:
        expressions.validate(text.strip())
    except (expressions.ExpressionError, SyntaxError) as error:
        raise MomentError(
            f"{text!r} is neither an ISO 8601 literal nor a safe expression: {error}"
        ) from error


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _from_duration(text: str, start: datetime) -> datetime:
    match = _DURATION.match(text)
    assert match is not None
    parts = {name: float(value) if value else 0 for name, value in match.groupdict().items()}
    moment = _add_months(start, int(parts["years"]) * 12 + int(parts["months"]))
    return moment + timedelta(
        weeks=parts["weeks"],
        days=parts["days"],
        hours=parts["hours"],
        minutes=parts["minutes"],
        seconds=parts["seconds"],
    )


def duration(text: str) -> timedelta:
    """A fixed-length ISO duration (`PT1H`, `P2D`); months and years are refused."""
    match = _DURATION.match(text.strip())
    if not match or match["years"] or match["months"]:
        raise MomentError(f"{text!r} is not a duration of weeks, days, hours or minutes")
    start = datetime(2000, 1, 1)
    return _from_duration(text.strip(), start) - start


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _from_value(value: Any, start: datetime) -> datetime:
    if isinstance(value, DaysTimeDuration):  # a FEEL duration (`= duration("P3D")`)
        return start + value.timedelta()
    if isinstance(value, YearsMonthsDuration):
        return _add_months(start, value.months)
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        # A bare date means the end of that working day, local time.
        return _aware(datetime.combine(value, time(23, 59, 59)))
    if isinstance(value, timedelta):
        return start + value
    if isinstance(value, str):
        text = value.strip()
        if _DURATION.match(text):
            return _from_duration(text, start)
        if _MOMENT.match(text):
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if len(text) == 10:
                return _from_value(parsed.date(), start)
            return _aware(parsed)
    raise MomentError(f"{value!r} is not a moment, a duration or a date")


def resolve(text: str, names: Mapping[str, Any], *, start: datetime) -> datetime:
    """The aware moment `text` names, counting durations from `start`."""
    text = text.strip()
    if is_literal(text) and not _CYCLE.match(text):
        return _from_value(text, timezone.localtime(start))
    value = expressions.evaluate(text, names)
    return _from_value(value, timezone.localtime(start))


def resolve_cycle(text: str, names: Mapping[str, Any]) -> tuple[int, timedelta]:
    """(how many times, how far apart) for `R3/PT1H`; an empty count repeats for ever (-1)."""
    text = text.strip()
    if not _CYCLE.match(text):
        text = str(expressions.evaluate(text, names)).strip()
    match = _CYCLE.match(text)
    if not match:
        raise MomentError(f"{text!r} is not a cycle such as R3/PT1H")
    count = int(match["count"]) if match["count"] else -1
    return count, duration(match["interval"])
