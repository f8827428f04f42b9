"""Deployed processes for administrators: every version, and each version's diagram."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from obieg.core import access
from obieg.core.errors import PermissionDenied
from obieg.engine.models import ProcessDefinition
from obieg.engine.selectors import MAX_ID
from obieg.web.views.common import refuse

VERSION_LIMIT = 500


def _refuse(request):
    return refuse(
        request,
        _("Only administrators see the deployed process definitions."),
        status=PermissionDenied.status_code,
        back_url=reverse("engine:inbox"),
    )


def _definition(pk) -> ProcessDefinition:
    if pk > MAX_ID:
        raise Http404
    definition = ProcessDefinition.objects.filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


@login_required
@require_GET
def definition_list(request: HttpRequest) -> HttpResponse:
    if not access.is_admin(request.user):
        return _refuse(request)
    versions = (
        ProcessDefinition.objects.defer("sources")
        .annotate(case_count=Count("cases"))
        .order_by("key", "-version")[:VERSION_LIMIT]
    )
    processes: dict[str, list[ProcessDefinition]] = {}
    for version in versions:
        processes.setdefault(version.key, []).append(version)
    return render(request, "engine/definition_list.html", {"processes": processes})


@login_required
@require_GET
def definition_detail(request, pk):
    if not access.is_admin(request.user):
        return _refuse(request)
    definition = _definition(pk)
    versions = (
        ProcessDefinition.objects.filter(key=definition.key)
        .defer("sources")
        .annotate(case_count=Count("cases"))
        .order_by("-version")[:VERSION_LIMIT]
    )
    context = {"definition": definition, "versions": versions}
    return render(request, "engine/definition_detail.html", context)


@login_required
@require_GET
def definition_diagram(request, pk):
    """A version's BPMN XML for the diagram viewer (no element states: no case runs here)."""
    if not access.is_admin(request.user):
        raise Http404
    definition = _definition(pk)
    return JsonResponse({"xml": definition.bpmn, "states": {}, "failed_element": ""})
