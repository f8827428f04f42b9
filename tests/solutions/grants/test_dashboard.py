"""The coordinator's deadlines: 30 days ahead, overdue first, indicators below target, charts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from obieg.crm.models import Opportunity
from obieg.solutions.grants.models import Obligation
from obieg.web import navigation
from tests.solutions.grants.helpers import make_project
from tests.solutions.grants.test_pages import (
    TODAY,
    add_claim,
    add_indicator,
    add_measurement,
    add_payment,
    add_report,
    frozen_today,  # noqa: F401 (a fixture, used by pytestmark)
)

# Every test reads the dashboard on the same day (TODAY).
pytestmark = pytest.mark.usefixtures("frozen_today")


def dashboard(client):
    return client.get(reverse("grants:deadlines"))


def test_overdue_first_then_the_next_30_days_and_nothing_later(client, institution):
    project = make_project(institution)
    in_a_month = add_report(project, TODAY + timedelta(days=30))
    today = add_claim(project, TODAY)
    long_overdue = add_payment(project, TODAY - timedelta(days=40))
    overdue = add_claim(project, TODAY - timedelta(days=5))
    add_measurement(project, TODAY + timedelta(days=31))  # outside the window
    add_claim(project, TODAY + timedelta(days=3), state=Obligation.State.DONE)
    # Another coordinator's project is not in this one's deadlines.
    theirs = make_project(institution, coordinator=institution.other_coordinator)
    add_claim(theirs, TODAY - timedelta(days=1))

    client.force_login(institution.coordinator)
    response = dashboard(client)

    assert response.status_code == 200
    deadlines = response.context["deadlines"]
    assert [row.obligation.pk for row in deadlines.rows] == [
        long_overdue.pk,
        overdue.pk,
        today.pk,
        in_a_month.pk,
    ]
    assert [row.overdue for row in deadlines.rows] == [True, True, False, False]
    assert (deadlines.overdue_count, deadlines.upcoming_count) == (2, 2)
    html = response.content.decode()
    assert html.index(f'id="deadline-{long_overdue.pk}"') < html.index(f'id="deadline-{today.pk}"')
    assert "40 days late" in html and "due today" in html


def test_a_manager_sees_every_coordinators_deadlines(client, institution):
    add_claim(make_project(institution), TODAY + timedelta(days=1))
    add_claim(
        make_project(institution, coordinator=institution.other_coordinator),
        TODAY + timedelta(days=2),
    )
    client.force_login(institution.manager)
    assert dashboard(client).context["deadlines"].upcoming_count == 2


def test_indicators_below_target_are_highlighted(client, institution):
    project = make_project(institution)
    short = add_indicator(project, name="Jobs", latest_value=Decimal(2), below_target=True)
    add_indicator(project, name="Export", latest_value=Decimal(9), target=Decimal(5))
    theirs = make_project(institution, coordinator=institution.other_coordinator)
    add_indicator(theirs, name="Theirs", latest_value=Decimal(0), below_target=True)

    client.force_login(institution.coordinator)
    response = dashboard(client)

    deadlines = response.context["deadlines"]
    assert deadlines.below_target == [short] and deadlines.below_target_count == 1
    html = response.content.decode()
    assert f'class="list-group-item list-group-item-warning" id="indicator-{short.pk}"' in html
    assert "Export" not in html.split('id="below-target"')[1].split("</section>")[0]


def test_the_chart_data_counts_open_obligations_per_month_and_indicator_progress(
    client, institution
):
    project = make_project(institution)
    add_claim(project, TODAY - timedelta(days=10))  # June (this month), overdue but open
    add_claim(project, date(2026, 7, 31))
    add_report(project, date(2026, 7, 1))
    add_payment(project, date(2026, 7, 15))
    add_payment(project, date(2026, 7, 20), state=Obligation.State.DONE)  # not open
    add_measurement(project, date(2027, 5, 31))  # the twelfth month
    add_report(project, date(2027, 6, 1))  # the thirteenth: left out
    add_indicator(project, name="Jobs", latest_value=Decimal(3), below_target=True)
    add_indicator(
        project,
        name="CO2",
        target=Decimal(80),
        latest_value=Decimal(64),
        higher_is_better=False,
    )

    client.force_login(institution.coordinator)
    response = dashboard(client)

    charts = json.loads(
        response.content.decode()
        .split('id="grants-charts" type="application/json">')[1]
        .split("</script>")[0]
    )
    months = charts["months"]
    assert months["labels"][0] == "2026-06" and months["labels"][-1] == "2027-05"
    assert len(months["labels"]) == 12
    by_kind = {dataset["kind"]: dataset["data"] for dataset in months["datasets"]}
    assert by_kind["claim"][:2] == [1, 1]
    assert by_kind["report"][:2] == [0, 1] and sum(by_kind["report"]) == 1
    assert by_kind["payment"][:2] == [0, 1]
    assert by_kind["measurement"] == [0] * 11 + [1]
    indicators = charts["indicators"]
    # Below target first; a falling indicator at 64 against 80 is 125 % of the way.
    assert indicators["labels"] == [f"{project.number}: Jobs", f"{project.number}: CO2"]
    assert indicators["percent"] == [75.0, 125.0]
    assert indicators["below"] == [True, False]
    assert 'src="/static/vendor/chart.js/chart.umd.min.js"' in response.content.decode()


def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, institution, django_assert_max_num_queries
):
    client.force_login(institution.coordinator)
    project = make_project(institution)
    add_claim(project, TODAY - timedelta(days=1))
    add_indicator(project, latest_value=Decimal(1), below_target=True)
    with django_assert_max_num_queries(30) as few:
        dashboard(client)
    for _ in range(8):
        more = make_project(institution)
        add_claim(more, TODAY - timedelta(days=2))
        add_report(more, TODAY + timedelta(days=5))
        add_payment(more, TODAY + timedelta(days=60))
        add_indicator(more, latest_value=Decimal(1), below_target=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = dashboard(client)
    assert len(response.context["deadlines"].rows) == 17


def test_who_gets_the_dashboard_and_the_menu_entries(client, institution):
    client.force_login(institution.advisor)  # a seller: the projects, not the deadlines
    assert dashboard(client).status_code == 404
    client.force_login(institution.manager)
    assert dashboard(client).status_code == 200

    def entries(user):
        return {entry.url_name for _, items in navigation.menu_for(user) for entry in items}

    assert {"grants:project_list", "grants:deadlines"} <= entries(institution.coordinator)
    assert "grants:project_list" in entries(institution.advisor)
    assert "grants:deadlines" not in entries(institution.advisor)
    assert "grants:project_list" in entries(institution.accountant)
    assert not {"grants:project_list", "grants:deadlines"} & entries(institution.org.stranger)

    # A grant project grows from an opportunity: offered on its page, to those who start them.
    def carried_on(user):
        return {entry.url_name for entry in navigation.opportunity_actions_for(user)}

    assert "grants:project_new" in carried_on(institution.advisor)
    assert "grants:project_new" in carried_on(institution.manager)
    assert "grants:project_new" not in carried_on(institution.coordinator)


def test_the_opportunity_page_offers_to_start_the_grant_project(client, institution):
    opportunity = Opportunity.objects.create(
        account=institution.client, name="Dotacja FENG", owner=institution.advisor
    )
    link = reverse("grants:project_new") + f"?opportunity={opportunity.pk}"
    client.force_login(institution.advisor)
    page = client.get(reverse("opportunity_detail", args=[opportunity.pk])).content.decode()
    assert link.replace("&", "&amp;") in page
    client.force_login(institution.accountant)  # reads the client, starts nothing
    page = client.get(reverse("opportunity_detail", args=[opportunity.pk]))
    assert page.status_code in (200, 404)
    assert link not in page.content.decode()


def test_a_coordinators_home_shows_their_first_deadlines(client, institution):
    project = make_project(institution)
    late = add_claim(project, TODAY - timedelta(days=2))
    client.force_login(institution.coordinator)
    html = client.get(reverse("home")).content.decode()
    assert 'id="home-grant-deadlines"' in html and f'id="deadline-{late.pk}"' in html
    try:
        reverse("grants:project_new")  # a seller's home offers it (the contract's pages)
    except NoReverseMatch:
        return
    client.force_login(institution.advisor)  # a seller has no such panel
    assert 'id="home-grant-deadlines"' not in client.get(reverse("home")).content.decode()
