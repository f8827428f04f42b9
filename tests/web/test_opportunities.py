"""Opportunity pages: the list with its filters and pages, the form, the detail page."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from obieg.crm.models import Opportunity
from tests.factories import AccountFactory, OpportunityFactory

FORM = {
    "name": "PV 10 kWp",
    "stage": "qualification",
    "value": "42000.50",
    "probability": "",
    "expected_close": "2026-03-31",
    "lost_reason": "",
}


def names(response) -> list[str]:
    return [row.name for row in response.context["page"].rows]


def test_the_list_shows_visible_opportunities_and_filters_them(client, org):
    OpportunityFactory(owner=org.sara, name="Dach Kowalskich", stage="proposal")
    OpportunityFactory(owner=org.sara, name="Farma Nowaków", stage="won")
    OpportunityFactory(owner=org.tomasz, name="Dach Tomasza")
    OpportunityFactory(owner=org.olga, name="Dach Olgi")
    client.force_login(org.manager)
    url = reverse("opportunity_list")

    assert sorted(names(client.get(url))) == ["Dach Kowalskich", "Dach Tomasza", "Farma Nowaków"]
    assert names(client.get(url, {"q": "dach", "owner": org.sara.pk})) == ["Dach Kowalskich"]
    assert names(client.get(url, {"stage": "won"})) == ["Farma Nowaków"]
    assert sorted(names(client.get(url, {"open": "1"}))) == ["Dach Kowalskich", "Dach Tomasza"]
    assert names(client.get(url, {"scope": "mine"})) == []
    # Forged filters are ignored, never a server error.
    assert len(names(client.get(url, {"owner": "9" * 30, "stage": "nonsense"}))) == 3
    assert 'id="empty-state"' in client.get(url, {"scope": "mine"}).content.decode()


def test_pages_follow_the_chosen_order_to_the_end(client, org):
    start = date(2026, 1, 1)
    for day in range(30):
        OpportunityFactory(
            owner=org.sara, name=f"O{day:02d}", expected_close=start + timedelta(day)
        )
    OpportunityFactory(owner=org.sara, name="undated", expected_close=None)
    client.force_login(org.sara)

    first = client.get(reverse("opportunity_list"), {"sort": "close"})
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("opportunity_list"), {"sort": "close", "cursor": cursor})

    assert names(first) == [f"O{day:02d}" for day in range(25)]
    assert names(second) == [f"O{day:02d}" for day in range(25, 30)] + ["undated"]
    assert not second.context["page"].has_next


def test_a_new_opportunity_belongs_to_the_chosen_account_and_its_creator(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = f"{reverse('opportunity_create')}?account={account.pk}"

    response = client.post(url, FORM)

    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("opportunity_detail", args=[opportunity.pk])
    assert (opportunity.account, opportunity.owner) == (account, org.sara)
    assert (opportunity.value, opportunity.probability) == (Decimal("42000.50"), 10)


def test_a_polish_user_types_the_value_with_a_decimal_comma(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    url = f"{reverse('opportunity_create')}?account={account.pk}"

    client.post(url, {**FORM, "value": "42000,50"}, HTTP_ACCEPT_LANGUAGE="pl")

    assert Opportunity.objects.get().value == Decimal("42000.50")


def test_creating_starts_by_finding_the_customer(client, org):
    account = AccountFactory(owner=org.sara, name="Słoneczny Dom")
    AccountFactory(owner=org.olga, name="Słoneczna Farma")
    client.force_login(org.sara)
    response = client.get(reverse("opportunity_create"), {"account_q": "słone"})
    assert [a.pk for a in response.context["candidates"]] == [account.pk]


def test_an_opportunity_cannot_be_created_for_an_invisible_account(client, org):
    account = AccountFactory(owner=org.olga)
    client.force_login(org.sara)
    url = f"{reverse('opportunity_create')}?account={account.pk}"
    assert client.post(url, FORM).status_code == 404
    assert not Opportunity.objects.exists()


def test_another_salespersons_opportunity_is_not_found(client, org):
    opportunity = OpportunityFactory(owner=org.olga)
    client.force_login(org.sara)
    assert client.get(reverse("opportunity_detail", args=[opportunity.pk])).status_code == 404
    assert client.get(reverse("opportunity_edit", args=[opportunity.pk])).status_code == 404


def test_the_board_may_read_an_escalated_opportunity_but_not_edit_it(client, org):
    opportunity = OpportunityFactory(owner=org.sara, escalated_to_board=True)
    client.force_login(org.board)
    detail = client.get(reverse("opportunity_detail", args=[opportunity.pk]))
    assert detail.status_code == 200
    assert reverse("opportunity_edit", args=[opportunity.pk]) not in detail.content.decode()
    assert client.get(reverse("opportunity_edit", args=[opportunity.pk])).status_code == 403


def test_editing_to_won_closes_the_opportunity(client, org):
    opportunity = OpportunityFactory(owner=org.sara)
    client.force_login(org.sara)
    url = reverse("opportunity_edit", args=[opportunity.pk])
    data = {**FORM, "stage": "won", "revision": opportunity.revision}

    assert client.post(url, data).status_code == 302

    opportunity.refresh_from_db()
    assert (opportunity.stage, opportunity.probability) == ("won", 100)
    assert opportunity.closed_at is not None


def test_an_edit_from_a_stale_page_is_refused_and_overwrites_nothing(client, org):
    opportunity = OpportunityFactory(owner=org.sara, name="PV 5 kWp")
    client.force_login(org.sara)
    url = reverse("opportunity_edit", args=[opportunity.pk])
    revision = client.get(url).context["form"].initial["revision"]
    Opportunity.objects.filter(pk=opportunity.pk).update(name="PV 6 kWp", revision=revision + 1)

    response = client.post(url, {**FORM, "name": "PV 7 kWp", "revision": revision})

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert Opportunity.objects.get().name == "PV 6 kWp"
