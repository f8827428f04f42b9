"""The studio's decision-table editor (dmn-js) for a draft's .dmn file.

It uses the drafts' JSON endpoints of the diagram editor (load and save the
XML at a revision, check the solution's drafts); only the page differs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.studio_table_labels import table_labels
from obieg.engine.web.views_definitions import _refuse
from obieg.engine.web.views_studio import drafts_url
from obieg.engine.web.views_studio_editor import _draft


@login_required
@require_GET
def table_editor(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    draft = _draft(pk)
    if not draft.is_decision:
        raise Http404
    return render(
        request,
        "engine/studio_dmn_editor.html",
        {"draft": draft, "drafts_url": drafts_url(draft.solution), "labels": table_labels()},
    )
