"""Pages of the durability period: indicators and measurements, reports, the client's link.

Thin: each page reads through `access` and hands the request's values to the
services in `durability` / `report_documents`, which validate and refuse with
field errors (shown beside the field, status 400, nothing changed).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from obieg.core import access, clock
from obieg.core.errors import ApplicationError
from obieg.solutions.grants import durability, links, notify, permissions, report_documents
from obieg.solutions.grants.models import (
    DurabilityReport,
    GrantProject,
    Indicator,
    Measurement,
)


def _project(user, pk: int) -> GrantProject:
    return access.get_visible_or_404(
        GrantProject.objects.select_related("account", "coordinator"), user, pk=pk
    )


def _date(raw: str, field: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        message = _("Enter a valid date.")
        raise ApplicationError(message, field_errors={field: [message]}) from error


def section_context(request, project: GrantProject) -> dict:
    """The durability block of the project page: period, indicators, reports and their states."""
    return {
        "project": project,
        "started": project.final_payment_on is not None,
        "indicators": durability.indicator_rows(project),
        "reports": durability.reports(project),
        "below_target": project.indicators.filter(below_target=True).count(),
        "may_change": permissions.may_work_on(request.user, project),
    }


def _page(request, project: GrantProject, *, errors=None, form=None, status: int = 200):
    return render(
        request,
        "grants/durability/indicators.html",
        {
            "project": project,
            "durability": section_context(request, project),
            "kinds": Indicator.Kind.choices,
            "errors": errors or {},
            "general": (errors or {}).get("__all__", []),
            "form": form or {},
            "today": clock.today(),
        },
        status=status,
    )


def _act(request, project: GrantProject) -> str:
    """Carry out the posted action; the success message."""
    post, user = request.POST, request.user
    action = post.get("action", "")
    if action == "add":
        durability.indicator_add(actor=user, project=project, data=post.dict())
        return _("The indicator has been added.")
    if action in ("change", "remove", "measure"):
        try:
            item_id = int(post.get("id", ""))
        except ValueError as error:
            raise Http404 from error
    if action == "change":
        indicator = _indicator(project, item_id)
        durability.indicator_change(actor=user, indicator=indicator, data=post.dict())
        return _("The indicator has been changed.")
    if action == "remove":
        durability.indicator_remove(actor=user, indicator=_indicator(project, item_id))
        return _("The indicator has been removed.")
    if action == "measure":
        measurement = Measurement.objects.filter(indicator__project=project, pk=item_id).first()
        if measurement is None:
            raise Http404
        durability.record_measurement(
            measurement=measurement,
            value=post.get("value", ""),
            measured_on=_date(post.get("measured_on", ""), "measured_on"),
            actor=user,
            note=post.get("note", "").strip(),
        )
        return _("The measurement has been recorded.")
    raise ApplicationError(_("Unknown operation."))


def _indicator(project: GrantProject, pk: int) -> Indicator:
    indicator = project.indicators.filter(pk=pk).first()
    if indicator is None:
        raise Http404
    return indicator


@login_required
@require_http_methods(["GET", "POST"])
def indicators(request, pk: int):
    """Manage the project's indicators and enter their measurements."""
    project = _project(request.user, pk)
    if request.method == "POST":
        try:
            message = _act(request, project)
        except ApplicationError as error:
            # A refusal (400), or 403 when the reader may not change the project.
            errors = error.field_errors or {"__all__": [error.message]}
            return _page(
                request, project, errors=errors, form=request.POST.dict(), status=error.status_code
            )
        messages.success(request, message)
        return redirect("grants:indicators", project.pk)
    return _page(request, project)


def _report(request, pk: int, number: int) -> tuple[GrantProject, DurabilityReport]:
    project = _project(request.user, pk)
    report = project.durability_reports.filter(number=number).first()
    if report is None:
        raise Http404
    report.project = project
    return project, report


def _back(project: GrantProject):
    return redirect(project.get_absolute_url() + "#durability")


@login_required
@require_POST
def report_generate(request, pk: int, number: int):
    """Draw the report's PDF and DOCX and store them on the project."""
    project, report = _report(request, pk, number)
    try:
        report_documents.generate(actor=request.user, report=report)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(project)
    messages.success(request, _("The report has been generated."))
    return _back(project)


@login_required
@require_POST
def report_submit(request, pk: int, number: int):
    """The coordinator sent the report to the grantor."""
    project, report = _report(request, pk, number)
    try:
        submitted_on = _date(request.POST.get("submitted_on", ""), "submitted_on")
        durability.report_submit(actor=request.user, report=report, submitted_on=submitted_on)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _back(project)
    messages.success(request, _("The report has been marked as submitted."))
    return _back(project)


@require_http_methods(["GET", "POST"])
def measurement_entry(request, token: str):
    """No log-in: the client enters an indicator's value through the signed link."""
    try:
        measurement = links.measurement_for_token(token)
    except ApplicationError as error:
        with translation.override("pl"):
            response = render(
                request,
                "grants/durability/measurement_entry.html",
                {"invalid": error.message, "language": "pl"},
                status=404,
            )
        response["Referrer-Policy"] = "same-origin"
        return response
    project = measurement.indicator.project
    language = notify.client_language(project)
    errors: dict[str, list[str]] = {}
    done, status = False, 200
    with translation.override(language):
        if request.method == "POST" and measurement.value is None:
            try:
                durability.record_measurement(
                    measurement=measurement,
                    value=request.POST.get("value", ""),
                    measured_on=_date(request.POST.get("measured_on", ""), "measured_on"),
                    by_client=True,
                    note=request.POST.get("note", "").strip(),
                )
                done = True
            except ApplicationError as error:
                errors, status = error.field_errors or {"__all__": [error.message]}, 400
            measurement.refresh_from_db()
        elif request.method == "POST":
            errors, status = {"__all__": [_("This measurement has already been entered.")]}, 409
        response = render(
            request,
            "grants/durability/measurement_entry.html",
            {
                "measurement": measurement,
                "indicator": measurement.indicator,
                "project": project,
                "errors": errors,
                "general": errors.get("__all__", []),
                "done": done,
                "posted": request.POST,
                "language": language,
                "today": clock.today(),
            },
            status=status,
        )
    # The token must not leak to other sites through the Referer header.
    response["Referrer-Policy"] = "same-origin"
    return response
