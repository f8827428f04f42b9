"""The manager hands one field visit to another field salesperson.

Only a day already planned (it has its `FieldPlan`): the move is a change of
that plan. The meeting must still be open (booked or planned, not visited)
and with the salesperson and revision the page showed (409 otherwise); the
new salesperson must work that day. Then the two routes concerned are
planned again by the same solver and written the same way as the day's plan
(field_schedule.py: times, order, drives, calendar events): the new
salesperson's visits with this one — refused with nothing changed when they
no longer all fit — and the former salesperson's remaining visits.

Why not re-plan the whole day (`field_schedule.build_field_schedules`): the
solver is free to give any visit to anyone, so it would hand the meeting
straight back. The moved visit is kept with its new salesperson
(`Meeting.pinned_to`): a later "Re-plan the day" places it in their route
while they work that day.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import clock
from obieg.core.errors import ApplicationError, Conflict
from obieg.solutions.pv_salesforce import field_schedule, queue, routes
from obieg.solutions.pv_salesforce.models_field import FieldDay, FieldPlan, Meeting


def _refuse(field: str, message: str):
    raise ApplicationError(message, field_errors={field: [message]})


def meeting_day(meeting: Meeting):
    return timezone.localdate(meeting.planned_start or meeting.window_start)


def _route_of(person: FieldDay, day, meetings: list[Meeting], started) -> routes.Plan:
    problem = field_schedule.problem_for(day, meetings, [person], started)
    plan = routes.solve(problem.workers, problem.visits)
    plan.unplaced = [*problem.unplaced, *plan.unplaced]
    return plan


def _write(plan: routes.Plan, person: FieldDay, day, by_id, actor, started) -> None:
    done = started[person.user_id].visits if person.user_id in started else 0
    for stops in plan.routes.values():
        for position, stop in enumerate(stops, start=done + 1):
            field_schedule.write_placed(
                by_id[stop.visit_id], person.user, stop, position, day, actor
            )
    for meeting_id in plan.unplaced:
        field_schedule.write_unplaced(by_id[meeting_id], actor)


def _open_of(person_id: int, day, exclude: set[int]) -> list[Meeting]:
    return list(
        field_schedule.day_meetings(day)
        .filter(salesperson_id=person_id)
        .exclude(pk__in=exclude)
        .select_related("opportunity__account", "event")
        .select_for_update(of=("self",))
    )


def reassign_meeting(
    *, actor, meeting: Meeting, to_id: int | None, shown_salesperson_id: int | None, revision
) -> Meeting:
    """Give a booked or planned visit of a planned day to another field salesperson."""
    queue.ensure_may_manage(actor)
    day = meeting_day(meeting)
    if day < clock.today():
        raise ApplicationError(_("Only visits of today or a later day can be moved."))
    with transaction.atomic():
        # The day's plan row first, as the planner takes it: one change of a day at a time.
        plan_row = FieldPlan.objects.select_for_update().filter(day=day).first()
        if plan_row is None:
            raise ApplicationError(
                _("This day is not planned yet; plan it first (Field days → Re-plan the day).")
            )
        locked = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("opportunity__account", "event")
            .filter(pk=meeting.pk)
            .first()
        )
        if (
            locked is None
            or locked.revision != revision
            or locked.salesperson_id != shown_salesperson_id
        ):
            raise Conflict(_("Someone else changed this visit meanwhile; reload the page."))
        if locked.status not in Meeting.OPEN_STATUSES:
            raise Conflict(_("This visit is no longer open."))
        # Today: visits begun or about to begin stay, the rest starts from where people are.
        kept, started = field_schedule.under_way(day, clock.now())
        if locked.pk in kept:
            raise ApplicationError(_("This visit is under way; it cannot be moved any more."))
        working = {d.user_id: d for d in field_schedule.working_salespeople(day)}
        target = working.get(to_id)
        if target is None:
            _refuse("to", _("Choose a field salesperson who works that day."))
        if to_id == shown_salesperson_id:
            _refuse("to", _("The visit is already in %(name)s's day.") % {"name": target.user})
        # Kept with them: a later re-plan of the whole day does not hand it back.
        locked.pinned_to = target.user
        theirs = _open_of(target.user_id, day, exclude={locked.pk, *kept})
        new_route = _route_of(target, day, [*theirs, locked], started)
        if new_route.unplaced:
            _refuse(
                "to",
                _("The visit does not fit %(name)s's day with their other visits.")
                % {"name": target.user},
            )
        by_id = {m.pk: m for m in [*theirs, locked]}
        _write(new_route, target, day, by_id, actor, started)
        former = None
        if shown_salesperson_id is not None:
            former = FieldDay.objects.filter(user_id=shown_salesperson_id).first()
        dropped: list[int] = []
        if former is not None:
            left = _open_of(former.user_id, day, exclude={locked.pk, *kept})
            if left:
                by_id = {m.pk: m for m in left}
                old_route = _route_of(former, day, left, started)
                _write(old_route, former, day, by_id, actor, started)
                # A dropped fill-in went back to its queue: not a problem of the plan.
                dropped = [pk for pk in old_route.unplaced if not by_id[pk].is_fill_in]
        _update_plan(plan_row, day, dropped)
        locked.refresh_from_db()
    return locked


def _update_plan(plan_row: FieldPlan, day, dropped: list[int]) -> None:
    """The day's counts as they now are: placed visits, and the booked ones still unplaced."""
    start, end = routes.midnight(day), routes.midnight(day + timedelta(days=1))
    plan_row.placed = Meeting.objects.filter(
        status__in=Meeting.OPEN_STATUSES + (Meeting.Status.DONE,),
        planned_start__gte=start,
        planned_start__lt=end,
    ).count()
    still = set(
        field_schedule.day_meetings(day)
        .filter(status=Meeting.Status.BOOKED)
        .values_list("pk", flat=True)
    )
    kept = [entry for entry in plan_row.unplaced if entry["meeting"] in still]
    known = {entry["meeting"] for entry in kept}
    kept += [
        {"meeting": pk, "reason": field_schedule.DOES_NOT_FIT} for pk in dropped if pk not in known
    ]
    plan_row.unplaced = sorted(kept, key=lambda entry: entry["meeting"])
    plan_row.save(update_fields=["placed", "unplaced"])
