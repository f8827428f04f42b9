"""Crew pages and the personal calendar: feed URL, revoking it, CalDAV connection, sync status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from obieg.core import audit, clock
from obieg.core.errors import ApplicationError
from obieg.scheduling import availability, calendars, google_config, selectors
from obieg.scheduling.forms import AvailabilityForm, CalDAVForm
from obieg.scheduling.models import Crew, UserCalendar

WEEKDAYS = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]


def _crew_or_404(request, pk: int) -> Crew:
    crew = (
        selectors.visible_crews(request.user)
        .select_related("caldav")
        .prefetch_related("members", "skills")
        .filter(pk=pk)
        .first()
    )
    if crew is None:
        raise Http404
    return crew


def feed_url(request, owner: Crew | UserCalendar) -> str:
    path = reverse("scheduling:feed", args=[owner.feed_token])
    return request.build_absolute_uri(path)


def _owner_context(request, owner: Crew | UserCalendar, *, can_manage: bool) -> dict:
    account = owner.caldav
    initial = {"url": account.url, "username": account.username} if account else {}
    if isinstance(owner, Crew):
        google_urls = {
            "google_connect_url": reverse("scheduling:crew_google_connect", args=[owner.pk]),
            "google_calendars_url": reverse("scheduling:crew_google_calendars", args=[owner.pk]),
        }
    else:
        google_urls = {
            "google_connect_url": reverse("scheduling:my_google_connect"),
            "google_calendars_url": reverse("scheduling:my_google_calendars"),
        }
    return {
        "feed_url": feed_url(request, owner) if selectors.can_see_feed(request.user, owner) else "",
        "account": account,
        "can_manage": can_manage,
        "caldav_form": CalDAVForm(initial=initial) if can_manage else None,
        "google_account": account if account is not None and account.grant_id else None,
        # Offered only when an administrator set up the Google client.
        "google_ready": can_manage and google_config.is_configured(),
        **google_urls,
    }


@login_required
@require_GET
def crew_list(request):
    crews = (
        selectors.visible_crews(request.user)
        .select_related("caldav")
        .prefetch_related("members", "skills")
    )
    context = {"crews": crews, "can_plan": selectors.can_plan(request.user), "weekdays": WEEKDAYS}
    return render(request, "scheduling/crew_list.html", context)


@login_required
@require_GET
def crew_detail(request, pk: int):
    crew = _crew_or_404(request, pk)
    context = {
        "crew": crew,
        "weekdays": [WEEKDAYS[day] for day in sorted(crew.working_weekdays)],
        "upcoming": selectors.crew_events(crew, since=clock.now()),
        "history": audit.history_for(crew, limit=20),
        **_owner_context(request, crew, can_manage=selectors.can_plan(request.user)),
    }
    return _allowing_google(render(request, "scheduling/crew_detail.html", context), context)


@login_required
@require_GET
def my_calendar(request):
    owner = calendars.personal_calendar(request.user)
    upcoming = selectors.upcoming_occurrences(selectors.my_events(request.user), limit=50)
    for event in upcoming:
        event.local_day = timezone.localtime(event.start).date()  # grouped by Warsaw days
    context = {
        "upcoming": upcoming,
        # The crews' own feeds: a crew member subscribes to the crew's work there.
        "my_crews": [
            (crew, feed_url(request, crew))
            for crew in request.user.crews.filter(active=True).order_by("name")
        ],
        **_owner_context(request, owner, can_manage=True),
    }
    return _allowing_google(render(request, "scheduling/my_calendar.html", context), context)


def _allowing_google(response, context: dict):
    """Let "Connect Google Calendar" go on to Google's consent page.

    The button posts here and is redirected to Google; browsers hold such a
    redirect to the posting page's CSP form-action, which allows only this site.
    """
    if context.get("google_ready") or context.get("google_account"):
        response._csp_update = {"form-action": [google_config.authorize_origin()]}
    return response


def _owner(request, kind: str, pk: int | None) -> tuple[Crew | UserCalendar, str]:
    """The calendar a management form is for, and the page to return to."""
    if kind == "crew":
        return _crew_or_404(request, pk), reverse("scheduling:crew_detail", args=[pk])
    return calendars.personal_calendar(request.user), reverse("scheduling:my_calendar")


@login_required
@require_POST
def feed_revoke(request, kind: str, pk: int | None = None):
    owner, back = _owner(request, kind, pk)
    try:
        calendars.feed_token_rotate(actor=request.user, owner=owner)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The old feed URL no longer works; subscribe with the new one.")
        )
    return redirect(back)


@login_required
@require_POST
def caldav_save(request, kind: str, pk: int | None = None):
    owner, back = _owner(request, kind, pk)
    form = CalDAVForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(back)
    try:
        calendars.caldav_configure(actor=request.user, owner=owner, **form.cleaned_data)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The calendar is connected; the first sync runs in the background.")
        )
    return redirect(back)


@login_required
@require_POST
def caldav_remove(request, kind: str, pk: int | None = None):
    owner, back = _owner(request, kind, pk)
    try:
        calendars.caldav_remove(actor=request.user, owner=owner)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The external calendar is disconnected."))
    return redirect(back)


@login_required
@require_POST
def sync_now(request, kind: str, pk: int | None = None):
    owner, back = _owner(request, kind, pk)
    try:
        calendars.sync_now(actor=request.user, owner=owner)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("A sync is queued; reload the page in a moment."))
    return redirect(back)


@login_required
@require_GET
def availability_view(request):
    form = AvailabilityForm(request.GET or None, initial=AvailabilityForm.this_week())
    rows, days, free = [], [], []
    if not form.is_bound:
        form = AvailabilityForm(AvailabilityForm.this_week())
    if form.is_valid():
        crews = selectors.visible_crews(request.user).filter(active=True)
        skill = form.cleaned_data["skill"]
        if skill:
            crews = crews.filter(skills=skill)
        try:
            rows = availability.crews_availability(
                crews, form.cleaned_data["start"], form.cleaned_data["end"]
            )
        except ApplicationError as error:
            form.add_error("end", error.message)
        else:
            days = [day.day for day in rows[0].days] if rows else []
            free = [row.crew for row in rows if row.free]
    context = {"form": form, "rows": rows, "days": days, "free": free}
    return render(request, "scheduling/availability.html", context)
