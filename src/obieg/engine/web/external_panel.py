"""The case page's external tasks: each one's topic, lock, retries and incident; admins retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obieg.core.errors import ApplicationError
from obieg.engine import selectors
from obieg.engine.models import ExternalTask
from obieg.engine.runtime import external_tasks

LIMIT = 50


def case_external_tasks(case) -> list[ExternalTask]:
    """The case's external tasks, open ones first, newest first (capped)."""
    rows = ExternalTask.objects.filter(case=case).defer("variables", "error_details")
    open_rows = list(rows.filter(status="open").order_by("created_at", "id")[:LIMIT])
    done = list(rows.exclude(status="open").order_by("-completed_at", "-id")[:LIMIT])
    return open_rows + done


@login_required
@require_POST
def set_retries(request, pk):
    """An administrator lets workers try an external task again (resolving its incident)."""
    task = ExternalTask.objects.filter(pk=pk).only("case_id").first()
    if task is None:
        return redirect("engine:case_list")
    case = selectors.case_for(request.user, task.case_id)
    value = request.POST.get("retries", "1")
    try:
        external_tasks.set_retries(
            task_id=task.pk, retries=int(value) if value.isdigit() else 0, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Workers can fetch the task again."))
    return redirect("engine:case_detail", pk=case.pk)
