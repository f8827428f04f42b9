"""Which crews are free, day by day: their events, their working days, Polish public holidays.

A crew works on its working weekdays except public holidays (the `holidays`
package through core.business_days: Easter Monday, Corpus Christi, and
24 December since 2025). A working day is busy when any event that is not
cancelled overlaps it in Warsaw time — an occurrence of a repeating event
too — or when the crew's own calendar holds an appointment then (busy time
read from CalDAV or Google, `busy`): busy is busy, whoever planned it.
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
from obieg.scheduling import recurrence, selectors
from obieg.scheduling.ical import local_zone
from obieg.scheduling.models import BusyTime, CalendarEvent, Crew

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
    # The crew's own calendar has an appointment that day.
    external: bool = False


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


def _local_dates(start: datetime, end: datetime) -> Iterable[date]:
    """The Warsaw calendar days a period touches (an end at midnight ends the day before)."""
    zone = local_zone()
    first = start.astimezone(zone).date()
    last = (end.astimezone(zone) - timedelta(microseconds=1)).date()
    while first <= last:
        yield first
        first += timedelta(days=1)


def crews_availability(
    crews: Iterable[Crew], start: date, end: date, *, exclude_event: int | None = None
) -> list[CrewAvailability]:
    """Day-by-day availability of `crews` from `start` to `end` (both included): three queries."""
    days = _days(start, end)
    crews = list(crews)
    zone = local_zone()
    holidays = {day: public_holiday(day) for day in days}
    period_start = datetime.combine(start, time.min, tzinfo=zone)
    period_end = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    events = (
        CalendarEvent.objects.filter(crew__in=crews)
        .filter(selectors.overlapping(period_start, period_end))
        .exclude(status=CalendarEvent.Status.CANCELLED)
    )
    if exclude_event:
        events = events.exclude(pk=exclude_event)
    taken: dict[tuple[int, date], list[int]] = defaultdict(list)
    fields = ("pk", "crew_id", "start", "end", "all_day", "rrule")
    for event in events.only(*fields):
        for occurrence_start, occurrence_end in recurrence.occurrences(
            event, period_start, period_end
        ):
            for day in _local_dates(occurrence_start, occurrence_end):
                if event.pk not in taken[(event.crew_id, day)]:
                    taken[(event.crew_id, day)].append(event.pk)
    external: set[tuple[int, date]] = set()
    busy = BusyTime.objects.filter(
        account__crew__in=crews, start__lt=period_end, end__gt=period_start
    ).values_list("account__crew", "start", "end")
    for crew_id, busy_start, busy_end in busy:
        for day in _local_dates(busy_start, busy_end):
            external.add((crew_id, day))
    result = []
    for crew in crews:
        row = []
        for day in days:
            if holidays[day]:
                row.append(Day(day, DayState.HOLIDAY, holiday=holidays[day]))
            elif day.weekday() not in crew.working_weekdays:
                row.append(Day(day, DayState.DAY_OFF))
            elif taken.get((crew.pk, day)) or (crew.pk, day) in external:
                row.append(
                    Day(
                        day,
                        DayState.BUSY,
                        events=taken.get((crew.pk, day), []),
                        external=(crew.pk, day) in external,
                    )
                )
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
