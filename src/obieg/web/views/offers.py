"""Offer pages: list, create and edit (header and lines), detail, revisions, status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access
from obieg.core.audit import history_for
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.crm.models import Opportunity
from obieg.crm.selectors import pipeline
from obieg.sales import selectors, services
from obieg.sales.models import Offer
from obieg.web import list_rows
from obieg.web.forms.offers import (
    SORT_LABELS,
    OfferEditForm,
    OfferForm,
    OfferLineFormSet,
    line_initial,
)
from obieg.web.views.common import add_service_error, conflict_message, refuse_unless_can_change
from obieg.web.views.sales_common import choice_param, customer, list_page, pick_account

# The status changes offered as buttons, by current status.
STATUS_ACTIONS = {
    Offer.Status.DRAFT: [Offer.Status.SENT],
    Offer.Status.SENT: [Offer.Status.ACCEPTED, Offer.Status.REJECTED],
}


@login_required
@require_GET
def offer_list(request):
    filters = {
        "query": request.GET.get("q", "").strip(),
        "status": choice_param(request, "status", Offer.Status.values),
        "include_superseded": request.GET.get("revisions") == "all",
    }
    offers = selectors.offer_search(request.user, **filters)
    context = {
        **filters,
        **list_page(request, offers, selectors.OFFER_ORDERINGS, list_rows.OFFER_COLUMNS),
        "statuses": Offer.Status.choices,
        "sort_labels": SORT_LABELS,
    }
    return render(request, "web/offers/list.html", context)


def _show_refusal(form, lines, error: ApplicationError) -> int:
    """Put a refused save beside the line or header field it names; the status to answer."""
    if isinstance(error, Conflict):
        form.add_error(None, conflict_message())
    elif not lines.show_refusal(error):
        add_service_error(form, error)
    return error.status_code if isinstance(error, (Conflict, PermissionDenied)) else 200


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request):
    account, opportunity = customer(
        request, "opportunity", Opportunity.objects.select_related("account")
    )
    if account is None:
        return pick_account(request, _("New offer"))
    data = request.POST or None
    form = OfferForm(
        data,
        opportunities=pipeline.opportunities_for_account(request.user, account),
        initial={"opportunity": opportunity},
    )
    lines = OfferLineFormSet(data, prefix="lines")
    status = 200
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            offer = services.offer_create(
                actor=request.user,
                account=account,
                lines=lines.service_lines(),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            status = _show_refusal(form, lines, error)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("offer_detail", pk=offer.pk)
    context = {"form": form, "lines": lines, "account": account}
    return render(request, "web/offers/form.html", context, status=status)


@login_required
@require_GET
def offer_detail(request, pk):
    user = request.user
    offer = selectors.offer_with_lines(user, pk)
    can_change = access.can_change(user, offer)
    context = {
        "offer": offer,
        "totals": offer.totals(),  # from the lines offer_with_lines loaded
        "revisions": selectors.offer_revisions(user, offer),
        "can_change": can_change,
        "status_actions": STATUS_ACTIONS.get(offer.status, []) if can_change else [],
        "can_revise": can_change
        and offer.status not in (Offer.Status.SUPERSEDED, Offer.Status.ACCEPTED),
        "history": history_for(offer),
    }
    return render(request, "web/offers/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    user = request.user
    offer = selectors.offer_with_lines(user, pk)
    if refusal := refuse_unless_can_change(request, offer):
        return refusal
    if offer.status != Offer.Status.DRAFT:
        messages.error(request, _("Only a draft offer can be changed; revise it instead."))
        return redirect("offer_detail", pk=pk)
    data = request.POST or None
    form = OfferEditForm(data, instance=offer)
    lines = OfferLineFormSet(data, prefix="lines", initial=line_initial(offer))
    status = 200
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        header = {name: value for name, value in form.cleaned_data.items() if name != "revision"}
        try:
            # Header and lines are one change: both are saved or neither.
            with transaction.atomic():
                services.offer_update(
                    actor=user, offer=offer, data=header, revision=form.cleaned_data["revision"]
                )
                services.offer_replace_lines(actor=user, offer=offer, lines=lines.service_lines())
        except ApplicationError as error:
            status = _show_refusal(form, lines, error)
        else:
            messages.success(request, _("Offer saved."))
            return redirect("offer_detail", pk=offer.pk)
    context = {"form": form, "lines": lines, "account": offer.account, "offer": offer}
    return render(request, "web/offers/form.html", context, status=status)


@login_required
@require_POST
def offer_revise(request, pk):
    offer = access.get_visible_or_404(Offer.objects.all(), request.user, pk=pk)
    try:
        new = services.offer_revise(actor=request.user, offer=offer)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("offer_detail", pk=pk)
    messages.success(request, _("Revision %(offer)s started.") % {"offer": new})
    return redirect("offer_edit", pk=new.pk)


@login_required
@require_POST
def offer_set_status(request, pk):
    offer = access.get_visible_or_404(Offer.objects.all(), request.user, pk=pk)
    try:
        offer = services.offer_set_status(
            actor=request.user, offer=offer, status=request.POST.get("status", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The offer is now %(status)s.") % {"status": offer.get_status_display()}
        )
    return redirect("offer_detail", pk=pk)
