"""The figures the sales manager's home shows per member, and the shape of the reads behind them.

The team-load panel (open tasks, planned activities) and the team's open
pipeline (count, value, weighted value) count exactly, per member: members
with nothing, an inactive member with work left, people overseen through a
department, work routed to the department they head, and what the manager may
not see. The statements are pinned where their shape is what keeps them
short on a large database (bench/page_costs.py: the manager's home).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from obieg.core import roles
from obieg.crm.models import Activity, Opportunity
from obieg.crm.selectors import pipeline
from obieg.engine import selectors
from obieg.engine.models import WorkItem, WorkItemStatus
from obieg.web.home_panels import team_load
from tests.conftest import make_user
from tests.factories import AccountFactory
from tests.web.home_fixtures import activity, at, opportunity, task


@pytest.fixture
def team(org):
    """Maria's team (Sara, Tomasz, Zofia with nothing, Igor who left) and the Design department."""
    org.zofia = make_user("zofia", roles.SALESPERSON, team=org.sales_team)
    org.igor = make_user("igor", roles.SALESPERSON, team=org.sales_team, is_active=False)
    org.design.head = org.manager
    org.design.save()
    return org


def open_work(org) -> None:
    now = timezone.now()
    task("Call back", owner=org.sara, assignee=org.sara, due_at=now - timedelta(hours=1))
    task("Send offer", owner=org.sara, assignee=org.sara)
    task("Measure roof", owner=org.sara, assignee=org.sara, due_at=now + timedelta(days=2))
    done = task("Done already", owner=org.sara, assignee=org.sara)
    WorkItem.objects.filter(pk=done.pk).update(status=WorkItemStatus.COMPLETED)
    task("Left behind", owner=org.sara, assignee=org.igor, due_at=now - timedelta(days=3))
    task("Draw the plan", owner=org.sara, assignee=org.designer)  # Design: Maria heads it
    # Olga is in another team, but the item was routed to the department Maria heads.
    task("Check roof", owner=org.olga, assignee=org.olga, candidate_department=org.design)
    task("Olga's own", owner=org.olga, assignee=org.olga)  # neither her team nor her department
    # Queued items wait for nobody yet: the queues, not a person's load.
    task("Queued for sales", owner=org.sara, candidate_group=roles.SALESPERSON)
    task("Queued for design", owner=org.sara, candidate_department=org.design)


def planned_activities(org) -> None:
    activity(org.tomasz, occurs_at=at(-2))  # overdue
    activity(org.tomasz, occurs_at=at(-30))  # long overdue
    activity(org.tomasz, occurs_at=at(3))
    activity(org.tomasz, occurs_at=at(20))  # beyond the week
    activity(org.tomasz, occurs_at=at(1), status=Activity.Status.DONE)
    activity(org.tomasz, occurs_at=at(1), status=Activity.Status.CANCELLED)
    activity(org.sara, occurs_at=at(0))
    # Sara's call at a customer of Olga's: not Maria's to see, so not counted.
    activity(org.sara, occurs_at=at(2), account=AccountFactory(owner=org.olga))
    activity(org.igor, occurs_at=at(-1))  # Igor left with a task and an overdue call
    activity(org.olga, occurs_at=at(1))  # another team


def test_the_team_load_counts_each_members_tasks_and_planned_activities_exactly(team):
    open_work(team)
    planned_activities(team)

    figures = {
        row["name"]: (
            row["tasks"],
            row["tasks_overdue"],
            row["activities"],
            row["activities_overdue"],
        )
        for row in team_load.panel(team.manager)["people"]
    }

    assert figures == {
        "Sara": (3, 1, 1, 0),
        "Tomasz": (0, 0, 3, 2),
        "Zofia": (0, 0, 0, 0),
        "Igor": (1, 1, 1, 1),
        "Dorota": (1, 0, 0, 0),
        "Olga": (1, 0, 0, 0),
    }


def test_the_engine_load_and_queues_of_a_manager(team):
    open_work(team)

    load = {
        row["assignee__username"]: (row["open"], row["overdue"])
        for row in selectors.team_load(team.manager)
    }
    queues = {
        (row["candidate_group"], row["candidate_department__name"]): row["open"]
        for row in selectors.queue_load(team.manager)
    }

    assert load == {"sara": (3, 1), "igor": (1, 1), "dorota": (1, 0), "olga": (1, 0)}
    # Only the queue of the department Maria heads: a role's queue is nobody's team.
    assert queues == {("", "Design"): 1}
    assert set(selectors.managed_items(team.manager).values_list("name", flat=True)) == {
        "Call back",
        "Send offer",
        "Measure roof",
        "Left behind",
        "Draw the plan",
        "Check roof",
        "Queued for design",
    }


