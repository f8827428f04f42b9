"""Pipeline by stage and owner, won and lost by month with reasons, the forecast.

One aggregate query each (counting a column the report's index holds, not the id, so
PostgreSQL can answer from the index alone) (plus one for the owners' names), whatever the size
of the opportunity table; the amounts are exact (sums.py).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from obieg.crm.models import Opportunity
from obieg.crm.reports import people
from obieg.crm.reports.scope import Owners
from obieg.crm.reports.sums import from_grosze, from_weighted, sum_grosze, sum_weighted
from obieg.crm.reports.table import (
    COUNT,
    MONEY,
    MONTH,
    PERCENT,
    TEXT,
    Column,
    Period,
    Table,
    month_bucket,
)

Stage = Opportunity.Stage
ZERO = Decimal(0)
# The reasons of loss a report lists one by one; the rest are added up as "other".
TOP_REASONS = 10


def pipeline(owners: Owners) -> Table:
    """Open opportunities now: value per stage for each owner, the count, the weighted value."""
    groups = (
        Opportunity.objects.filter(owners.q(), stage__in=Opportunity.OPEN_STAGES)
        .values("owner", "stage")
        .annotate(n=Count("stage"), grosze=sum_grosze(), weighted=sum_weighted())
        .order_by()
    )
    cells: dict = defaultdict(lambda: {"n": 0, "weighted": 0})
    for group in groups:
        row = cells[group["owner"]]
        row[group["stage"]] = from_grosze(group["grosze"])
        row["n"] += group["n"]
        row["weighted"] += group["weighted"]
    columns = [Column("owner", _("Salesperson"), TEXT)]
    columns += [Column(stage, Stage(stage).label, MONEY) for stage in Opportunity.OPEN_STAGES]
    columns += [
        Column("count", _("Opportunities"), COUNT),
        Column("value", _("Value"), MONEY),
        Column("weighted", _("Weighted value"), MONEY),
    ]
    table = Table(columns)
    for owner_id, name in people.by_name(cells):
        row = cells[owner_id]
        by_stage = [row.get(stage, ZERO) for stage in Opportunity.OPEN_STAGES]
        table.rows.append(
            [name, *by_stage, row["n"], sum(by_stage), from_weighted(row["weighted"])]
        )
    table.total = _totals(_("Total"), table.rows)
    return table


def won_lost(owners: Owners, period: Period) -> Table:
    """Opportunities won and lost in each month of the period (by the day they closed)."""
    start, end = period.bounds()
    won, lost = Q(stage=Stage.WON), Q(stage=Stage.LOST)
    groups = (
        Opportunity.objects.filter(
            owners.q(), stage__in=(Stage.WON, Stage.LOST), closed_at__gte=start, closed_at__lt=end
        )
        .annotate(month=month_bucket("closed_at", period, instants=True))
        .values("month")
        .annotate(
            won=Count("stage", filter=won),
            won_value=sum_grosze(filter=won),
            lost=Count("stage", filter=lost),
            lost_value=sum_grosze(filter=lost),
        )
        .order_by()
    )
    by_month = {group["month"]: group for group in groups}
    table = Table(
        [
            Column("month", _("Month"), MONTH),
            Column("won", _("Won deals"), COUNT),
            Column("won_value", _("Won value"), MONEY),
            Column("lost", _("Lost deals"), COUNT),
            Column("lost_value", _("Lost value"), MONEY),
            Column("win_rate", _("Win rate"), PERCENT),
        ]
    )
    for index, month in enumerate(period.months()):
        group = by_month.get(index, {})
        counts = group.get("won", 0), group.get("lost", 0)
        values = from_grosze(group.get("won_value")), from_grosze(group.get("lost_value"))
        table.rows.append([month, counts[0], values[0], counts[1], values[1], _rate(*counts)])
    total = _totals(_("Total"), table.rows)
    total[-1] = _rate(total[1], total[3])
    table.total = total
    return table


def loss_reasons(owners: Owners, period: Period) -> Table:
    """Why opportunities closed in the period were lost: the most common reasons, then the rest.

    The reason is the free text a salesperson typed when closing (Opportunity.lost_reason),
    grouped as typed; an empty one is shown as "(not given)".
    """
    start, end = period.bounds()
    groups = list(
        Opportunity.objects.filter(
            owners.q(), stage=Stage.LOST, closed_at__gte=start, closed_at__lt=end
        )
        .values("lost_reason")
        .annotate(n=Count("stage"), grosze=sum_grosze())
        .order_by("-n", "lost_reason")
    )
    everything = sum(group["n"] for group in groups)
    table = Table(
        [
            Column("reason", _("Reason for loss"), TEXT),
            Column("lost", _("Lost deals"), COUNT),
            Column("lost_value", _("Lost value"), MONEY),
            Column("share", _("Share"), PERCENT),
        ]
    )
    shown, rest = groups[:TOP_REASONS], groups[TOP_REASONS:]
    for group in shown:
        reason = group["lost_reason"].strip() or _("(not given)")
        table.rows.append(
            [reason, group["n"], from_grosze(group["grosze"]), _share(group["n"], everything)]
        )
    if rest:
        n = sum(group["n"] for group in rest)
        value = sum((from_grosze(group["grosze"]) for group in rest), ZERO)
        table.rows.append([_("other reasons"), n, value, _share(n, everything)])
    total = _totals(_("Total"), table.rows)
    total[-1] = Decimal(1) if everything else None
    table.total = total
    return table


def forecast(owners: Owners, period: Period) -> Table:
    """Open opportunities by the month they are expected to close: value and value × probability.

    Open opportunities with no expected close date are shown in a row of their own.
    """
    in_period = Q(expected_close__gte=period.first, expected_close__lte=period.last)
    groups = (
        Opportunity.objects.filter(owners.q(), stage__in=Opportunity.OPEN_STAGES)
        .filter(in_period | Q(expected_close__isnull=True))
        .annotate(month=month_bucket("expected_close", period, instants=False))
        .values("month")
        .annotate(n=Count("stage"), grosze=sum_grosze(), weighted=sum_weighted())
        .order_by()
    )
    by_month = {group["month"]: group for group in groups}
    table = Table(
        [
            Column("month", _("Expected close"), MONTH),
            Column("count", _("Opportunities"), COUNT),
            Column("value", _("Value"), MONEY),
            Column("weighted", _("Weighted value"), MONEY),
        ]
    )
    for index, month in enumerate(period.months()):
        group = by_month.get(index, {})
        table.rows.append(
            [
                month,
                group.get("n", 0),
                from_grosze(group.get("grosze")),
                from_weighted(group.get("weighted")),
            ]
        )
    undated = by_month.get(None)
    if undated:
        table.rows.append(
            [
                _("no expected close date"),
                undated["n"],
                from_grosze(undated["grosze"]),
                from_weighted(undated["weighted"]),
            ]
        )
    table.total = _totals(_("Total"), table.rows)
    return table


def _rate(won: int, lost: int) -> Decimal | None:
    """The share of closed opportunities that were won; None when none closed."""
    return Decimal(won) / Decimal(won + lost) if won + lost else None


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _totals(label: str, rows: list[list]) -> list:
    """The summing row: the label, then column sums (counts and amounts)."""
    if not rows:
        return [label]
    total: list = [label]
    for index in range(1, len(rows[0])):
        cells = [row[index] for row in rows]
        if all(isinstance(cell, int | Decimal) for cell in cells):
            total.append(sum(cells, start=ZERO if isinstance(cells[0], Decimal) else 0))
        else:
            total.append(None)
    return total
