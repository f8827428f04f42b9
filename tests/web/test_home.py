"""The home dashboard: my pipeline, my coming activities, my leads, my team's totals."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from obieg.crm.models import Activity
from tests.factories import AccountFactory, ActivityFactory, LeadFactory, OpportunityFactory


def test_my_open_opportunities_are_summed_per_stage(client, org):
    OpportunityFactory(owner=org.sara, stage="proposal", value=Decimal("1000.00"))
    OpportunityFactory(owner=org.sara, stage="proposal", value=Decimal("234.56"))
    OpportunityFactory(owner=org.sara, stage="won", value=Decimal("9999"))
    OpportunityFactory(owner=org.tomasz, stage="proposal", value=Decimal("5000"))
    client.force_login(org.sara)

    response = client.get(reverse("home"))

    stages = {stage.stage: stage for stage in response.context["stages"]}
    assert list(stages) == ["qualification", "needs_analysis", "proposal", "negotiation"]
    assert (stages["proposal"].count, stages["proposal"].total) == (2, Decimal("1234.56"))
    assert response.context["open_total"] == Decimal("1234.56")
    assert "1\xa0234,56\xa0zł" in response.content.decode()


def test_my_planned_activities_of_the_coming_days_are_listed(client, org):
    account = AccountFactory(owner=org.sara)
    soon = timezone.now() + timedelta(days=2)
    ActivityFactory(account=account, owner=org.sara, subject="Audyt dachu", occurs_at=soon)
    ActivityFactory(
        account=account,
        owner=org.sara,
        subject="Za miesiąc",
        occurs_at=timezone.now() + timedelta(days=30),
    )
    ActivityFactory(
        account=account,
        owner=org.sara,
        subject="Odbyte",
        occurs_at=soon,
        status=Activity.Status.DONE,
    )
    ActivityFactory(account=AccountFactory(owner=org.olga), owner=org.olga, subject="Olgi")
    client.force_login(org.sara)

    activities = client.get(reverse("home")).context["activities"]

    assert [activity.subject for activity in activities] == ["Audyt dachu"]


def test_my_leads_waiting_for_work_are_listed(client, org):
    LeadFactory(owner=org.sara, company_name="Nowy")
    LeadFactory(owner=org.sara, company_name="Przekonwertowany", status="converted")
    LeadFactory(owner=org.olga, company_name="Cudzy")
    client.force_login(org.sara)
    leads = client.get(reverse("home")).context["leads"]
    assert [lead.name for lead in leads] == ["Nowy"]


def test_a_manager_sees_open_totals_per_team_member(client, org):
    OpportunityFactory(owner=org.sara, value=Decimal("1000"), probability=50)
    OpportunityFactory(owner=org.sara, value=Decimal("1234.56"), probability=33)
    OpportunityFactory(owner=org.tomasz, value=Decimal("500"), stage="won")
    OpportunityFactory(owner=org.olga, value=Decimal("7000"))
    client.force_login(org.manager)

    team = client.get(reverse("home")).context["team"]

    assert [(row["owner"], row["count"], row["total"], row["weighted"]) for row in team] == [
        # 1000 × 50% + 1234.56 × 33% = 500 + 407.40
        (org.sara.pk, 2, Decimal("2234.56"), Decimal("907.40"))
    ]


def test_a_salesperson_has_no_team_section(client, org):
    client.force_login(org.sara)
    response = client.get(reverse("home"))
    assert response.context["team"] is None
    assert 'id="team-totals"' not in response.content.decode()


def test_the_dashboard_needs_a_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]
