"""Sales reports: each a filter, charts with their tables, and the CSV/XLSX export.

Thin: the figures come from obieg.crm.reports (one aggregate query per table);
who may see whose figures is crm.reports.scope. A person or team outside the
reader's scope is refused with 403, a bad period shows the form's errors (400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from obieg.core import clock
from obieg.core.errors import PermissionDenied
from obieg.crm.reports import activity, sales, scope
from obieg.crm.reports.table import MONEY, MONTH, Period, Table
from obieg.web.forms.reports import ReportFilter, month_end, month_start
from obieg.web.reports_export import csv_text, xlsx_bytes
from obieg.web.views.common import refuse


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Callable[..., Table]
    # The table's columns drawn as bars (all of them when empty), stacked or side by side.
    series: tuple[str, ...] = ()
    stacked: bool = False
    horizontal: bool = False


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    summary: str
    sections: tuple[Section, ...]
    default_period: Callable | None  # today → Period; None: a snapshot, no period


def _last_twelve_months(today):
    return Period(month_start(today, 11), today)


def _next_six_months(today):
    return Period(month_start(today), month_end(today, 5))


def _last_thirty_days(today):
    return Period(today - timedelta(days=29), today)


STAGES = ("qualification", "needs_analysis", "proposal", "negotiation")
REPORTS = {
    report.key: report
    for report in (
        Report(
            "pipeline",
            gettext_lazy("Pipeline"),
            gettext_lazy("Open opportunities today: value in each stage per salesperson."),
            (
                Section(
                    "pipeline",
                    gettext_lazy("Pipeline by stage and owner"),
                    lambda owners, period: sales.pipeline(owners),
                    series=STAGES,
                    stacked=True,
                    horizontal=True,
                ),
            ),
            None,
        ),
        Report(
            "won-lost",
            gettext_lazy("Won and lost"),
            gettext_lazy("Opportunities closed in the period, by the month they closed."),
            (
                Section(
                    "won_lost",
                    gettext_lazy("Won and lost by month"),
                    sales.won_lost,
                    series=("won_value", "lost_value"),
                ),
                Section(
                    "loss_reasons",
                    gettext_lazy("Reasons for loss"),
                    sales.loss_reasons,
                    series=("lost",),
                    horizontal=True,
                ),
            ),
            _last_twelve_months,
        ),
        Report(
            "forecast",
            gettext_lazy("Forecast"),
            gettext_lazy(
                "Open opportunities by the month they are expected to close; "
                "the weighted value is value × probability."
            ),
            (
                Section(
                    "forecast",
                    gettext_lazy("Forecast by expected close month"),
                    sales.forecast,
                    series=("value", "weighted"),
                ),
            ),
            _next_six_months,
        ),
        Report(
            "activity",
            gettext_lazy("Activity"),
            gettext_lazy("Meetings, calls, notes and e-mails of each salesperson in the period."),
            (
                Section(
                    "activity",
                    gettext_lazy("Activity per salesperson"),
                    activity.activity,
                    series=("kind_meeting", "kind_call", "kind_note", "kind_email"),
                    stacked=True,
                    horizontal=True,
                ),
            ),
            _last_thirty_days,
        ),
    )
}


@login_required
@require_GET
def report_index(request):
    """The menu's entry: the first report, the pipeline."""
    return report_page(request, "pipeline")


class _Refused(Exception):
    def __init__(self, message: str):
        self.message = message


def _report(key: str) -> Report:
    try:
        return REPORTS[key]
    except KeyError as error:
        raise Http404 from error


def _figures(request, report: Report):
    """The filter form, the chosen period and the tables; _Refused for a foreign scope."""
    user = request.user
    if not scope.may_see_reports(user):
        raise _Refused(_("Sales reports are for salespeople, their managers and the board."))
    today = clock.today()
    default = report.default_period(today) if report.default_period else None
    form = ReportFilter(request.GET or None, user=user, default=default)
    chosen = {"period": default, "owner": None, "team": None}
    status = 200
    if form.is_bound:
        if form.is_valid():
            chosen.update(form.cleaned_data)
        elif form.refused_choice():
            raise _Refused(_("You may not see the figures of this person or team."))
        else:
            status = 400  # the form's errors are shown; the figures are the defaults
    try:
        owners = scope.owners_for(user, owner=chosen["owner"], team=chosen.get("team"))
    except PermissionDenied as error:
        raise _Refused(error.message) from error
    period = chosen["period"]
    tables = [(section, section.build(owners, period)) for section in report.sections]
    return form, period, tables, status


@login_required
@require_GET
def report_page(request, key: str):
    report = _report(key)
    try:
        form, period, tables, status = _figures(request, report)
    except _Refused as refusal:
        return refuse(request, refusal.message, status=403, back_url=reverse("opportunity_list"))
    query = request.GET.urlencode()
    return render(
        request,
        "web/reports/report.html",
        {
            "report": report,
            "reports": REPORTS.values(),
            "form": form,
            "period": period,
            "sections": [(section, table) for section, table in tables],
            "charts": {section.key: _chart(section, table) for section, table in tables},
            "query": query,
        },
        status=status,
    )


@login_required
@require_GET
def report_export(request, key: str):
    report = _report(key)
    try:
        form, period, tables, status = _figures(request, report)
    except _Refused as refusal:
        return HttpResponse(refusal.message, status=403, content_type="text/plain; charset=utf-8")
    if status != 200:
        errors = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    titled = [(str(section.title), table) for section, table in tables]
    name = f"{report.key}-{clock.today():%Y-%m-%d}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx_bytes(titled),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = csv_text(titled, separator=request.GET.get("sep", "semicolon"))
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _chart(section: Section, table: Table) -> dict:
    """Labels and numbers for reports.js (the table beside the chart holds the same)."""
    first = table.columns[0]
    labels = [
        formats.date_format(cell, "YEAR_MONTH_FORMAT")
        if first.kind == MONTH and not isinstance(cell, str)
        else str(cell)
        for cell in table.column(first.key)
    ]
    wanted = set(section.series)
    datasets = [
        {
            "label": str(column.label),
            # Display only: the chart needs plain numbers; the table shows the exact amounts.
            "data": [
                round(float(cell), 2) if column.kind == MONEY else cell
                for cell in table.column(column.key)
            ],
        }
        for column in table.columns[1:]
        if not wanted or column.key in wanted
    ]
    return {
        "labels": labels,
        "datasets": datasets,
        "stacked": section.stacked,
        "horizontal": section.horizontal,
        "money": any(column.kind == MONEY for column in table.columns if column.key in wanted),
    }
