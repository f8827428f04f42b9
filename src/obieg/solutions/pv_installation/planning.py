"""Dates and crews of the works: roof first, the electrical part on the following days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from obieg.scheduling import availability
from obieg.scheduling.models import Crew

WARSAW = ZoneInfo("Europe/Warsaw")
WORKDAY = (time(8, 0), time(16, 0))


def work_period(data: dict, part: str) -> tuple[date, date]:
    """First and last day of `part` ("roof" or "electrical") from the planner's form data."""
    start = data["start_date"]
    if isinstance(start, str):
        start = date.fromisoformat(start)
    roof_end = start + timedelta(days=int(data["roof_days"]) - 1)
    if part == "roof":
        return start, roof_end
    first = roof_end + timedelta(days=1)
    return first, first + timedelta(days=int(data["electrical_days"]) - 1)


def crew_is_free(crew: Crew, start: date, end: date) -> bool:
    # The calendar's own rule, so the form and a drag on the planning board agree.
    return availability.crew_is_free(crew, start, end)


def moments(start: date, end: date) -> tuple[datetime, datetime]:
    """The event's start and end: working hours, Warsaw time."""
    return (
        datetime.combine(start, WORKDAY[0], tzinfo=WARSAW),
        datetime.combine(end, WORKDAY[1], tzinfo=WARSAW),
    )
