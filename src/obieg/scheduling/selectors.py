"""Reads of the calendar, and who may see and plan what.

The rules, on top of `core.access`:
- planners (the sales manager and administrators) see and change every
  crew and event: they make the plan;
- a crew's members see their crew and its events (read-only: the plan is
  the planner's), so an installer sees where the crew goes next;
- a person sees and changes their own events; a team manager their team's
  (core's team rule).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from obieg.core import access, clock, roles
from obieg.core.errors import PermissionDenied
from obieg.scheduling.models import BusyTime, CalDAVAccount, CalendarEvent, Crew, UserCalendar

# The most events one calendar view loads (a few months of a dozen crews).
EVENTS_CAP = 2000


def can_plan(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return access.is_admin(user) or user.has_role(roles.SALES_MANAGER)


def ensure_can_plan(user) -> None:
    if not can_plan(user):
        raise PermissionDenied(_("Only planners (sales manager, administrator) change crews."))


def visible_crews(user) -> QuerySet[Crew]:
    crews = Crew.objects.all()
    return crews if can_plan(user) else access.visible(crews, user)


def visible_events(user, events: QuerySet[CalendarEvent] | None = None) -> QuerySet:
    events = CalendarEvent.objects.all() if events is None else events
    if can_plan(user):
        return events
    if not user.is_authenticated or not user.is_active:
        return events.none()
    personal = access.visible(CalendarEvent.objects.all(), user).values("pk")
    crews = visible_crews(user).values("pk")
    return events.filter(Q(pk__in=personal) | Q(crew__in=crews))


def can_change_event(user, event: CalendarEvent) -> bool:
    if can_plan(user):
        return True
    if event.crew_id is not None:
        return False
    return access.can_change(user, event)


def ensure_can_change_event(user, event: CalendarEvent) -> None:
    if not can_change_event(user, event):
        raise PermissionDenied(_("You may view this event but not change it."))


def may_plan_for(actor, *, crew: Crew | None = None, person=None) -> bool:
    """Whether `actor` may put an event into this crew's or this person's calendar."""
    if can_plan(actor):
        return True
    if crew is not None or person is None:
        return False
    return person.pk == actor.pk or bool(person.team_id and person.team.manager_id == actor.pk)


def overlapping(start: datetime, end: datetime) -> Q:
    """Events that overlap [start, end): single ones by their times, a series by its span.

    A series may still have no occurrence in the period (a weekly meeting on
    Mondays and a Tuesday asked for): `recurrence.occurrences` tells.
    """
    single = Q(rrule="", start__lt=end, end__gt=start)
    reaches = Q(series_end__isnull=True) | Q(series_end__gt=start)
    series = ~Q(rrule="") & Q(start__lt=end) & reaches
    return single | series


def not_ended_before(moment: datetime) -> Q:
    """Events still running at or after `moment`: a series until its last occurrence ends."""
    return Q(end__gte=moment) | (
        ~Q(rrule="") & (Q(series_end__isnull=True) | Q(series_end__gte=moment))
    )


def busy_times(start: datetime, end: datetime, *, crews=None, user=None) -> QuerySet[BusyTime]:
    """Appointments from the crews' (or the person's) own calendars overlapping [start, end)."""
    found = BusyTime.objects.filter(start__lt=end, end__gt=start)
    if crews is not None:
        found = found.filter(account__crew__in=crews)
    if user is not None:
        found = found.filter(account__usercalendar__user=user)
    return found.order_by("start")


def events_between(
    user, start: datetime, end: datetime, *, crews=None, include_cancelled: bool = False
) -> QuerySet[CalendarEvent]:
    """Visible events overlapping [start, end) (series reaching into it too), earliest first."""
    events = CalendarEvent.objects.filter(overlapping(start, end))
    if crews is not None:
        events = events.filter(crew__in=crews)
    if not include_cancelled:
        events = events.exclude(status=CalendarEvent.Status.CANCELLED)
    events = visible_events(user, events).select_related("crew", "user")
    return events.order_by("start", "id")[:EVENTS_CAP]


def upcoming_occurrences(events: QuerySet[CalendarEvent], *, limit: int = 50, days: int = 60):
    """The next `limit` occurrences of `events` (within `days`), a series' each on its own.

    Each is the event with the occurrence's start and end (a copy, never saved).
    """
    from obieg.scheduling import recurrence

    now = clock.now()
    until = now + timedelta(days=days)
    found = (
        events.filter(not_ended_before(now), start__lt=until)
        .exclude(status=CalendarEvent.Status.CANCELLED)
        .select_related("crew")
        .order_by("start", "id")[:limit]
    )
    result = []
    for event in found:
        if not event.rrule:
            result.append(event)
            continue
        for start, end in recurrence.occurrences(event, now, until)[:limit]:
            occurrence = copy.copy(event)
            occurrence.start, occurrence.end = start, end
            result.append(occurrence)
    result.sort(key=lambda item: (item.start, item.pk))
    return result[:limit]


def crew_events(crew: Crew, *, since: datetime, limit: int = 50) -> QuerySet[CalendarEvent]:
    return crew.events.filter(end__gte=since).order_by("start", "id")[:limit]


def owner_events(owner: Crew | UserCalendar) -> QuerySet[CalendarEvent]:
    """Every event of the crew or the person whose calendar `owner` is."""
    if isinstance(owner, Crew):
        return CalendarEvent.objects.filter(crew=owner)
    return CalendarEvent.objects.filter(user_id=owner.user_id)


def my_events(user) -> QuerySet[CalendarEvent]:
    """What a person's day holds: their own events and the work of the crews they belong to.

    Not everything a planner may see: "my calendar" is the person's, not the plan.
    """
    return CalendarEvent.objects.filter(Q(user_id=user.pk) | Q(crew__members=user)).distinct()


def account_events(account: CalDAVAccount) -> QuerySet[CalendarEvent]:
    owner = account.owner
    return owner_events(owner) if owner is not None else CalendarEvent.objects.none()


def owner_account(event: CalendarEvent) -> CalDAVAccount | None:
    """The external calendar an event belongs in now (its crew's or its person's)."""
    if event.crew_id:
        return event.crew.caldav
    calendar = UserCalendar.objects.filter(user_id=event.user_id).select_related("caldav").first()
    return calendar.caldav if calendar else None


def owner_for_feed(token: str) -> Crew | UserCalendar | None:
    """The crew or personal calendar whose feed URL carries `token`."""
    if not token:
        return None
    crew = Crew.objects.filter(feed_token=token, active=True).first()
    if crew is not None:
        return crew
    return UserCalendar.objects.filter(feed_token=token, user__is_active=True).first()


def can_see_feed(user, owner: Crew | UserCalendar) -> bool:
    """Feed URLs are secrets: shown to planners, the crew's members, or the person."""
    if isinstance(owner, UserCalendar):
        return owner.user_id == user.pk
    return can_plan(user) or owner.members.filter(pk=user.pk).exists()
