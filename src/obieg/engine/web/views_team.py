"""The team view: a manager sees each person's open and overdue tasks and hands tasks over."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.pagination import keyset_page
from obieg.engine import labels, selectors
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.permissions import manages
from obieg.engine.web.task_forms import ReassignForm
from obieg.web.views.common import refuse
from obieg.web.views.sales_common import id_param

PAGE_SIZE = 25
# Undated tasks sort after every dated one (keyset pages need a non-null key).
_NO_DUE_DATE = datetime(9999, 1, 1, tzinfo=UTC)


def _refuse_non_manager(request):
    return refuse(
        request,
        _("Only managers of a team or a department see their team's tasks."),
        status=PermissionDenied.status_code,
        back_url=_inbox_url(),
    )


def _inbox_url() -> str:
    return reverse("engine:inbox")


def _candidates_by_queue(items, manager) -> dict:
    """Whom each task can go to, read once per queue (not per row)."""
    found: dict = {}
    for item in items:
        key = (item.candidate_group, item.candidate_department_id)
        if key not in found:
            found[key] = list(selectors.reassign_candidates(item, manager))
    return found


@login_required
@require_GET
def team(request):
    user = request.user
    if not selectors.is_manager(user):
        return _refuse_non_manager(request)
    person = id_param(request, "person")
    items = (
        selectors.managed_items(user)
        .select_related("case__definition", "assignee", "candidate_department")
        .defer("case__state", "case__data", "case__definition__sources")
        .annotate(due_key=Coalesce("due_at", Value(_NO_DUE_DATE), output_field=DateTimeField()))
    )
    if person is not None:
        items = items.filter(assignee_id=person)
    page = keyset_page(
        items, ordering=["due_key", "id"], cursor=request.GET.get("cursor"), size=PAGE_SIZE
    )
    candidates = _candidates_by_queue(page.rows, user)
    rows = [
        (item, candidates[(item.candidate_group, item.candidate_department_id)])
        for item in page.rows
    ]
    context = {
        "load": selectors.team_load(user),
        "queues": selectors.queue_load(user),
        "page": page,
        "rows": rows,
        "person": person,
    }
    return render(request, "engine/team.html", context)


@login_required
@require_POST
def reassign(request, pk):
    """Hand a task to someone of its role or department (the manager chooses)."""
    user = request.user
    item = selectors.work_item_for(user, pk)
    if not manages(user, item):
        return refuse(
            request,
            _("Only a manager of this task's people can hand it over."),
            status=PermissionDenied.status_code,
            back_url=_inbox_url(),
        )
    form = ReassignForm(request.POST, candidates=list(selectors.reassign_candidates(item, user)))
    back = request.POST.get("back", "")
    if not form.is_valid():
        messages.error(request, _("Choose a person of the task's role or department."))
    else:
        try:
            item = engine.reassign(work_item=item, actor=user, to=form.cleaned_data["to"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("“%(task)s” now belongs to %(person)s.")
                % {"task": labels.item_label(item), "person": item.assignee},
            )
    if back == "case":
        return redirect("engine:case_detail", pk=item.case_id)
    return redirect("engine:team")
