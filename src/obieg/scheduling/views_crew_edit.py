"""Crews and skills on pages: create, edit (members, skills, working days), confirmed delete.

Planners only (the sales manager, administrators): anyone else gets 404, as
for the other planning pages. The services check the same rule again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from obieg.core.errors import ApplicationError, Conflict
from obieg.scheduling import crews, selectors
from obieg.scheduling.forms import CrewForm, SkillForm
from obieg.scheduling.models import Crew, Skill


def _planner_or_404(request) -> None:
    if not selectors.can_plan(request.user):
        raise Http404


def _show_errors(form, error: ApplicationError) -> None:
    """A service's refusal beside the fields it names, the rest above the form."""
    placed = False
    for name, errors in error.field_errors.items():
        if name in form.fields:
            for message in errors:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def crew_create(request):
    _planner_or_404(request)
    initial = {"kind": Crew.Kind.OWN, "working_weekdays": [0, 1, 2, 3, 4], "colour": "#2f6fd0"}
    form = CrewForm(request.POST or None, initial={**initial, "active": True})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                crew = crews.crew_create(
                    actor=request.user,
                    data=form.crew_data(),
                    members=form.cleaned_data["members"],
                    skills=form.cleaned_data["skills"],
                )
            except ApplicationError as error:
                _show_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, _("The crew is added."))
                return redirect("scheduling:crew_detail", pk=crew.pk)
    context = {"form": form, "crew": None}
    return render(request, "scheduling/crew_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def crew_edit(request, pk: int):
    _planner_or_404(request)
    crew = get_object_or_404(Crew.objects.prefetch_related("members", "skills"), pk=pk)
    initial = {
        "name": crew.name,
        "kind": crew.kind,
        "company": crew.company,
        "members": list(crew.members.all()),
        "skills": list(crew.skills.all()),
        "working_weekdays": crew.working_weekdays,
        "colour": crew.colour,
        "active": crew.active,
        "revision": crew.revision,
    }
    form = CrewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                crews.crew_update(
                    actor=request.user,
                    crew=crew,
                    data=form.crew_data(),
                    members=form.cleaned_data["members"],
                    skills=form.cleaned_data["skills"],
                    revision=form.cleaned_data["revision"],
                )
            except Conflict as error:
                form.add_error(None, error.message)
                status = 409
            except ApplicationError as error:
                _show_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, _("The crew is saved."))
                return redirect("scheduling:crew_detail", pk=crew.pk)
    context = {"form": form, "crew": crew}
    return render(request, "scheduling/crew_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def crew_delete(request, pk: int):
    """GET asks for the confirmation; POST (the confirmation) deletes."""
    _planner_or_404(request)
    crew = get_object_or_404(Crew, pk=pk)
    has_work = crew.events.exists()
    if request.method == "POST":
        try:
            crews.crew_delete(actor=request.user, crew=crew)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("scheduling:crew_detail", pk=crew.pk)
        messages.success(request, _("The crew %(name)s is deleted.") % {"name": crew.name})
        return redirect("scheduling:crew_list")
    return render(
        request, "scheduling/crew_confirm_delete.html", {"crew": crew, "has_work": has_work}
    )


@login_required
@require_http_methods(["GET", "POST"])
def skill_list(request):
    _planner_or_404(request)
    form = SkillForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                crews.skill_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                _show_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, _("The skill is added."))
                return redirect("scheduling:skill_list")
    skills = Skill.objects.annotate(crew_count=Count("crews")).order_by("name")[:500]
    context = {"form": form, "skills": skills}
    return render(request, "scheduling/skill_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def skill_edit(request, pk: int):
    _planner_or_404(request)
    skill = get_object_or_404(Skill, pk=pk)
    form = SkillForm(request.POST or None, initial={"name": skill.name}, renaming=True)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                crews.skill_rename(actor=request.user, skill=skill, name=form.cleaned_data["name"])
            except ApplicationError as error:
                _show_errors(form, error)
                status = error.status_code
            else:
                messages.success(request, _("The skill is saved."))
                return redirect("scheduling:skill_list")
    return render(
        request, "scheduling/skill_form.html", {"form": form, "skill": skill}, status=status
    )
