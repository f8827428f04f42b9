"""Test runs of drafts: start one, step through it as any role, fire its timers, discard it.

Process administrators and administrators only (`studio.permissions`). A
test run is invisible everywhere else (`Case.objects` leaves it out), so
these pages read it by `sandbox.selectors` and change it by `sandbox.runs`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core.errors import ApplicationError
from obieg.engine import labels
from obieg.engine import selectors as engine_selectors
from obieg.engine.models import ACTIVE_CASE_STATUSES, StudioDraft
from obieg.engine.sandbox import runs
from obieg.engine.sandbox import selectors as sandbox
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web import case_context, case_fields
from obieg.engine.web.sandbox_forms import ExternalAnswerForm, StartRunForm
from obieg.engine.web.task_forms import CommentForm, posted_revision, task_data, task_form
from obieg.engine.web.views_definitions import _refuse
from obieg.engine.web.views_studio import drafts_url
from obieg.web.views.common import add_service_error

# What a test run writes into its history, labelled on its pages (both languages).
_HISTORY_LABELS = {
    "sandbox_action": gettext_lazy("Action"),
    "sandbox_would_create": gettext_lazy("Would have created"),
    "sandbox_would_change": gettext_lazy("Would have changed"),
    "sandbox_would_delete": gettext_lazy("Would have deleted"),
    "sandbox_failed": gettext_lazy("Could not run in a test run"),
    "sandbox_signal": gettext_lazy("Signal not sent"),
    "sandbox_task": gettext_lazy("Task"),
    "sandbox_assignee": gettext_lazy("Would go to the person"),
    "sandbox_role": gettext_lazy("Would go to the role"),
    "sandbox_department": gettext_lazy("Would go to the department"),
    "sandbox_unmatched": gettext_lazy("Would wait unassigned (named in the model)"),
    "sandbox_draft": gettext_lazy("Draft"),
}
for _key, _label in _HISTORY_LABELS.items():
    case_fields.declare(_key, forms.CharField(label=_label))


def _run_url(case) -> str:
    return reverse("engine:sandbox_run", args=[case.pk])


def _refused(request, error: ApplicationError, case) -> HttpResponse:
    if error.status_code == 404:
        raise Http404
    messages.error(request, error.message)
    return redirect(_run_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Which of the draft's processes, with which data: then run it until it waits."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    draft = StudioDraft.objects.filter(pk=pk).first()
    if draft is None:
        raise Http404
    processes = runs.runnable_processes(draft)
    form = StartRunForm(request.POST or None, processes=processes)
    if request.method == "POST" and form.is_valid():
        try:
            case = runs.start_run(
                actor=request.user,
                draft_id=draft.pk,
                process=form.cleaned_data["process"],
                data=form.cleaned_data["start_data"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The test run started. Nobody else sees it; nothing is sent or issued."),
            )
            return redirect(_run_url(case))
    context = {
        "draft": draft,
        "form": form,
        "processes": processes,
        "drafts_url": drafts_url(draft.solution),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "engine/sandbox_start.html", context, status=status)


@login_required
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The run: its waiting tasks (each opened as its role), timers, data, history, diagram."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    case = sandbox.run(pk)
    fields = case_fields.fields_of(case)
    context = {
        "case": case,
        "is_active": case.status in ACTIVE_CASE_STATUSES,
        "waiting": sandbox.waiting_tasks(case),
        "external_tasks": [
            (task, ExternalAnswerForm(prefix=f"external-{task.pk}"))
            for task in sandbox.open_external_tasks(case)
        ],
        "data_rows": case_context.data_rows(case.data, fields),
        "history": case_context.history_lines(case, fields=fields),
        "drafts_url": drafts_url(case.definition.solution),
    }
    return render(request, "engine/sandbox_run.html", context)


@login_required
@require_GET
def run_diagram(request: HttpRequest, pk: int) -> JsonResponse:
    if not may_manage_processes(request.user):
        return JsonResponse({"error": _("Only process administrators.")}, status=403)
    diagram = engine_selectors.case_diagram(sandbox.run(pk))
    return JsonResponse(
        {
            "xml": diagram.bpmn,
            "states": diagram.element_states,
            "failed_element": diagram.failed_element,
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_task(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A task of the run, done as whoever the real case would give it to."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    case = sandbox.run(pk)
    waiting = sandbox.task_of(case, item_pk)
    item = waiting.item
    if request.method == "POST":
        form = task_form(item, request.POST, case=case)
        if form.is_valid():
            try:
                runs.complete_as(
                    actor=request.user,
                    work_item_id=item.pk,
                    data=task_data(form, request.POST),
                    revision=posted_revision(request.POST),
                )
            except ApplicationError as error:
                if error.status_code != 400 or not error.field_errors:
                    return _refused(request, error, case)
                add_service_error(form, error)
            else:
                done = labels.element_label(case.definition, item.element_id, item.name)
                messages.success(request, _("“%(task)s” is done.") % {"task": done})
                return redirect(_run_url(case))
    else:
        form = task_form(item, case=case)
        if not isinstance(form, CommentForm):
            known = {name: case.data[name] for name in form.fields if name in case.data}
            form.initial = {**form.initial, **known}
    context = {
        "case": case,
        "waiting": waiting,
        "item": item,
        "form": form,
        "data_rows": case_context.data_rows(case.data, case_fields.fields_of(case)),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "engine/sandbox_task.html", context, status=status)


@login_required
@require_POST
def run_timers(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    case = sandbox.run(pk)
    try:
        runs.fire_timers_now(actor=request.user, case_id=case.pk)
    except ApplicationError as error:
        return _refused(request, error, case)
    messages.success(request, _("The timer fired."))
    return redirect(_run_url(case))


@login_required
@require_POST
def run_external(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    case = sandbox.run(pk)
    form = ExternalAnswerForm(request.POST, prefix=f"external-{task_pk}")
    if not form.is_valid():
        for message in form.errors.get("variables", []):
            messages.error(request, str(message))
        return redirect(_run_url(case))
    try:
        runs.complete_external(
            actor=request.user,
            external_task_id=task_pk,
            variables=form.cleaned_data["variables"],
        )
    except ApplicationError as error:
        return _refused(request, error, case)
    messages.success(request, _("The external task is done."))
    return redirect(_run_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def run_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete the run with everything it recorded."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    case = sandbox.run(pk)
    back = drafts_url(case.definition.solution)
    if request.method == "POST":
        try:
            runs.discard_run(actor=request.user, case_id=case.pk)
        except ApplicationError as error:
            return _refused(request, error, case)
        messages.success(request, _("The test run was discarded."))
        return redirect(back)
    return render(request, "engine/sandbox_discard.html", {"case": case, "drafts_url": back})
