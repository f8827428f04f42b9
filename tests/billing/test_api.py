"""The billing API: issue (VAT, ZAL, ROZ), pay, download PDF and XML, schedules; errors are 4xx."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from obieg.billing import ksef
from obieg.billing.models import Invoice, ScheduleItem

BASE = "/api/billing"


@pytest.fixture
def api():
    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def test_issue_vat_invoice_and_read_it_back(api, org, profile, buyer):
    client = api(org.accountant)
    response = client.post(
        f"{BASE}/invoices/",
        {
            "buyer": buyer.pk,
            "lines": [
                {
                    "description": "Audyt",
                    "quantity": "1",
                    "unit_price": "1000.00",
                    "vat_rate": "23",
                },
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    assert response.data["gross"] == "1230.00"
    assert response.data["rate_totals"] == [
        {"vat_rate": "23", "net": "1000.00", "vat": "230.00", "gross": "1230.00"}
    ]
    listed = client.get(f"{BASE}/invoices/", {"kind": "VAT"})
    assert [row["number"] for row in listed.data["results"]] == [response.data["number"]]


def test_advance_final_payment_pdf_and_xml(api, org, profile, contract):
    client = api(org.accountant)

    advance = client.post(
        f"{BASE}/invoices/advance/", {"contract": contract.pk, "percent": "25"}, format="json"
    )
    final = client.post(f"{BASE}/invoices/final/", {"contract": contract.pk}, format="json")
    paid = client.post(
        f"{BASE}/invoices/{final.data['id']}/payments/",
        {"amount": final.data["gross"], "paid_on": date.today().isoformat()},
        format="json",
    )
    pdf = client.get(f"{BASE}/invoices/{final.data['id']}/pdf/")
    xml = client.get(f"{BASE}/invoices/{final.data['id']}/xml/")

    assert (advance.status_code, final.status_code, paid.status_code) == (201, 201, 201)
    assert advance.data["kind"] == "ZAL" and advance.data["gross"] == "15000.00"
    assert final.data["kind"] == "ROZ" and final.data["advances"] == [advance.data["number"]]
    assert paid.data["payment_method"] == "6"
    assert Invoice.objects.get(pk=final.data["id"]).status == "paid"
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert xml.status_code == 200
    ksef.validate(xml.content)
    assert (
        client.get(f"{BASE}/invoices/", {"status": "paid"}).data["results"][0]["id"]
        == final.data["id"]
    )


def test_refusals_are_400_with_field_errors_and_issue_nothing(api, org, profile, contract, buyer):
    client = api(org.accountant)

    above = client.post(
        f"{BASE}/invoices/advance/", {"contract": contract.pk, "amount": "60000.01"}, format="json"
    )
    no_contract = client.post(f"{BASE}/invoices/final/", {"contract": None}, format="json")
    bad_rate = client.post(
        f"{BASE}/invoices/",
        {
            "buyer": buyer.pk,
            "lines": [{"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": "7"}],
        },
        format="json",
    )

    assert above.status_code == 400 and "amount" in above.data
    assert no_contract.status_code == 400 and "contract" in no_contract.data
    assert bad_rate.status_code == 400 and "not allowed" in str(bad_rate.data["lines"])
    assert Invoice.objects.count() == 0


def test_writes_are_for_accounting_reads_follow_access(api, org, profile, contract, buyer):
    sara = api(org.sara)
    denied = sara.post(
        f"{BASE}/invoices/advance/", {"contract": contract.pk, "amount": "100"}, format="json"
    )
    api(org.accountant).post(
        f"{BASE}/invoices/advance/", {"contract": contract.pk, "amount": "100"}, format="json"
    )

    assert denied.status_code == 403
    assert len(sara.get(f"{BASE}/invoices/").data["results"]) == 1  # her customer's invoice
    assert api(org.olga).get(f"{BASE}/invoices/").data["results"] == []


def test_schedule_items_through_the_api(api, org, profile, contract):
    client = api(org.accountant)

    created = client.post(
        f"{BASE}/schedule-items/",
        {
            "contract": contract.pk,
            "due_date": date.today().isoformat(),
            "amount": "1000.00",
            "kind": "advance",
        },
        format="json",
    )
    first = client.post(f"{BASE}/schedule-items/issue-due/")
    second = client.post(f"{BASE}/schedule-items/issue-due/")
    item = client.get(f"{BASE}/schedule-items/{created.data['id']}/")
    refused_delete = client.delete(f"{BASE}/schedule-items/{created.data['id']}/")

    assert created.status_code == 201, created.data
    assert len(first.data["issued"]) == 1 and second.data["issued"] == []
    assert item.data["invoice_number"] == first.data["issued"][0]
    assert refused_delete.status_code == 400
    assert ScheduleItem.objects.count() == 1


@pytest.mark.parametrize("kind", ["pdf", "xml"])
def test_a_refused_file_download_answers_in_json(api, org, kind):
    # The client asks for the file type; the refusal is still the JSON error body.
    accept = {"pdf": "application/pdf", "xml": "application/xml"}[kind]
    response = api(org.accountant).get(f"{BASE}/invoices/999999/{kind}/", HTTP_ACCEPT=accept)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "status"),
    [({"overdue": "maybe"}, 400), ({"overdue": "0.5"}, 400), ({"overdue": ""}, 200)],
)
def test_a_boolean_filter_refuses_what_it_cannot_read(api, org, query, status):
    response = api(org.accountant).get(f"{BASE}/invoices/", query)
    assert response.status_code == status
    if status == 400:
        assert "overdue" in response.json()


def test_schedule_items_filter_by_contract_id_without_revealing_it(api, org, contract):
    listed = api(org.accountant).get(f"{BASE}/schedule-items/", {"contract": contract.pk + 1000})
    assert listed.status_code == 200 and listed.json()["results"] == []
