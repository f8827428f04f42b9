"""Offers (lines, totals per VAT rate, margin, revisions, statuses) and contracts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obieg.sales.models import Contract, Offer, OfferLine
from tests.factories import OpportunityFactory

PANELS = {
    "description": "Montaż instalacji PV",
    "quantity": "10",
    "unit_cost": "700.00",
    "unit_price": "1000.00",
    "vat_rate": "8",
}
CABLE = {
    "description": "Przewód solarny",
    "quantity": "2",
    "unit": "m",
    "unit_cost": "150.00",
    "unit_price": "250.55",
    "vat_rate": "23",
}


@pytest.fixture
def offer(api, sara_account, sara_opportunity):
    response = api.post(
        "/api/offers/",
        {
            "account": sara_account.pk,
            "opportunity": sara_opportunity.pk,
            "title": "Instalacja 10 kWp",
            "lines": [PANELS, CABLE],
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    return response.data


def test_offer_is_created_with_lines_and_totals_per_rate(offer):
    assert offer["status"] == "draft"
    assert offer["number"].startswith("OF/")
    assert [line["net"] for line in offer["lines"]] == ["10000.00", "501.10"]
    # VAT is computed once per rate over the summed nets; rates in their fixed order.
    assert offer["totals"]["per_rate"] == [
        {"rate": "23", "net": "501.10", "vat": "115.25", "gross": "616.35"},
        {"rate": "8", "net": "10000.00", "vat": "800.00", "gross": "10800.00"},
    ]
    assert offer["total_net"] == "10501.10"
    assert offer["total_vat"] == "915.25"
    assert offer["total_gross"] == "11416.35"
    assert offer["total_cost"] == "7300.00"
    assert offer["margin"] == "0.3048"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({**PANELS, "quantity": "-1"}, "quantity"),
        ({**PANELS, "quantity": "0"}, "quantity"),
        ({**PANELS, "vat_rate": "22"}, "vat_rate"),
        ({**PANELS, "unit_price": "-5.00"}, "unit_price"),
        ({**PANELS, "unit_price": "12.345"}, "unit_price"),
        ({**PANELS, "quantity": "ten"}, "quantity"),
        ({k: v for k, v in PANELS.items() if k != "description"}, "description"),
    ],
)
def test_invalid_line_refuses_the_whole_offer(api, sara_account, line, field):
    response = api.post(
        "/api/offers/",
        {"account": sara_account.pk, "title": "X", "lines": [CABLE, line]},
        format="json",
    )
    assert response.status_code == 400, response.data
    assert field in response.data["lines"][1]
    assert not Offer.objects.exists()
    assert not OfferLine.objects.exists()


def test_opportunity_of_another_account_is_refused(api, org, sara_account):
    foreign = OpportunityFactory(owner=org.sara)
    response = api.post(
        "/api/offers/",
        {"account": sara_account.pk, "opportunity": foreign.pk, "title": "X", "lines": [PANELS]},
        format="json",
    )
    assert response.status_code == 400
    assert "opportunity" in response.data
    assert not Offer.objects.exists()


def test_lines_are_replaced_through_update_while_draft(api, offer):
    url = f"/api/offers/{offer['id']}/"
    response = api.patch(url, {"lines": [CABLE], "revision": offer["revision"]}, format="json")
    assert response.status_code == 200, response.data
    assert [line["description"] for line in response.data["lines"]] == ["Przewód solarny"]
    assert response.data["total_net"] == "501.10"
    assert response.data["totals"]["per_rate"][0]["rate"] == "23"


def test_stale_revision_refuses_a_change_of_lines(api, offer):
    url = f"/api/offers/{offer['id']}/"
    renamed = api.patch(url, {"title": "Nowy", "revision": offer["revision"]}, format="json")
    assert renamed.status_code == 200
    stale = api.patch(url, {"lines": [CABLE], "revision": offer["revision"]}, format="json")
    assert stale.status_code == 409
    assert Offer.objects.get(pk=offer["id"]).lines.count() == 2


def test_sent_offer_cannot_be_changed_but_can_be_revised(api, offer):
    url = f"/api/offers/{offer['id']}/"
    sent = api.post(f"{url}status/", {"status": "sent"}, format="json")
    assert sent.status_code == 200, sent.data
    assert sent.data["status"] == "sent"

    changed = api.patch(url, {"title": "Nowy", "revision": sent.data["revision"]}, format="json")
    assert changed.status_code == 400

    revised = api.post(f"{url}revise/")
    assert revised.status_code == 201, revised.data
    assert revised.data["number"] == offer["number"]
    assert revised.data["revision_number"] == 2
    assert revised.data["supersedes"] == offer["id"]
    assert revised.data["status"] == "draft"
    assert revised.data["total_gross"] == offer["total_gross"]
    assert api.get(url).data["status"] == "superseded"


def test_status_cannot_skip_a_step(api, offer):
    response = api.post(f"/api/offers/{offer['id']}/status/", {"status": "accepted"}, format="json")
    assert response.status_code == 400
    assert "status" in response.data


def test_offers_filter_by_status_and_account(api, offer, sara_account):
    assert api.get("/api/offers/", {"status": "sent"}).data["results"] == []
    listed = api.get("/api/offers/", {"status": "draft", "account": sara_account.pk})
    assert [row["id"] for row in listed.data["results"]] == [offer["id"]]


def test_accountant_reads_an_offer_but_cannot_revise_it(client_for, org, offer):
    accountant = client_for(org.accountant)
    assert accountant.get(f"/api/offers/{offer['id']}/").status_code == 200
    assert accountant.post(f"/api/offers/{offer['id']}/revise/").status_code == 403


def test_contract_takes_its_values_from_the_offer(api, offer, sara_account):
    response = api.post(
        "/api/contracts/", {"account": sara_account.pk, "offer": offer["id"]}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["number"].startswith("UM/")
    assert response.data["title"] == offer["title"]
    assert response.data["value_net"] == "10501.10"
    assert response.data["value_gross"] == "11416.35"

    signed = api.patch(
        f"/api/contracts/{response.data['id']}/",
        {"status": "signed", "signed_on": "2026-03-01", "revision": 1},
        format="json",
    )
    assert signed.status_code == 200, signed.data


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"value_net": "100.00"}, "title"),
        ({"title": "U", "value_net": "100.00", "value_gross": "50.00"}, "value_gross"),
        ({"title": "U", "starts_on": "2026-05-01", "ends_on": "2026-04-01"}, "ends_on"),
        ({"title": "U", "status": "forgotten"}, "status"),
    ],
)
def test_invalid_contract_is_refused(api, sara_account, payload, field):
    response = api.post("/api/contracts/", {"account": sara_account.pk, **payload}, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Contract.objects.exists()


def test_contract_with_an_offer_of_another_account_is_refused(api, offer, org):
    other = api.post("/api/accounts/", {"name": "Inna"}, format="json").data["id"]
    response = api.post("/api/contracts/", {"account": other, "offer": offer["id"]}, format="json")
    assert response.status_code == 400
    assert "offer" in response.data


def test_offer_list_costs_a_fixed_number_of_queries(api, org, sara_account, offer):
    for _index in range(5):
        api.post(
            "/api/offers/",
            {"account": sara_account.pk, "title": "Kolejna", "lines": [PANELS, CABLE]},
            format="json",
        )
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/offers/")
    assert len(response.data["results"]) == 6
    # The page and one prefetch of all its lines, plus at most the user's roles and teams.
    assert len(queries) <= 4
