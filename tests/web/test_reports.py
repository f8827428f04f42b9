"""The reports pages: charts with tables, filters, refusals and the CSV/XLSX export."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.core import clock
from obieg.crm.models import Opportunity
from tests.factories import OpportunityFactory

Stage = Opportunity.Stage
TODAY = datetime(2026, 6, 15, 12, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.fixture
def frozen():
    with clock.frozen(TODAY):
        yield


def page(client, user, key, **params):
    client.force_login(user)
    return client.get(reverse("report_page", args=[key]), params)


def export(client, user, key, **params):
    client.force_login(user)
    return client.get(reverse("report_export", args=[key]), params)


def deals(org, n=1):
    for i in range(n):
        OpportunityFactory(
            owner=org.sara,
            stage=Stage.PROPOSAL,
            value=Decimal("150000.50"),
            probability=50,
            expected_close=date(2026, 7, 1),
        )
        OpportunityFactory(
            owner=org.olga,
            stage=Stage.PROPOSAL,
            value=Decimal("7"),
            probability=50,
            expected_close=date(2026, 7, 1),
        )
        OpportunityFactory(
            owner=org.tomasz,
            stage=Stage.LOST,
            value=Decimal("10"),
            lost_reason=f"Za drogo {i % 2}",
            closed_at=TODAY,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["pipeline", "won-lost", "forecast", "activity"])
def test_manager_sees_each_report_of_their_team_with_chart_and_table(client, org, frozen, key):
    deals(org)
    response = page(client, org.manager, key)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="report-charts"' in html
    assert "<canvas" in html or "Nothing to show" in html
    assert "Olga" not in html  # another team's salesperson


@pytest.mark.django_db
def test_pipeline_shows_polish_amounts_for_the_team(client, org, frozen):
    deals(org)
    html = page(client, org.manager, "pipeline").content.decode()
    assert "150\u00a0000,50\u00a0zł" in html
    assert 'id="table-pipeline"' in html


@pytest.mark.django_db
def test_a_salesperson_may_not_ask_for_a_colleagues_figures(client, org, frozen):
    response = page(client, org.sara, "pipeline", owner=org.tomasz.pk)
    assert response.status_code == 403
    assert export(client, org.sara, "pipeline", owner=org.tomasz.pk).status_code == 403


@pytest.mark.django_db
def test_a_manager_may_not_ask_for_another_teams_figures(client, org, frozen):
    assert page(client, org.manager, "forecast", team=org.other_team.pk).status_code == 403
    assert page(client, org.manager, "forecast", owner=org.olga.pk).status_code == 403
    assert page(client, org.manager, "forecast", team=org.sales_team.pk).status_code == 200


@pytest.mark.django_db
def test_people_without_a_sales_role_are_refused(client, org, frozen):
    assert page(client, org.accountant, "pipeline").status_code == 403
    assert export(client, org.stranger, "activity").status_code == 403


@pytest.mark.django_db
def test_the_board_and_admin_see_everyone(client, org, frozen):
    deals(org)
    for user in (org.board, org.admin):
        html = page(client, user, "forecast").content.decode()
        assert "150\u00a0007,50\u00a0zł" in html  # Sara's and Olga's together


@pytest.mark.django_db
def test_a_period_ending_before_it_starts_is_a_field_error(client, org, frozen):
    response = page(client, org.manager, "won-lost", date_from="2026-05-01", date_to="2026-04-01")
    assert response.status_code == 400
    assert "must end on or after" in response.content.decode()
    assert (
        export(
            client, org.manager, "won-lost", date_from="2026-05-01", date_to="2026-04-01"
        ).status_code
        == 400
    )


@pytest.mark.django_db
def test_an_unknown_report_is_not_found(client, org):
    assert page(client, org.manager, "salaries").status_code == 404


@pytest.mark.django_db
def test_csv_export_is_for_polish_excel(client, org, frozen):
    deals(org)
    response = export(
        client, org.manager, "won-lost", format="csv", date_from="2026-06-01", date_to="2026-06-30"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="won-lost-2026-06-15.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[1].startswith("Month;Won deals;Won value;Lost deals;Lost value;Win rate (%)")
    assert lines[2] == "2026-06;0;0,00;1;10,00;0,0"
    assert "Za drogo 0;1;10,00;100,0" in text


@pytest.mark.django_db
def test_csv_export_with_commas_for_other_programs(client, org, frozen):
    deals(org)
    text = export(client, org.manager, "forecast", format="csv", sep="comma").content.decode()
    assert "2026-07,1,150000.50,75000.25" in text


@pytest.mark.django_db
def test_xlsx_export_has_one_sheet_per_table_with_numbers(client, org, frozen):
    from openpyxl import load_workbook

    deals(org)
    response = export(client, org.manager, "won-lost", format="xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Won and lost by month", "Reasons for loss"]
    reasons = workbook["Reasons for loss"]
    assert reasons["B2"].value == 1
    assert reasons["C2"].value == 10


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["pipeline", "won-lost", "forecast", "activity"])
def test_queries_do_not_grow_with_the_data(client, org, frozen, key):
    deals(org, 1)
    client.force_login(org.manager)
    url = reverse("report_page", args=[key])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    deals(org, 20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
