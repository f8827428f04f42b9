"""Building the field salespeople's days: the solver's plan written into meetings and calendars.

`build_field_schedules(day=…)` places the day's open meetings (routes.py),
gives each its salesperson, start and place in the route, and keeps one
calendar event per meeting in the salesperson's personal calendar, so the day
shows in their feed and CalDAV calendar. It is idempotent: planning a day again
moves the existing events (or hands them to another person) instead of adding
new ones, and a meeting that no longer fits goes back to "booked" and leaves
the calendar. The daily clock job plans the next day once; a sales manager
re-plans any day on demand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import access, audit, business_days, clock, roles
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.scheduling import events
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_salesforce import fill_ins, geo, routes
from obieg.solutions.pv_salesforce.models_field import FieldDay, FieldPlan, Meeting

logger = logging.getLogger(__name__)

DEFAULT_PLAN_AT = "17:00"
NO_POSITION = "no_position"
NO_SALESPERSON = "no_salesperson"
DOES_NOT_FIT = "does_not_fit"
# Re-planning today leaves alone the visits that begin within this many minutes.
FROZEN_MINUTES = 30


def may_plan(user) -> bool:
    """Sales managers and administrators build and re-plan the field days."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return access.is_admin(user) or user.has_role(roles.SALES_MANAGER)


def working_salespeople(day: date) -> list[FieldDay]:
    """The field salespeople who work on `day`: active, on a working weekday, not absent."""
    if not business_days.is_business_day(day):
        return []
    days = (
        FieldDay.objects.filter(active=True, user__is_active=True)
        .exclude(user__sales_absences__starts_on__lte=day, user__sales_absences__ends_on__gte=day)
        .select_related("user")
        .order_by("user_id")
    )
    return [d for d in days if day.weekday() in (d.working_weekdays or [])]


def day_meetings(day: date):
    """The day's meetings the solver may (re)place: booked or planned, not yet visited."""
    start = routes.midnight(day)
    end = routes.midnight(day + timedelta(days=1))
    return Meeting.objects.filter(
        status__in=Meeting.OPEN_STATUSES, window_start__gte=start, window_start__lt=end
    ).order_by("window_start", "id")


@dataclass
class Problem:
    workers: list[routes.Worker]
    visits: list[routes.Visit]
    people: dict[int, FieldDay]
    unplaced: dict[int, str]  # meeting id → why it cannot even be offered to the solver


@dataclass(frozen=True)
class Started:
    """Where a salesperson's day already stands when today is planned again."""

    origin: geo.Point | None  # the last visit under way or done (None: still at home)
    free_from: int  # seconds from midnight: not before now, nor before that visit ends
    visits: int  # visits kept where they are (the new ones are numbered after them)


def problem_for(
    day: date,
    meetings: list[Meeting],
    salespeople: list[FieldDay],
    started: dict[int, Started] | None = None,
) -> Problem:
    """The day as the solver sees it: salespeople as vehicles, meetings as timed jobs."""
    started = started or {}
    workers, people = [], {}
    per_person = fill_ins.per_person()
    for person in salespeople:
        home = geo.locate(person.home_latitude, person.home_longitude, person.home_postal_code)
        if home is None:
            logger.warning("Field salesperson %s has no home base; not planned", person.user_id)
            continue
        start = routes.day_seconds(person.day_start)
        now = started.get(person.user_id)
        workers.append(
            routes.Worker(
                id=person.user_id,
                home=home,
                start=max(start, now.free_from) if now else start,
                end=routes.day_seconds(person.day_end),
                fill_ins=per_person,
                origin=now.origin if now else None,
            )
        )
        people[person.user_id] = person
    visits, unplaced = [], {}
    for meeting in meetings:
        point = geo.locate(meeting.latitude, meeting.longitude, meeting.postal_code)
        if point is None:
            unplaced[meeting.pk] = NO_POSITION
            continue
        service = meeting.duration_minutes * 60
        if meeting.is_fill_in:
            earliest, latest = fill_ins.window(day)
        else:
            earliest = routes.seconds_of(meeting.window_start, day)
            latest = routes.seconds_of(meeting.window_end, day) - service
        if latest < earliest:
            unplaced[meeting.pk] = DOES_NOT_FIT
            continue
        # A visit the manager handed to someone stays with them while they work that day.
        only = meeting.pinned_to_id if meeting.pinned_to_id in people else None
        visits.append(
            routes.Visit(
                meeting.pk, point, service, earliest, latest,
                fill_in=meeting.is_fill_in, only_worker=only,
            )
        )  # fmt: skip
    if not workers:
        unplaced.update({v.id: NO_SALESPERSON for v in visits})
        visits = []
    return Problem(workers, visits, people, unplaced)


