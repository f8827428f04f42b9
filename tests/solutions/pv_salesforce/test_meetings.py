"""Booking field meetings: good windows are stored with coordinates, bad ones refused."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from obieg.core import clock
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.solutions.pv_salesforce import meetings
from obieg.solutions.pv_salesforce.models_field import Meeting
from tests.solutions.pv_salesforce.field_helpers import NOW, WARSAW, at, customer

pytestmark = pytest.mark.django_db


def book(actor, opportunity, start, end, **extra):
    with clock.frozen(NOW):
        return meetings.book_meeting(
            actor=actor, opportunity=opportunity, window_start=start, window_end=end, **extra
        )


def test_a_meeting_is_booked_with_the_coordinates_of_its_postal_area(org):
    opportunity = customer("Nowak", "31-042")

    meeting = book(org.manager, opportunity, at(10), at(12), address="Rynek 1, Kraków")

    assert meeting.status == Meeting.Status.BOOKED
    assert meeting.salesperson is None
    assert (meeting.postal_code, meeting.address) == ("31-042", "Rynek 1, Kraków")
    assert (meeting.latitude, meeting.longitude) == (Decimal("50.080000"), Decimal("20.000000"))


def test_without_an_address_the_customers_address_and_position_are_used(org):
    opportunity = customer("Kowal", "00-950", lat=Decimal("52.100000"), lon=Decimal("21.200000"))

    meeting = book(org.sara, opportunity, at(8), at(9))

    assert meeting.postal_code == "00-950"
    assert meeting.address == "Kowal street 1, X"
    assert (meeting.latitude, meeting.longitude) == (Decimal("52.100000"), Decimal("21.200000"))


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (at(10, day=date(2027, 3, 5)), at(12, day=date(2027, 3, 5)), "window_start", "past"),
        (at(7), at(9), "window_start", "working hours 08:00–18:00"),
        (at(17), at(19), "window_start", "working hours"),
        (at(12), at(10), "window_end", "end after it starts"),
        (at(10, day=date(2027, 11, 11)), at(12, day=date(2027, 11, 11)), "window_start", "holiday"),
        (at(10, day=date(2027, 3, 13)), at(12, day=date(2027, 3, 13)), "window_start", "business"),
        (at(10), at(10, 30), "window_end", "shorter than the meeting"),
    ],
)
def test_bad_windows_are_refused_with_field_errors_and_nothing_stored(
    org, start, end, field, message
):
    opportunity = customer("Nowak", "31-042")

    with pytest.raises(ApplicationError) as refused:
        book(org.manager, opportunity, start, end)

    assert any(message in text for text in refused.value.field_errors[field])
    assert not Meeting.objects.exists()


def test_the_working_hours_are_a_setting(org, settings):
    settings.SALESFORCE_FIELD_HOURS = ("07:00", "20:00")
    opportunity = customer("Nowak", "31-042")

    meeting = book(org.manager, opportunity, at(7), at(9))

    assert meeting.window_start == at(7)


def test_an_unknown_postal_area_is_refused(org):
    opportunity = customer("Nowak", "79-100")

    with pytest.raises(ApplicationError) as refused:
        book(org.manager, opportunity, at(10), at(12))

    assert "postal_code" in refused.value.field_errors
    assert not Meeting.objects.exists()


def test_a_closed_opportunity_gets_no_meeting(org):
    opportunity = customer("Nowak", "31-042")
    opportunity.stage = "lost"
    opportunity.save()

    with pytest.raises(ApplicationError) as refused:
        book(org.manager, opportunity, at(10), at(12))

    assert "opportunity" in refused.value.field_errors


def test_someone_without_a_sales_role_may_not_book(org):
    with pytest.raises(PermissionDenied):
        book(org.accountant, customer("Nowak", "31-042"), at(10), at(12))
    assert not Meeting.objects.exists()


def test_a_naive_time_is_refused(org):
    naive = datetime.combine(date(2027, 3, 9), time(10))
    with pytest.raises(ApplicationError):
        book(org.manager, customer("Nowak", "31-042"), naive, at(12))
    assert WARSAW  # the helpers' zone is the one the windows are read in
