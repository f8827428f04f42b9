"""The planning calendar: crews side by side, events loaded as JSON, moved by dragging."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import audit, clock
from obieg.core.errors import ApplicationError, Conflict
from obieg.scheduling import availability, events, recurrence, selectors
from obieg.scheduling.forms import EventForm
from obieg.scheduling.ical import local_zone
from obieg.scheduling.models import CalendarEvent

# Naive local times: the calendar shows Warsaw time whatever the browser's zone.
JS_FORMAT = "%Y-%m-%dT%H:%M:%S"
MAX_RANGE = timedelta(days=100)


def _local(value: datetime) -> str:
    return value.astimezone(local_zone()).strftime(JS_FORMAT)


def _parse_local(raw: str | None) -> datetime:
    """A naive ISO date-time from the calendar, read as Warsaw time."""
    try:
        value = datetime.fromisoformat((raw or "").strip())
    except ValueError as error:
        raise ApplicationError(_("Enter a valid date and time.")) from error
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_zone())
    return value


def _event_or_404(request, pk: int, *, related=()) -> CalendarEvent:
    # Not access.get_visible_or_404: crew membership and planners widen the core rule.
    event = selectors.visible_events(request.user).select_related(*related).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def event_json(event: CalendarEvent, user, occurrence=None) -> dict:
    """An event for the board; one occurrence of a series when `occurrence` is (start, end)."""
    start, end = occurrence or (event.start, event.end)
    # A series is changed on its page: a drag would move every occurrence. Each flag is
    # set on the event, since the board's own eventStartEditable would win over "editable".
    editable = selectors.can_change_event(user, event) and not event.rrule
    return {
        "id": f"{event.pk}@{start:%Y%m%d}" if occurrence else str(event.pk),
        "resourceIds": [str(event.crew_id)] if event.crew_id else [],
        "title": event.title,
        "start": _local(start),
        "end": _local(end),
        "allDay": event.all_day,
        "backgroundColor": event.crew.colour if event.crew_id else "#6c757d",
        "editable": editable,
        "startEditable": editable,
        "durationEditable": editable,
        "extendedProps": {
            "revision": event.revision,
            "status": event.status,
            "location": event.location,
            "url": reverse("scheduling:event_detail", args=[event.pk]),
        },
    }


@login_required
@require_GET
def planning(request):
    crews = selectors.visible_crews(request.user).filter(active=True)
    resources = [{"id": str(crew.pk), "title": crew.name} for crew in crews]
    context = {
        "resources": resources,
        "can_plan": selectors.can_plan(request.user),
        "initial_date": request.GET.get("date", "")[:10],
    }
    return render(request, "scheduling/planning.html", context)


@login_required
@require_GET
def events_feed_json(request):
    """Events (and public holidays as background) for the range the calendar shows."""
    try:
        start = _parse_local(request.GET.get("start"))
        end = _parse_local(request.GET.get("end"))
    except ApplicationError as error:
        return HttpResponseBadRequest(error.message)
    if end <= start or end - start > MAX_RANGE:
        return HttpResponseBadRequest(_("Ask for at most 100 days."))
    visible = selectors.visible_crews(request.user)
    found = selectors.events_between(request.user, start, end, crews=visible)
    data = []
    for event in found:
        if event.rrule:
            data.extend(
                event_json(event, request.user, occurrence)
                for occurrence in recurrence.occurrences(event, start, end)
            )
        else:
            data.append(event_json(event, request.user))
    data.extend(_busy(selectors.busy_times(start, end, crews=visible)))
    crews = [str(pk) for pk in visible.values_list("pk", flat=True)]
    data.extend(_holidays(start.date(), end.date(), crews))
    return JsonResponse(data, safe=False)


def _busy(busy_times) -> list[dict]:
    """Appointments from the crews' own calendars: greyed, never editable, no details."""
    label = _("Busy (own calendar)")
    return [
        {
            "id": f"busy-{busy.pk}",
            "resourceIds": [str(busy.crew_id)],
            "title": label,
            "start": _local(busy.start),
            "end": _local(busy.end),
            "allDay": busy.all_day,
            "backgroundColor": "#adb5bd",
            "textColor": "#212529",
            "editable": False,
            "startEditable": False,
            "durationEditable": False,
            "classNames": ["obieg-busy"],
            "extendedProps": {"busy": True},
        }
        for busy in busy_times.annotate(crew_id=F("account__crew"))[: selectors.EVENTS_CAP]
    ]


