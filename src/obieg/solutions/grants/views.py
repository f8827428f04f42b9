"""Grant project pages: the list, one project with its timeline, the coordinator's deadlines."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from obieg.core import access, clock
from obieg.core.errors import ApplicationError
from obieg.core.prepared_widgets import RENDERER as PREPARED_WIDGETS
from obieg.documents.selectors import record_documents
from obieg.documents.services import document_upload
from obieg.solutions.grants import (
    dashboard,
    feeds,
    selectors,
    views_claims,
    views_contract,
    views_durability,
)
from obieg.solutions.grants.models import GrantProject
from obieg.solutions.grants.project_documents import ProjectDocumentForm
from obieg.web import dashboards
from obieg.web.views.common import add_service_error


class ProjectFilterForm(forms.Form):
    # Drawn on every visit of the list: its selects written directly, not option by option
    # through Django's widget templates (core/prepared_widgets.py, the same HTML).
    default_renderer = PREPARED_WIDGETS
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all statuses")), *GrantProject.Status.choices],
    )
    coordinator = forms.ModelChoiceField(
        label=_("Project coordinator"),
        required=False,
        queryset=selectors.coordinators(),
        empty_label=_("all coordinators"),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=list(selectors.SORT_LABELS.items())
    )

    def filters(self) -> selectors.ProjectFilters:
        """The valid filters; a bad value in the address is ignored, not an error page."""
        self.is_valid()
        data = self.cleaned_data
        coordinator = data.get("coordinator")
        return selectors.ProjectFilters(
            search=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            coordinator=coordinator.pk if coordinator else None,
            sort=data.get("sort") or "newest",
        )


@login_required
@require_GET
def project_list(request):
    """The grant projects the user sees: searched, filtered, sorted, a page at a time."""
    form = ProjectFilterForm(request.GET)
    filters = form.filters()
    page = selectors.project_page(request.user, filters, cursor=request.GET.get("cursor"))
    return render(request, "grants/pages/project_list.html", {
        "form": form, "filters": filters, "page": page, "sort_labels": selectors.SORT_LABELS,
        "is_filtered": filters.is_filtered, "today": clock.today(),
        "may_start": dashboards.sells(request.user),
    })  # fmt: skip


# The other parts of the project page, each kept beside its own views:
# (context name, the part's views module, its template).
SECTIONS = (
    ("contract", views_contract, "grants/contract/_section.html"),
    ("claims", views_claims, "grants/claims/_section.html"),
    ("durability", views_durability, "grants/durability/_section.html"),
)


def _sections(request, project: GrantProject) -> tuple[dict, list[str]]:
    contexts = {name: module.section_context(request, project) for name, module, _t in SECTIONS}
    return contexts, [template for _n, _m, template in SECTIONS]


@login_required
@require_GET
def project_detail(request, pk: int):
    """One project: who and what, its case's open tasks, every deadline on one timeline."""
    project = selectors.project_get(request.user, pk)
    return _project_page(request, project, ProjectDocumentForm())


def _project_page(request, project: GrantProject, document_form, status: int = 200):
    sections, section_templates = _sections(request, project)
    return render(request, "grants/pages/project.html", {
        "project": project, "application": getattr(project, "application", None),
        "tasks": selectors.open_tasks(project), "timeline": selectors.timeline(project),
        "timeline_limit": selectors.TIMELINE_LIMIT,
        "documents": record_documents(request.user, project),
        "may_attach": access.can_attach(request.user, project), "document_form": document_form,
        "section_templates": section_templates, **sections,
    }, status=status)  # fmt: skip


@login_required
@require_POST
def document_add(request, pk: int):
    """Attach a file to the project (the application, the grantor's letters); field errors else."""
    project = selectors.project_get(request.user, pk)
    form = ProjectDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_upload(
                actor=request.user,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                subject=project,
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The document is attached to the project."))
            return redirect(project.get_absolute_url() + "#documents")
    return _project_page(request, project, form, status=400)


@login_required
@require_GET
def deadlines(request):
    """The coordinator's dashboard: what is due soon or late, indicators below target, charts."""
    if not selectors.may_see_deadlines(request.user):
        raise Http404
    user = request.user
    scope = selectors.scope_for(user)
    charts = {
        "months": dashboard.obligations_per_month(scope),
        "indicators": dashboard.indicator_progress(scope),
    }
    return render(request, "grants/pages/deadlines.html", {
        "deadlines": dashboard.deadlines(scope), "charts": charts,
        "feed_url": feeds.feed_url(user) if selectors.is_coordinator(user) else "",
    })  # fmt: skip
