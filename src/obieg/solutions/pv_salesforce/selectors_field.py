"""What the field pages show: a salesperson's day, every field day for the manager, the panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obieg.core import clock, roles
from obieg.solutions.pv_salesforce import field_schedule, geo, routes
from obieg.solutions.pv_salesforce.models_field import FieldDay, FieldPlan, Meeting

UNPLACED_REASONS = {
    field_schedule.DOES_NOT_FIT: _("does not fit anyone's hours, route and the promised window"),
    field_schedule.NO_POSITION: _("the address has no known position"),
    field_schedule.NO_SALESPERSON: _("no field salesperson works that day"),
}
# A day has a few visits; the cap keeps a page bounded whatever the data.
DAY_CAP = 50
UNPLACED_CAP = 200


def is_field_seller(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(roles.FIELD_SALES))


def may_see_field_day(user) -> bool:
    return is_field_seller(user) or field_schedule.may_plan(user)


def map_tile_url() -> str:
    """The tile server the map draws from (setting `MAP_TILE_URL`); empty means no map."""
    return settings.MAP_TILE_URL


@dataclass
class Visit:
    meeting: Meeting
    start: datetime
    end: datetime
    travel_minutes: int
    map_link: str
    point: geo.Point | None


def _bounds(day: date) -> tuple[datetime, datetime]:
    return routes.midnight(day), routes.midnight(day + timedelta(days=1))


def _visit(meeting: Meeting) -> Visit:
    point = geo.locate(meeting.latitude, meeting.longitude, meeting.postal_code)
    start = meeting.planned_start or meeting.window_start
    return Visit(
        meeting=meeting,
        start=start,
        end=start + timedelta(minutes=meeting.duration_minutes),
        travel_minutes=meeting.travel_minutes or 0,
        map_link=geo.map_link(meeting.address, meeting.postal_code, point),
        point=point,
    )


def visits_of(user, day: date) -> list[Visit]:
    """The salesperson's visits on `day` in the order the route takes them."""
    start, end = _bounds(day)
    meetings = (
        Meeting.objects.filter(salesperson=user, planned_start__gte=start, planned_start__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("opportunity__account")
        .order_by("planned_start", "id")[:DAY_CAP]
    )
    return [_visit(m) for m in meetings]


def map_points(user, visits: list[Visit]) -> dict:
    """The map's data: home base, then the visits in order (for map.js)."""
    home = None
    field_day = FieldDay.objects.filter(user=user).first()
    if field_day is not None:
        home = geo.locate(
            field_day.home_latitude, field_day.home_longitude, field_day.home_postal_code
        )
    return {
        "home": list(home) if home else None,
        "stops": [
            {
                "lat": v.point[0],
                "lon": v.point[1],
                "label": f"{v.start.astimezone(timezone.get_current_timezone()):%H:%M} "
                f"{v.meeting.opportunity.account.name}",
            }
            for v in visits
            if v.point is not None
        ],
    }


def day_summary(visits: list[Visit]) -> dict:
    return {
        "count": len(visits),
        "travel_minutes": sum(v.travel_minutes for v in visits),
        "done": sum(1 for v in visits if v.meeting.status == Meeting.Status.DONE),
    }


@dataclass
class PersonDay:
    person: object
    field_day: FieldDay
    visits: list[Visit]
    works: bool

    @property
    def travel_minutes(self) -> int:
        return sum(v.travel_minutes for v in self.visits)


def all_days(day: date) -> dict:
    """Every field salesperson's day for the manager, the meetings left unplaced, the plan."""
    working = {d.user_id for d in field_schedule.working_salespeople(day)}
    # Planners (sales managers) see every field salesperson, as they see every crew.
    people = (
        FieldDay.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    start, end = _bounds(day)
    planned = (
        Meeting.objects.filter(planned_start__gte=start, planned_start__lt=end)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("opportunity__account")
        .order_by("planned_start", "id")
    )
    by_person: dict[int, list[Visit]] = {}
    for meeting in planned[: DAY_CAP * 100]:
        by_person.setdefault(meeting.salesperson_id, []).append(_visit(meeting))
    rows = [
        PersonDay(d.user, d, by_person.get(d.user_id, []), d.user_id in working) for d in people
    ]
    plan = FieldPlan.objects.filter(day=day).first()
    why = {entry["meeting"]: entry["reason"] for entry in (plan.unplaced if plan else [])}
    unplaced = list(
        field_schedule.day_meetings(day)
        .filter(status=Meeting.Status.BOOKED)
        .select_related("opportunity__account")[:UNPLACED_CAP]
    )
    for meeting in unplaced:
        meeting.unplaced_reason = UNPLACED_REASONS.get(why.get(meeting.pk), "")
    return {
        "rows": rows,
        "unplaced": unplaced,
        "plan": plan,
        "placed": sum(len(r.visits) for r in rows),
        "travel_minutes": sum(r.travel_minutes for r in rows),
    }


def home_panel(user) -> dict:
    """A field salesperson's home panel: today's visits (or the next working day's)."""
    today = clock.today()
    visits = visits_of(user, today)
    day = today
    if not visits:
        day = field_schedule.next_working_day(today)
        visits = visits_of(user, day)
    return {"day": day, "visits": visits[:5], "summary": day_summary(visits)}
