"""A salesperson's absences (telephone or field alike): listed, changed, removed with a question.

An absence is added on the person's settings page; here it is changed or
removed, and the manager is told what work is still planned on those days
(calls to rebalance, visits to re-plan). The writes are manager_settings',
conditional on the fingerprint of what the page showed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.solutions.pv_salesforce import manager_settings, queue
from obieg.solutions.pv_salesforce.manager_forms import AbsenceForm
from obieg.solutions.pv_salesforce.models_field import FieldDay
from obieg.solutions.pv_salesforce.models_queue import Absence

# Absences shown per person: the coming ones and those of this month.
ABSENCE_CAP = 50


def refused(form, error: ApplicationError) -> None:
    """The service's refusal shown on the form: beside its field, else on top."""
    for name, problems in (error.field_errors or {}).items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
    if not error.field_errors:
        form.add_error(None, error.message)


def recent(person) -> list[Absence]:
    """The person's absences of this month and later, each with the fingerprint its form sends."""
    since = clock.today().replace(day=1)
    absences = list(
        Absence.objects.filter(salesperson=person, ends_on__gte=since).order_by("starts_on")[
            :ABSENCE_CAP
        ]
    )
    for absence in absences:
        absence.shown = manager_settings.fingerprint(absence)
    return absences


def warn_planned_work(request, absence: Absence) -> None:
    """Say what is still planned for the person on the days away, to hand over."""
    calls = manager_settings.calls_planned_while_away(absence)
    if calls:
        messages.warning(
            request,
            _(
                "%(calls)s calls are still planned for those days: rebalance each of them "
                "on the manager's view to hand them over."
            )
            % {"calls": calls},
        )
    visits = manager_settings.visits_planned_while_away(absence)
    if visits:
        messages.warning(
            request,
            _(
                "%(visits)s visits are still planned for those days: re-plan each of them "
                "on the field days page or give the visits to someone else."
            )
            % {"visits": visits},
        )


def _absence_of(request, pk: int) -> tuple[Absence, str]:
    """The absence of a salesperson, and the settings page it is listed on."""
    if not queue.may_manage(request.user):
        raise Http404
    absence = get_object_or_404(Absence.objects.select_related("salesperson"), pk=pk)
    person_id = absence.salesperson_id
    if FieldDay.objects.filter(user_id=person_id).exists() or manager_settings.field_seller(
        person_id
    ):
        return absence, reverse("salesforce:settings_field_person", args=[person_id])
    if manager_settings.phone_seller(person_id) is None:
        raise Http404
    return absence, reverse("salesforce:settings_phone_seller", args=[person_id])


@login_required
@require_http_methods(["GET", "POST"])
def absence_change(request, pk: int):
    """Change one absence's days or note."""
    absence, back = _absence_of(request, pk)
    status = 200
    if request.method == "POST":
        form = AbsenceForm(request.POST, instance=Absence.objects.get(pk=absence.pk))
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("starts_on", "ends_on", "note")}
            try:
                changed = manager_settings.absence_change(
                    actor=request.user,
                    absence=absence,
                    data=data,
                    shown=form.cleaned_data.get("shown") or "",
                )
            except ApplicationError as error:
                refused(form, error)
                status = error.status_code
            else:
                messages.success(request, _("The absence has been changed."))
                warn_planned_work(request, changed)
                return redirect(back)
        else:
            status = 400
    else:
        form = AbsenceForm(
            instance=absence, initial={"shown": manager_settings.fingerprint(absence)}
        )
    return render(
        request,
        "pv_salesforce/manager/absence.html",
        {"form": form, "person": absence.salesperson, "back": back},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def absence_delete(request, pk: int):
    """Ask, then remove one absence (the person works on those days again)."""
    absence, back = _absence_of(request, pk)
    if request.method == "POST":
        try:
            manager_settings.absence_delete(
                actor=request.user, absence=absence, shown=request.POST.get("shown") or ""
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(request, _("The absence has been removed."))
        return redirect(back)
    return render(
        request,
        "pv_salesforce/manager/absence_delete.html",
        {"absence": absence, "shown": manager_settings.fingerprint(absence), "back": back},
    )
