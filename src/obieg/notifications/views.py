"""The bell (loaded by htmx after the page), its menu, the list page and the settings page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.notifications import selectors, services
from obieg.notifications.forms import PreferencesForm
from obieg.web.views.common import is_htmx, submit_posted


def _count_context(request, *, oob: bool = False) -> dict:
    return {
        "unread": selectors.unread_count(request.user),
        "cap": selectors.BELL_CAP,
        "oob": oob,
    }


@never_cache
@require_GET
def bell(request):
    """The bell with its count; every page asks for it once drawn, so no page waits for it."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    return render(request, "notifications/_bell.html", _count_context(request))


@never_cache
@require_GET
def count(request):
    """The count alone, polled by the bell while the page stays open."""
    if not request.user.is_authenticated:
        return HttpResponse("")
    return render(request, "notifications/_count.html", _count_context(request))


def _menu(request) -> HttpResponse:
    latest = selectors.latest(request.user)
    context = {
        **_count_context(request, oob=True),
        "notifications": latest,
        "newest_id": latest[0].pk if latest else None,
    }
    return render(request, "notifications/_menu.html", context)


@never_cache
@login_required
@require_GET
def menu(request):
    return _menu(request)


def _up_to(request) -> int | None:
    try:
        return int(request.POST["up_to"])
    except (KeyError, ValueError):
        return None


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark the notification read and go to what it is about."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("notifications:list")
    return redirect(url)


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    if is_htmx(request):
        context = {**_count_context(request, oob=True), "notification": notification}
        return render(request, "notifications/_list_item.html", context)
    return redirect(_back_to_list(request))


def _back_to_list(request) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user, up_to=_up_to(request))
    if is_htmx(request):
        return _menu(request)
    return redirect(_back_to_list(request))


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    page = selectors.notifications_page(
        request.user, cursor=request.GET.get("cursor"), unread_only=unread_only
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "newest_id": page.rows[0].pk if page.rows and not request.GET.get("cursor") else None,
        **_count_context(request),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preferences_for(request.user)
    if current._state.adding and get_language() in dict(settings.LANGUAGES):
        current.language = get_language()  # never saved: e-mails start in the page's language
    form = PreferencesForm(request.POST or None, instance=current)
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.preferences_update(
            user=request.user, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
