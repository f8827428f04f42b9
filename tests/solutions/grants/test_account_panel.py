"""The client's 360° page lists their grant projects: contract, schedule, grant, claims, reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.solutions.grants.models import GrantApplication, Obligation
from tests.solutions.grants.helpers import make_project
from tests.solutions.grants.test_pages import (
    TODAY,
    add_claim,
    add_payment,
    add_report,
    frozen_today,  # noqa: F401 (a fixture, used by pytestmark)
)

# Every test reads the dashboard on the same day (TODAY).
pytestmark = pytest.mark.usefixtures("frozen_today")


def account_page(client, account):
    return client.get(reverse("account_detail", args=[account.pk]))


def full_project(institution):
    project = make_project(institution)
    add_payment(project, TODAY - timedelta(days=40), Decimal("1000.00"))
    add_payment(project, TODAY - timedelta(days=10), Decimal("1100.00"))
    add_payment(project, TODAY + timedelta(days=20), Decimal("2460.00"))
    add_payment(project, TODAY - timedelta(days=70), state=Obligation.State.DONE)
    add_claim(project, TODAY - timedelta(days=100), state=Obligation.State.DONE)
    add_claim(project, TODAY + timedelta(days=45))
    add_report(project, TODAY + timedelta(days=400))
    return project


def test_the_panel_shows_each_projects_grant_records(client, institution):
    project = full_project(institution)
    client.force_login(institution.advisor)

    response = account_page(client, institution.client)

    panel = next(p for p in response.context["panels"] if p.key == "grants.projects")
    shown = panel.context["projects"][0]
    # The earliest open payment is the next one due, even when it is already late.
    assert shown.next_payment_due == TODAY - timedelta(days=40)
    assert shown.next_payment_amount == Decimal("1000.00")
    assert shown.overdue_payments == 2
    assert shown.claim_count == 2
    assert shown.next_claim_due == TODAY + timedelta(days=45)
    assert shown.next_report_due == TODAY + timedelta(days=400)
    html = response.content.decode()
    section = html.split('id="grant-projects"')[1].split("</section>")[0]
    for text in (
        project.number,
        project.contract.number,
        "12\u00a0300,00\u00a0zł",  # the contract's value
        "2 overdue",
        GrantApplication.Status.AGREEMENT_SIGNED.label,
        "350\u00a0000,00\u00a0zł",
        f"{TODAY + timedelta(days=45):%Y-%m-%d}",
        reverse("grants:project", args=[project.pk]),
    ):
        assert str(text) in section, text


def test_no_panel_for_someone_who_sees_no_project_of_the_client(client, institution):
    project = make_project(institution)
    client.force_login(institution.accountant)  # reads customers, works on no grant project
    page = account_page(client, institution.client)
    assert page.status_code == 200
    assert "grants.projects" not in [p.key for p in page.context["panels"]]
    assert 'id="grant-projects"' not in page.content.decode()
    client.force_login(institution.manager)  # the advisor's manager sees the advisor's projects
    page = account_page(client, institution.client)
    assert f'id="account-grant-project-{project.pk}"' in page.content.decode()


def test_the_query_count_does_not_grow_with_the_number_of_projects(
    client, institution, django_assert_max_num_queries
):
    full_project(institution)
    client.force_login(institution.advisor)
    with CaptureQueriesContext(connection) as one:
        assert account_page(client, institution.client).status_code == 200
    for _ in range(5):
        full_project(institution)
    with django_assert_max_num_queries(len(one)):
        response = account_page(client, institution.client)
    panel = next(p for p in response.context["panels"] if p.key == "grants.projects")
    assert len(panel.context["projects"]) == 6
