"""Activity per salesperson: meetings, calls, notes and e-mails in the period, by status.

One query with conditional counts per owner (activity.owner: who did or will do it),
counting a column of the report's index (not the id), so the index alone answers it.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from obieg.crm.models import Activity
from obieg.crm.reports import people
from obieg.crm.reports.scope import Owners
from obieg.crm.reports.table import COUNT, TEXT, Column, Period, Table

Kind, Status = Activity.Kind, Activity.Status


def activity(owners: Owners, period: Period) -> Table:
    start, end = period.bounds()
    counts = {f"kind_{kind}": Count("occurs_at", filter=Q(kind=kind)) for kind in Kind.values}
    counts |= {
        f"status_{status}": Count("occurs_at", filter=Q(status=status)) for status in Status.values
    }
    groups = (
        Activity.objects.filter(owners.q(), occurs_at__gte=start, occurs_at__lt=end)
        .values("owner")
        .annotate(total=Count("occurs_at"), **counts)
        .order_by()
    )
    by_owner = {group["owner"]: group for group in groups}
    columns = [Column("owner", _("Salesperson"), TEXT)]
    columns += [Column(f"kind_{kind}", Kind(kind).label, COUNT) for kind in Kind.values]
    columns += [Column(f"status_{status}", Status(status).label, COUNT) for status in Status.values]
    columns.append(Column("total", _("All"), COUNT))
    table = Table(columns)
    for owner_id, name in people.by_name(by_owner):
        group = by_owner[owner_id]
        table.rows.append([name, *(group[column.key] for column in columns[1:])])
    table.total = [_("Total")] + [
        sum(row[index] for row in table.rows) for index in range(1, len(columns))
    ]
    return table