def under_way(day: date, now: datetime) -> tuple[set[int], dict[int, Started]]:
    """Today's visits that stay put when the day is planned again, and where each person stands.

    A visit that has begun, or begins within `FROZEN_MINUTES`, is not moved:
    the salesperson is there or on the way. Others are placed from the end of
    their last such visit (or from now, at home).
    """
    if day != timezone.localdate(now):
        return set(), {}
    cutoff = now + timedelta(minutes=FROZEN_MINUTES)
    begun = Meeting.objects.filter(
        status__in=(Meeting.Status.PLANNED, Meeting.Status.DONE),
        salesperson__isnull=False,
        planned_start__gte=routes.midnight(day),
        planned_start__lt=cutoff,
    ).order_by("salesperson_id", "planned_start")
    kept: set[int] = set()
    last: dict[int, Meeting] = {}
    counts: dict[int, int] = {}
    for meeting in begun:
        kept.add(meeting.pk)
        last[meeting.salesperson_id] = meeting
        counts[meeting.salesperson_id] = counts.get(meeting.salesperson_id, 0) + 1
    now_seconds = routes.seconds_of(now, day)
    started = {}
    for person_id in {p.user_id for p in working_salespeople(day)}:
        meeting = last.get(person_id)
        if meeting is None:
            started[person_id] = Started(None, now_seconds, 0)
            continue
        ends = meeting.planned_start + timedelta(minutes=meeting.duration_minutes)
        point = geo.locate(meeting.latitude, meeting.longitude, meeting.postal_code)
        free_from = max(now_seconds, routes.seconds_of(ends, day))
        started[person_id] = Started(point, free_from, counts[person_id])
    return kept, started


def _event_text(meeting: Meeting) -> dict:
    account = meeting.opportunity.account
    return {
        "title": (_("Meeting: %(customer)s") % {"customer": account.name})[:200],
        "location": ", ".join(p for p in (meeting.address, meeting.postal_code) if p)[:300],
        "description": meeting.opportunity.name,
    }


def _put_in_calendar(meeting: Meeting, person, start: datetime, actor) -> CalendarEvent:
    """The meeting's event in `person`'s calendar at `start`: moved if it exists, else made."""
    end = start + timedelta(minutes=meeting.duration_minutes)
    data = {"start": start, "end": end, "status": CalendarEvent.Status.PLANNED}
    data.update(_event_text(meeting))
    event = meeting.event
    if event is not None and event.user_id == person.pk:
        return events.event_update(actor=actor or person, event=event, data=data)
    if event is not None and not event.is_cancelled:
        # Handed to someone else: it leaves the former salesperson's calendar.
        events.event_cancel(actor=actor or event.user, event=event)
    return events.event_create(actor=actor or person, user=person, **data)


def write_placed(meeting: Meeting, person, stop: routes.Stop, position: int, day, actor) -> None:
    before = audit.snapshot(meeting)
    start = routes.moment_of(stop.start, day)
    meeting.salesperson = person
    meeting.planned_start = start
    meeting.route_position = position
    meeting.travel_minutes = round(stop.travel / 60)
    meeting.status = Meeting.Status.PLANNED
    meeting.event = _put_in_calendar(meeting, person, start, actor)
    _save_if_changed(meeting, before, actor)


def write_unplaced(meeting: Meeting, actor) -> None:
    """A promised meeting goes back to "booked"; a fill-in is dropped, its customer re-queued."""
    before = audit.snapshot(meeting)
    if meeting.event is not None and not meeting.event.is_cancelled:
        events.event_cancel(actor=actor or meeting.event.user, event=meeting.event)
    meeting.salesperson = None
    meeting.planned_start = None
    meeting.route_position = None
    meeting.travel_minutes = None
    meeting.status = Meeting.Status.BOOKED
    if meeting.is_fill_in:
        fill_ins.release(meeting)
    _save_if_changed(meeting, before, actor)


def _save_if_changed(meeting: Meeting, before: dict, actor) -> None:
    if audit.diff(before, audit.snapshot(meeting)):
        meeting.revision += 1
        meeting.save()
        audit.record_update(meeting, actor=actor, before=before)


def _plan_row(day: date) -> tuple[FieldPlan, bool]:
    """The day's plan row, locked, and whether this call made it.

    The row is made in the build's own transaction, so another worker sees it
    only once the build is committed: it waits on the row (or on its unique
    day) and then finds the day planned.
    """
    try:
        with transaction.atomic():
            _row, created = FieldPlan.objects.get_or_create(
                day=day, defaults={"built_at": clock.now()}
            )
    except IntegrityError:
        created = False  # another worker made it at the same moment
    return FieldPlan.objects.select_for_update().get(day=day), created


