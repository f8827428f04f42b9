"""The sales manager's view: figures and charts, moving calls and visits, rebalancing a day.

Thin: the figures come from selectors_manager, the moves from manager_phone,
manager_field and manager_rebalance, which refuse with field errors (400),
stale pages with 409; the page is shown again with the message.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.solutions.pv_salesforce import (
    call_schedule,
    field_schedule,
    manager_field,
    manager_phone,
    manager_rebalance,
    queue,
    selectors_manager,
)
from obieg.solutions.pv_salesforce.manager_forms import ManagerViewFilter
from obieg.solutions.pv_salesforce.models_field import FieldPlan, Meeting
from obieg.solutions.pv_salesforce.models_queue import CallOutcome, CallSlot

# A day's list of one salesperson's calls, or of the visits, never grows past this.
LIST_CAP = 200


def _ensure_manager(user) -> None:
    if not queue.may_manage(user):
        raise Http404


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _day(raw, default: date) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise BadRequest(_("Give the day as YYYY-MM-DD.")) from error


def _problem(pk: int, error: ApplicationError) -> dict:
    """The refusal as the list page shows it: which row, and what to say (each once)."""
    said = [m for messages_ in (error.field_errors or {}).values() for m in messages_]
    if not said:
        said = [error.message]
    return {"pk": pk, "messages": list(dict.fromkeys(str(m) for m in said))}


@login_required
@require_GET
def manager_view(request):
    """Queue sizes, schedule fill of a day, outcomes and the funnel over a range, with charts."""
    _ensure_manager(request.user)
    form = ManagerViewFilter(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
    else:
        chosen = ManagerViewFilter.defaults()
        status = 400 if form.is_bound else 200
    day, first, last = chosen["day"], chosen["date_from"], chosen["date_to"]
    sizes = selectors_manager.queue_sizes(clock.today(), by=chosen["by"])
    phone = selectors_manager.phone_fill(day)
    field_rows = selectors_manager.field_fill(day)
    result = selectors_manager.outcomes(first, last)
    cohort = selectors_manager.funnel(first, last)
    return render(
        request,
        "pv_salesforce/manager/view.html",
        {
            "form": form,
            "day": day,
            "first": first,
            "last": last,
            "by": chosen["by"],
            "sizes": sizes,
            "phone": phone,
            "field_rows": field_rows,
            "outcomes": result,
            "call_outcomes": CallOutcome.choices,
            "visit_outcomes": Meeting.Outcome.choices,
            "funnel": cohort.stages(),
            "charts": selectors_manager.chart_data(sizes, phone, field_rows, result, cohort),
            "may_change_day": day >= clock.today(),
        },
        status=status,
    )


# --- moving one call --------------------------------------------------------------------------


def _calls_page(request, day: date, seller_id: int | None, *, problem=None, status: int = 200):
    seats = manager_phone.seats(day)
    people = list(call_schedule.phone_sellers())
    seller = next((p for p in people if p.pk == seller_id), None)
    slots = []
    if seller is not None:
        slots = list(
            CallSlot.objects.filter(salesperson=seller, day=day, status=CallSlot.Status.PLANNED)
            .select_related("item__opportunity__account")
            .order_by("planned_at", "position")[:LIST_CAP]
        )
    for slot in slots:
        slot.is_callback = manager_phone.is_callback_of(slot.item, day)
    return render(
        request,
        "pv_salesforce/manager/calls.html",
        {
            "day": day,
            "people": people,
            "seller": seller,
            "slots": slots,
            "capped": len(slots) >= LIST_CAP,
            "targets": [
                seat
                for pk, seat in seats.items()
                if pk != (seller.pk if seller else None) and seat.room > 0
            ],
            "may_change": day >= clock.today(),
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_GET
def manager_calls(request):
    """One telephone salesperson's planned calls of a day, each with "move to…"."""
    _ensure_manager(request.user)
    day = _day(request.GET.get("day"), clock.today())
    return _calls_page(request, day, _int(request.GET.get("seller")))


@login_required
@require_POST
def call_reassign(request, pk: int):
    """Move one planned call to another telephone salesperson."""
    _ensure_manager(request.user)
    slot = get_object_or_404(CallSlot, pk=pk)
    shown = _int(request.POST.get("seller"))
    if shown is None:
        raise BadRequest(_("The page did not say whose call this is."))
    try:
        moved = manager_phone.reassign_call(
            actor=request.user,
            slot=slot,
            to_id=_int(request.POST.get("to")),
            shown_seller_id=shown,
        )
    except ApplicationError as error:
        return _calls_page(
            request, slot.day, shown, problem=_problem(slot.pk, error), status=error.status_code
        )
    messages.success(
        request,
        _("The call has been moved to %(name)s at %(time)s.")
        % {"name": moved.salesperson, "time": _local_time(moved.planned_at)},
    )
    return redirect(f"{reverse('salesforce:manager_calls')}?day={slot.day}&seller={shown}")


def _local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


# --- moving one visit -------------------------------------------------------------------------


def _meetings_page(request, day: date, *, problem=None, status: int = 200):
    visits = list(
        field_schedule.day_meetings(day)
        .select_related("opportunity__account", "salesperson")
        .order_by("salesperson_id", "planned_start", "window_start", "id")[:LIST_CAP]
    )
    return render(
        request,
        "pv_salesforce/manager/meetings.html",
        {
            "day": day,
            "visits": visits,
            "capped": len(visits) >= LIST_CAP,
            "targets": field_schedule.working_salespeople(day),
            "planned_day": FieldPlan.objects.filter(day=day).exists(),
            "may_change": day >= clock.today(),
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_GET
def manager_meetings(request):
    """A day's open field visits, each with "give to…"."""
    _ensure_manager(request.user)
    default = field_schedule.next_working_day(clock.today())
    return _meetings_page(request, _day(request.GET.get("day"), default))


@login_required
@require_POST
def meeting_reassign(request, pk: int):
    """Give one booked or planned visit to another field salesperson."""
    _ensure_manager(request.user)
    meeting = get_object_or_404(Meeting, pk=pk)
    day = manager_field.meeting_day(meeting)
    try:
        moved = manager_field.reassign_meeting(
            actor=request.user,
            meeting=meeting,
            to_id=_int(request.POST.get("to")),
            shown_salesperson_id=_int(request.POST.get("salesperson")),
            revision=_int(request.POST.get("revision")),
        )
    except ApplicationError as error:
        problem = _problem(meeting.pk, error)
        return _meetings_page(request, day, problem=problem, status=error.status_code)
    messages.success(
        request,
        _("The visit has been given to %(name)s at %(time)s.")
        % {"name": moved.salesperson, "time": _local_time(moved.planned_start)},
    )
    return redirect(f"{reverse('salesforce:manager_meetings')}?day={day}")


# --- rebalancing a day ------------------------------------------------------------------------


@login_required
@require_POST
def rebalance(request):
    """Spread a day's calls not yet made evenly over the telephone salespeople at work."""
    _ensure_manager(request.user)
    day = _day(request.POST.get("day"), clock.today())
    try:
        report = manager_rebalance.rebalance_day(actor=request.user, day=day)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        text = _(
            "The day is rebalanced over %(people)s salespeople: %(moved)s calls moved, "
            "%(retimed)s given another time, %(released)s back in the queue."
        ) % {
            "people": report.people,
            "moved": report.moved,
            "retimed": report.retimed,
            "released": report.released,
        }
        messages.success(request, text)
    return redirect(f"{reverse('salesforce:manager')}?day={day}")