def _holidays(start: date, end: date, crews: list[str]) -> list[dict]:
    """Public holidays as background shading across every crew's row."""
    result = []
    day = start
    while day <= end:
        name = availability.public_holiday(day)
        if name:
            result.append(
                {
                    "id": f"holiday-{day.isoformat()}",
                    "start": datetime.combine(day, time.min).strftime(JS_FORMAT),
                    "end": datetime.combine(day + timedelta(days=1), time.min).strftime(JS_FORMAT),
                    "title": name,
                    "display": "background",
                    "backgroundColor": "#f8d7da",
                    "resourceIds": crews,
                }
            )
        day += timedelta(days=1)
    return result


@login_required
@require_POST
def event_move(request, pk: int):
    """A drag in the planning calendar: new start and end, perhaps another crew."""
    event = _event_or_404(request, pk)
    crew = None
    try:
        if request.POST.get("crew"):
            crew = selectors.visible_crews(request.user).filter(pk=request.POST["crew"]).first()
            if crew is None:
                raise ApplicationError(_("No such crew."))
        revision = request.POST.get("revision")
        moved = events.event_move(
            actor=request.user,
            event=event,
            start=_parse_local(request.POST.get("start")),
            end=_parse_local(request.POST.get("end")),
            crew=crew,
            revision=int(revision) if revision and revision.isdigit() else None,
        )
    except ApplicationError as error:
        return JsonResponse({"error": error.message}, status=error.status_code)
    moved = CalendarEvent.objects.select_related("crew").get(pk=moved.pk)
    return JsonResponse({"event": event_json(moved, request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    crews = selectors.visible_crews(request.user).filter(active=True)
    if not selectors.can_plan(request.user):
        raise Http404
    initial = {"status": CalendarEvent.Status.PLANNED, "crew": request.GET.get("crew")}
    form = EventForm(request.POST or None, crews=crews, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.event_data()
        try:
            event = events.event_create(actor=request.user, **data)
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            messages.success(request, _("The event is planned."))
            return redirect("scheduling:event_detail", pk=event.pk)
    return render(request, "scheduling/event_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request, pk: int):
    event = _event_or_404(request, pk, related=("crew", "user", "synced_account"))
    can_change = selectors.can_change_event(request.user, event)
    form = None
    status = 200
    if can_change and event.crew_id:
        crews = selectors.visible_crews(request.user).filter(active=True)
        initial = {
            name: getattr(event, name)
            for name in (
                "crew",
                "title",
                "location",
                "description",
                "status",
                "revision",
                "all_day",
            )
        }
        initial["start"] = event.start.astimezone(local_zone())
        initial["end"] = event.end.astimezone(local_zone())
        repeat, until = recurrence.describe(event.rrule)
        initial.update(repeat=repeat, repeat_until=until)
        form = EventForm(
            request.POST or None,
            crews=crews,
            initial=initial,
            custom_rule=event.rrule if repeat == "custom" else "",
        )
        if request.method == "POST" and form.is_valid():
            revision = form.cleaned_data.get("revision")
            data = form.event_data()
            try:
                events.event_update(actor=request.user, event=event, data=data, revision=revision)
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            except ApplicationError as error:
                form.add_error(None, error.message)
                status = error.status_code
            else:
                messages.success(request, _("The event is saved."))
                return redirect("scheduling:event_detail", pk=event.pk)
    context = {
        "event": event,
        # An all-day event ends at midnight after its last day.
        "event_first_day": event.start.astimezone(local_zone()).date(),
        "event_last_day": (event.end.astimezone(local_zone()) - timedelta(days=1)).date(),
        "form": form,
        "can_change": can_change,
        "history": audit.history_for(event),
        "now": clock.now(),
    }
    return render(request, "scheduling/event_detail.html", context, status=status)


@login_required
@require_POST
def event_cancel(request, pk: int):
    event = _event_or_404(request, pk)
    try:
        events.event_cancel(actor=request.user, event=event)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The event is cancelled."))
    return redirect("scheduling:event_detail", pk=event.pk)
