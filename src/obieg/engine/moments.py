"""When a timer fires or a task falls due, from what a model says.

A model writes either an ISO 8601 literal — a duration (`PT4H`, `P3D`,
`P1W`), a moment (`2026-12-24T10:00`, `2026-12-24`) or a cycle
(`R3/PT1H`) — or an expression over the case data that yields one of
those, a date and time, a date or a duration: in FEEL
`= business_days(3)` for three Polish business days, `= offer_valid_until`,
`= duration("P" + string(reminder_days) + "D")`; the first models' Python-like
`business_days(3)`, `days(reminder_days)` still read.

A timer cycle (`timeCycle`) is an ISO 8601 repeating interval — `R3/PT1H`
(three times, an hour apart, the first an hour from now), `R/P1D` (every day,
for ever), `R/2027-01-01T08:00/P1D` (every day from that moment; missed
repetitions before now are skipped), months and years allowed (`R12/P1M`) — or
a cron expression as Camunda 8 takes it (`0 0 8 * * MON-FRI`: seconds first,
Spring's syntax with `?`, names, `L`, `#` and the `@daily`-style macros; a
classic five-field line works too), read by `cronsim` in the local time zone.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from cronsim import CronSim, CronSimError
from django.utils import timezone

from obieg.core import clock
from obieg.engine import expressions
from obieg.engine.feel import DaysTimeDuration, YearsMonthsDuration

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+([+-]\d{2}:?\d{2}|Z)?)?$")
_CYCLE = re.compile(
    r"^R(?P<count>\d*)/(?:(?P<start>\d{4}-\d{2}-\d{2}[^/]*)/)?(?P<interval>P[^/]+)$"
)
_CRON_MACROS = {
    "@yearly": "0 0 0 1 1 *",
    "@annually": "0 0 0 1 1 *",
    "@monthly": "0 0 0 1 * *",
    "@weekly": "0 0 0 * * SUN",
    "@daily": "0 0 0 * * *",
    "@midnight": "0 0 0 * * *",
    "@hourly": "0 0 * * * *",
}


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


# Cycles


@dataclass(frozen=True)
class Cycle:
    """When a timer cycle fires: `count` times (-1: for ever), by an ISO interval or a cron line."""

    count: int
    interval: str = ""  # an ISO 8601 duration, `PT1H`, `P1M`
    start: datetime | None = None  # the first repetition, when the cycle names one
    cron: str = ""  # a six-field line (seconds first), as cronsim reads it

    def first(self, now: datetime) -> datetime | None:
        """The first moment the cycle fires, counting from `now`."""
        now = timezone.localtime(now)
        if self.cron:
            return self.after(now)
        if self.start is None:
            return _from_duration(self.interval, now)
        moment = self.start
        while moment < now:  # repetitions missed before the case got here are skipped
            moment = _from_duration(self.interval, moment)
        return moment

    def after(self, moment: datetime, *, not_before: datetime | None = None) -> datetime | None:
        """The repetition after `moment`, and after `not_before` when given (None when a
        cron line never matches again)."""
        moment = timezone.localtime(moment)
        if self.cron:
            try:
                return next(CronSim(self.cron, max(moment, not_before or moment)))
            except StopIteration:
                return None
        following = _from_duration(self.interval, moment)
        if not_before is not None and following <= not_before:
            parts = _DURATION.match(self.interval)
            if parts is not None and not parts["years"] and not parts["months"]:
                # A fixed interval: jump over the missed repetitions at once.
                step = following - moment
                following += step * ((not_before - following) // step + 1)
            while following <= not_before:
                following = _from_duration(self.interval, following)
        return following


def cron_line(text: str) -> str | None:
    """The six-field line cronsim reads for a Spring / Camunda 8 cron expression, or None."""
    text = " ".join(text.split())
    text = _CRON_MACROS.get(text.lower(), text)
    fields = text.split(" ")
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6 or not all(re.match(r"^[\w*?/,#\-]+$", f) for f in fields):
        return None
    line = " ".join(field.replace("?", "*") for field in fields)
    try:
        CronSim(line, datetime(2000, 1, 1))
    except CronSimError:
        return None
    return line


def parse_cycle(text: str) -> Cycle:
    """The cycle an ISO repeating interval or a cron expression names; MomentError if neither."""
    text = text.strip()
    match = _CYCLE.match(text)
    if match:
        count = int(match["count"]) if match["count"] else -1
        interval = match["interval"]
        if not _DURATION.match(interval) or _from_duration(interval, datetime(2000, 1, 1)) <= (
            datetime(2000, 1, 1)
        ):
            raise MomentError(f"{interval!r} in {text!r} is not a duration longer than zero")
        start = None
        if match["start"]:
            try:
                start = _from_value(match["start"], clock.now())
            except (MomentError, ValueError) as error:
                raise MomentError(
                    f"{match['start']!r} in {text!r} is not a date and time"
                ) from error
        return Cycle(count=count, interval=interval, start=start)
    line = cron_line(text)
    if line is None:
        raise MomentError(
            f"{text!r} is neither an ISO 8601 repeating interval (R3/PT1H, R/P1D, "
            "R/2027-01-01T08:00/P1D) nor a cron expression (0 0 8 * * MON-FRI)"
        )
    return Cycle(count=-1, cron=line)


def is_cycle_literal(text: str) -> bool:
    try:
        parse_cycle(text)
    except MomentError:
        return False
    return True


def validate_cycle(text: str) -> None:
    """Refuse (MomentError) a timeCycle that is neither a cycle nor a safe expression."""
    if not text or not text.strip():
        raise MomentError("the timer cycle is empty")
    if is_cycle_literal(text) or _CYCLE.match(text.strip()):
        parse_cycle(text)  # a malformed ISO cycle says what is wrong with it
        return
    try:
        expressions.validate(text.strip())
    except (expressions.ExpressionError, SyntaxError) as error:
        raise MomentError(
            f"{text!r} is neither a timer cycle (R3/PT1H, R/2027-01-01T08:00/P1D, "
            f"0 0 8 * * MON-FRI) nor a safe expression: {error}"
        ) from error


def resolve_cycle(text: str, names: Mapping[str, Any]) -> Cycle:
    """The cycle a timeCycle names, evaluating it first when it is an expression."""
    text = text.strip()
    if not is_cycle_literal(text) and not _CYCLE.match(text):
        text = str(expressions.evaluate(text, names)).strip()
    return parse_cycle(text)
