"""Pages of Google Calendar: connect (consent at Google), choose the calendar, reconnect, settings.

The flow's state and PKCE verifier live in the person's session only; the
callback accepts a code only with the state it sent, from the person who
started, so a code sent to someone else's browser connects nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import ApplicationError
from obieg.scheduling import calendars, google, google_config
from obieg.scheduling.caldav_sync import GrantRevoked
from obieg.scheduling.forms import GoogleCalendarForm, GoogleClientForm
from obieg.scheduling.models import GoogleClientSettings, OAuthGrant
from obieg.scheduling.views_crews import _owner

FLOW = "scheduling.google.flow"
PENDING = "scheduling.google.pending"


def _choose_url(kind: str, pk: int | None) -> str:
    if kind == "crew":
        return reverse("scheduling:crew_google_calendars", args=[pk])
    return reverse("scheduling:my_google_calendars")


@login_required
@require_POST
def google_connect(request, kind: str, pk: int | None = None):
    """Send the person to Google's consent page (connect, or reconnect after a revocation)."""
    owner, back = _owner(request, kind, pk)
    try:
        url, state, verifier = google.connect_start(actor=request.user, owner=owner)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    request.session[FLOW] = {
        "state": state,
        "verifier": verifier,
        "kind": kind,
        "pk": pk,
        "user": request.user.pk,
    }
    return redirect(url)


def _refused(request, message: str, status: int = 400):
    return render(request, "scheduling/google_refused.html", {"message": message}, status=status)


@login_required
@require_GET
def google_callback(request):
    """Where Google sends the person back, with a code (or an error) and our state."""
    flow = request.session.pop(FLOW, None)
    state = request.GET.get("state", "")
    if (
        not flow
        or not state
        or flow.get("user") != request.user.pk
        or not constant_time_compare(state, flow.get("state", ""))
    ):
        return _refused(
            request, _("This Google sign-in was not started here or has expired; connect again.")
        )
    owner, back = _owner(request, flow["kind"], flow["pk"])
    if request.GET.get("error"):
        messages.warning(
            request,
            _("Google Calendar was not connected (%(error)s).") % {"error": request.GET["error"]},
        )
        return redirect(back)
    code = request.GET.get("code", "")
    if not code:
        return _refused(request, _("Google sent no authorisation code; connect again."))
    try:
        grant, reconnected = google.connect_finish(
            actor=request.user, owner=owner, code=code, verifier=flow["verifier"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    if reconnected:
        messages.success(
            request, _("Google Calendar is connected again; waiting changes are being sent.")
        )
        return redirect(back)
    request.session[PENDING] = {"grant": grant.pk, "kind": flow["kind"], "pk": flow["pk"]}
    return redirect(_choose_url(flow["kind"], flow["pk"]))


def _grant_for(request, owner, kind: str, pk: int | None) -> OAuthGrant | None:
    """The grant just given for this calendar (in the session), else the one it syncs with."""
    pending = request.session.get(PENDING) or {}
    if pending.get("kind") == kind and pending.get("pk") == pk:
        grant = OAuthGrant.objects.filter(
            pk=pending.get("grant"), connected_by=request.user
        ).first()
        if grant is not None:
            return grant
    account = google.google_account(owner)
    return account.grant if account is not None else None


@login_required
@require_http_methods(["GET", "POST"])
def google_calendars(request, kind: str, pk: int | None = None):
    """The person's Google calendars: choose the one Obieg keeps in step."""
    owner, back = _owner(request, kind, pk)
    try:
        calendars.ensure_can_manage(request.user, owner)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    grant = _grant_for(request, owner, kind, pk)
    if grant is None:
        messages.info(request, _("Connect Google Calendar first."))
        return redirect(back)
    try:
        account_name, choices = google.calendars_of(grant)
    except GrantRevoked:
        messages.error(request, _("Google access was revoked; reconnect the calendar."))
        return redirect(back)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    if account_name and account_name != grant.account_name:
        OAuthGrant.objects.filter(pk=grant.pk).update(account_name=account_name[:300])
        grant.account_name = account_name
    account = google.google_account(owner)
    initial = {"calendar": account.url} if account is not None else {}
    form = GoogleCalendarForm(request.POST or None, choices=choices, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            google.link_calendar(
                actor=request.user,
                owner=owner,
                grant=grant,
                url=form.cleaned_data["calendar"],
                choices=choices,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            request.session.pop(PENDING, None)
            messages.success(
                request, _("Google Calendar is connected; the first sync runs in the background.")
            )
            return redirect(back)
    context = {"form": form, "grant": grant, "owner": owner, "back": back}
    return render(request, "scheduling/google_calendars.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def google_settings(request):
    """The administrator's page: the OAuth client from the Google Cloud console."""
    if not access.is_admin(request.user):
        raise Http404
    current = google_config.credentials()
    stored = GoogleClientSettings.objects.filter(pk=1).first()
    form = GoogleClientForm(
        request.POST or None,
        initial={"client_id": stored.client_id if stored else ""},
        has_secret=bool(stored and stored.client_secret_encrypted),
    )
    status = 200
    if request.method == "POST" and not current.from_environment and form.is_valid():
        try:
            google.client_settings_save(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            messages.success(request, _("The Google Calendar client is saved."))
            return redirect("scheduling:google_settings")
    elif request.method == "POST" and current.from_environment:
        status = 409
        form.add_error(None, _("The environment sets the client; change it there."))
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "current": current,
        "redirect_uri": google_config.redirect_uri(),
        "scope": google_config.scope(),
        "env_id": google_config.ENV_CLIENT_ID,
        "env_secret": google_config.ENV_CLIENT_SECRET,
    }
    return render(request, "scheduling/google_settings.html", context, status=status)
