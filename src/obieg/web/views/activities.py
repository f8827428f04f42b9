"""Activities of an account (meetings, calls, notes, e-mails): add, edit, mark done, delete."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import ApplicationError, Conflict
from obieg.crm import services
from obieg.crm.models import Activity
from obieg.crm.selectors.accounts import (
    account_contacts,
    account_get,
    account_opportunities,
    activity_get,
)
from obieg.web.forms.activities import ActivityForm
from obieg.web.views.common import (
    conflict_message,
    is_htmx,
    refuse,
    refuse_unless_can_change,
    submit_posted,
)


def _back(account_pk: int) -> str:
    return reverse("account_detail", args=[account_pk]) + "#timeline"


def _form(request, account, instance: Activity) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        instance=instance,
        contacts=account_contacts(request.user, account),
        opportunities=account_opportunities(request.user, account),
    )


def _render_form(request, form, account, *, activity=None, status=200):
    return render(
        request,
        "web/activities/form.html",
        {"form": form, "account": account, "activity": activity, "cancel_url": _back(account.pk)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk):
    account = account_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, account):
        return refusal
    form = _form(request, account, Activity(account=account))
    activity, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.activity_create(
            actor=request.user, account=account, data=data
        ),
    )
    if activity:
        messages.success(request, _("Activity %(subject)s saved.") % {"subject": activity})
        return redirect(_back(account.pk))
    return _render_form(request, form, account, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = activity_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, activity):
        return refusal
    form = _form(request, activity.account, copy(activity))
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.activity_update(
            actor=request.user, activity=activity, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Changes saved."))
        return redirect(_back(activity.account_id))
    return _render_form(request, form, activity.account, activity=activity, status=status)


@login_required
@require_POST
def activity_mark_done(request, pk):
    """Mark a planned activity done straight from the timeline."""
    activity = activity_get(request.user, pk)
    error, status = None, 200
    try:
        activity = services.activity_update(
            actor=request.user,
            activity=activity,
            data={"status": Activity.Status.DONE},
            revision=_revision(request),
        )
    except Conflict:
        error, status = conflict_message(), Conflict.status_code
    except ApplicationError as refusal:
        error, status = refusal.message, refusal.status_code
    if is_htmx(request):
        # htmx swaps only 2xx answers, so a refusal is shown inside the item itself.
        return render(
            request,
            "web/activities/_timeline_item.html",
            {
                "activity": activity,
                "can_change": access.can_change(request.user, activity),
                "error": error,
            },
        )
    if error:
        return refuse(request, error, status=status, back_url=_back(activity.account_id))
    return redirect(_back(activity.account_id))


def _revision(request) -> int | None:
    try:
        return int(request.POST["revision"])
    except (KeyError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = activity_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, activity):
        return refusal
    if request.method == "POST":
        try:
            services.activity_delete(actor=request.user, activity=activity)
        except ApplicationError as error:
            return refuse(request, error.message, status=error.status_code)
        messages.success(request, _("Activity %(subject)s deleted.") % {"subject": activity})
        return redirect(_back(activity.account_id))
    return render(
        request,
        "web/includes/confirm_delete.html",
        {"object": activity, "cancel_url": _back(activity.account_id)},
    )
