"""Each role's home costs the same number of queries with a few records or many."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from obieg.core import roles
from obieg.crm.models import Activity
from obieg.engine import labels
from obieg.engine.studio import health
from tests.web.home_fixtures import activity, at, invoice, schedule_item, task


def add_records(org, count: int) -> None:
    """`count` of each thing a home page shows, for Sara, Tomasz and their queues."""
    today = timezone.localdate()
    now = timezone.now()
    for number in range(count):
        for person in (org.sara, org.tomasz):
            activity(person, occurs_at=at(-number % 3))
            activity(person, occurs_at=at(number % 5), kind=Activity.Kind.MEETING)
            task(
                f"Task {number}", owner=person, assignee=person, due_at=now + timedelta(number - 2)
            )
        task(f"Queue {number}", owner=org.sara, candidate_group=roles.SALESPERSON)
        task(f"Board {number}", owner=org.sara, candidate_group=roles.BOARD)
        task(f"Nobody {number}", owner=org.sara)
        task(f"Failed {number}", owner=org.sara, status="error", assignee=org.sara)
        schedule_item(org.sara, due_date=today - timedelta(days=number % 4))
        invoice(org.sara, due_date=today - timedelta(days=number + 1))


def home_queries(client, user) -> int:
    client.force_login(user)
    # Each process version's names are read once and kept (engine/labels.py): both counts
    # start without them, whatever an earlier test left in the cache.
    labels.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["sara", "manager", "accountant", "board", "admin"])
def test_a_home_page_does_not_query_per_record(client, org, persona):
    health.solution_problems()  # the refused-files check is cached per folder content
    user = getattr(org, persona)
    add_records(org, 1)
    few = home_queries(client, user)
    add_records(org, 12)
    many = home_queries(client, user)
    assert many == few