@transaction.atomic
def build_field_schedules(*, day: date, actor=None, only_once: bool = False) -> FieldPlan | None:
    """Plan `day`'s field meetings (and fill-in visits) across the salespeople who work that day.

    `actor` is the sales manager re-planning on demand; the clock job passes
    none (each salesperson's own calendar is then written in their name).
    With `only_once`, a day that was already planned is left alone (the clock).
    Today can be planned again: visits under way stay where they are.
    """
    if actor is not None and not may_plan(actor):
        raise PermissionDenied(_("Only sales managers plan the field days."))
    now = clock.now()
    if day < timezone.localdate(now):
        raise ApplicationError(_("A day that has passed cannot be planned again."))
    plan, created = _plan_row(day)
    if only_once and not created:
        return None
    kept, started = under_way(day, now)
    meetings = [
        m
        for m in day_meetings(day)
        .select_related("opportunity__account", "event")
        .select_for_update(of=("self",))
        if m.pk not in kept
    ]
    problem = problem_for(day, meetings, working_salespeople(day), started)
    candidates = {item.pk: item for item in fill_ins.candidates(len(problem.workers))}
    offered = [v for v in (fill_ins.visit_of(i, day) for i in candidates.values()) if v]
    result = _solve(problem, offered)
    by_id = {m.pk: m for m in meetings}
    placed_ids = set()
    for worker_id, stops in result.routes.items():
        person = problem.people[worker_id].user
        done = started[worker_id].visits if worker_id in started else 0
        for position, stop in enumerate(stops, start=done + 1):
            if stop.visit_id < 0:  # a fill-in candidate: its meeting is made now
                meeting = fill_ins.make_meeting(candidates[-stop.visit_id], person, day, actor)
                by_id[meeting.pk] = meeting
                stop = routes.Stop(meeting.pk, stop.start, stop.travel)
            write_placed(by_id[stop.visit_id], person, stop, position, day, actor)
            placed_ids.add(stop.visit_id)
    unplaced = dict(problem.unplaced)
    unplaced.update({visit_id: DOES_NOT_FIT for visit_id in result.unplaced if visit_id > 0})
    for meeting_id in unplaced:
        write_unplaced(by_id[meeting_id], actor)
    plan.built_at = now
    plan.built_by = actor
    plan.placed = len(placed_ids) + len(kept)
    plan.unplaced = [
        {"meeting": pk, "reason": why}
        for pk, why in sorted(unplaced.items())
        if not by_id[pk].is_fill_in  # a dropped fill-in is back in the queue, not a problem
    ]
    plan.travel_minutes = round(result.travel / 60)
    plan.save()
    return plan


def _solve(problem: Problem, offered: list[routes.Visit]) -> routes.Plan:
    """The solver's plan with the fill-in candidates, unless they cost a promised meeting.

    Fill-ins have the lowest priority, so the solver keeps promised meetings
    first; it is a heuristic, though, so when a promised meeting stays out
    while fill-ins got in, the day is solved again without the candidates and
    the plan placing more promised meetings wins.
    """
    result = routes.solve(problem.workers, problem.visits + offered)
    promised = {v.id for v in problem.visits if not v.fill_in}
    if not offered or not promised.intersection(result.unplaced):
        return result
    without = routes.solve(problem.workers, problem.visits)
    lost_with = len(promised.intersection(result.unplaced))
    lost_without = len(promised.intersection(without.unplaced))
    return without if lost_without < lost_with else result


# The daily clock job.

_last_planned: list[date] = []


def plan_at() -> time:
    return time.fromisoformat(getattr(settings, "SALESFORCE_FIELD_PLAN_AT", DEFAULT_PLAN_AT))


def next_working_day(today: date) -> date:
    return business_days.next_business_day(today + timedelta(days=1))


def plan_next_day_once() -> None:
    """Clock job: after the planning hour, plan the next business day — once a day.

    Each worker remembers the day it handled, so the beat costs nothing the
    rest of the day; several workers meet at the day's plan row, and the one
    that comes second finds the day planned and leaves it.
    """
    now = timezone.localtime(clock.now())
    if now.time() < plan_at():
        return
    day = next_working_day(now.date())
    if _last_planned and _last_planned[-1] == day:
        return
    if not FieldPlan.objects.filter(day=day).exists():
        build_field_schedules(day=day, only_once=True)
    _last_planned[:] = [day]
