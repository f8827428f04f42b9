"""The inbox and the task page: see my work, claim it, do it, go on to the next task."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.engine import labels, selectors
from obieg.engine.errors import StepFailed
from obieg.engine.reading import reading_for
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.permissions import may_work_on
from obieg.engine.web import case_context, case_fields, inbox_rows
from obieg.engine.web.task_forms import CommentForm, posted_revision, task_data, task_form
from obieg.web.views.common import add_service_error, is_htmx, refuse

PAGE_SIZE = 25
BADGE_CAP = 99
# What the process filter reads of each process (its label: key, name, checksum, file).
PROCESS_COLUMNS = ("id", "key", "name", "checksum", "source_name")


@login_required
@require_GET
def inbox(request):
    user = request.user
    definitions = {d.key: d for d in selectors.latest_definitions(columns=PROCESS_COLUMNS)}
    process = request.GET.get("process", "")
    process = process if process in definitions else ""
    steps = case_context.user_steps(definitions[process]) if process else []
    step = request.GET.get("step", "")
    step = step if step in dict(steps) else ""
    page = selectors.inbox_page(
        user,
        size=PAGE_SIZE,
        cursor=request.GET.get("cursor"),
        process=process,
        element=step,
        record=inbox_rows.Record,
    )
    context = {
        "rows": inbox_rows.prepare(page.rows, user),
        "next_cursor": page.next_cursor,
        "counts": selectors.inbox_count(user, cap=BADGE_CAP),
        "cap": BADGE_CAP,
        "definitions": sorted(definitions.values(), key=labels.process_label),
        "process": process,
        "steps": steps,
        "step": step,
        "is_filtered": bool(process or step),
    }
    return render(request, "engine/inbox.html", context)


def nav_badge(request):
    """The inbox badge and the Team link, loaded by htmx after the page: pages pay no counts."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponse("")
    counts = selectors.inbox_count(user, cap=BADGE_CAP)
    context = {
        "open": counts["mine"] + counts["queued"],
        "overdue": counts["overdue"],
        "cap": BADGE_CAP,
        "is_manager": selectors.is_manager(user),
    }
    return render(request, "engine/_nav_badge.html", context)


def _conflict(request, item, error: ApplicationError) -> HttpResponse:
    """Someone was first (or the case stopped): say so, with the ways back."""
    context = {"item": item, "message": error.message}
    return render(request, "engine/task_conflict.html", context, status=Conflict.status_code)


@login_required
@require_http_methods(["GET", "POST"])
def task(request, pk):
    user = request.user
    try:
        item = selectors.work_item_for(user, pk)
    except Conflict as error:  # taken or done from the user's queue by someone else
        return _conflict(request, None, error)
    case = item.case
    if request.method == "POST":
        if not item.is_open:
            try:
                engine.ensure_open(item)
            except Conflict as error:
                return _conflict(request, item, error)
        form = task_form(item, request.POST, case=case)
        if form.is_valid():
            try:
                engine.complete(
                    work_item=item,
                    actor=user,
                    data=task_data(form, request.POST),
                    revision=posted_revision(request.POST),
                )
            except (Conflict, StepFailed) as error:  # stale, already done, or a step failed
                return _conflict(request, item, error)
            except PermissionDenied as error:
                return refuse(request, error.message, status=403, back_url=reverse("engine:inbox"))
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request, _("“%(task)s” is done.") % {"task": labels.item_label(item)}
                )
                following = case_context.next_task(user, case_id=case.pk)
                if following is None:
                    return redirect("engine:inbox")
                return redirect("engine:task", pk=following.pk)
    else:
        form = task_form(item, case=case)
        if not isinstance(form, CommentForm):
            # A form that asks again for something the case knows shows the current value
            # (not a plain task's comment: that would repeat the previous task's).
            known = {name: case.data[name] for name in form.fields if name in case.data}
            form.initial = {**form.initial, **known}
    reading = reading_for(user, case)
    fields = case_fields.fields_of(case)
    context = {
        "item": item,
        "case": case,
        "form": form,
        "may_work": item.is_open and may_work_on(item, user),
        "can_release": item.is_open
        and item.assignee_id == user.pk
        and bool(item.candidate_group or item.candidate_department_id),
        "subject": case_context.subject_of(case),
        "history": case_context.history_lines(case, last=8, reading=reading, fields=fields),
        "comments": case_context.comments(case, reading=reading, fields=fields),
        "documents": case_context.case_documents(user, case, reading=reading),
        "data_rows": case_context.data_rows(reading.data(case.data), fields),
    }
    # A refused form (its own checks, or a business rule an action applied) is a 400.
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "engine/task.html", context, status=status)


def _after_change(request, item, message: str, *, go_to_task: bool) -> HttpResponse:
    if is_htmx(request):
        rows = inbox_rows.prepare([item], request.user)
        return render(request, "engine/_inbox_rows.html", {"rows": rows})
    messages.success(request, message)
    if go_to_task:
        return redirect("engine:task", pk=item.pk)
    return redirect("engine:inbox")


def _refused(request, error: ApplicationError) -> HttpResponse:
    if is_htmx(request):
        return HttpResponse(error.message, status=error.status_code)
    messages.error(request, error.message)
    return redirect("engine:inbox")


@login_required
@require_POST
def claim(request, pk):
    """Take a task from a queue; without htmx, go straight to it."""
    try:
        item = selectors.work_item_for(request.user, pk)
        item = engine.claim(work_item=item, actor=request.user)
    except ApplicationError as error:
        return _refused(request, error)
    return _after_change(request, item, _("The task is yours."), go_to_task=True)


@login_required
@require_POST
def release(request, pk):
    """Give a claimed task back to its queue."""
    try:
        item = selectors.work_item_for(request.user, pk)
        item = engine.release(work_item=item, actor=request.user)
    except ApplicationError as error:
        return _refused(request, error)
    return _after_change(request, item, _("The task is back in its queue."), go_to_task=False)
