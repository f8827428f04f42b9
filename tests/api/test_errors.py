"""Every refusal under /api/ is the one JSON error body, whatever raised it and wherever."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import ContactFactory, LeadFactory


def _is_error_body(response) -> bool:
    body = response.json()
    return response["Content-Type"].startswith("application/json") and bool(body["detail"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/nowhere/",
        "/api/accounts/abc/",
        "/api/accounts/1.5/",
        "/api/accounts/-1/",
        f"/api/accounts/{2**63}/",
        "/api/accounts/1%0A/move/",
        "/api/engine/work-items/0.5/claim/",
        "/api/billing/invoices/x/pdf/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_any_path_that_names_no_endpoint_is_a_json_404(api, path, method):
    response = getattr(api, method)(path)
    assert response.status_code == 404
    assert _is_error_body(response)


def test_an_anonymous_post_to_a_wrong_path_is_404_too(db):
    # Not the CSRF page: there is nothing there to protect.
    response = APIClient(enforce_csrf_checks=True).post("/api/nowhere/", {})
    assert response.status_code == 404 and _is_error_body(response)


def test_a_missing_slash_redirects_reads_and_explains_writes(api):
    read = api.get("/api/accounts", {"search": "x"})
    assert read.status_code == 301 and read["Location"] == "/api/accounts/?search=x"
    write = api.post("/api/accounts", {"name": "X"}, format="json")
    assert write.status_code == 404 and "/api/accounts/" in write.json()["detail"]


def test_a_method_the_resource_lacks_is_a_json_405(api, org):
    lead = LeadFactory(owner=org.sara)
    response = api.delete(f"/api/leads/{lead.pk}/")
    assert response.status_code == 405 and _is_error_body(response)


def test_an_unreadable_content_type_is_a_json_415(api):
    response = api.generic("POST", "/api/accounts/", "name=X", content_type="text/plain")
    assert response.status_code == 415 and _is_error_body(response)


def test_not_signed_in_is_a_json_401(db):
    response = APIClient().get("/api/accounts/")
    assert response.status_code == 401 and _is_error_body(response)


def test_field_errors_come_with_a_detail(api):
    response = api.post("/api/contacts/", {"first_name": "Ewa"}, format="json")
    assert response.status_code == 400
    assert _is_error_body(response)
    assert response.json()["account"] and response.json()["last_name"]


def test_a_list_of_errors_becomes_detail_and_non_field_errors(api):
    response = api.post("/api/accounts/", ["not", "an", "object"], format="json")
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body, dict) and body["detail"]


@pytest.mark.parametrize(
    ("query", "status"),
    [({"is_primary": "maybe"}, 400), ({"is_primary": "2"}, 400), ({"is_primary": ""}, 200)],
)
def test_a_boolean_filter_refuses_what_it_cannot_read(api, org, query, status):
    ContactFactory(account__owner=org.sara, is_primary=True)
    response = api.get("/api/contacts/", query)
    assert response.status_code == status
    if status == 400:
        assert "is_primary" in response.json() and _is_error_body(response)


@pytest.mark.parametrize(("value", "count"), [("true", 1), ("1", 1), ("false", 0), ("0", 0)])
def test_a_boolean_filter_reads_true_and_false(api, org, value, count):
    ContactFactory(account__owner=org.sara, is_primary=True)
    response = api.get("/api/contacts/", {"is_primary": value})
    assert len(response.json()["results"]) == count
