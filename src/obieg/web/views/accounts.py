"""Account pages: the list, the form, deletion and the customer 360° page (SPEC P1, S5)."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core import access
from obieg.core.audit import history_for
from obieg.core.errors import ApplicationError
from obieg.crm import services
from obieg.crm.selectors import accounts as selectors
from obieg.documents.selectors import documents_by_kind
from obieg.web import account_panels
from obieg.web.forms.accounts import SORT_LABELS, AccountFilterForm, AccountForm
from obieg.web.views.common import refuse_unless_can_change, submit_posted

HISTORY_LIMIT = 20


@login_required
@require_GET
def account_list(request):
    form = AccountFilterForm(request.GET)
    filters = form.filters()
    page = selectors.account_page(request.user, filters, cursor=request.GET.get("cursor"))
    return render(
        request,
        "web/accounts/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "sort_labels": SORT_LABELS,
            "is_filtered": bool(
                filters.search or filters.kind or filters.voivodeship or filters.mine
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    form = AccountForm(request.POST or None, user=request.user)
    account, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.account_create(actor=request.user, data=data),
    )
    if account:
        messages.success(request, _("Account %(name)s created.") % {"name": account.name})
        return redirect("account_detail", pk=account.pk)
    return render(request, "web/accounts/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    account = selectors.account_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, account):
        return refusal
    # The form writes into its instance while validating; the page heading keeps the original.
    form = AccountForm(request.POST or None, instance=copy(account), user=request.user)
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.account_update(
            actor=request.user, account=account, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("Changes saved."))
        return redirect("account_detail", pk=account.pk)
    return render(
        request, "web/accounts/form.html", {"form": form, "account": account}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request, pk):
    account = selectors.account_get(request.user, pk)
    if refusal := refuse_unless_can_change(request, account):
        return refusal
    if request.method == "POST":
        try:
            services.account_delete(actor=request.user, account=account)
        except ApplicationError:
            messages.error(
                request,
                _("%(name)s cannot be deleted: opportunities, offers or contracts refer to it.")
                % {"name": account.name},
            )
            return redirect("account_detail", pk=account.pk)
        messages.success(request, _("Account %(name)s deleted.") % {"name": account.name})
        return redirect("account_list")
    return render(
        request,
        "web/includes/confirm_delete.html",
        {"object": account, "cancel_url": reverse("account_detail", args=[account.pk])},
    )


@login_required
@require_GET
def account_detail(request, pk):
    """The customer 360°: everything known about one account, in a fixed number of queries."""
    account = selectors.account_get(request.user, pk)
    return render(
        request,
        "web/accounts/detail.html",
        {
            "account": account,
            "can_change": access.can_change(request.user, account),
            "related": selectors.account_related(request.user, account),
            "timeline": selectors.account_activity_page(request.user, account),
            "document_groups": documents_by_kind(request.user, account),
            "history": history_for(account, limit=HISTORY_LIMIT),
            # What the solutions keep of this customer (grant projects …).
            "panels": account_panels.panels_for(request.user, account),
        },
    )


@login_required
@require_GET
def account_activities(request, pk):
    """The next page of an account's timeline, for the "more" button (htmx)."""
    account = selectors.account_get(request.user, pk)
    return render(
        request,
        "web/activities/_timeline_page.html",
        {
            "account": account,
            "can_change": access.can_change(request.user, account),
            "timeline": selectors.account_activity_page(
                request.user, account, cursor=request.GET.get("cursor")
            ),
        },
    )
