"""Account pages: the list, the form, deletion and the customer 360° page (SPEC P1, S5)."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core import access
from obieg.core.audit import history_for
from obieg.core.errors import ApplicationError
from obieg.crm import merge, services
from obieg.crm.selectors import account_sections
from obieg.crm.selectors import accounts as selectors
from obieg.crm.selectors.duplicates import account_duplicates
from obieg.customfields import selectors as custom_selectors
from obieg.documents.selectors import documents_by_kind
from obieg.web import account_panels, account_rows, list_rows
from obieg.web.duplicates import duplicates_to_confirm
from obieg.web.forms.accounts import SORT_LABELS, AccountFilterForm, AccountForm
from obieg.web.views.common import refuse_unless_can_change, submit_posted

HISTORY_LIMIT = 20
# The newest activities the 360° page draws; older ones come a page at a time on scroll.
FIRST_ACTIVITIES = 10


@login_required
@require_GET
def account_list(request):
    form = AccountFilterForm(request.GET)
    filters = form.filters()
    page = selectors.account_page(
        request.user, filters, cursor=request.GET.get("cursor"), columns=list_rows.ACCOUNT_COLUMNS
    )
    return render(
        request,
        "web/accounts/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": list_rows.account_rows(page.rows, form.custom_filter.custom_fields),
            "sort_labels": SORT_LABELS,
            "custom_filter": form.custom_filter,
            "is_filtered": bool(
                filters.search
                or filters.kind
                or filters.voivodeship
                or filters.mine
                or filters.custom
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    form = AccountForm(request.POST or None, user=request.user)
    # Same NIP, e-mail, phone, similar name …: shown first, saved once confirmed.
    duplicates = duplicates_to_confirm(
        request, form, lambda data: account_duplicates(request.user, data)
    )
    account, status = (None, 200)
    if not duplicates:
        account, status = submit_posted(
            request,
            form,
            lambda data, _revision: services.account_create(actor=request.user, data=data),
        )
    if account:
        messages.success(request, _("Account %(name)s created.") % {"name": account.name})
        return redirect("account_detail", pk=account.pk)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "web/accounts/form.html", context, status=status)


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
    """The customer 360°: everything known about one account, in a fixed number of queries.

    It draws what a screen shows first (counts, the first rows of each list and
    the newest activities); further rows come through htmx: a list's "Show
    more" button (account_section), older activities as the timeline is scrolled.
    """
    account = selectors.account_get(request.user, pk)
    custom_fields = custom_selectors.active_fields_of("account", "contact")
    contact_fields = custom_selectors.list_fields(custom_fields["contact"])
    timeline = selectors.account_activity_page(
        request.user, account, size=FIRST_ACTIVITIES, columns=account_rows.TIMELINE_COLUMNS
    )
    document_groups = documents_by_kind(request.user, account)
    # Whoever may start a merge may change the account (merge.may_start asks that first):
    # asked in this order, the page reads the permission once for most readers.
    show_merge = merge.may_start(request.user, account)
    can_change = show_merge or access.can_change(request.user, account)
    # The rows are printed as web.account_rows prepares them, not worked out per row.
    return render(
        request,
        "web/accounts/detail.html",
        {
            "account": account,
            "can_change": can_change,
            "show_merge": show_merge,
            # Each list's count and first rows; the rest come on scroll (account_section).
            "sections": account_rows.shown_sections(
                account_sections.account_sections(request.user, account), contact_fields
            ),
            "timeline": timeline,
            "timeline_items": account_rows.timeline_items(timeline.rows),
            "document_groups": document_groups,
            "documents": account_rows.document_groups(document_groups),
            "history": history_for(account, limit=HISTORY_LIMIT),
            # What the solutions keep of this customer (grant projects …).
            "panels": account_panels.panels_for(request.user, account),
            "custom_fields": custom_fields["account"],
            "contact_fields": contact_fields,
        },
    )


@login_required
@require_GET
def account_activities(request, pk):
    """The next page of an account's timeline, for the "more" button (htmx)."""
    account = selectors.account_get(request.user, pk)
    timeline = selectors.account_activity_page(
        request.user,
        account,
        cursor=request.GET.get("cursor"),
        columns=account_rows.TIMELINE_COLUMNS,
    )
    return render(
        request,
        "web/activities/_timeline_page.html",
        {
            "account": account,
            "can_change": access.can_change(request.user, account),
            "timeline": timeline,
            "timeline_items": account_rows.timeline_items(timeline.rows),
        },
    )


@login_required
@require_GET
def account_section(request, pk, kind):
    """The next rows of one list of the 360° page (contacts, opportunities …), for htmx."""
    if kind not in account_sections.KINDS:
        raise Http404
    account = selectors.account_get(request.user, pk)
    page = account_sections.section_page(
        request.user, account, kind, cursor=request.GET.get("cursor")
    )
    contact_fields = _contact_fields() if kind == "contacts" else []
    return render(
        request,
        account_sections.KINDS[kind].template,
        {
            "account": account,
            "page": page,
            "rows": account_rows.section_rows(kind, page.rows, contact_fields=contact_fields),
            # Only contact persons carry edit buttons on their rows.
            "can_change": kind == "contacts" and access.can_change(request.user, account),
            "contact_fields": contact_fields,
        },
    )


def _contact_fields():
    """The contacts' custom fields shown on their rows (those an administrator put in lists)."""
    return custom_selectors.list_fields(custom_selectors.active_fields("contact"))
