"""The access policy (SPEC P7) through the API: what each persona sees and may change."""

from __future__ import annotations

import pytest

from obieg.crm.models import Account, Lead
from tests.factories import AccountFactory, OpportunityFactory


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.data
    return {row["id"] for row in response.data["results"]}


def test_unauthenticated_request_gets_401_json(client):
    response = client.get("/api/accounts/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_another_salespersons_account_is_404_on_every_route(api, olga_account):
    base = f"/api/accounts/{olga_account.pk}/"
    assert api.get(base).status_code == 404
    assert api.patch(base, {"city": "X"}, format="json").status_code == 404
    assert api.delete(base).status_code == 404
    assert api.get(f"{base}history/").status_code == 404
    olga_account.refresh_from_db()
    assert olga_account.city == "Kraków"


def test_lists_leave_out_records_of_others(api, sara_account, olga_account):
    assert _ids(api.get("/api/accounts/")) == {sara_account.pk}
    # Filtering by an invisible id finds nothing rather than telling it exists.
    assert _ids(api.get("/api/opportunities/", {"account": olga_account.pk})) == set()


def test_manager_sees_the_teams_records_but_not_other_teams(client_for, org):
    team_account = AccountFactory(owner=org.tomasz)
    other_team = AccountFactory(owner=org.olga)
    manager = client_for(org.manager)
    assert _ids(manager.get("/api/accounts/")) == {team_account.pk}
    assert manager.get(f"/api/accounts/{other_team.pk}/").status_code == 404
    changed = manager.patch(
        f"/api/accounts/{team_account.pk}/", {"city": "Łódź", "revision": 1}, format="json"
    )
    assert changed.status_code == 200


def test_department_sees_its_opportunities_and_their_accounts(client_for, org):
    ours = OpportunityFactory(owner=org.olga, department=org.construction)
    OpportunityFactory(owner=org.olga, department=org.design)
    head = client_for(org.head)
    assert _ids(head.get("/api/opportunities/")) == {ours.pk}
    assert _ids(head.get("/api/accounts/")) == {ours.account_id}


def test_board_sees_escalated_opportunities_only_and_cannot_change_them(client_for, org):
    escalated = OpportunityFactory(owner=org.sara, escalated_to_board=True)
    OpportunityFactory(owner=org.sara)
    board = client_for(org.board)
    assert _ids(board.get("/api/opportunities/")) == {escalated.pk}
    assert _ids(board.get("/api/accounts/")) == {escalated.account_id}
    refused = board.patch(f"/api/opportunities/{escalated.pk}/", {"name": "X"}, format="json")
    assert refused.status_code == 403


def test_accountant_reads_finance_records_but_writes_nothing(client_for, org, sara_account):
    OpportunityFactory(account=sara_account, owner=org.sara)
    accountant = client_for(org.accountant)
    assert _ids(accountant.get("/api/accounts/")) == {sara_account.pk}
    assert accountant.get("/api/offers/").status_code == 200
    assert accountant.get("/api/contracts/").status_code == 200
    # Opportunities are not finance records.
    assert _ids(accountant.get("/api/opportunities/")) == set()

    url = f"/api/accounts/{sara_account.pk}/"
    assert accountant.patch(url, {"city": "X"}, format="json").status_code == 403
    assert accountant.delete(url).status_code == 403
    created = accountant.post("/api/accounts/", {"name": "Własna"}, format="json")
    assert created.status_code == 403
    assert Account.objects.count() == 1


@pytest.mark.parametrize("persona", ["board", "accountant", "stranger"])
def test_read_only_personas_cannot_create_leads(client_for, org, persona):
    client = client_for(getattr(org, persona))
    response = client.post(
        "/api/leads/", {"source": "phone", "contact_name": "Jan", "phone": "600"}, format="json"
    )
    assert response.status_code == 403
    assert not Lead.objects.exists()


def test_admin_sees_everything(client_for, org, sara_account, olga_account):
    assert _ids(client_for(org.admin).get("/api/accounts/")) == {sara_account.pk, olga_account.pk}


def test_me_tells_the_user_and_roles(api, org):
    response = api.get("/api/me/")
    assert response.status_code == 200
    assert response.data["username"] == "sara"
    assert response.data["roles"] == ["salesperson"]
    assert response.data["team"] == org.sales_team.pk
    assert response.data["is_admin"] is False
