"""The Processes area: every version with who deployed it and its cases, diagrams, downloads.

Process administrators and administrators only (`studio.permissions`); the
studio's pages (upload, check, deploy, the editor) are in `views_studio*`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.engine import labels
from obieg.engine.models import ProcessDefinition, StudioDraft
from obieg.engine.selectors import MAX_ID
from obieg.engine.studio import drafts, health, selectors
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.studio_forms import UploadForm
from obieg.web.views.common import refuse

VERSION_LIMIT = selectors.VERSION_LIMIT


def _refuse(request):
    return refuse(
        request,
        _("Only process administrators and administrators see the process definitions."),
        status=PermissionDenied.status_code,
        back_url=reverse("engine:inbox"),
    )


def _definition(pk) -> ProcessDefinition:
    if pk > MAX_ID:
        raise Http404
    definition = ProcessDefinition.objects.filter(pk=pk).select_related("deployed_by").first()
    if definition is None:
        raise Http404
    return definition


@login_required
@require_GET
def definition_list(request: HttpRequest) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    context = {
        "processes": selectors.processes(),
        "decision_files": selectors.decision_files(),
        "drafts": StudioDraft.objects.select_related("updated_by").order_by(
            "solution", "file_name"
        )[:VERSION_LIMIT],
        "solution_problems": health.solution_problems(),
        "upload_form": UploadForm(),
    }
    return render(request, "engine/definition_list.html", context)


@login_required
@require_GET
def definition_detail(request, pk):
    if not may_manage_processes(request.user):
        return _refuse(request)
    definition = _definition(pk)
    versions = selectors.versions_with_counts(ProcessDefinition.objects.filter(key=definition.key))
    current = next((v for v in versions if v.pk == definition.pk), None)
    context = {
        "definition": definition,
        "versions": versions,
        "current": current,
        "files": sorted(definition.sources),
    }
    return render(request, "engine/definition_detail.html", context)


@login_required
@require_GET
def definition_diagram(request, pk):
    """A version's BPMN XML for the diagram viewer (no element states: no case runs here)."""
    if not may_manage_processes(request.user):
        raise Http404
    definition = _definition(pk)
    xml = labels.diagram_xml(definition)  # the names in the reader's language
    return JsonResponse({"xml": xml, "states": {}, "failed_element": ""})


@login_required
@require_GET
def definition_download(request, pk):
    """One file of a version, as deployed (`?file=` names it; the process file by default)."""
    if not may_manage_processes(request.user):
        raise Http404
    found = selectors.version_file(_definition(pk), request.GET.get("file"))
    if found is None:
        raise Http404
    name, xml = found
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def definition_edit(request, pk):
    """Open a version's process file (or the `file` posted, e.g. its DMN table) as a draft."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    definition = _definition(pk)
    found = selectors.version_file(definition, request.POST.get("file"))
    if found is None:
        raise Http404
    name, xml = found
    try:
        draft = drafts.draft_start(
            actor=request.user, solution=definition.solution, file_name=name, xml=xml
        )
    except ApplicationError as error:
        return refuse(request, error.message, status=error.status_code)
    return redirect("engine:studio_editor", pk=draft.pk)
