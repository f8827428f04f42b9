"""The process studio's pages: upload models, check a solution's drafts, deploy, discard.

Uploads become drafts (`StudioDraft`); the drafts page checks them together
with the solution's current files and shows every problem at once, each on
its element in the diagram; deploying makes new versions of the processes
whose files changed. The editor is in `views_studio_editor`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from obieg.core.errors import ApplicationError, Conflict
from obieg.engine.models import ProcessDefinition, StudioDraft
from obieg.engine.sandbox import selectors as sandbox_selectors
from obieg.engine.studio import drafts, workspace
from obieg.engine.studio.blank import blank_process
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.studio_forms import NewDiagramForm, UploadForm
from obieg.engine.web.views_definitions import _refuse
from obieg.web.views.common import add_service_error, refuse


def drafts_url(solution: str) -> str:
    return f"{reverse('engine:studio_drafts')}?{urlencode({'solution': solution})}"


def _solution(request) -> str:
    solution = request.GET.get("solution", request.POST.get("solution", ""))
    if solution not in workspace.solutions():
        raise Http404
    return solution


def finding_json(finding) -> dict:
    return {
        "file": finding.file,
        "element_id": "" if finding.element_id in ("", "-") else finding.element_id,
        "name": finding.name,
        "message": finding.message,
        "line": finding.line(),
        "refused": finding.refused,
    }


def parse_revisions(text: str) -> dict[int, int]:
    """ "12:3,14:1" (draft id: revision), as the deploy form carries them; {} when garbled."""
    revisions = {}
    for part in (text or "").split(","):
        draft_id, _colon, revision = part.partition(":")
        if not (draft_id.strip().isdigit() and revision.strip().isdigit()):
            return {}
        revisions[int(draft_id)] = int(revision)
    return revisions


def format_revisions(items) -> str:
    return ",".join(f"{d.pk}:{d.revision}" for d in items)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            files = workspace.read_uploads(form.cleaned_data["files"])
            made = drafts.drafts_upload(
                actor=request.user, files=files, solution=form.chosen_solution()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect(drafts_url(made[0].solution))
    return render(request, "engine/studio_upload.html", {"form": form}, status=400)


@login_required
@require_GET
def drafts_page(request: HttpRequest) -> HttpResponse:
    """A solution's drafts, checked now: every problem, each on its diagram, and Deploy."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    solution = _solution(request)
    items = list(StudioDraft.objects.filter(solution=solution).select_related("updated_by"))
    outcome = drafts.drafts_check(actor=request.user, solution=solution) if items else None
    names = {d.file_name for d in items}
    context = {
        "solution": solution,
        "drafts": [
            {"draft": d, "findings": outcome.for_file(d.file_name) if outcome else []}
            for d in items
        ],
        "outcome": outcome,
        "other_findings": [f for f in outcome.findings if f.file not in names] if outcome else [],
        "findings_json": {
            str(d.pk): [finding_json(f) for f in outcome.for_file(d.file_name)]
            for d in items
            if outcome
        },
        "revisions": format_revisions(items),
        "test_runs": sandbox_selectors.runs_of(solution),
    }
    return render(request, "engine/studio_drafts.html", context)


@login_required
@require_POST
def deploy(request: HttpRequest) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    solution = _solution(request)
    try:
        outcome = drafts.drafts_deploy(
            actor=request.user,
            solution=solution,
            revisions=parse_revisions(request.POST.get("revisions", "")),
        )
    except Conflict as error:
        messages.error(request, error.message)
        return redirect(drafts_url(solution))
    except ApplicationError as error:
        return refuse(
            request, error.message, status=error.status_code, back_url=drafts_url(solution)
        )
    if outcome.refused:
        messages.error(request, _("Nothing was deployed: the models have problems (below)."))
        return redirect(drafts_url(solution))
    if outcome.created:
        messages.success(
            request,
            ngettext(
                "Deployed: %(versions)s. New cases start on it; running cases stay on theirs.",
                "Deployed: %(versions)s. New cases start on them; running cases stay on theirs.",
                len(outcome.created),
            )
            % {"versions": ", ".join(f"{d.key} v{d.version}" for d in outcome.created)},
        )
    else:
        messages.info(request, _("Nothing changed: every process is as already deployed."))
    return redirect("engine:definition_list")


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    draft = StudioDraft.objects.filter(pk=pk).first()
    if draft is None:
        raise Http404
    revision = request.POST.get("revision", "")
    try:
        drafts.draft_discard(
            actor=request.user,
            draft_id=pk,
            revision=int(revision) if revision.isdigit() else -1,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Draft %(file)s discarded.") % {"file": draft.file_name})
    return redirect(drafts_url(draft.solution))


@login_required
def new_diagram(request: HttpRequest) -> HttpResponse:
    """Start a new process from an empty diagram and open it in the editor."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    form = NewDiagramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["process_id"]
        xml = blank_process(key=key, name=form.cleaned_data["name"], start_name=_("Start"))
        try:
            if ProcessDefinition.objects.filter(key=key).exists():
                raise ApplicationError(
                    _("A process with this id is deployed already: open it from its page."),
                    field_errors={"process_id": [_("This id is taken.")]},
                )
            draft = drafts.draft_start(
                actor=request.user,
                solution=form.cleaned_data.get("solution") or "",
                file_name=f"{key}.bpmn",
                xml=xml,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("engine:studio_editor", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    page = {
        "form": form,
        "heading": _("New process"),
        "form_id": "new-process-form",
        "submit": _("Create and open the editor"),
    }
    return render(request, "engine/studio_new.html", page, status=status)
