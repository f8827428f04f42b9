"""Dates, times and durations: reading their text forms and their arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .values import DaysTimeDuration, YearsMonthsDuration

DATE = re.compile(r"(-?\d{4,9})-(\d\d)-(\d\d)")
TIME = re.compile(
    r"(\d\d):(\d\d):(\d\d)(\.\d+)?"
    r"(Z|z|[+-]\d\d:\d\d(?::\d\d)?|@[A-Za-z][A-Za-z0-9_+\-/]*)?"
)
DURATION = re.compile(
    r"(-)?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
    r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?)S)?)?"
)


def zone(name: str) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def parse_offset(text: str | None) -> dt.tzinfo | None | bool:
    """A tzinfo for `Z`, `+01:00` or `@Europe/Paris`; None if absent; False if bad.

    (Callers test `is False` first, so only a tzinfo or None reaches a time.)
    """
    if not text:
        return None
    if text in ("Z", "z"):
        return dt.UTC
    if text.startswith("@"):
        found = zone(text[1:])
        return found if found is not None else False
    sign = -1 if text[0] == "-" else 1
    parts = [int(p) for p in text[1:].split(":")]
    delta = dt.timedelta(
        hours=parts[0], minutes=parts[1], seconds=parts[2] if len(parts) > 2 else 0
    )
    if delta > dt.timedelta(hours=18):
        return False
    return dt.timezone(sign * delta)


def parse_date(text: str) -> dt.date | None:
    match = DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _micro(fraction: str | None) -> int:
    if not fraction:
        return 0
    return int((fraction[1:] + "000000")[:6])


def parse_time(text: str) -> dt.time | None:
    match = TIME.fullmatch(text)
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    tz = parse_offset(match[5])
    if tz is False:
        return None
    if hour == 24 and minute == 0 and second == 0 and not match[4]:
        hour = 0
    try:
        return dt.time(
            hour, minute, second, _micro(match[4]), tzinfo=tz if isinstance(tz, dt.tzinfo) else None
        )
    except ValueError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    if "T" not in text:
        day = parse_date(text)
        return dt.datetime(day.year, day.month, day.day) if day else None
    date_text, time_text = text.split("T", 1)
    day = parse_date(date_text)
    match = TIME.fullmatch(time_text)
    if day is None or match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    tz = parse_offset(match[5])
    if tz is False:
        return None
    extra = 0
    if hour == 24 and minute == 0 and second == 0 and not match[4]:
        hour, extra = 0, 1
    try:
        value = dt.datetime(
            day.year,
            day.month,
            day.day,
            hour,
            minute,
            second,
            _micro(match[4]),
            tzinfo=tz if isinstance(tz, dt.tzinfo) else None,
        )
        return value + dt.timedelta(days=extra)
    except (ValueError, OverflowError):
        return None


def parse_duration(text: str) -> DaysTimeDuration | YearsMonthsDuration | None:
    match = DURATION.fullmatch(text)
    if not match:
        return None
    negative, years, months, days, hours, minutes, seconds = match.groups()
    sign = -1 if negative else 1
    if (years or months) and not (days or hours or minutes or seconds):
        return YearsMonthsDuration(sign * (int(years or 0) * 12 + int(months or 0)))
    if years or months:
        # Mixed durations are not FEEL values; keep the day/time part as the TCK expects.
        return None
    total = (
        Decimal(int(days or 0)) * 86_400
        + Decimal(int(hours or 0)) * 3_600
        + Decimal(int(minutes or 0)) * 60
        + Decimal(seconds or 0)
    )
    return DaysTimeDuration(sign * total)


def parse_at_literal(text: str) -> Any:
    """The value of `@"..."`: a date, time, date and time or duration."""
    if text.startswith(("P", "-P")):
        return parse_duration(text)
    if "T" in text:
        return parse_datetime(text)
    if DATE.fullmatch(text):
        return parse_date(text)
    return parse_time(text)


# --- arithmetic ------------------------------------------------------------------


def add_months(value: dt.date, months: int) -> dt.date | None:
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _time_seconds(value: dt.time) -> tuple[Decimal, bool]:
    seconds = Decimal(value.hour * 3600 + value.minute * 60 + value.second) + Decimal(
        value.microsecond
    ).scaleb(-6)
    offset = value.utcoffset()
    if offset is not None:
        seconds -= Decimal(int(offset.total_seconds()))
    return seconds, offset is not None


def temporal_add(left: Any, right: Any) -> Any:
    """left + right for temporal values; None when FEEL gives null."""
    try:
        if isinstance(left, (DaysTimeDuration, YearsMonthsDuration)) and not isinstance(
            right, (DaysTimeDuration, YearsMonthsDuration)
        ):
            left, right = right, left
        if isinstance(left, YearsMonthsDuration) and isinstance(right, YearsMonthsDuration):
            return YearsMonthsDuration(left.months + right.months)
        if isinstance(left, DaysTimeDuration) and isinstance(right, DaysTimeDuration):
            return DaysTimeDuration(left.seconds + right.seconds)
        if isinstance(left, dt.datetime):
            if isinstance(right, DaysTimeDuration):
                return _add_absolute(left, right.timedelta())
            if isinstance(right, YearsMonthsDuration):
                moved = add_months(left, right.months)
                return moved
            return None
        if isinstance(left, dt.date):
            if isinstance(right, DaysTimeDuration):
                return (as_datetime(left) + right.timedelta()).date()
            if isinstance(right, YearsMonthsDuration):
                return add_months(left, right.months)
            return None
        if isinstance(left, dt.time) and isinstance(right, DaysTimeDuration):
            base = dt.datetime(2000, 1, 1, left.hour, left.minute, left.second, left.microsecond)
            moved = base + right.timedelta()
            return moved.time().replace(tzinfo=left.tzinfo)
    except (OverflowError, ValueError):
        return None
    return None


def _add_absolute(value: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    if value.tzinfo is not None and getattr(value.tzinfo, "key", None):
        utc = value.astimezone(dt.UTC) + delta
        return utc.astimezone(value.tzinfo)
    return value + delta


def temporal_subtract(left: Any, right: Any) -> Any:
    try:
        if isinstance(left, YearsMonthsDuration) and isinstance(right, YearsMonthsDuration):
            return YearsMonthsDuration(left.months - right.months)
        if isinstance(left, DaysTimeDuration) and isinstance(right, DaysTimeDuration):
            return DaysTimeDuration(left.seconds - right.seconds)
        if isinstance(left, dt.date) and isinstance(right, dt.date):
            if isinstance(left, dt.datetime) != isinstance(right, dt.datetime):
                return None
            a, b = as_datetime(left), as_datetime(right)
            if (a.tzinfo is None) != (b.tzinfo is None):
                if isinstance(left, dt.datetime) and isinstance(right, dt.datetime):
                    return None
                # a date is midnight UTC when the other side has a zone.
                a = a if a.tzinfo else a.replace(tzinfo=dt.UTC)
                b = b if b.tzinfo else b.replace(tzinfo=dt.UTC)
            return DaysTimeDuration.of(a - b)
        if isinstance(left, dt.date) and isinstance(right, (DaysTimeDuration, YearsMonthsDuration)):
            return temporal_add(left, negate_duration(right))
        if isinstance(left, dt.time) and isinstance(right, dt.time):
            left_seconds, left_zoned = _time_seconds(left)
            right_seconds, right_zoned = _time_seconds(right)
            if left_zoned != right_zoned:
                return None
            return DaysTimeDuration(left_seconds - right_seconds)
        if isinstance(left, dt.time) and isinstance(right, DaysTimeDuration):
            return temporal_add(left, negate_duration(right))
    except (OverflowError, ValueError):
        return None
    return None


def negate_duration(value: Any) -> Any:
    if isinstance(value, YearsMonthsDuration):
        return YearsMonthsDuration(-value.months)
    if isinstance(value, DaysTimeDuration):
        return DaysTimeDuration(-value.seconds)
    return None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    rest_a = start.day
    rest_b = end.day
    if months > 0 and rest_b < rest_a:
        months -= 1
    elif months < 0 and rest_b > rest_a:
        months += 1
    return months
