"""Catalogue pages: the list, one item, its form, withdrawing it, and the offer line picker."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.catalogue import rules, selectors, services
from obieg.catalogue.forms import SORT_LABELS, ProductFilterForm, ProductForm
from obieg.catalogue.picker import picker_entry
from obieg.core.audit import history_for
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.web.views.common import refuse, submit_posted


def _refuse(request, message: str):
    return refuse(request, message, status=PermissionDenied.status_code, back_url=reverse("home"))


def readers_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not rules.may_read(request.user):
            return _refuse(request, _("Your roles do not include the catalogue."))
        return view(request, *args, **kwargs)

    return login_required(guarded)


def editors_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not rules.may_edit(request.user):
            return _refuse(
                request, _("Only an administrator or a sales manager may change the catalogue.")
            )
        return view(request, *args, **kwargs)

    return login_required(guarded)


@readers_only
@require_GET
def product_list(request):
    form = ProductFilterForm(request.GET)
    filters = form.filters()
    page = selectors.product_page(request.user, filters, cursor=request.GET.get("cursor"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "sort_labels": SORT_LABELS,
        "is_filtered": bool(filters.search or filters.kind or filters.state != selectors.ACTIVE),
        "may_edit": rules.may_edit(request.user),
    }
    return render(request, "catalogue/list.html", context)


@readers_only
@require_GET
def product_detail(request, pk):
    product = selectors.product_get(request.user, pk)
    context = {
        "product": product,
        "may_edit": rules.may_edit(request.user),
        "history": history_for(product),
    }
    return render(request, "catalogue/detail.html", context)


@editors_only
@require_http_methods(["GET", "POST"])
def product_create(request):
    form = ProductForm(request.POST or None)
    product, status = submit_posted(
        request,
        form,
        lambda data, _revision: services.product_create(actor=request.user, data=data),
    )
    if product:
        messages.success(request, _("%(item)s added to the catalogue.") % {"item": product})
        return redirect("catalogue:product_detail", pk=product.pk)
    return render(request, "catalogue/form.html", {"form": form}, status=status)


@editors_only
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = selectors.product_get(request.user, pk)
    shown = str(product)  # the form writes into the instance while validating
    form = ProductForm(request.POST or None, instance=product)
    saved, status = submit_posted(
        request,
        form,
        lambda data, revision: services.product_update(
            actor=request.user, product=product, data=data, revision=revision
        ),
    )
    if saved:
        messages.success(request, _("%(item)s saved.") % {"item": saved})
        return redirect("catalogue:product_detail", pk=saved.pk)
    context = {"form": form, "product": product, "shown": shown}
    return render(request, "catalogue/form.html", context, status=status)


def _revision(request) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@editors_only
@require_http_methods(["GET", "POST"])
def product_deactivate(request, pk):
    """Asks first: a withdrawn item can no longer be picked for new offer lines."""
    product = selectors.product_get(request.user, pk)
    if request.method == "POST":
        return _set_active(request, product, active=False)
    context = {"product": product, "lines_using": product.offer_lines.count()}
    return render(request, "catalogue/confirm_deactivate.html", context)


@editors_only
@require_POST
def product_activate(request, pk):
    return _set_active(request, selectors.product_get(request.user, pk), active=True)


def _set_active(request, product, *, active: bool):
    try:
        product = services.product_set_active(
            actor=request.user, product=product, active=active, revision=_revision(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, _("%(item)s is active again.") % {"item": product})
        else:
            messages.success(request, _("%(item)s was withdrawn.") % {"item": product})
    return redirect("catalogue:product_detail", pk=product.pk)


@readers_only
@require_GET
def product_matches(request):
    """Active items matching ?q= for the offer line picker (JSON, values as the form takes them)."""
    query = request.GET.get("q", "")[:100]
    items = selectors.picker_matches(request.user, query)
    return JsonResponse({"items": [picker_entry(product) for product in items]})
