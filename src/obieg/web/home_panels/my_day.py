"""The salesperson's activities: planned calls and meetings due today or left over, the week's
meetings, and the coming days' activities.

Each reads the reader's own planned activities through an index on
(owner, status, occurs_at) or the meetings' own: a range on it, capped,
whatever the table's size, as the few columns the lists print
(home_panels/rows.py), compiled once per kind of reader
(core/reader_statements.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from obieg.core import access, clock, compiled_once, reader_statements, roles
from obieg.crm.models import Activity
from obieg.crm.selectors import pipeline
from obieg.web.home_panels.rows import ACTIVITY_FIELDS, ActivityRow, activity_rows

ROWS = 12
_MOMENT = compiled_once.Value(datetime, Activity._meta.get_field("occurs_at"))


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


def _read(
    name: str, user, moments: Mapping[str, datetime], build: Callable[..., QuerySet]
) -> list[tuple]:
    """`build(reader, moments)`'s activities as ACTIVITY_FIELDS, compiled once per shape."""
    return reader_statements.rows(
        name,
        user,
        models=(Activity,),
        values=moments,
        kinds=dict.fromkeys(moments, _MOMENT),
        build=lambda reader, values: build(reader, values).values_list(*ACTIVITY_FIELDS),
    )


def today_panel(user) -> dict:
    """Planned activities until tonight, the oldest first: those left over from earlier days
    (overdue) lead, then today's by the hour. One capped query."""
    now = clock.now()
    tomorrow = _midnight(now) + timedelta(days=1)
    today_start = _midnight(now)
    rows = activity_rows(
        _read(
            "home.today",
            user,
            {"before": tomorrow},
            lambda reader, at: _planned(reader).filter(occurs_at__lt=at["before"])[: ROWS + 1],
        ),
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
        _read(
            "home.meetings",
            user,
            {"from": monday, "before": monday + timedelta(7)},
            lambda reader, at: _planned(reader).filter(
                kind=Activity.Kind.MEETING, occurs_at__gte=at["from"], occurs_at__lt=at["before"]
            )[: ROWS + 1],
        ),
        late_before=now,  # already begun: greyed
        late_format="D j.m H:i",
    )
    return {"meetings": rows[:ROWS], "more": len(rows) > ROWS, "monday": monday, "now": now}


def coming_days(user, now: datetime, *, days: int = 7) -> list[ActivityRow]:
    """The reader's planned activities from today for `days` days, soonest first (sales home)."""
    start = _midnight(now)
    return activity_rows(
        _read(
            "home.coming",
            user,
            {"from": start, "before": start + timedelta(days=days)},
            lambda reader, at: pipeline.planned_activities(
                reader, start=at["from"], end=at["before"]
            ),
        ),
        late_before=now,
        late_format="D j.m H:i",
        account_link="account_detail",
    )
