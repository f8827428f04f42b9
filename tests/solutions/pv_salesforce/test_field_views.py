"""The field pages: a salesperson's day, outcomes, and the manager's re-plan button."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obieg.core import clock
from obieg.crm.models import Opportunity
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_salesforce import field_schedule, meetings
from obieg.solutions.pv_salesforce.models_field import FieldPlan, Meeting
from tests.solutions.pv_salesforce.field_helpers import (
    DAY,
    NOW,
    at,
    customer,
    field_salesperson,
)

pytestmark = pytest.mark.django_db
DAY_URL = reverse("salesforce:field_day")


@pytest.fixture
def kuba(org):
    return field_salesperson("kuba", "31-000", team=org.sales_team).user


@pytest.fixture
def planned(org, kuba):
    """Two visits in and near Kraków, planned for Kuba; he owns the opportunities."""
    with clock.frozen(NOW):
        booked = [
            meetings.book_meeting(
                actor=org.manager,
                opportunity=customer(name, code, owner=kuba),
                window_start=start,
                window_end=end,
            )
            for name, code, start, end in (
                ("Nowak", "31-042", at(9), at(11)),
                ("Wójcik", "32-020", at(13), at(15)),
            )
        ]
        field_schedule.build_field_schedules(day=DAY, actor=org.manager)
    for meeting in booked:
        meeting.refresh_from_db()
    return booked


def test_the_salesperson_sees_the_visits_in_order_with_times_and_drives(client, kuba, planned):
    client.force_login(kuba)

    response = client.get(DAY_URL, {"day": DAY.isoformat()})

    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Nowak") < body.index("Wójcik")
    assert "min drive" in body and "geo:" in body
    assert 'id="field-map"' not in body  # no tiles configured, no map


def test_a_map_only_when_tiles_are_configured(client, kuba, planned, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    client.force_login(kuba)

    body = client.get(DAY_URL, {"day": DAY.isoformat()}).content.decode()

    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in body
    assert "vendor/leaflet/leaflet.js" in body and 'id="field-map-data"' in body


def test_others_do_not_get_the_page_and_a_bad_day_is_refused(client, org, kuba):
    client.force_login(org.accountant)
    assert client.get(DAY_URL).status_code == 404
    client.force_login(kuba)
    assert client.get(DAY_URL, {"day": "yesterday"}).status_code == 400


def test_a_won_meeting_wins_its_opportunity(client, kuba, planned):
    client.force_login(kuba)
    meeting = planned[0]

    response = client.post(
        reverse("salesforce:meeting_outcome", args=[meeting.pk]),
        {"outcome": "won", "revision": meeting.revision},
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == (Meeting.Status.DONE, "won")
    assert meeting.opportunity.stage == Opportunity.Stage.WON


def test_a_loss_needs_its_reason(client, kuba, planned):
    client.force_login(kuba)
    meeting = planned[1]
    url = reverse("salesforce:meeting_outcome", args=[meeting.pk])

    refused = client.post(url, {"outcome": "lost", "reason": " ", "revision": meeting.revision})

    assert refused.status_code == 400
    assert "Give the reason for the loss." in refused.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == (Meeting.Status.PLANNED, "")

    client.post(url, {"outcome": "lost", "reason": "Too expensive", "revision": meeting.revision})
    meeting.opportunity.refresh_from_db()
    assert meeting.opportunity.stage == Opportunity.Stage.LOST
    assert meeting.opportunity.lost_reason == "Too expensive"


def test_someone_elses_meeting_is_not_found(client, org, planned):
    other = field_salesperson("kasia", "40-000").user
    client.force_login(other)

    response = client.post(
        reverse("salesforce:meeting_outcome", args=[planned[0].pk]), {"outcome": "met"}
    )

    assert response.status_code == 404


def test_the_manager_sees_every_day_and_re_plans_it(client, org, kuba, planned):
    client.force_login(org.manager)

    page = client.get(reverse("salesforce:field_days"), {"day": DAY.isoformat()})
    assert page.status_code == 200
    assert "Nowak" in page.content.decode() and "Re-plan the day" in page.content.decode()

    with clock.frozen(NOW):
        response = client.post(reverse("salesforce:field_replan"), {"day": DAY.isoformat()})

    assert response.status_code == 302
    assert FieldPlan.objects.get(day=DAY).placed == 2
    assert CalendarEvent.objects.count() == 2  # moved in place, not duplicated


def test_a_salesperson_may_not_re_plan(client, kuba):
    client.force_login(kuba)
    assert client.post(reverse("salesforce:field_replan"), {"day": "2027-03-09"}).status_code == 404
    assert client.get(reverse("salesforce:field_days")).status_code == 404


def test_the_manager_sees_why_a_meeting_was_not_placed(client, org, kuba):
    with clock.frozen(NOW):
        late = meetings.book_meeting(
            actor=org.manager,
            opportunity=customer("Daleki", "15-001"),  # Białystok: too far from Kraków
            window_start=at(8),
            window_end=at(9, 30),
        )
        field_schedule.build_field_schedules(day=DAY, actor=org.manager)
    client.force_login(org.manager)

    body = client.get(reverse("salesforce:field_days"), {"day": DAY.isoformat()}).content.decode()

    assert f'id="unplaced-{late.pk}"' in body
    assert "does not fit anyone&#x27;s hours" in body


def test_the_visit_is_closed_by_its_salesperson_whoever_owns_the_opportunity(client, org, kuba):
    # The leads are the manager's; the schedule gave the visit to Kuba, and he closes the deal.
    with clock.frozen(NOW):
        meeting = meetings.book_meeting(
            actor=org.manager,
            opportunity=customer("Zając", "31-042", owner=org.manager),
            window_start=at(9),
            window_end=at(12),
        )
        field_schedule.build_field_schedules(day=DAY, actor=org.manager)
    meeting.refresh_from_db()
    client.force_login(kuba)

    response = client.post(
        reverse("salesforce:meeting_outcome", args=[meeting.pk]),
        {"outcome": "won", "revision": meeting.revision},
    )

    assert response.status_code == 302
    meeting.opportunity.refresh_from_db()
    assert meeting.opportunity.stage == Opportunity.Stage.WON
    assert meeting.opportunity.probability == 100
