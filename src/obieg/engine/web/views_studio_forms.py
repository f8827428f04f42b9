"""The studio's form designer: the forms of a draft, and a form-js editor for each.

Forms live in the draft's process file (`studio.forms`); the designer page
is static and studio_form_designer.js loads and saves the schema as JSON,
conditional on the draft's revision (409 naming who saved meanwhile, 400
with every reason a form cannot be used).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from obieg.core.errors import ApplicationError
from obieg.engine.studio import forms as studio_forms
from obieg.engine.studio.permissions import may_manage_processes
from obieg.engine.web.studio_form_labels import designer_labels
from obieg.engine.web.views_definitions import _refuse
from obieg.engine.web.views_studio import drafts_url
from obieg.engine.web.views_studio_editor import _draft, _refusal
from obieg.web.views.common import add_service_error


class NewFormForm(forms.Form):
    key = forms.CharField(
        label=_("Form key"),
        max_length=63,
        help_text=_("Letters, digits and underscores; a task names the form schema:<key>."),
    )

    def clean_key(self):
        try:
            return studio_forms.check_key(self.cleaned_data["key"])
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error


@login_required
@require_http_methods(["GET", "POST"])
def forms_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The forms of a draft; POST {key}: start a new, empty one and open it in the designer."""
    if not may_manage_processes(request.user):
        return _refuse(request)
    draft = _draft(pk)
    if draft.is_decision:
        raise Http404
    existing = studio_forms.draft_forms(draft)
    form = NewFormForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            key = form.cleaned_data["key"]
            if key in existing:
                return redirect("engine:studio_form_designer", pk=draft.pk, key=key)
            revision = request.POST.get("revision", "")
            try:
                studio_forms.draft_form_save(
                    actor=request.user,
                    draft_id=draft.pk,
                    revision=int(revision) if revision.isdigit() and len(revision) < 10 else -1,
                    key=key,
                    form=studio_forms.empty_form(key),
                )
            except ApplicationError as error:
                add_service_error(form, error)
                status = error.status_code
            else:
                return redirect("engine:studio_form_designer", pk=draft.pk, key=key)
        else:
            status = 400
    return render(
        request,
        "engine/studio_forms.html",
        {
            "draft": draft,
            "drafts_url": drafts_url(draft.solution),
            "forms": sorted(existing),
            "form": form,
        },
        status=status,
    )


@login_required
def designer(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    if not may_manage_processes(request.user):
        return _refuse(request)
    draft = _draft(pk)
    if key not in studio_forms.draft_forms(draft):
        raise Http404
    return render(
        request,
        "engine/studio_form_designer.html",
        {
            "draft": draft,
            "key": key,
            "reference": studio_forms.form_reference(key),
            "drafts_url": drafts_url(draft.solution),
            "labels": designer_labels(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_schema(request: HttpRequest, pk: int, key: str) -> JsonResponse:
    """GET: the schema and the draft's revision. POST {schema, revision}: save (null removes)."""
    if not may_manage_processes(request.user):
        raise Http404
    draft = _draft(pk)
    if request.method == "GET":
        found = studio_forms.draft_forms(draft)
        if key not in found:
            raise Http404
        return JsonResponse({"schema": found[key], "revision": draft.revision})
    try:
        body = json.loads(request.body or b"{}")
        schema, revision = body["schema"], body["revision"]
        if not isinstance(revision, int) or not (schema is None or isinstance(schema, dict)):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"detail": 'Send {"schema": form or null, "revision": number}.'}, status=400
        )
    try:
        saved = studio_forms.draft_form_save(
            actor=request.user, draft_id=draft.pk, revision=revision, key=key, form=schema
        )
    except ApplicationError as error:
        return _refusal(error)
    return JsonResponse({"revision": saved.revision})
