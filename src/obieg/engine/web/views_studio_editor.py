"""The studio's BPMN editor (bpmn-js Modeler): load and save a draft, check it, pick names.

The page is static; studio_editor.js talks to these JSON endpoints. Saving
is conditional on the draft's revision (409 naming who saved meanwhile).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core.errors import ApplicationError
from obieg.engine.models import StudioDraft
from obieg.engine.selectors import MAX_ID
from obieg.engine.studio import choices, drafts
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.studio_labels import editor_labels
from obieg.engine.web.views_definitions import _refuse
from obieg.engine.web.views_studio import drafts_url, finding_json, format_revisions


def _draft(pk: int) -> StudioDraft:
    draft = StudioDraft.objects.filter(pk=pk).first() if pk <= MAX_ID else None
    if draft is None:
        raise Http404
    return draft


def _refusal(error: ApplicationError) -> JsonResponse:
    body = {"detail": error.message, **error.field_errors}
    return JsonResponse(body, status=error.status_code)


@login_required
@require_GET
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    draft = _draft(pk)
    if draft.is_decision:
        return redirect("engine:studio_table_editor", pk=draft.pk)  # dmn-js, views_studio_tables
    return render(
        request,
        "engine/studio_editor.html",
        {"draft": draft, "drafts_url": drafts_url(draft.solution), "labels": editor_labels()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_xml(request: HttpRequest, pk: int) -> JsonResponse:
    """GET: the draft's XML and revision. POST {xml, revision}: save it over that revision."""
    if not may_manage_processes(request.user):
        raise Http404
    draft = _draft(pk)
    if request.method == "GET":
        return JsonResponse(
            {
                "xml": draft.xml,
                "revision": draft.revision,
                "file_name": draft.file_name,
                "solution": draft.solution,
            }
        )
    try:
        body = json.loads(request.body or b"{}")
        xml, revision = body["xml"], body["revision"]
        if not isinstance(xml, str) or not isinstance(revision, int):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": 'Send {"xml": text, "revision": number}.'}, status=400)
    try:
        saved = drafts.draft_save(actor=request.user, draft_id=draft.pk, revision=revision, xml=xml)
    except ApplicationError as error:
        return _refusal(error)
    return JsonResponse({"revision": saved.revision})


@login_required
@require_POST
def draft_check(request: HttpRequest, pk: int) -> JsonResponse:
    """Check the solution's drafts as saved: this file's findings, the others', the revisions."""
    if not may_manage_processes(request.user):
        raise Http404
    draft = _draft(pk)
    outcome = drafts.drafts_check(actor=request.user, solution=draft.solution)
    return JsonResponse(
        {
            "refused": outcome.refused,
            "findings": [finding_json(f) for f in outcome.for_file(draft.file_name)],
            "other_findings": [
                finding_json(f) for f in outcome.findings if f.file != draft.file_name
            ],
            "revisions": format_revisions(StudioDraft.objects.filter(solution=draft.solution)),
        }
    )


@login_required
@require_GET
def draft_choices(request: HttpRequest, pk: int) -> JsonResponse:
    """Roles, departments, users, registered actions and forms, decisions: the panel's lists."""
    if not may_manage_processes(request.user):
        raise Http404
    return JsonResponse(choices.choices(solution=_draft(pk).solution))
