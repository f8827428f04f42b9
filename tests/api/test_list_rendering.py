"""Lists render rows without DRF's per-field machinery (api/serializers/fast.py), to the same JSON.

Every list of the API, for an administrator and a salesperson, is compared
with what DRF's own `Serializer.to_representation` and freshly built fields
give for the same rows. Fields built once per serializer class must not
keep anything of a request: a custom field added in between shows in the
next list.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from obieg.api.serializers.fast import FastRepresentation, FieldsBuiltOnce
from obieg.customfields.models import CustomField
from tests.factories import ContactFactory

LISTS = [
    "/api/accounts/",
    "/api/contacts/",
    "/api/activities/",
    "/api/leads/",
    "/api/opportunities/",
    "/api/offers/",
    "/api/contracts/",
    "/api/documents/",
    "/api/billing/invoices/",
    "/api/billing/schedule-items/",
    "/api/scheduling/crews/",
    "/api/scheduling/events/",
    "/api/engine/cases/",
    "/api/engine/work-items/",
    "/api/catalogue/products/",
]


@pytest.fixture
def company(db, media_root):
    """The small demo, plus cases, a crew with an event, an invoice and a document."""
    from obieg.billing import invoicing, schedules
    from obieg.demo.organisation import ensure_organisation
    from obieg.demo.seller import ensure_seller
    from obieg.demo.small import create_small_demo
    from obieg.documents import services as documents
    from obieg.engine import deploy
    from obieg.sales.models import Contract
    from obieg.scheduling import crews, events
    from obieg.solutions.expert_opinions import demo as opinions

    organisation = ensure_organisation()
    ensure_seller()
    create_small_demo(organisation)
    deploy.deploy_all()
    opinions.create_demo(organisation)
    admin = organisation.user("admin")
    crew = crews.crew_create(actor=admin, data={"name": "Ekipa API", "kind": "own"})
    start = datetime.combine(
        date.today() + timedelta(days=7), time(8), tzinfo=ZoneInfo("Europe/Warsaw")
    )
    events.event_create(
        actor=admin, crew=crew, title="Montaż", start=start, end=start + timedelta(hours=8)
    )
    contract = Contract.objects.order_by("pk").first()
    invoicing.invoice_issue(
        actor=admin,
        buyer=contract.account,
        lines=[{"description": "Audyt", "quantity": 1, "unit_price": 100, "vat_rate": "23"}],
    )
    schedules.schedule_item_add(
        actor=admin,
        contract=contract,
        due_date=start.date(),
        amount=Decimal("100.00"),
        kind="advance",
        description="Zaliczka",
    )
    document = documents.document_upload(
        actor=admin,
        file=SimpleUploadedFile("umowa.pdf", b"%PDF-1.4 umowa", content_type="application/pdf"),
        title="Umowa",
        kind="contract",
        account=contract.account,
    )
    documents.document_add_version(
        actor=admin,
        document=document,
        file=SimpleUploadedFile("umowa-2.pdf", b"%PDF-1.4 v2", content_type="application/pdf"),
    )
    return organisation


def _drf_representation(self, instance):
    return serializers.Serializer.to_representation(self, instance)


def _drf_fields(self):
    return super(FieldsBuiltOnce, self).get_fields()


def _lists(client) -> dict[str, object]:
    return {path: client.get(f"{path}?page_size=200").json() for path in LISTS}


def test_every_list_is_what_drf_renders(company, client_for, monkeypatch):
    compared: set[str] = set()
    for username in ("admin", "salesperson"):
        client = client_for(company.user(username))
        fast = _lists(client)
        with monkeypatch.context() as drf:
            drf.setattr(FastRepresentation, "to_representation", _drf_representation)
            drf.setattr(FieldsBuiltOnce, "get_fields", _drf_fields)
            slow = _lists(client)
        for path in LISTS:
            assert fast[path] == slow[path], (username, path)
        compared |= {path for path in LISTS if fast[path]["results"]}
    assert compared == set(LISTS)  # every kind of row was compared


def test_a_document_list_reads_the_versions_of_a_page_at_once(company, client_for):
    client = client_for(company.user("admin"))
    rows = client.get("/api/documents/").json()["results"]
    document = next(row for row in rows if row["title"] == "Umowa")
    assert [version["number"] for version in document["versions"]] == [2, 1]
    download = client.get(document["versions"][1]["download_url"])
    assert b"".join(download.streaming_content) == b"%PDF-1.4 umowa"

    with CaptureQueriesContext(connection) as one:
        client.get("/api/documents/?page_size=1")
    with CaptureQueriesContext(connection) as many:
        client.get("/api/documents/?page_size=200")
    assert len(many) == len(one)


def test_a_custom_field_added_between_two_lists_shows_in_the_second(org, client_for):
    ContactFactory(account__owner=org.sara)
    client = client_for(org.sara)
    assert client.get("/api/contacts/").json()["results"][0]["custom"] == {}

    CustomField.objects.create(record_type="contact", key="floor", label_pl="Piętro", kind="text")
    assert client.get("/api/contacts/").json()["results"][0]["custom"] == {"floor": None}


def test_the_schema_describes_serializers_by_their_own_docstrings(client_for, org):
    schema = client_for(org.admin).get("/api/schema/?format=json").content.decode()
    assert "Mixin for" not in schema and "FastRepresentation" not in schema
