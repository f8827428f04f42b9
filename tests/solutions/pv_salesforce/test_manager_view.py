"""The sales manager's view: queue sizes, schedule fill, outcomes, the funnel — from aggregates."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.core import clock, roles
from obieg.solutions.pv_salesforce import outcomes
from obieg.solutions.pv_salesforce.call_schedule import build_call_schedules
from obieg.solutions.pv_salesforce.models_queue import Absence, CallSlot, QueueItem, QueueKind
from tests.conftest import make_user
from tests.solutions.pv_salesforce.field_helpers import field_salesperson
from tests.solutions.pv_salesforce.helpers import MONDAY, at, enqueue, morning

VIEW = reverse("salesforce:manager")


def monday_with_calls(team, customers: int = 6):
    """Customers queued on Monday morning, the day built, Paula's first call made."""
    with morning():
        items = [enqueue(team, postal_code="31-042") for _n in range(customers)]
        build_call_schedules(day=MONDAY)
    planned = CallSlot.objects.filter(salesperson=team.paula, status=CallSlot.Status.PLANNED)
    first = planned.order_by("planned_at").first()
    with clock.frozen(at(MONDAY, 8, 5)):
        outcomes.record_outcome(
            actor=team.paula, slot=first, outcome="no_answer", revision=first.item.revision
        )
    return items


def get(client, **params):
    with clock.frozen(at(MONDAY, 12)):
        return client.get(VIEW, params)


def test_only_sales_managers_see_the_view(client, team):
    client.force_login(team.paula)
    assert get(client).status_code == 404
    client.force_login(team.manager)
    assert get(client).status_code == 200


def test_the_figures_of_a_day(client, team):
    monday_with_calls(team)
    Absence.objects.create(salesperson=team.piotr, starts_on=MONDAY, ends_on=MONDAY)
    client.force_login(team.manager)

    answer = get(
        client, day=MONDAY.isoformat(), date_from=MONDAY.isoformat(), date_to=MONDAY.isoformat()
    )

    assert answer.status_code == 200
    sizes = answer.context["sizes"]
    # Six customers, all in Paula's day (the first with room); the unanswered one waits again.
    assert sizes.items[QueueKind.PHONE] == {"waiting": 1, "scheduled": 5}
    assert [row[1:] for row in sizes.breakdown] == [(6, 0)]  # all from one voivodeship
    fill = {row.person.pk: row for row in answer.context["phone"]}
    assert (fill[team.paula.pk].planned, fill[team.paula.pk].done) == (5, 1)
    assert fill[team.paula.pk].works and not fill[team.piotr.pk].works  # away that day
    phone_rows = answer.context["outcomes"].phone
    assert [(r.person, r.counts) for r in phone_rows] == [("Paula", {"no_answer": 1})]
    funnel = {key: n for key, _label, n, _percent in answer.context["funnel"]}
    assert funnel == {"queued": 6, "called": 1, "booked": 0, "met": 0, "won": 0}
    charts = json.loads(
        answer.content.decode()
        .split('id="manager-charts" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert charts["funnel"]["data"] == [6, 1, 0, 0, 0]
    assert charts["phone_outcomes"]["labels"] == ["Paula"]


def test_score_bands_instead_of_voivodeships(client, team):
    monday_with_calls(team, customers=2)
    client.force_login(team.manager)
    answer = get(client, by="score")
    # One scored 0, the unanswered one -5 (the no-answer step).
    assert answer.context["sizes"].breakdown == [("0–24", 1, 0), ("below 0", 1, 0)]


def test_empty_states(client, org):
    client.force_login(org.manager)
    html = get(client).content.decode()
    for empty in (
        "queues-empty",
        "phone-fill-empty",
        "field-fill-empty",
        "phone-outcomes-empty",
        "field-outcomes-empty",
        "funnel-empty",
    ):
        assert f'id="{empty}"' in html


@pytest.mark.parametrize(
    "params, field",
    [
        ({"day": "yesterday"}, "day"),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"date_from": "2025-01-01", "date_to": "2026-03-01"}, "date_to"),
    ],
)
def test_bad_days_are_refused_beside_their_field(client, team, params, field):
    client.force_login(team.manager)
    answer = get(client, **params)
    assert answer.status_code == 400
    assert field in answer.context["form"].errors
    assert 'id="filter-errors"' in answer.content.decode()


def queries_of_the_view(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = get(
            client, day=MONDAY.isoformat(), date_from=MONDAY.isoformat(), date_to=MONDAY.isoformat()
        )
    assert answer.status_code == 200
    return len(captured)


def test_the_view_costs_the_same_queries_whatever_the_size(client, team):
    monday_with_calls(team, customers=3)
    client.force_login(team.manager)
    small = queries_of_the_view(client)

    for n in range(4):
        seller = make_user(f"tel{n}", roles.PHONE_SALES, team=team.org.sales_team)
        Absence.objects.create(salesperson=seller, starts_on=MONDAY, ends_on=MONDAY)
    for n in range(3):
        person = field_salesperson(f"field{n}", "31-000", team=team.org.sales_team)
        Absence.objects.create(salesperson=person.user, starts_on=MONDAY, ends_on=MONDAY)
    monday_with_calls(team, customers=30)
    assert QueueItem.objects.count() == 33
    large = queries_of_the_view(client)

    assert large == small
