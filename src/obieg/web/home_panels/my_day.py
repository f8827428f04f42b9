"""The salesperson's day: planned calls and meetings due today or left over; the week's meetings.

Both read the reader's own planned activities through the index
(owner, status, occurs_at): a range on it, capped, whatever the table's size,
as the few columns the lists print (home_panels/rows.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from obieg.core import access, clock, roles
from obieg.crm.models import Activity
from obieg.web.home_panels.rows import activity_rows

ROWS = 12


def is_for(user) -> bool:
    return user.is_authenticated and user.has_role(*roles.SELLING_ROLES, roles.SALES_MANAGER)


def _midnight(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def _planned(user) -> QuerySet:
    return (
        access.visible(Activity.objects.all(), user)
        .filter(owner=user, status=Activity.Status.PLANNED)
        .order_by("occurs_at", "id")
    )


def today_panel(user) -> dict:
    """Planned activities until tonight, the oldest first: those left over from earlier days
    (overdue) lead, then today's by the hour. One capped query."""
    now = clock.now()
    tomorrow = _midnight(now) + timedelta(days=1)
    today_start = _midnight(now)
    rows = activity_rows(
        _planned(user).filter(occurs_at__lt=tomorrow)[: ROWS + 1],
        late_before=today_start,
        late_format="j.m H:i",  # left over from an earlier day: the day too
        on_time_format="H:i",
    )
    return {
        "activities": rows[:ROWS],
        "more": len(rows) > ROWS,
        "overdue": sum(1 for row in rows[:ROWS] if row.late),
        "today_start": today_start,
        "now": now,
    }


def meetings_panel(user) -> dict:
    """This week's planned meetings (Monday to Sunday), soonest first. One capped query."""
    now = clock.now()
    monday = _midnight(now) - timedelta(days=timezone.localtime(now).weekday())
    rows = activity_rows(
        _planned(user).filter(
            kind=Activity.Kind.MEETING, occurs_at__gte=monday, occurs_at__lt=monday + timedelta(7)
        )[: ROWS + 1],
        late_before=now,  # already begun: greyed
        late_format="D j.m H:i",
    )
    return {"meetings": rows[:ROWS], "more": len(rows) > ROWS, "monday": monday, "now": now}
