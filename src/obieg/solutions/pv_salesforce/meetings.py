"""Booking field meetings and recording how they went.

A meeting is booked (by a telephone salesperson, a field salesperson or a
manager) inside a time window promised to the customer; the route solver
later gives it a salesperson and a time (routes.py). The window must lie in
the future, on a Polish business day and inside the field working hours
(`SALESFORCE_FIELD_HOURS`, 08:00–18:00 by default).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obieg.core import access, audit, business_days, clock, roles
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.records import full_clean
from obieg.crm.models import Opportunity
from obieg.solutions.pv_salesforce import geo
from obieg.solutions.pv_salesforce.models_field import Meeting

DEFAULT_FIELD_HOURS = ("08:00", "18:00")
BOOKING_ROLES = (roles.PHONE_SALES, roles.FIELD_SALES, roles.SALES_MANAGER, roles.SALESPERSON)


def field_hours() -> tuple[time, time]:
    """The hours field meetings may take place in (setting `SALESFORCE_FIELD_HOURS`)."""
    start, end = getattr(settings, "SALESFORCE_FIELD_HOURS", DEFAULT_FIELD_HOURS)
    return time.fromisoformat(start), time.fromisoformat(end)


def may_book(actor) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return access.is_admin(actor) or actor.has_role(*BOOKING_ROLES)


def window_errors(window_start: datetime, window_end: datetime) -> dict[str, list[str]]:
    """What is wrong with a promised window (empty when it can be booked)."""
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(window_start) or timezone.is_naive(window_end):
        return {"window_start": [_("Give the time with its time zone.")]}
    if window_end <= window_start:
        errors["window_end"] = [_("The window must end after it starts.")]
    if window_start < clock.now():
        errors.setdefault("window_start", []).append(_("The window is in the past."))
    start, end = timezone.localtime(window_start), timezone.localtime(window_end)
    if start.date() != end.date():
        errors.setdefault("window_end", []).append(_("The window must end on the day it starts."))
    day = start.date()
    holiday = business_days.holiday_name(day)
    if holiday:
        errors.setdefault("window_start", []).append(
            _("%(day)s is a public holiday (%(name)s).") % {"day": day, "name": holiday}
        )
    elif not business_days.is_business_day(day):
        errors.setdefault("window_start", []).append(
            _("%(day)s is not a business day.") % {"day": day}
        )
    first, last = field_hours()
    if start.time() < first or end.time() > last:
        errors.setdefault("window_start", []).append(
            _("The window must lie within the working hours %(start)s–%(end)s.")
            % {"start": first.strftime("%H:%M"), "end": last.strftime("%H:%M")}
        )
    return errors


def _location(opportunity: Opportunity, address: str, postal_code: str):
    """The meeting's address and position: as given, else the customer's."""
    account = opportunity.account
    address = address or ", ".join(p for p in (account.street, account.city) if p)
    if postal_code and postal_code != account.postal_code:
        return address, postal_code, geo.locate_postal_code(postal_code)
    postal_code = account.postal_code
    return address, postal_code, geo.locate(account.latitude, account.longitude, postal_code)


@transaction.atomic
def book_meeting(
    *,
    actor,
    opportunity: Opportunity,
    window_start: datetime,
    window_end: datetime,
    address: str = "",
    postal_code: str = "",
    duration_minutes: int = 60,
) -> Meeting:
    """Book a field visit for an open opportunity inside the window promised to the customer.

    Refused with field errors (and nothing written) for a window in the past,
    outside the working hours, on a weekend or a holiday, ending before it
    starts, too short for the visit, or at a place whose area is unknown.
    """
    if not may_book(actor):
        raise PermissionDenied(_("Only salespeople and sales managers book field meetings."))
    if not opportunity.is_open:
        raise ApplicationError(
            _("The opportunity is closed."),
            field_errors={"opportunity": [_("Book meetings only for open opportunities.")]},
        )
    errors = window_errors(window_start, window_end)
    if not errors and window_end - window_start < timedelta(minutes=duration_minutes):
        errors["window_end"] = [_("The window is shorter than the meeting.")]
    address, postal_code, point = _location(opportunity, address.strip(), postal_code.strip())
    if point is None:
        errors["postal_code"] = [_("Give a Polish postal code (for example 31-042).")]
    if errors:
        raise ApplicationError(_("The meeting cannot be booked."), field_errors=errors)
    latitude, longitude = geo.as_decimals(point)
    meeting = Meeting(
        opportunity=opportunity,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes,
        address=address,
        postal_code=postal_code,
        latitude=latitude,
        longitude=longitude,
        booked_by=actor,
    )
    full_clean(meeting)
    meeting.save()
    audit.record_create(meeting, actor=actor)
    return meeting
