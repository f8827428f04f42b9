"""Field pages: a salesperson's day (list, map, outcomes) and the manager's view of every day."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.solutions.pv_salesforce import field_schedule, selectors_field, visit_outcomes
from obieg.solutions.pv_salesforce.models_field import Meeting

OUTCOME_MESSAGES = {
    Meeting.Outcome.MET: gettext_lazy("The meeting has been recorded."),
    Meeting.Outcome.NOT_AT_HOME: gettext_lazy(
        "Recorded: the customer was not at home; they go back to the queue."
    ),
    Meeting.Outcome.WON: gettext_lazy("Recorded: the opportunity is won."),
    Meeting.Outcome.LOST: gettext_lazy("Recorded: the opportunity is lost."),
}


def _day(request, default: date) -> date:
    raw = request.GET.get("day") or request.POST.get("day")
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise BadRequest(_("Give the day as YYYY-MM-DD.")) from error


def _day_page(request, day: date, *, errors=None, status: int = 200):
    user = request.user
    visits = selectors_field.visits_of(user, day)
    tiles = selectors_field.map_tile_url()
    return render(
        request,
        "pv_salesforce/field/day.html",
        {
            "day": day,
            "visits": visits,
            "summary": selectors_field.day_summary(visits),
            "outcomes": Meeting.Outcome,
            "map_tiles": tiles,
            "map_data": selectors_field.map_points(user, visits) if tiles and visits else None,
            "previous_day": day.fromordinal(day.toordinal() - 1),
            "next_day": day.fromordinal(day.toordinal() + 1),
            "errors": errors or {},
        },
        status=status,
    )


@login_required
@require_GET
def field_day(request):
    """The field salesperson's day: visits in order with times, addresses and drives."""
    if not selectors_field.is_field_seller(request.user):
        raise Http404
    return _day_page(request, _day(request, clock.today()))


@login_required
@require_POST
def meeting_outcome(request, pk: int):
    """Record how a visit went (met, not at home, won, lost with a reason)."""
    meeting = Meeting.objects.filter(pk=pk).select_related("opportunity").first()
    if meeting is None or not visit_outcomes.may_record_outcome(request.user, meeting):
        raise Http404
    day = timezone.localdate(meeting.planned_start or meeting.window_start)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = None
    try:
        result = visit_outcomes.record_outcome(
            actor=request.user,
            meeting=meeting,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            revision=revision,
        )
    except ApplicationError as error:
        errors = {meeting.pk: error.field_errors or {"__all__": [error.message]}}
        if not selectors_field.is_field_seller(request.user):
            messages.error(request, error.message)
            return redirect(f"{reverse('salesforce:field_days')}?day={day.isoformat()}")
        return _day_page(request, day, errors=errors, status=error.status_code)
    messages.success(request, OUTCOME_MESSAGES[request.POST["outcome"]])
    if result.handover_error:
        messages.warning(request, result.handover_error)
    elif result.handed_over is not None:
        messages.info(
            request,
            _("The sale is handed over: %(work)s has started.") % {"work": result.handed_over},
        )
    if not selectors_field.is_field_seller(request.user):
        return redirect(f"{reverse('salesforce:field_days')}?day={day.isoformat()}")
    return redirect(f"{reverse('salesforce:field_day')}?day={day.isoformat()}")


@login_required
@require_GET
def field_days(request):
    """The manager's view: every field salesperson's day, what did not fit, re-plan."""
    if not field_schedule.may_plan(request.user):
        raise Http404
    day = _day(request, field_schedule.next_working_day(clock.today()))
    return render(
        request,
        "pv_salesforce/field/all.html",
        {
            "day": day,
            "previous_day": day.fromordinal(day.toordinal() - 1),
            "next_day": day.fromordinal(day.toordinal() + 1),
            **selectors_field.all_days(day),
        },
    )


@login_required
@require_POST
def field_replan(request):
    """Re-plan one day's field meetings now (the manager's button)."""
    if not field_schedule.may_plan(request.user):
        raise Http404
    day = _day(request, field_schedule.next_working_day(clock.today()))
    try:
        plan = field_schedule.build_field_schedules(day=day, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The day is planned: %(placed)s meetings placed, %(unplaced)s not placed.")
            % {"placed": plan.placed, "unplaced": len(plan.unplaced)},
        )
    return redirect(f"{reverse('salesforce:field_days')}?day={day.isoformat()}")
