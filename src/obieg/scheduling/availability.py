"""Which crews are free, day by day: their events, their working days, Polish public holidays.

A crew works on its working weekdays except public holidays (the `holidays`
package through core.business_days: Easter Monday, Corpus Christi, and
24 December since 2025). A working day is busy when any event that is not
cancelled overlaps it in Warsaw time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from obieg.core.business_days import holiday_name, is_business_day
from obieg.core.errors import ApplicationError
from obieg.scheduling.ical import local_zone
from obieg.scheduling.models import CalendarEvent, Crew

MAX_DAYS = 366


class DayState:
    FREE = "free"
    BUSY = "busy"
    HOLIDAY = "holiday"
    DAY_OFF = "day_off"


@dataclass
class Day:
    day: date
    state: str
    holiday: str | None = None
    events: list[int] = field(default_factory=list)


@dataclass
class CrewAvailability:
    crew: Crew
    days: list[Day]

    @property
    def working_days(self) -> list[Day]:
        return [day for day in self.days if day.state in (DayState.FREE, DayState.BUSY)]

    @property
    def free(self) -> bool:
        """Free for the whole period: it has working days and none of them is taken."""
        working = self.working_days
        return bool(working) and all(day.state == DayState.FREE for day in working)


def public_holiday(day: date) -> str | None:
    """The holiday's Polish name, or None on an ordinary day."""
    if day.weekday() < 5:
        # The cached business-day test answers the common case without a lookup.
        return None if is_business_day(day) else holiday_name(day)
    return holiday_name(day)


def _days(start: date, end: date) -> list[date]:
    if end < start:
        raise ApplicationError(
            _("The period ends before it starts."), field_errors={"end": [_("Before the start.")]}
        )
    count = (end - start).days + 1
    if count > MAX_DAYS:
        raise ApplicationError(
            _("Ask for at most %(days)d days at a time.") % {"days": MAX_DAYS},
            field_errors={"end": [_("The period is too long.")]},
        )
    return [start + timedelta(days=offset) for offset in range(count)]


def _local_dates(event: CalendarEvent) -> Iterable[date]:
    """The Warsaw calendar days an event touches (an end at midnight ends the day before)."""
    zone = local_zone()
    first = event.start.astimezone(zone).date()
    last = (event.end.astimezone(zone) - timedelta(microseconds=1)).date()
    while first <= last:
        yield first
        first += timedelta(days=1)


def crews_availability(
    crews: Iterable[Crew], start: date, end: date, *, exclude_event: int | None = None
) -> list[CrewAvailability]:
    """Day-by-day availability of `crews` from `start` to `end` (both included): two queries."""
    days = _days(start, end)
    crews = list(crews)
    zone = local_zone()
    holidays = {day: public_holiday(day) for day in days}
    events = CalendarEvent.objects.filter(
        crew__in=crews,
        start__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
        end__gt=datetime.combine(start, time.min, tzinfo=zone),
    ).exclude(status=CalendarEvent.Status.CANCELLED)
    if exclude_event:
        events = events.exclude(pk=exclude_event)
    taken: dict[tuple[int, date], list[int]] = defaultdict(list)
    for event in events.only("pk", "crew_id", "start", "end"):
        for day in _local_dates(event):
            taken[(event.crew_id, day)].append(event.pk)
    result = []
    for crew in crews:
        row = []
        for day in days:
            if holidays[day]:
                row.append(Day(day, DayState.HOLIDAY, holiday=holidays[day]))
            elif day.weekday() not in crew.working_weekdays:
                row.append(Day(day, DayState.DAY_OFF))
            elif taken.get((crew.pk, day)):
                row.append(Day(day, DayState.BUSY, events=taken[(crew.pk, day)]))
            else:
                row.append(Day(day, DayState.FREE))
        result.append(CrewAvailability(crew, row))
    return result


def crew_is_free(crew: Crew, start: date, end: date, *, exclude_event: int | None = None) -> bool:
    """Whether `crew` may take work on the days from `start` to `end`: the one planning rule.

    The planning form, a drag on the board and `free_crews` all ask this: the
    period holds working days of the crew (not all holidays or days off) and
    none of them is taken by another event (`exclude_event` is the one moved).
    """
    (row,) = crews_availability([crew], start, end, exclude_event=exclude_event)
    return row.free


def ensure_crew_free(crew: Crew, start: datetime, end: datetime, *, exclude_event=None) -> None:
    """Refuse work for `crew` from `start` to `end` on a holiday, a day off or a booked day."""
    zone = local_zone()
    first = start.astimezone(zone).date()
    # An end at midnight belongs to the day before, as in availability.
    last = max(first, (end.astimezone(zone) - timedelta(microseconds=1)).date())
    if not crew_is_free(crew, first, last, exclude_event=exclude_event):
        message = _("This crew is busy or off on those days.")
        raise ApplicationError(message, field_errors={"start": [message]})


def with_skills(crews: QuerySet[Crew], skills: Iterable[str]) -> QuerySet[Crew]:
    """The crews among `crews` that have every skill code in `skills`."""
    for code in set(skills):
        crews = crews.filter(skills__code=code)
    return crews.distinct()


def free_crews(
    crews: QuerySet[Crew], start: date, end: date, *, skills: Iterable[str] = ()
) -> list[Crew]:
    """Active crews with every skill in `skills` and no work on any of their working days."""
    candidates = with_skills(crews.filter(active=True), skills)
    return [row.crew for row in crews_availability(candidates, start, end) if row.free]
