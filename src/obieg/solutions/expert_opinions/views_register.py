"""The expert register, the board page and the client's signed answer link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.pagination import keyset_page
from obieg.solutions.expert_opinions import links, selectors, services
from obieg.solutions.expert_opinions.models import Expert
from obieg.solutions.expert_opinions.page_forms import ClientAnswerLinkForm, ExpertForm
from obieg.web.views.common import add_service_error, refuse


@login_required
@require_GET
def expert_list(request):
    if not selectors.may_see_experts(request.user):
        return refuse(
            request,
            _("The expert register is for the secretariat, the departments and the board."),
            status=PermissionDenied.status_code,
            back_url=reverse("expert_opinions:inquiry_list"),
        )
    query = request.GET.get("q", "").strip()[:100]
    include_inactive = request.GET.get("inactive") == "1"
    departments = list(selectors.expert_departments())
    # A department's people look for their own kinds of opinion first; "all" shows everyone.
    chosen = request.GET.get("department", str(request.user.department_id or ""))
    department = next((d for d in departments if str(d.pk) == chosen), None)
    experts = selectors.expert_register(
        query=query, include_inactive=include_inactive, department=department
    )
    page = keyset_page(experts, ordering=["name", "id"], cursor=request.GET.get("cursor"))
    context = {
        "page": page,
        "query": query,
        "include_inactive": include_inactive,
        "departments": departments,
        "department": department,
        "may_manage": selectors.may_manage_experts(request.user),
    }
    return render(request, "expert_opinions/expert_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expert_edit(request, pk=None):
    if not selectors.may_manage_experts(request.user):
        return refuse(
            request,
            _("The expert register is kept by the secretariat and the heads of departments."),
            status=PermissionDenied.status_code,
            back_url=reverse("expert_opinions:expert_list"),
        )
    expert = get_object_or_404(Expert, pk=pk) if pk else None
    form = ExpertForm(request.POST or None, instance=expert)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if expert is None:
                saved = services.expert_create(actor=request.user, data=data)
            else:
                saved = services.expert_update(
                    actor=request.user,
                    expert=expert,
                    data=data,
                    revision=form.cleaned_data.get("revision"),
                )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status_code if error.status_code in (403, 409) else 200
        else:
            messages.success(request, _("Expert %(name)s saved.") % {"name": saved})
            return redirect("expert_opinions:expert_list")
    return render(
        request, "expert_opinions/expert_form.html", {"form": form, "expert": expert}, status=status
    )


@login_required
@require_GET
def board_page(request):
    if not selectors.may_see_board_page(request.user):
        return refuse(
            request,
            _("This page is for the board."),
            status=PermissionDenied.status_code,
            back_url=reverse("expert_opinions:inquiry_list"),
        )
    context = {
        "reviews": selectors.board_reviews(),
        "months": selectors.board_monthly_figures(),
    }
    return render(request, "expert_opinions/board.html", context)


@require_http_methods(["GET", "POST"])
def offer_answer(request, token):
    """The client's answer to an offer through the signed link: no log-in needed.

    The page speaks the client's language and shows what was offered: the
    scope, the price and the offer PDF itself.
    """
    try:
        inquiry = links.inquiry_for_token(token)
    except ApplicationError as error:
        return render(
            request, "expert_opinions/offer_answer.html", {"error": error.message}, status=404
        )
    with translation.override(selectors.client_language(inquiry)):
        form = ClientAnswerLinkForm(request.POST or None)
        answered = None
        if request.method == "POST" and form.is_valid():
            try:
                services.client_answer_by_link(
                    token=token, answer=form.cleaned_data["answer"], note=form.cleaned_data["note"]
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                answered = form.cleaned_data["answer"]
        context = {
            "inquiry": inquiry,
            "offer": inquiry.offer,
            "form": form,
            "answered": answered,
            "token": token,
            "has_pdf": inquiry.offer_document_id is not None,
        }
        response = render(request, "expert_opinions/offer_answer.html", context)
        response["Content-Language"] = translation.get_language()
        return response


@never_cache
@require_GET
def offer_answer_pdf(request, token):
    """The offer PDF the link was sent with, for the client to read again beside the answer."""
    try:
        inquiry = links.inquiry_for_token(token)
    except ApplicationError as error:
        raise Http404 from error
    version = selectors.offer_pdf_version(inquiry)
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except OSError as error:  # the row outlived its file (restored backup, moved storage)
        raise Http404 from error
    # Obieg drew this PDF itself (no uploaded content), so it may open in the browser.
    return FileResponse(handle, filename=version.original_name, content_type="application/pdf")
