"""The studio's decision-table editor (dmn-js) for a draft's .dmn file, and a new table.

It uses the drafts' JSON endpoints of the diagram editor (load and save the
XML at a revision, check the solution's drafts); only the page differs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from obieg.core.errors import ApplicationError
from obieg.engine.studio import drafts, selectors
from obieg.engine.studio.blank import blank_table
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.studio_forms import NewTableForm
from obieg.engine.web.studio_table_labels import table_labels
from obieg.engine.web.views_definitions import _refuse
from obieg.engine.web.views_studio import drafts_url
from obieg.engine.web.views_studio_editor import _draft
from obieg.web.views.common import add_service_error


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


@login_required
def new_table(request: HttpRequest) -> HttpResponse:
    """Start a new decision table (one input, one output, no rules) and open it in dmn-js."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    initial = {"solution": request.GET.get("solution", "")}
    form = NewTableForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        key, solution = form.cleaned_data["decision_id"], form.cleaned_data.get("solution") or ""
        try:
            deployed = {
                decision_id
                for item in selectors.decision_files()
                if item.solution == solution
                for decision_id, _name in item.decisions
            }
            if key in deployed:
                raise ApplicationError(
                    _("A decision with this id is deployed already: edit its table instead."),
                    field_errors={"decision_id": [_("This id is taken.")]},
                )
            xml = blank_table(
                key=key,
                name=form.cleaned_data["name"],
                input_label=_("Input"),
                output_label=_("Output"),
            )
            draft = drafts.draft_start(
                actor=request.user, solution=solution, file_name=f"{key}.dmn", xml=xml
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("engine:studio_table_editor", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    page = {
        "form": form,
        "heading": _("New decision table"),
        "intro": _(
            "The table starts with one input and one output column and no rules: name the "
            "input's expression and the output in the table editor, then add the rules. "
            "Deploy it with the process whose business rule task uses it."
        ),
        "form_id": "new-table-form",
        "submit": _("Create and open the table editor"),
    }
    return render(request, "engine/studio_new.html", page, status=status)
