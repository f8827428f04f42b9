"""Merging two accounts: pick the other one, compare and choose, confirm, see the result.

The account whose page the merge starts from stays; the one picked is the
duplicate, merged into it and deleted (the comparison page can swap them).
The comparison and the confirmation carry both accounts' revisions, so a
page left open while someone edits either account changes nothing (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.crm import merge
from obieg.crm.selectors import accounts as selectors
from obieg.crm.selectors.merge_candidates import merge_candidates
from obieg.web.forms.account_merge import AccountMergeForm
from obieg.web.views.common import add_service_error, refuse

REVIEW = "review"
CONFIRM = "confirm"


def _refuse_merge(request, account):
    return refuse(
        request,
        _("Only an administrator, a sales manager, or the owner of both accounts may merge them."),
        status=PermissionDenied.status_code,
        back_url=reverse("account_detail", args=[account.pk]),
    )


@login_required
@require_GET
def account_merge_pick(request, pk):
    """Step 1: find the duplicate by name, NIP or REGON."""
    account = selectors.account_get(request.user, pk)
    if not merge.may_start(request.user, account):
        return _refuse_merge(request, account)
    query = request.GET.get("q", "")[:200]
    return render(
        request,
        "web/accounts/merge_pick.html",
        {
            "account": account,
            "query": query,
            "candidates": merge_candidates(request.user, account, query),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_merge_compare(request, pk, other):
    """Step 2: side by side, choose per field; step 3: confirm; then the survivor's page."""
    survivor = selectors.account_get(request.user, pk)
    duplicate = selectors.account_get(request.user, other)
    if survivor.pk == duplicate.pk or not merge.may_merge(request.user, survivor, duplicate):
        return _refuse_merge(request, survivor)
    comparison = merge.compare(survivor, duplicate)
    form = AccountMergeForm(
        request.POST or None,
        comparison=comparison,
        initial={"survivor_revision": survivor.revision, "duplicate_revision": duplicate.revision},
    )
    context = {
        "survivor": survivor,
        "duplicate": duplicate,
        "form": form,
        "moving": merge.moving_records(duplicate),
    }
    step = request.POST.get("step")
    if request.method != "POST" or not form.is_valid() or step not in (REVIEW, CONFIRM):
        return render(request, "web/accounts/merge_compare.html", context)
    if step == REVIEW:
        # Nothing changes yet: the person sees what will happen and confirms.
        return render(request, "web/accounts/merge_confirm.html", context)
    try:
        result = merge.account_merge(
            actor=request.user,
            survivor=survivor,
            duplicate=duplicate,
            survivor_revision=form.cleaned_data["survivor_revision"],
            duplicate_revision=form.cleaned_data["duplicate_revision"],
            choices=form.choices(),
        )
    except Conflict as error:
        return refuse(
            request,
            error.message,
            status=Conflict.status_code,
            back_url=reverse("account_merge_compare", args=[survivor.pk, duplicate.pk])
            if merge_still_possible(survivor, duplicate)
            else reverse("account_detail", args=[survivor.pk]),
        )
    except PermissionDenied:
        return _refuse_merge(request, survivor)
    except ApplicationError as error:
        add_service_error(form, error)
        return render(request, "web/accounts/merge_compare.html", context)
    moved = sum(result.moved.values())
    messages.success(
        request,
        ngettext(
            "%(duplicate)s was merged into %(survivor)s; %(count)s related record moved.",
            "%(duplicate)s was merged into %(survivor)s; %(count)s related records moved.",
            moved,
        )
        % {"duplicate": duplicate.name, "survivor": result.survivor.name, "count": moved},
    )
    return redirect("account_detail", pk=result.survivor.pk)


def merge_still_possible(survivor, duplicate) -> bool:
    """Whether both accounts still exist (a conflict may be a merge done meanwhile)."""
    return type(survivor).objects.filter(pk__in=[survivor.pk, duplicate.pk]).count() == 2