def test_nobody_overseen_means_no_load(org):
    task("Olga's own", owner=org.olga, assignee=org.olga)
    assert selectors.team_load(org.stranger) == []
    assert not selectors.managed_items(org.stranger).exists()


def test_the_team_pipeline_adds_up_each_members_open_opportunities_exactly(team):
    stage = Opportunity.Stage
    opportunity(team.sara, stage.QUALIFICATION, "1000.01", 10)
    opportunity(team.sara, stage.QUALIFICATION, "333.33", 10)
    opportunity(team.sara, stage.PROPOSAL, "2000.00", 55)
    opportunity(team.sara, stage.NEGOTIATION, "0.01", 75)
    opportunity(team.sara, stage.WON, "9999.00", 100)  # closed: not in the pipeline
    opportunity(team.tomasz, stage.NEEDS_ANALYSIS, "500.50", 25)
    opportunity(team.tomasz, stage.LOST, "700.00", 0)
    opportunity(team.igor, stage.PROPOSAL, "120.00", 33)  # left, with an opportunity open
    opportunity(team.olga, stage.PROPOSAL, "5000.00", 50)  # another team

    rows = pipeline.team_open_totals(team.manager)

    assert [
        (row["owner__username"], row["count"], row["total"], row["weighted"]) for row in rows
    ] == [
        # 100.001 + 33.333 + 1100 + 0.0075 = 1233.3415
        ("sara", 4, Decimal("3333.35"), Decimal("1233.34")),
        # 125.125
        ("tomasz", 1, Decimal("500.50"), Decimal("125.13")),
        # 39.6
        ("igor", 1, Decimal("120.00"), Decimal("39.60")),
    ]
    assert (rows[0]["owner"], rows[0]["owner__first_name"], rows[0]["owner__last_name"]) == (
        team.sara.pk,
        "Sara",
        "",
    )


def test_a_manager_without_a_team_has_no_pipeline_rows(org):
    opportunity(org.olga, Opportunity.Stage.PROPOSAL, "5000.00", 50)
    assert pipeline.team_open_totals(org.head) == []


def test_the_managers_home_shows_the_same_figures(client, team):
    open_work(team)
    planned_activities(team)
    opportunity(team.sara, Opportunity.Stage.PROPOSAL, "2000.00", 55)
    client.force_login(team.manager)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["team"] == pipeline.team_open_totals(team.manager)
    shown = next(p.context for p in response.context["panels"] if p.key == "web.team_load")
    assert shown == team_load.panel(team.manager)


# The shape of the statements: what keeps them index range reads on a large database.


def statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [query["sql"] for query in queries.captured_queries]


def test_the_planned_activities_are_tested_for_access_one_by_one_not_joined(team):
    """In the WHERE, the access test became a join that PostgreSQL began from the
    team's accounts (42,000 of them, 500-860 ms); in the counts' FILTER it is
    tried on the planned activities the index range yields."""
    planned_activities(team)
    (sql,) = [
        sql
        for sql in statements(lambda: team_load.panel(team.manager))
        if 'COUNT("crm_activity"."id")' in sql
    ]
    # The outer statement's FROM: the last one not of a subquery's aliased table.
    *_, outer = re.finditer(r' FROM "crm_activity"(?! [A-Z]\d)', sql)
    where = sql[outer.start() :]
    assert "EXISTS" not in where and "crm_account" not in where
    assert "FILTER (WHERE EXISTS" in sql or "CASE WHEN EXISTS" in sql


def test_the_engine_load_names_the_people_overseen_by_id(team):
    """An OR over joins to the teams and departments read every assigned open item."""
    open_work(team)
    (sql,) = [
        sql
        for sql in statements(lambda: selectors.team_load(team.manager))
        if "engine_workitem" in sql
    ]
    assert "core_team" not in sql and "core_department" not in sql


def test_the_team_pipeline_reads_the_kept_totals_not_the_opportunities(team):
    """Adding up the members' opportunities read one index entry per opportunity
    (57,000 for a big team); the totals the database keeps are a few rows a member."""
    opportunity(team.sara, Opportunity.Stage.PROPOSAL, "2000.00", 55)
    sqls = statements(lambda: pipeline.team_open_totals(team.manager))
    assert not [sql for sql in sqls if "crm_opportunity" in sql]
    assert [sql for sql in sqls if "crm_pipeline_total" in sql]
