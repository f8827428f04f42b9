"""Reads behind the coordinator's dashboard: deadlines across projects and the charts.

Scoped like every grants read (`selectors.Scope`): obligations of the
projects the user sees, through one semi-join left out for those who see
every project. Bounded queries on the partial indexes of `Obligation`, so
the dashboard costs the same with ten projects or two thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr, TruncMonth

from obieg.core import clock
from obieg.core.calendar_dates import add_months
from obieg.core.pagination import COUNT_CAP
from obieg.solutions.grants.models import Indicator, Obligation
from obieg.solutions.grants.selectors import (
    CHART_INDICATORS,
    CHART_MONTHS,
    DEADLINES_LIMIT,
    INDICATORS_LIMIT,
    OPEN,
    WINDOW_DAYS,
    Deadline,
    Scope,
    as_deadline,
    scope_for,
)


@dataclass(frozen=True)
class Deadlines:
    rows: list[Deadline]  # overdue first (oldest first), then the window's by due date
    overdue_count: int  # each capped at COUNT_CAP + 1
    upcoming_count: int
    below_target: list[Indicator]
    below_target_count: int
    window_days: int = WINDOW_DAYS
    limit: int = DEADLINES_LIMIT
    cap: int = COUNT_CAP


def _capped_count(queryset: QuerySet) -> int:
    return queryset.order_by()[: COUNT_CAP + 1].count()


# What a row of the deadlines shows: not every column of the project and its client.
ROW_FIELDS = (
    *("kind", "title", "due_date", "state", "done_on", "reminded_at", "escalated_at"),
    *("project__number", "project__account__name", "project__coordinator__username"),
    *("project__coordinator__first_name", "project__coordinator__last_name"),
)


def deadlines(scope: Scope, *, limit: int = DEADLINES_LIMIT) -> Deadlines:
    """Open obligations overdue or due in the next 30 days, and indicators below target.

    Two range reads on the partial index of open obligations (overdue, then
    the window), each capped, so an old backlog of overdue duties cannot push
    the coming ones off the page unseen: both are counted.
    """
    today = clock.today()
    open_ = scope.narrow(Obligation.objects.filter(state=OPEN))
    overdue = open_.filter(due_date__lt=today)
    upcoming = open_.filter(due_date__gte=today, due_date__lte=today + timedelta(WINDOW_DAYS))
    rows = []
    for part in (overdue, upcoming):
        if len(rows) < limit:
            shown = part.select_related("project__account", "project__coordinator")
            shown = shown.only(*ROW_FIELDS).order_by("due_date", "id")
            rows += list(shown[: limit - len(rows)])
    below = scope.narrow(Indicator.objects.filter(below_target=True))
    return Deadlines(
        rows=[as_deadline(obligation, today) for obligation in rows],
        overdue_count=_capped_count(overdue),
        upcoming_count=_capped_count(upcoming),
        below_target=list(
            below.select_related("project").order_by("project_id", "id")[:INDICATORS_LIMIT]
        ),
        below_target_count=_capped_count(below),
    )


def _month_of(field: str):
    """The month of a date, grouped on in the database.

    SQLite keeps a date as ISO text and Django's SQLite date_trunc is a Python
    function called for every row (a quarter of a second for a year of 2,000
    projects), so there the month is the text's first seven characters.
    """
    if connection.vendor == "sqlite":
        return Substr(field, 1, 7)
    return TruncMonth(field)


def obligations_per_month(scope: Scope, *, months: int = CHART_MONTHS) -> dict:
    """Open obligations per calendar month from this one, by kind (counted in the database)."""
    start = clock.today().replace(day=1)
    end = add_months(start, months)
    counted = (
        scope.narrow(Obligation.objects.filter(state=OPEN))
        .filter(due_date__gte=start, due_date__lt=end)
        .annotate(month=_month_of("due_date"))
        .values("month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    labels = [f"{add_months(start, offset):%Y-%m}" for offset in range(months)]
    position = {label: index for index, label in enumerate(labels)}
    per_kind = {kind: [0] * months for kind in Obligation.Kind.values}
    for row in counted:
        month = row["month"]
        label = month if isinstance(month, str) else f"{month:%Y-%m}"
        per_kind[row["kind"]][position[label]] = row["n"]
    return {
        "labels": labels,
        "datasets": [
            {"kind": kind, "label": str(label), "data": per_kind[kind]}
            for kind, label in Obligation.Kind.choices
        ],
    }


def progress_percent(indicator: Indicator) -> Decimal | None:
    """How far the latest value is towards the target, in per cent (100 = target met)."""
    latest, target = indicator.latest_value, indicator.target
    if latest is None:
        return None
    if indicator.higher_is_better:
        ratio = latest / target if target else Decimal(1 if latest >= 0 else 0)
    else:
        ratio = target / latest if latest else Decimal(1)
    return (ratio * 100).quantize(Decimal("0.1"))


def indicator_progress(scope: Scope, *, size: int = CHART_INDICATORS) -> dict:
    """Indicators' latest value against target: those below target first, then the others."""
    measured = scope.narrow(Indicator.objects.filter(latest_value__isnull=False))
    shown = list(
        measured.filter(below_target=True)
        .select_related("project")
        .order_by("project_id", "id")[:size]
    )
    if len(shown) < size:
        shown += list(
            measured.filter(below_target=False)
            .select_related("project")
            .order_by("project_id", "id")[: size - len(shown)]
        )
    return {
        "labels": [f"{indicator.project.number}: {indicator.name}" for indicator in shown],
        # Plain numbers for the chart; the exact values stay in the table beside it.
        "percent": [float(progress_percent(indicator)) for indicator in shown],
        "below": [indicator.below_target for indicator in shown],
    }


def home_panel(user) -> dict:
    """The coordinator's home panel: the first deadlines and how many there are."""
    return {"deadlines": deadlines(scope_for(user), limit=5)}
