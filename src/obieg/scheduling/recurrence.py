"""Repeating events (RFC 5545 RRULE): a weekly crew meeting, a monthly review.

Occurrences keep their wall-clock hour in Warsaw across the summer-time
change, as calendar apps show them: the rule runs on local times. An
all-day series runs on dates (its UNTIL is a date, RFC 5545 3.3.10).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

from obieg.scheduling.ical import local_zone

# What each frequency may be narrowed by. A calendar repeats by the day at most (an
# hourly rule would flood every view), and a rule is kept to parts that cannot make
# dateutil walk millions of days looking for a match that never comes ("every day of
# 30 February"): by month only yearly, by month day only monthly and yearly.
_COMMON = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
ALLOWED_PARTS = {
    "DAILY": _COMMON | {"BYDAY"},
    "WEEKLY": _COMMON | {"BYDAY"},
    "MONTHLY": _COMMON | {"BYDAY", "BYMONTHDAY"},
    "YEARLY": _COMMON | {"BYDAY", "BYMONTHDAY", "BYMONTH"},
}
ALLOWED_FREQUENCIES = set(ALLOWED_PARTS)
MAX_INTERVAL = 99
MAX_COUNT = 1000
# The most occurrences one period of one series may give (a daily rule over a year: 366).
MAX_OCCURRENCES = 1000
FIRST_OCCURRENCE_WITHIN = timedelta(days=5 * 366)
LONGEST_SERIES = 20000

# The choices the planning form offers, as the rule each one writes.
FREQUENCIES = {
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
}


def _parts(rule: str) -> dict[str, str]:
    parts = {}
    for part in rule.upper().split(";"):
        name, _sep, value = part.partition("=")
        if name:
            parts[name.strip()] = value.strip()
    return parts


def _local_start(start: datetime, *, all_day: bool) -> datetime:
    local = start.astimezone(local_zone())
    # dateutil wants UNTIL's kind to match DTSTART's: dates for an all-day series.
    return local.replace(tzinfo=None) if all_day else local


def _rule(rule: str, start: datetime, *, all_day: bool) -> RRule:
    try:
        parsed = rrulestr(rule, dtstart=_local_start(start, all_day=all_day), cache=False)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise ValueError(_("This repetition rule cannot be read.")) from error
    if not isinstance(parsed, RRule):
        raise ValueError(_("Give one repetition rule."))
    return parsed


def validate(rule: str, start: datetime | None, *, all_day: bool = False) -> None:
    """Refuse a rule Obieg does not repeat by (ValueError with a message for the planner)."""
    parts = _parts(rule)
    frequency = parts.get("FREQ")
    if frequency not in ALLOWED_FREQUENCIES:
        raise ValueError(_("An event repeats daily, weekly, monthly or yearly."))
    if any(name.startswith(("BYHOUR", "BYMINUTE", "BYSECOND")) for name in parts):
        raise ValueError(_("An event repeats by the day, not by the hour."))
    if set(parts) - ALLOWED_PARTS[frequency]:
        raise ValueError(_("This repetition rule is not one Obieg repeats by."))
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= MAX_INTERVAL:
        raise ValueError(_("Repeat every 1 to %(most)d periods.") % {"most": MAX_INTERVAL})
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError(_("Give either the number of repetitions or the last day, not both."))
    if "COUNT" in parts and (not parts["COUNT"].isdigit() or int(parts["COUNT"]) > MAX_COUNT):
        raise ValueError(_("At most %(count)d repetitions.") % {"count": MAX_COUNT})
    if start is not None:
        parsed = _rule(rule, start, all_day=all_day)
        # Bounded: a rule that never matches ("30 February") would be walked to year 9999.
        first = _local_start(start, all_day=all_day)
        try:
            found = parsed.between(first, first + FIRST_OCCURRENCE_WITHIN, inc=True)
        except (ValueError, TypeError, OverflowError) as error:
            raise ValueError(_("This repetition rule cannot be read.")) from error
        if not found:
            raise ValueError(_("This rule gives no occurrence in the five years from its start."))


def build(frequency: str, *, until: date | None = None, all_day: bool = False) -> str:
    """The rule for one of the form's choices ("" when the event does not repeat)."""
    if not frequency:
        return ""
    rule = FREQUENCIES[frequency]
    if until is not None:
        if all_day:
            rule += f";UNTIL={until:%Y%m%d}"
        else:
            # RFC 5545: with a zoned DTSTART the UNTIL is in UTC; the whole last day counts.
            last = datetime.combine(until, time(23, 59, 59), tzinfo=local_zone())
            rule += f";UNTIL={last.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return rule


def describe(rule: str) -> tuple[str, date | None]:
    """The form's choice and last day for a rule; ("custom", …) for one it does not offer."""
    if not rule:
        return "", None
    parts = _parts(rule)
    until_text = parts.pop("UNTIL", "")
    plain = ";".join(f"{name}={value}" for name, value in parts.items())
    frequency = next((key for key, value in FREQUENCIES.items() if value == plain), "custom")
    until = None
    if until_text:
        if len(until_text) == 8:
            until = datetime.strptime(until_text, "%Y%m%d").date()
        else:
            moment = datetime.strptime(until_text.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            until = moment.astimezone(local_zone()).date()
    return frequency, until


def _length(start: datetime, end: datetime) -> timedelta:
    """The event's length in wall-clock time (a two-day job across a DST change is two days)."""
    zone = local_zone()
    return end.astimezone(zone).replace(tzinfo=None) - start.astimezone(zone).replace(tzinfo=None)


def _aware(moment: datetime) -> datetime:
    zone = local_zone()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    # A wall-clock time re-read in the zone: its offset follows the date (summer or winter).
    return moment.replace(tzinfo=None).replace(tzinfo=zone)


def occurrences(event, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """(start, end) of each occurrence of `event` overlapping [start, end), earliest first."""
    if not event.rrule:
        return [(event.start, event.end)] if event.start < end and event.end > start else []
    length = _length(event.start, event.end)
    parsed = _rule(event.rrule, event.start, all_day=event.all_day)
    zone = local_zone()
    low = start.astimezone(zone) - length
    high = end.astimezone(zone)
    if event.all_day:
        low, high = low.replace(tzinfo=None), high.replace(tzinfo=None)
    found = []
    for begin in islice(parsed.xafter(low, inc=False), MAX_OCCURRENCES):
        if begin >= high:
            break
        occurrence_start = _aware(begin)
        occurrence_end = _aware(begin.replace(tzinfo=None) + length)
        if occurrence_end > start and occurrence_start < end:
            found.append((occurrence_start, occurrence_end))
    return found


def series_end(event) -> datetime | None:
    """The end of the series' last occurrence, or None when it repeats for ever."""
    if not event.rrule:
        return event.end
    parts = _parts(event.rrule)
    if "COUNT" not in parts and "UNTIL" not in parts:
        return None
    parsed = _rule(event.rrule, event.start, all_day=event.all_day)
    # Finite (COUNT ≤ MAX_COUNT, or stopped by UNTIL); a daily rule decades long is
    # read as open-ended rather than walked to its end.
    last = None
    for occurrence in islice(parsed, LONGEST_SERIES):
        last = occurrence
    if last is not None and parsed.after(last) is not None:
        return None
    if last is None:
        return event.end
    return _aware(last.replace(tzinfo=None) + _length(event.start, event.end))
