"""Case pages: the list, one case (status, data, tasks, history, live diagram), cancel, repair."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core import access
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.pagination import keyset_page
from obieg.engine import labels, selectors
from obieg.engine.errors import StepFailed
from obieg.engine.models import ACTIVE_CASE_STATUSES, CaseStatus
from obieg.engine.reading import reading_for
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.permissions import may_work_on
from obieg.engine.web import case_context, case_fields, case_repair, external_panel
from obieg.engine.web.task_forms import CancelCaseForm
from obieg.web.views.common import add_service_error, refuse
from obieg.web.views.sales_common import choice_param

PAGE_SIZE = 25


@login_required
@require_GET
def case_list(request):
    user = request.user
    definitions = {d.key: d for d in selectors.latest_definitions()}
    status = choice_param(request, "status", CaseStatus.values)
    process = choice_param(request, "process", definitions)
    cases = selectors.cases_for(user)
    if status:
        cases = cases.filter(status=status)
    if process:
        cases = cases.filter(definition__key=process)
    page = keyset_page(
        cases, ordering=["-started_at", "-id"], cursor=request.GET.get("cursor"), size=PAGE_SIZE
    )
    context = {
        "page": page,
        "statuses": CaseStatus.choices,
        "status": status,
        "definitions": sorted(definitions.values(), key=labels.process_label),
        "process": process,
        "is_filtered": bool(status or process),
    }
    return render(request, "engine/case_list.html", context)


@login_required
@require_GET
def case_detail(request, pk):
    case = selectors.case_for(request.user, pk)
    return _case_page(request, case)


def _case_page(request, case, *, repair=None, move_back=None, status: int = 200):
    user = request.user
    items = selectors.case_work_items(case)
    is_admin = access.is_admin(user)
    reading = reading_for(user, case)
    fields = case_fields.fields_of(case)
    context = {
        "case": case,
        "subject": case_context.subject_of(case),
        "data_rows": case_context.data_rows(reading.data(case.data), fields),
        "open_items": [item for item in items if item.is_open],
        "done_items": [item for item in items if not item.is_open],
        "workable": {item.pk for item in items if item.is_open and may_work_on(item, user)},
        "history": case_context.history_lines(case, reading=reading, fields=fields),
        "documents": case_context.case_documents(user, case, reading=reading),
        "can_cancel": case.status not in (CaseStatus.COMPLETED, CaseStatus.CANCELLED)
        and access.can_change(user, case),
        "can_retry": case.status == CaseStatus.ERROR and is_admin,
        "user_is_admin": is_admin,
        "is_active": case.status in ACTIVE_CASE_STATUSES,
        "repair_field": case_repair.REPAIR_FIELD,
        "external_tasks": external_panel.case_external_tasks(case),
    }
    if is_admin and case.status == CaseStatus.ERROR:
        context["repair_form"] = repair or case_repair.repair_form(case)
        context["move_back_form"] = move_back or case_repair.move_back_form(case)
    return render(request, "engine/case_detail.html", context, status=status)


@login_required
@require_GET
def case_diagram(request, pk):
    """The BPMN XML and each element's state, for the live diagram (bpmn-js)."""
    case = selectors.case_for(request.user, pk)
    diagram = selectors.case_diagram(case)
    return JsonResponse(
        {
            "xml": labels.diagram_xml(case.definition),  # the names in the reader's language
            "states": diagram.element_states,
            "failed_element": diagram.failed_element,
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_cancel(request, pk):
    """Ask why, then stop the case for good."""
    user = request.user
    case = selectors.case_for(user, pk)
    back_url = reverse("engine:case_detail", args=[case.pk])
    if not access.can_change(user, case):
        return refuse(
            request, _("You may view this case but not cancel it."), status=403, back_url=back_url
        )
    form = CancelCaseForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            engine.cancel_case(case=case, actor=user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status_code
        else:
            messages.success(request, _("The case is cancelled."))
            return redirect("engine:case_detail", pk=case.pk)
    context = {"case": case, "form": form, "back_url": back_url}
    return render(request, "engine/case_cancel.html", context, status=status)


@login_required
@require_POST
def case_retry(request, pk):
    """An administrator replays the step that failed, as it was or with corrected data."""
    user = request.user
    case = selectors.case_for(user, pk)
    back_url = reverse("engine:case_detail", args=[case.pk])
    form = None
    data = None
    if case_repair.REPAIR_FIELD in request.POST:
        form = case_repair.repair_form(case, request.POST)
        if form is not None:
            if not form.is_valid():
                return _case_page(request, case, repair=form, status=400)
            data = case_repair.corrected_data(form, request.POST)
    try:
        engine.retry_case(case=case, actor=user, data=data)
    except PermissionDenied as error:
        return refuse(request, error.message, status=403, back_url=back_url)
    except StepFailed as error:  # the step failed again: the case stays stopped, data kept
        messages.error(request, error.message)
    except ApplicationError as error:  # refused: nothing changed, say why beside the field
        form = form or case_repair.repair_form(case)
        if form is None:
            messages.error(request, error.message)
            return redirect(back_url)
        add_service_error(form, error)
        return _case_page(request, selectors.case_for(user, pk), repair=form, status=400)
    else:
        messages.success(request, _("The failed step ran again; the case goes on."))
    return redirect(back_url)


@login_required
@require_POST
def case_move_back(request, pk):
    """An administrator puts a stopped case back at a task it passed (recorded with a reason)."""
    user = request.user
    case = selectors.case_for(user, pk)
    back_url = reverse("engine:case_detail", args=[case.pk])
    if not access.is_admin(user):
        return refuse(
            request, _("Only an administrator can move a case back."), status=403, back_url=back_url
        )
    form = case_repair.move_back_form(case, request.POST)
    if form is None:
        messages.error(request, _("This case has no task to go back to."))
        return redirect(back_url)
    if form.is_valid():
        try:
            engine.move_case_back(
                case=case,
                actor=user,
                task_id=form.cleaned_data["task"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The case is back at the chosen task."))
            return redirect(back_url)
    return _case_page(request, case, move_back=form, status=400)
