"""Contract pages: list, create (from an offer or by hand), detail and edit."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core import access
from obieg.core.audit import history_for
from obieg.sales import selectors, services
from obieg.sales.models import Contract, Offer
from obieg.web.forms.contracts import SORT_LABELS, ContractEditForm, ContractForm
from obieg.web.views.common import refuse_unless_can_change, submit_posted
from obieg.web.views.sales_common import choice_param, customer, list_page, pick_account


@login_required
@require_GET
def contract_list(request):
    filters = {
        "query": request.GET.get("q", "").strip(),
        "status": choice_param(request, "status", Contract.Status.values),
    }
    contracts = selectors.contract_search(request.user, **filters)
    context = {
        **filters,
        **list_page(request, contracts, selectors.CONTRACT_ORDERINGS),
        "statuses": Contract.Status.choices,
        "sort_labels": SORT_LABELS,
    }
    return render(request, "web/contracts/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    account, offer = customer(request, "offer", Offer.objects.select_related("account"))
    if account is None:
        return pick_account(request, _("New contract"))
    initial = {}
    if offer is not None:
        initial = {
            "offer": offer,
            "title": offer.title,
            "value_net": offer.total_net,
            "value_gross": offer.total_gross,
        }
    form = ContractForm(
        request.POST or None,
        offers=selectors.offers_for_account(request.user, account),
        initial=initial,
    )
    contract, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.contract_create(
            actor=request.user, account=account, data=data
        ),
    )
    if contract:
        messages.success(request, _("Contract saved."))
        return redirect("contract_detail", pk=contract.pk)
    context = {"form": form, "account": account}
    return render(request, "web/contracts/form.html", context, status=status)


@login_required
@require_GET
def contract_detail(request, pk):
    user = request.user
    contract = access.get_visible_or_404(selectors.contract_queryset(), user, pk=pk)
    context = {
        "contract": contract,
        "can_change": access.can_change(user, contract),
        "history": history_for(contract),
    }
    return render(request, "web/contracts/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk):
    user = request.user
    contract = access.get_visible_or_404(selectors.contract_queryset(), user, pk=pk)
    if refusal := refuse_unless_can_change(request, contract):
        return refusal
    # The form validates into its instance; the heading keeps the stored values.
    form = ContractEditForm(request.POST or None, instance=copy(contract))
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.contract_update(
            actor=user, contract=contract, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Contract saved."))
        return redirect("contract_detail", pk=contract.pk)
    context = {"form": form, "account": contract.account, "contract": contract}
    return render(request, "web/contracts/form.html", context, status=status)
