"""The OpenAPI schema, the Swagger UI page, and token authentication."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpRequest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.factories import OpportunityFactory

EXTERNAL = re.compile(r"cdn|unpkg|jsdelivr|https?://(?!testserver)", re.IGNORECASE)


def test_schema_is_served_and_describes_the_record_endpoints(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/accounts/",
        "/api/accounts/{id}/history/",
        "/api/contacts/",
        "/api/leads/{id}/convert/",
        "/api/opportunities/{id}/move/",
        "/api/offers/{id}/revise/",
        "/api/offers/{id}/status/",
        "/api/documents/{id}/versions/{number}/download/",
        "/api/me/",
    ]:
        assert path in paths, path
    offer = schema["components"]["schemas"]["Offer"]["properties"]
    assert {"lines", "totals", "margin", "revision"} <= set(offer)


def test_docs_page_loads_nothing_from_outside(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    # Every script and style it loads is a static file of an installed package.
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert finders.find(asset), asset


def test_token_from_the_management_command_authenticates(org):
    out = io.StringIO()
    call_command("token", "sara", stdout=out)
    token = out.getvalue().strip()

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/me/")
    assert response.status_code == 200
    assert response.data["username"] == "sara"

    created = client.post("/api/accounts/", {"name": "Przez token"}, format="json")
    assert created.status_code == 201
    assert created.data["owner"] == org.sara.pk


def test_wrong_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/me/").status_code == 401


def test_session_login_works_for_the_browser(client, org):
    assert client.login(request=HttpRequest(), username="sara", password=PASSWORD)
    assert client.get("/api/me/").json()["username"] == "sara"


def test_browsable_api_renders_for_a_signed_in_user(client, org):
    opportunity = OpportunityFactory(owner=org.sara, account__owner=org.sara)
    client.login(request=HttpRequest(), username="sara", password=PASSWORD)
    for url in [
        "/api/",
        "/api/accounts/",
        f"/api/accounts/{opportunity.account_id}/",
        f"/api/opportunities/{opportunity.pk}/",
        f"/api/opportunities/{opportunity.pk}/history/",
        "/api/offers/",
        "/api/documents/",
    ]:
        assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200, url


def _schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.json()


def test_every_refusal_is_described_with_the_one_error_body(client, db):
    schema = _schema(client)
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
    ]
    assert operations
    for path, method, operation in operations:
        responses = operation["responses"]
        codes = {code for code in responses if code.startswith("4")}
        assert {"401", "403"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "put", "patch", "delete"):
            assert {"400", "409"} <= codes, (method, path)
        for code in codes:
            content = responses[code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (method, path, code)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]


def test_updates_say_how_the_revision_is_sent(client, db):
    schema = _schema(client)
    for path in ["/api/accounts/{id}/", "/api/offers/{id}/", "/api/scheduling/events/{id}/"]:
        for method in ("put", "patch"):
            operation = schema["paths"][path][method]
            body = operation["requestBody"]["content"]["application/json"]["schema"]
            assert body["required"] == ["revision"], (method, path)
            assert "If-Match" in {p["name"] for p in operation["parameters"]}
            assert "428" in operation["responses"]
            assert "ETag" in operation["responses"]["200"]["headers"]
        read = schema["paths"][path]["get"]["responses"]["200"]
        assert read["headers"]["ETag"]["required"] is True


def test_path_ids_are_integers(client, db):
    schema = _schema(client)
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert parameter["schema"]["type"] == "integer", (path, parameter)


def test_the_schema_marks_what_can_be_null_and_the_work_item_page_shape(client, db):
    schemas = _schema(client)["components"]["schemas"]
    for field in ("assignee", "completed_by", "candidate_department"):
        assert schemas["WorkItem"]["properties"][field]["nullable"] is True, field
    assert schemas["Case"]["properties"]["started_by"]["nullable"] is True
    assert schemas["Crew"]["properties"]["caldav"]["nullable"] is True
    assert schemas["ScheduleItem"]["properties"]["invoice_number"]["nullable"] is True
    page = _schema(client)["paths"]["/api/engine/work-items/"]["get"]["responses"]["200"]
    assert page["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/WorkItemPage"
    }


def test_the_schema_validates_without_warnings(db, tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


@pytest.mark.parametrize(
    ("component", "field", "accepted", "refused"),
    [
        (
            "PaymentInputRequest",
            "amount",
            ["0.01", "12345.67", ".5", "7"],
            ["", "-1", "1.234", "."],
        ),
        ("AccountRequest", "latitude", ["50.061", "-5", "-.5"], ["", "-", "1234", "1.1234567"]),
    ],
)
def test_decimal_inputs_are_described_as_the_numbers_they_take(
    client, db, component, field, accepted, refused
):
    pattern = _schema(client)["components"]["schemas"][component]["properties"][field]["pattern"]
    assert all(re.fullmatch(pattern, text) for text in accepted), pattern
    assert not any(re.fullmatch(pattern, text) for text in refused), pattern
