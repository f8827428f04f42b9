"""Malformed input on every write endpoint: a 4xx with a reason, never a 500."""

from __future__ import annotations

import pytest

from tests.factories import LeadFactory

JUNK = [
    None,
    [],
    "string",
    12,
    {"id": "x"},
    {"account": "abc"},
    {"account": -1},
    {"account": 10**20},
    {"account": {"id": 1}},
    {"name": None, "kind": None},
    {"name": "x" * 5000},
    {"nip": 1234567890},
    {"nip": ["526"]},
    {"postal_code": 12345},
    {"value": "1e400", "probability": -5},
    {"value": "NaN"},
    {"value": "Infinity"},
    {"occurs_at": "31-02-2026"},
    {"stage": ["won"]},
    {"status": {"$ne": None}},
    {"revision": "one"},
    {"revision": -1},
    {"lines": "not a list"},
    {"lines": [None]},
    {"lines": [{"quantity": "1e20", "unit_price": "1e12", "vat_rate": "23", "description": "x"}]},
    {"lines": [{"quantity": "999999999.999", "unit_price": "9999999999.99", "vat_rate": "8"}]},
    {"opportunity_name": {"a": 1}, "value": "-0.01"},
    {"file": "not a file", "kind": "photo"},
    {"\x00": "\x00"},
    {"name": "a\x00b", "city": "\x00"},
]

ENDPOINTS = [
    ("post", "/api/accounts/"),
    ("post", "/api/contacts/"),
    ("post", "/api/activities/"),
    ("post", "/api/leads/"),
    ("post", "/api/opportunities/"),
    ("post", "/api/offers/"),
    ("post", "/api/contracts/"),
    ("patch", "/api/accounts/{account}/"),
    ("put", "/api/accounts/{account}/"),
    ("patch", "/api/opportunities/{opportunity}/"),
    ("post", "/api/opportunities/{opportunity}/move/"),
    ("post", "/api/leads/{lead}/convert/"),
    ("patch", "/api/offers/{offer}/"),
    ("post", "/api/offers/{offer}/status/"),
]


@pytest.fixture
def targets(api, org, sara_account, sara_opportunity):
    offer = api.post(
        "/api/offers/",
        {"account": sara_account.pk, "title": "Oferta", "lines": []},
        format="json",
    )
    return {
        "account": sara_account.pk,
        "opportunity": sara_opportunity.pk,
        "lead": LeadFactory(owner=org.sara).pk,
        "offer": offer.data["id"],
    }


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_malformed_payloads_are_refused_without_a_server_error(api, targets, method, url):
    url = url.format(**targets)
    for payload in JUNK:
        response = getattr(api, method)(url, payload, format="json")
        assert 400 <= response.status_code < 500 or response.status_code in (200, 201), (
            payload,
            response.status_code,
        )
        if response.status_code >= 400:
            assert isinstance(response.data, dict) and response.data, payload


@pytest.mark.parametrize(
    "body",
    [b"{", b"\xff\xfe", b'{"name": "x"' + b" " * 10, b"[1, 2", b"null"],
)
def test_broken_json_is_a_400(api, body):
    response = api.generic("POST", "/api/accounts/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"owner": "me"},
        {"account": "1; drop table"},
        {"kind": "robot"},
        {"occurs_after": "yesterday"},
        {"page_size": "-1"},
        {"page_size": "100000"},
        {"ordering": "-"},
        {"ordering": ",,,"},
        {"search": "\x00"},
        {"city": "\x00"},
        {"owner": "1" + "0" * 25},
        {"account": str(2**63)},
        {"cursor": "%%%"},
        {"escalated_to_board": "perhaps"},
    ],
)
@pytest.mark.parametrize(
    "url", ["/api/accounts/", "/api/activities/", "/api/opportunities/", "/api/offers/"]
)
def test_malformed_query_strings_never_fail_the_server(api, targets, url, query):
    response = api.get(url, query)
    assert response.status_code < 500, (url, query)


@pytest.mark.parametrize("pk", ["0", "-1", str(2**63), "1" + "0" * 30, "abc", "1.5", "%00"])
def test_odd_ids_in_the_path_are_404(api, pk):
    assert api.get(f"/api/accounts/{pk}/").status_code == 404
    assert api.get(f"/api/accounts/{pk}/history/").status_code == 404
