"""Start a case by hand: the studio's own processes, for people with a working role.

A process drawn in the studio has no page of its own to start from (a
solution's processes start from their leads, inquiries, projects), so this is
where its first case begins. The person who starts it owns it; they land on
their first task when the process gives them one.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from obieg.core import access
from obieg.core.errors import ApplicationError
from obieg.engine import labels, selectors
from obieg.engine.errors import StepFailed
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.engine.runtime import services as engine
from obieg.engine.runtime.permissions import may_work_on
from obieg.web.views.common import add_service_error, refuse


class StartCaseForm(forms.Form):
    process = forms.ChoiceField(label=gettext_lazy("Process"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy("What the case is about, as people will find it in their lists."),
    )

    def __init__(self, *args, definitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].choices = [(d.key, labels.process_label(d)) for d in definitions]


@login_required
@require_http_methods(["GET", "POST"])
def case_start(request):
    if not access.may_create(request.user):
        return refuse(
            request, _("Your roles allow reading records, not changing them."), status=403
        )
    definitions = selectors.startable_definitions()
    form = StartCaseForm(
        request.POST or None,
        definitions=definitions,
        initial={"process": request.GET.get("process", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = engine.start_case(
                process=form.cleaned_data["process"],
                actor=request.user,
                title=form.cleaned_data["title"],
            )
        except StepFailed as failure:
            messages.error(request, failure.message)
            return redirect("engine:case_detail", pk=failure.case_id)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Case started: %(title)s.") % {"title": case.title})
            return redirect(_first_stop(case, request.user))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "definitions": definitions}
    return render(request, "engine/case_start.html", context, status=status)


def _first_stop(case, user) -> str:
    """The starter's own first task, if the process gave them one; else the case."""
    for item in WorkItem.objects.filter(case=case, status=WorkItemStatus.OPEN).order_by("pk"):
        if may_work_on(item, user):
            return reverse("engine:task", args=[item.pk])
    return reverse("engine:case_detail", args=[case.pk])
