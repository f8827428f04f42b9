"""Pages of the queues: the telephone salesperson's day, the manager's rules and queues.

Thin: they read through the selectors and hand the posted values to the
services, which refuse with field errors (400), stale writes with 409 and
someone else's work with 403; the page is shown again with the message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.core.identifiers import Voivodeship
from obieg.crm.models import Lead
from obieg.solutions.pv_salesforce import call_schedule, outcomes, queue, rules, selectors_queue
from obieg.solutions.pv_salesforce.models_queue import (
    CallOutcome,
    CallSlot,
    LastOutcome,
    Product,
    QueueKind,
    QueueRule,
)


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _ensure_phone_seller(user) -> None:
    if not selectors_queue.is_phone_seller(user):
        raise Http404


def _day_page(request, *, chosen=None, errors=None, form=None, status: int = 200):
    slots = selectors_queue.day_slots(request.user, clock.today())
    current = selectors_queue.current_call(slots, chosen)
    errors = errors or {}
    return render(
        request,
        "pv_salesforce/queue/calls.html",
        {
            "slots": slots,
            "current": current,
            "context": selectors_queue.call_context(current) if current else None,
            "next": selectors_queue.next_after(slots, current),
            "outcomes": CallOutcome,
            "errors": errors,
            "general": errors.get("__all__", []),
            "form": form or {},
            "today": clock.today(),
            "next_day": None
            if slots
            else selectors_queue.next_planned_day(request.user, clock.today()),
        },
        status=status,
    )


@login_required
@require_GET
def call_day(request):
    """A telephone salesperson's day: the calls in order, the one in hand with its context."""
    _ensure_phone_seller(request.user)
    return _day_page(request, chosen=_int(request.GET.get("slot")))


@login_required
@require_POST
def call_outcome(request, pk: int):
    """Record the outcome of one call of the salesperson's day."""
    _ensure_phone_seller(request.user)
    slot = get_object_or_404(CallSlot, pk=pk, salesperson=request.user)
    try:
        outcomes.record_outcome(
            actor=request.user,
            slot=slot,
            outcome=request.POST.get("outcome", ""),
            revision=_int(request.POST.get("revision")) or 0,
            data=request.POST.dict(),
        )
    except ApplicationError as error:
        errors = error.field_errors or {"__all__": [error.message]}
        if error.field_errors and "__all__" not in errors:
            errors = {**errors, "__all__": [error.message]}
        return _day_page(
            request, chosen=slot.pk, errors=errors, form=request.POST.dict(),
            status=error.status_code,
        )  # fmt: skip
    messages.success(request, _("The outcome has been recorded."))
    return redirect("salesforce:calls")


# --- the manager's pages ----------------------------------------------------------------------


def _ensure_manager(user) -> None:
    if not queue.may_manage(user):
        raise Http404


def _rules_page(request, *, errors=None, form=None, status: int = 200):
    errors = errors or {}
    return render(
        request,
        "pv_salesforce/queue/rules.html",
        {
            "rules": selectors_queue.rule_list(),
            "sources": Lead.Source.choices,
            "voivodeships": Voivodeship.choices,
            "products": Product.choices,
            "queues": QueueKind.choices,
            "outcomes": LastOutcome.choices,
            "errors": errors,
            "general": errors.get("__all__", []),
            "form": form or {},
        },
        status=status,
    )


def _rule_action(request) -> str:
    post, user = request.POST, request.user
    action = post.get("action", "")
    if action == "add":
        rules.rule_add(actor=user, data=post.dict())
        return _("The rule has been added.")
    rule = QueueRule.objects.filter(pk=_int(post.get("id"))).first()
    if rule is None:
        raise Http404
    if action == "change":
        revision = _int(post.get("revision"))
        rules.rule_change(actor=user, rule=rule, data=post.dict(), revision=revision)
        return _("The rule has been changed.")
    if action in ("up", "down"):
        rules.rule_move(actor=user, rule=rule, up=action == "up")
        return _("The rule has been moved.")
    if action in ("activate", "deactivate"):
        rules.rule_set_active(actor=user, rule=rule, active=action == "activate")
        return (
            _("The rule has been switched on.")
            if action == "activate"
            else _("The rule has been switched off.")
        )
    raise ApplicationError(_("Unknown operation."))


@login_required
@require_http_methods(["GET", "POST"])
def rule_list(request):
    """The manager's rule list: add, change, reorder, switch rules on and off."""
    _ensure_manager(request.user)
    if request.method == "POST":
        try:
            message = _rule_action(request)
        except ApplicationError as error:
            errors = error.field_errors or {"__all__": [error.message]}
            return _rules_page(
                request, errors=errors, form=request.POST.dict(), status=error.status_code
            )
        messages.success(request, message)
        return redirect("salesforce:queue_rules")
    return _rules_page(request)


@login_required
@require_GET
def queue_list(request):
    """The queues' best waiting items with their scores and why, a page at a time."""
    _ensure_manager(request.user)
    kind = request.GET.get("queue", QueueKind.PHONE)
    if kind not in QueueKind.values:
        kind = QueueKind.PHONE
    return render(
        request,
        "pv_salesforce/queue/items.html",
        {
            "page": selectors_queue.queue_page(kind, cursor=request.GET.get("cursor")),
            "kind": kind,
            "queues": QueueKind.choices,
            "sizes": selectors_queue.queue_sizes(),
        },
    )


@login_required
@require_POST
def queue_rescore(request):
    """Score every open item again by the current rules."""
    _ensure_manager(request.user)
    report = queue.rescore_all(actor=request.user)
    messages.success(
        request,
        _("%(items)s items scored again, %(changed)s changed.")
        % {"items": report.items, "changed": report.changed},
    )
    return redirect("salesforce:queue")


@login_required
@require_POST
def schedules_rebuild(request):
    """Build (or top up) today's call schedules now."""
    _ensure_manager(request.user)
    report = call_schedule.build_call_schedules(day=clock.today())
    if report.day_off:
        messages.warning(request, _("Today is not a working day: no calls were planned."))
    else:
        messages.success(
            request,
            _("%(calls)s calls planned for %(people)s salespeople.")
            % {"calls": report.planned, "people": len(report.working)},
        )
    return redirect("salesforce:queue")
