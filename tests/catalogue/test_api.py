"""The catalogue API: read by sales, written by admins and sales managers, field errors,
revisions, Polish search, and its place in the OpenAPI schema."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from obieg.catalogue.models import Product
from tests.catalogue.helpers import add_item

URL = "/api/catalogue/products/"


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


NEW = {
    "code": "INV-10",
    "name": "Falownik 10 kW",
    "kind": "product",
    "unit": "szt.",
    "unit_price": "4999.99",
    "unit_cost": "3500.00",
    "vat_rate": "8",
}


def test_a_manager_creates_and_updates_an_item(org):
    api = as_user(org.manager)

    created = api.post(URL, NEW, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["code"], body["unit_price"], body["active"], body["revision"]) == (
        "INV-10",
        "4999.99",
        True,
        1,
    )

    changed = api.patch(
        f"{URL}{body['id']}/", {"unit_price": "5200.00", "revision": 1}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["revision"] == 2
    stale = api.patch(f"{URL}{body['id']}/", {"unit_price": "1", "revision": 1}, format="json")
    assert stale.status_code == 409
    assert Product.objects.get().unit_price == Decimal("5200.00")


def test_bad_values_come_back_as_field_errors_and_nothing_is_saved(org):
    add_item(org.manager, "INV-10", "Falownik")
    api = as_user(org.manager)

    taken = api.post(URL, {**NEW, "code": "inv-10"}, format="json")
    bad = api.post(URL, {**NEW, "code": "X 1", "unit_price": "-1", "vat_rate": "22"}, format="json")

    assert taken.status_code == 400 and "code" in str(taken.json())
    assert bad.status_code == 400
    assert {"code", "unit_price", "vat_rate"} <= set(str(bad.json()).split("'"))
    assert Product.objects.count() == 1


def test_sales_reads_and_searches_but_does_not_write(org):
    add_item(org.manager, "ZLW-1", "Żółw ogrodowy")
    add_item(org.manager, "PV-450", "Moduł 450 W")
    api = as_user(org.sara)

    found = api.get(URL, {"search": "zolw"})
    assert [row["code"] for row in found.json()["results"]] == ["ZLW-1"]
    assert api.post(URL, NEW, format="json").status_code == 403
    assert as_user(org.stranger).get(URL).status_code == 403
    assert Product.objects.count() == 2


def test_withdrawing_is_an_action_of_its_own(org):
    item = add_item(org.manager, "PV-450", "Moduł 450 W")
    api = as_user(org.manager)

    ignored = api.patch(f"{URL}{item.pk}/", {"active": False, "revision": 1}, format="json")
    assert ignored.json()["active"] is True
    withdrawn = api.post(f"{URL}{item.pk}/active/", {"active": False}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    assert api.get(URL, {"active": "false"}).json()["results"][0]["code"] == "PV-450"
    assert as_user(org.sara).post(f"{URL}{item.pk}/active/", {"active": True}).status_code == 403


@pytest.mark.parametrize("path", ["999999/", "abc/", "99999999999999999999999/"])
def test_an_unknown_item_is_a_json_404(org, path):
    response = as_user(org.sara).get(f"{URL}{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_schema_describes_the_catalogue_and_offer_lines_name_their_item(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()

    assert {"/api/catalogue/products/", "/api/catalogue/products/{id}/"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/catalogue/products/"]
    assert "product" in schema["components"]["schemas"]["OfferLine"]["properties"]
