"""A VTIMEZONE (RFC 5545 3.6.5) written with yearly rules, as every common parser reads it.

`icalendar` describes a zone by its transitions: one DAYLIGHT and one
STANDARD component whose onsets are listed as a multi-value RDATE. `vobject`
(and what is built on it) reads only the first value of such an RDATE, and
so puts a July event in winter time. Since 1996 Poland changes on the last
Sunday of March and of October, so the zone is written the way Outlook and
Google write it: a DAYLIGHT and a STANDARD component with an RRULE. A zone
whose changes follow no such rule in the period falls back to icalendar's
listing.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

_DAY = timedelta(days=1)
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class Transition:
    at: datetime  # UTC
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def local_onset(self) -> datetime:
        """The wall-clock time the change happens at, in the time before it (RFC 5545)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.astimezone(zone).utcoffset() or timedelta(0)


def transitions(zone: ZoneInfo, first: date, last: date) -> list[Transition]:
    """Every change of the zone's offset from `first` to `last` (day by day, then bisection)."""
    found = []
    moment = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(last, datetime.min.time(), tzinfo=UTC) + _DAY
    before = _offset(zone, moment)
    while moment < end:
        following = moment + _DAY
        after = _offset(zone, following)
        if after != before:
            low, high = moment, following
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            at = high.replace(second=0, microsecond=0)
            local = at.astimezone(zone)
            found.append(Transition(at, before, after, local.tzname() or "", bool(local.dst())))
            before = after
        moment = following
    return found


@lru_cache(maxsize=64)
def _changes(tzid: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """The zone's changes over whole years (cached: every pushed event asks for them)."""
    return tuple(transitions(ZoneInfo(tzid), date(first_year, 1, 1), date(last_year, 12, 31)))


def _by_day(onset: datetime) -> str | None:
    """BYDAY of a yearly rule giving this onset ("-1SU" for the last Sunday …)."""
    weekday = _WEEKDAYS[onset.weekday()]
    days_in_month = month_calendar.monthrange(onset.year, onset.month)[1]
    if onset.day + 7 > days_in_month:
        return f"-1{weekday}"
    return f"{(onset.day - 1) // 7 + 1}{weekday}"


def _yearly_rule(changes: list[Transition]) -> str | None:
    """The BYMONTH/BYDAY all these onsets share, or None when they follow no one rule."""
    rules = set()
    for change in changes:
        onset = change.local_onset
        rules.add((onset.month, _by_day(onset), onset.time(), change.offset_from, change.offset_to))
    if len(rules) != 1:
        return None
    month, by_day, _time, _from, _to = rules.pop()
    return f"{month}:{by_day}"


def _component(kind: str, change: Transition, rule: str | None) -> icalendar.Component:
    component = icalendar.TimezoneDaylight() if kind == "DAYLIGHT" else icalendar.TimezoneStandard()
    component.add("dtstart", change.local_onset)
    if rule is not None:
        month, by_day = rule.split(":")
        component.add("rrule", {"FREQ": "YEARLY", "BYMONTH": int(month), "BYDAY": by_day})
    component.add("tzoffsetfrom", change.offset_from)
    component.add("tzoffsetto", change.offset_to)
    if change.name:
        component.add("tzname", change.name)
    return component


def vtimezone(tzid: str, first: date, last: date) -> icalendar.Timezone:
    """A VTIMEZONE for `tzid`, right for every date from `first` to `last`."""
    zone = ZoneInfo(tzid)
    # From a year earlier: a parser takes the offset before the first change from it.
    start = date(first.year - 1, 1, 1)
    end = date(last.year, 12, 31)
    changes = list(_changes(tzid, start.year, end.year))
    timezone = icalendar.Timezone()
    timezone.add("tzid", tzid)
    if not changes:
        offset = _offset(zone, datetime.combine(start, datetime.min.time(), tzinfo=UTC))
        name = datetime.combine(start, datetime.min.time(), tzinfo=zone).tzname() or ""
        timezone.add_component(
            _component(
                "STANDARD",
                Transition(
                    datetime.combine(start, datetime.min.time(), tzinfo=UTC) - offset,
                    offset,
                    offset,
                    name,
                    False,
                ),
                None,
            )
        )
        return timezone
    daylight = [change for change in changes if change.daylight]
    standard = [change for change in changes if not change.daylight]
    years = {change.at.year for change in changes}
    daylight_rule = _yearly_rule(daylight) if daylight else None
    standard_rule = _yearly_rule(standard) if standard else None
    regular = (
        daylight_rule is not None
        and standard_rule is not None
        and len(daylight) == len(standard) == len(years)
    )
    if not regular:
        return icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)
    timezone.add_component(_component("DAYLIGHT", daylight[0], daylight_rule))
    timezone.add_component(_component("STANDARD", standard[0], standard_rule))
    return timezone
