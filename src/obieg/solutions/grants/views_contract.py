"""Pages of the cooperation contract: starting a project, its schedule, the signature.

Thin views: the services decide and refuse (field errors beside the field,
4xx, nothing changed). The client's acceptance page needs no log-in: its
signed link names the project.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access, clock
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm.models import Opportunity
from obieg.engine.runtime.permissions import may_work_on
from obieg.sales.models import Contract
from obieg.solutions.grants import links, notify, schedule, services
from obieg.solutions.grants.forms import (
    ContractAcceptForm,
    ContractTermsForm,
    FixedFeeForm,
    InstalmentsForm,
    ProjectStartForm,
    ScanUploadForm,
    terms_initial,
)
from obieg.solutions.grants.models import GrantProject
from obieg.web.views.common import add_service_error, refuse


def _project(request, pk) -> GrantProject:
    return access.get_visible_or_404(
        GrantProject.objects.select_related("account", "application", "contract", "case"),
        request.user,
        pk=pk,
    )


def _opportunity(request):
    value = request.GET.get("opportunity") or request.POST.get("opportunity") or ""
    if not value.isdigit():
        return None
    return (
        access.visible(Opportunity.objects.select_related("account"), request.user)
        .filter(pk=int(value))
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    """Start a grant project's realisation from a won opportunity (`?opportunity=<id>`)."""
    if not services.may_start(request.user):
        return refuse(request, _("Only advisors and managers start grant projects."), status=403)
    opportunity = _opportunity(request)
    initial = {"title": opportunity.name} if opportunity else {}
    form = ProjectStartForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if opportunity is None:
            form.add_error(None, _("Choose the opportunity the project comes from."))
        elif form.is_valid():
            try:
                project = services.project_start(
                    actor=request.user, opportunity=opportunity, data=form.cleaned_data
                )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status_code
            else:
                messages.success(
                    request,
                    _("Project %(number)s started; prepare its contract.")
                    % {"number": project.number},
                )
                return redirect(project.get_absolute_url())
    context = {"form": form, "opportunity": opportunity}
    return render(request, "grants/contract/project_new.html", context, status=status)


def _schedule_page(
    request, project, *, fee_form=None, instalments_form=None, terms_form=None, status=200
):
    editable = (
        project.status == GrantProject.Status.CONTRACT
        and project.contract is not None
        and project.contract.status == Contract.Status.DRAFT
        and access.can_change(request.user, project)
    )
    removing = None
    if editable and request.GET.get("remove", "").isdigit():
        removing = schedule.items(project).filter(pk=int(request.GET["remove"])).first()
    context = {
        "project": project,
        "items": list(schedule.items(project)),
        "value": schedule.value_of(project) if project.contract else None,
        "editable": editable,
        "removing": removing,
        "fee_form": fee_form or FixedFeeForm(),
        "instalments_form": instalments_form or InstalmentsForm(),
        "terms_form": terms_form or ContractTermsForm(initial=terms_initial(project)),
    }
    return render(request, "grants/contract/schedule.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk):
    """The contract's payment schedule: add fixed fees or instalments, remove a planned one."""
    project = _project(request, pk)
    if request.method == "GET":
        return _schedule_page(request, project)
    what = request.POST.get("what", "")
    forms_by_kind = {
        "terms": ContractTermsForm,
        "fee": FixedFeeForm,
        "instalments": InstalmentsForm,
    }
    if what == "remove":
        item_id = request.POST.get("item", "")
        try:
            schedule.remove_item(
                actor=request.user,
                project=project,
                item_id=int(item_id) if item_id.isdigit() else 0,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return _schedule_page(request, project, status=error.status_code)
        messages.success(request, _("The payment was taken off the schedule."))
        return redirect("grants:schedule_edit", pk=project.pk)
    if what not in forms_by_kind:
        return refuse(request, _("Unknown change of the schedule."), status=400)
    form = forms_by_kind[what](request.POST)
    if form.is_valid():
        try:
            if what == "terms":
                schedule.set_terms(actor=request.user, project=project, **form.cleaned_data)
            elif what == "fee":
                schedule.add_fixed_fee(actor=request.user, project=project, **form.cleaned_data)
            else:
                schedule.add_instalments(actor=request.user, project=project, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("The schedule was updated."))
            return redirect("grants:schedule_edit", pk=project.pk)
    else:
        status = 400
    return _schedule_page(request, project, status=status, **{f"{what}_form": form})


@login_required
@require_POST
def scan_upload(request, pk):
    """The advisor or coordinator uploads the client's signed contract: signature recorded."""
    project = _project(request, pk)
    form = ScanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.signed_scan_upload(
                actor=request.user,
                project=project,
                file=form.cleaned_data["file"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except PermissionDenied as error:
            return refuse(request, error.message, status=403)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The signed contract is filed."))
            return redirect(project.get_absolute_url())
    return render(
        request, "grants/contract/scan_upload.html", {"project": project, "form": form}, status=400
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contract_answer(request, token):
    """The client accepts the cooperation contract through the signed link: no log-in needed."""
    try:
        project = links.project_for_contract_token(token)
    except ApplicationError as error:
        return render(request, "grants/contract/answer.html", {"error": error.message}, status=404)
    with translation.override(notify.client_language(project)):
        form = ContractAcceptForm(request.POST or None)
        accepted, status = False, 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    services.accept_by_link(token=token)
                except ApplicationError as error:
                    add_service_error(form, error)
                    status = 409
                else:
                    accepted, status = True, 200
        project.refresh_from_db()
        context = {
            "project": project,
            "contract": project.contract,
            "value": schedule.value_of(project),
            "items": list(schedule.items(project)),
            "form": form,
            "accepted": accepted,
            "signed": project.contract.status == Contract.Status.SIGNED,
        }
        response = render(request, "grants/contract/answer.html", context, status=status)
        response["Content-Language"] = translation.get_language()
        return response


def section_context(request, project: GrantProject) -> dict:
    """The contract block of the project page: status, value, documents, schedule, signature."""
    contract = project.contract
    upload = services.open_item(project, "upload_scan")
    prepare = services.open_item(project, "prepare_contract")
    return {
        "project": project,
        "contract": contract,
        "value": schedule.value_of(project) if contract else None,
        "items": list(schedule.items(project)),
        "documents": [d for d in (project.contract_document, project.contract_docx) if d],
        "signed_scan": project.signed_scan,
        "awaiting_signature": project.status == GrantProject.Status.AWAITING_SIGNATURE,
        "may_upload_scan": upload is not None
        and (may_work_on(upload, request.user) or services.may_file_scan(request.user, project)),
        "scan_form": ScanUploadForm(initial={"signed_on": clock.today()}),
        "may_edit_schedule": prepare is not None and access.can_change(request.user, project),
        "schedule_url": reverse("grants:schedule_edit", args=[project.pk]),
    }
