"""Lead pages: list, create, detail, edit and conversion into a customer and a sale."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core import access
from obieg.core.audit import history_for
from obieg.crm import services
from obieg.crm.models import Account, Lead
from obieg.crm.selectors import pipeline
from obieg.crm.selectors.duplicates import lead_duplicates
from obieg.customfields import selectors as custom_selectors
from obieg.customfields.filtering import list_filter
from obieg.web import list_rows
from obieg.web.duplicates import duplicates_to_confirm
from obieg.web.forms.leads import SORT_LABELS, LeadConvertForm, LeadEditForm, LeadForm
from obieg.web.views.common import refuse_unless_can_change, submit_posted
from obieg.web.views.sales_common import choice_param, list_page


def lead_list_filters(request, custom_filter=None) -> dict:
    """The list's filters from its query string (the export reads them the same way)."""
    custom_filter = custom_filter or list_filter("lead", request.GET)
    return {
        "query": request.GET.get("q", "").strip(),
        "status": choice_param(request, "status", Lead.Status.values),
        "scope": choice_param(request, "scope", pipeline.SCOPES, "all"),
        "custom": custom_filter.conditions(),
    }


@login_required
@require_GET
def lead_list(request):
    custom_filter = list_filter("lead", request.GET)
    filters = lead_list_filters(request, custom_filter)
    leads = pipeline.lead_search(request.user, **filters)
    listed = list_page(request, leads, pipeline.LEAD_ORDERINGS, list_rows.LEAD_COLUMNS)
    context = {
        **filters,
        "custom_filter": custom_filter,
        **listed,
        "rows": list_rows.lead_rows(listed["page"].rows, custom_filter.custom_fields),
        "statuses": Lead.Status.choices,
        "only_mine": filters["scope"] == "mine",
        "sort_labels": SORT_LABELS,
    }
    return render(request, "web/leads/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lead_create(request):
    form = LeadForm(request.POST or None)
    duplicates = duplicates_to_confirm(
        request, form, lambda data: lead_duplicates(request.user, data)
    )
    lead, status = (None, 200)
    if not duplicates:
        lead, status = submit_posted(
            request,
            form,
            lambda data, _revision: services.lead_create(actor=request.user, data=data),
        )
    if lead:
        messages.success(request, _("Lead saved."))
        return redirect("lead_detail", pk=lead.pk)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "web/leads/form.html", context, status=status)


@login_required
@require_GET
def lead_detail(request, pk):
    lead = access.get_visible_or_404(pipeline.lead_queryset(), request.user, pk=pk)
    context = {
        "lead": lead,
        "can_change": access.can_change(request.user, lead),
        "custom_fields": custom_selectors.active_fields("lead"),
        "history": history_for(lead),
    }
    return render(request, "web/leads/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lead_edit(request, pk):
    lead = access.get_visible_or_404(Lead.objects.all(), request.user, pk=pk)
    if refusal := refuse_unless_can_change(request, lead):
        return refusal
    # The form writes the typed values into its instance; the service must
    # still see the stored status (a converted lead stays unchangeable).
    form = LeadEditForm(request.POST or None, instance=copy(lead))
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.lead_update(
            actor=request.user, lead=lead, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Lead saved."))
        return redirect("lead_detail", pk=lead.pk)
    return render(request, "web/leads/form.html", {"form": form, "lead": lead}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def lead_convert(request, pk):
    """Confirm, then create the account (or attach to a visible one), contact and opportunity."""
    lead = access.get_visible_or_404(pipeline.lead_queryset(), request.user, pk=pk)
    visible_accounts = access.visible(Account.objects.all(), request.user)
    form = LeadConvertForm(request.POST or None, visible_accounts=visible_accounts)
    opportunity, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.lead_convert(
            actor=request.user,
            lead=lead,
            account=data["account"],
            opportunity_name=data["opportunity_name"],
            value=data["value"] or 0,
        ),
    )
    if opportunity:
        messages.success(request, _("Lead converted."))
        return redirect("opportunity_detail", pk=opportunity.pk)
    account_q = request.GET.get("account_q", "").strip()
    context = {
        "lead": lead,
        "form": form,
        "account_q": account_q,
        "candidates": pipeline.accounts_to_pick(
            request.user, query=account_q or lead.company_name, nip=lead.nip
        ),
    }
    return render(request, "web/leads/convert.html", context, status=status)
