"""Leads (create, validate, convert) and opportunities (create, move, scope)."""

from __future__ import annotations

import pytest

from obieg.crm.models import Account, Lead, Opportunity
from tests.factories import LeadFactory, OpportunityFactory


def test_lead_is_created_owned_by_its_author(api, org):
    response = api.post(
        "/api/leads/",
        {"source": "web_form", "contact_name": "Jan Nowak", "email": "jan@example.pl"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["owner"] == org.sara.pk
    assert response.data["status"] == "new"


def test_lead_without_a_source_counts_as_from_the_api(api):
    response = api.post("/api/leads/", {"contact_name": "Jan", "phone": "600"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["source"] == "api"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"source": "web_form", "contact_name": "Jan"}, "non_field_errors"),  # no e-mail/phone
        ({"source": "pigeon", "contact_name": "Jan", "phone": "600"}, "source"),
        ({"source": "phone", "phone": "600"}, "contact_name"),
        ({"source": "phone", "contact_name": "Jan", "phone": "600", "nip": "111"}, "nip"),
        ({"source": "phone", "contact_name": "J", "phone": "6", "postal_code": "1"}, "postal_code"),
        ({"source": "phone", "contact_name": "J", "phone": "6", "status": "converted"}, "status"),
    ],
)
def test_invalid_lead_is_refused(api, payload, field):
    response = api.post("/api/leads/", payload, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Lead.objects.exists()


def test_lead_converts_into_account_contact_and_opportunity(api, org):
    lead = LeadFactory(owner=org.sara, company_name="Słońce Sp. z o.o.")
    response = api.post(
        f"/api/leads/{lead.pk}/convert/",
        {"opportunity_name": "PV 10 kWp", "value": "42000.00"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["name"] == "PV 10 kWp"
    assert response.data["value"] == "42000.00"
    account = Account.objects.get(pk=response.data["account"])
    assert account.name == "Słońce Sp. z o.o."
    assert account.contacts.count() == 1
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONVERTED

    again = api.post(f"/api/leads/{lead.pk}/convert/", {}, format="json")
    assert again.status_code == 400
    assert Opportunity.objects.count() == 1


def test_lead_converts_onto_an_existing_visible_account_only(api, org, sara_account, olga_account):
    lead = LeadFactory(owner=org.sara)
    refused = api.post(
        f"/api/leads/{lead.pk}/convert/", {"account": olga_account.pk}, format="json"
    )
    assert refused.status_code == 400
    assert "account" in refused.data
    done = api.post(f"/api/leads/{lead.pk}/convert/", {"account": sara_account.pk}, format="json")
    assert done.status_code == 201, done.data
    assert done.data["account"] == sara_account.pk


def test_converted_lead_cannot_be_edited(api, org):
    lead = LeadFactory(owner=org.sara, status=Lead.Status.CONVERTED)
    response = api.patch(
        f"/api/leads/{lead.pk}/", {"city": "Opole", "revision": lead.revision}, format="json"
    )
    assert response.status_code == 400
    lead.refresh_from_db()
    assert lead.city != "Opole"


def test_opportunity_is_created_and_moved_through_stages(api, org, sara_account):
    created = api.post(
        "/api/opportunities/",
        {"account": sara_account.pk, "name": "PV dach", "value": "30000.50"},
        format="json",
    )
    assert created.status_code == 201, created.data
    assert created.data["probability"] == 10
    assert created.data["value"] == "30000.50"

    moved = api.post(
        f"/api/opportunities/{created.data['id']}/move/", {"stage": "won"}, format="json"
    )
    assert moved.status_code == 200, moved.data
    assert moved.data["stage"] == "won"
    assert moved.data["probability"] == 100
    assert moved.data["closed_at"] is not None

    history = api.get(f"/api/opportunities/{created.data['id']}/history/").data["results"]
    assert history[0]["changes"]["stage"] == ["qualification", "won"]


def test_unknown_stage_is_a_field_error(api, sara_opportunity):
    response = api.post(
        f"/api/opportunities/{sara_opportunity.pk}/move/", {"stage": "dreaming"}, format="json"
    )
    assert response.status_code == 400
    assert "stage" in response.data


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "value": "-1"}, "value"),
        ({"name": "X", "value": "abc"}, "value"),
        ({"name": "X", "probability": 101}, "probability"),
        ({"name": "X", "stage": "maybe"}, "stage"),
        ({"name": "X", "expected_close": "tomorrow"}, "expected_close"),
        ({"value": "10"}, "name"),
    ],
)
def test_invalid_opportunity_is_refused(api, sara_account, payload, field):
    response = api.post(
        "/api/opportunities/", {"account": sara_account.pk, **payload}, format="json"
    )
    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Opportunity.objects.exists()


def test_opportunities_filter_by_stage_and_owner(api, org, sara_account):
    won = OpportunityFactory(account=sara_account, owner=org.sara, stage="won")
    OpportunityFactory(account=sara_account, owner=org.sara, stage="proposal")
    response = api.get("/api/opportunities/", {"stage": "won", "owner": org.sara.pk})
    assert [row["id"] for row in response.data["results"]] == [won.pk]


def test_activity_is_logged_against_a_visible_account(api, org, sara_account, sara_opportunity):
    created = api.post(
        "/api/activities/",
        {
            "account": sara_account.pk,
            "opportunity": sara_opportunity.pk,
            "kind": "call",
            "subject": "Pierwszy kontakt",
            "occurs_at": "2026-03-02T10:00:00+01:00",
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    listed = api.get("/api/activities/", {"account": sara_account.pk, "kind": "call"})
    assert [row["id"] for row in listed.data["results"]] == [created.data["id"]]


def test_activity_of_one_account_cannot_point_to_anothers_opportunity(api, org, sara_account):
    foreign = OpportunityFactory(owner=org.sara)
    response = api.post(
        "/api/activities/",
        {
            "account": sara_account.pk,
            "opportunity": foreign.pk,
            "kind": "note",
            "subject": "X",
            "occurs_at": "2026-03-02T10:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "opportunity" in response.data
