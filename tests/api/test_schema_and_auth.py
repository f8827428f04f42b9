"""The OpenAPI schema, the Swagger UI page, and token authentication."""

from __future__ import annotations

import io
import re

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
