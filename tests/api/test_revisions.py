"""Every PUT/PATCH under /api/ is conditional on the revision the client read.

Without `revision` (or `If-Match`) the answer is 428, with a stale one 409
naming who saved since; either way the record, its revision and its history
stay as they were. Reads and writes return the revision as an ETag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from obieg.core import audit, records
from obieg.core.models import AuditEntry
from obieg.crm.models import Account
from obieg.scheduling import crews, events
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
)


@dataclass
class Resource:
    """An updatable record: who may change it, where, and one valid change."""

    url: str
    model: Any
    pk: int
    author: Any
    change: dict[str, Any]


def _created(client: APIClient, url: str, body: dict) -> int:
    response = client.post(url, body, format="json")
    assert response.status_code == 201, response.data
    return response.data["id"]


def _account(org):
    account = AccountFactory(owner=org.sara)
    return Resource("/api/accounts/", Account, account.pk, org.sara, {"city": "Opole"})


def _contact(org):
    contact = ContactFactory(account=AccountFactory(owner=org.sara))
    return Resource("/api/contacts/", type(contact), contact.pk, org.sara, {"position": "CEO"})


def _activity(org):
    activity = ActivityFactory(account=AccountFactory(owner=org.sara), owner=org.sara)
    return Resource("/api/activities/", type(activity), activity.pk, org.sara, {"subject": "Nowy"})


def _lead(org):
    lead = LeadFactory(owner=org.sara)
    return Resource("/api/leads/", type(lead), lead.pk, org.sara, {"city": "Opole"})


def _opportunity(org):
    opportunity = OpportunityFactory(owner=org.sara, account=AccountFactory(owner=org.sara))
    return Resource(
        "/api/opportunities/", type(opportunity), opportunity.pk, org.sara, {"name": "Nowa"}
    )


def _offer(org):
    from obieg.sales.models import Offer

    client = _client(org.sara)
    account = AccountFactory(owner=org.sara)
    pk = _created(client, "/api/offers/", {"account": account.pk, "title": "Oferta", "lines": []})
    return Resource("/api/offers/", Offer, pk, org.sara, {"title": "Nowa"})


def _contract(org):
    from obieg.sales.models import Contract

    client = _client(org.sara)
    account = AccountFactory(owner=org.sara)
    body = {"account": account.pk, "title": "Umowa", "value_net": "100.00", "value_gross": "123.00"}
    pk = _created(client, "/api/contracts/", body)
    return Resource("/api/contracts/", Contract, pk, org.sara, {"title": "Nowa"})


def _crew(org):
    crew = crews.crew_create(actor=org.manager, data={"name": "Ekipa", "kind": "own"})
    return Resource(
        "/api/scheduling/crews/", type(crew), crew.pk, org.manager, {"colour": "#00aa00"}
    )


def _event(org):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    start = datetime(2026, 12, 1, 8, tzinfo=ZoneInfo("Europe/Warsaw"))
    event = events.event_create(
        actor=org.manager,
        user=org.manager,
        title="Spotkanie",
        start=start,
        end=start + timedelta(hours=1),
    )
    return Resource(
        "/api/scheduling/events/", type(event), event.pk, org.manager, {"location": "Tarnów"}
    )


def _product(org):
    from obieg.catalogue.models import Product

    client = _client(org.manager)
    body = {"code": "PV-400", "name": "Moduł 400 W", "unit": "szt.", "unit_price": "500.00"}
    pk = _created(client, "/api/catalogue/products/", {**body, "vat_rate": "23"})
    return Resource("/api/catalogue/products/", Product, pk, org.manager, {"name": "Moduł 410 W"})


RESOURCES = {
    "/api/accounts/": _account,
    "/api/contacts/": _contact,
    "/api/activities/": _activity,
    "/api/leads/": _lead,
    "/api/opportunities/": _opportunity,
    "/api/offers/": _offer,
    "/api/contracts/": _contract,
    "/api/scheduling/crews/": _crew,
    "/api/scheduling/events/": _event,
    "/api/catalogue/products/": _product,
}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _routes(patterns, prefix: str = "/"):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _updatable_collections() -> set[str]:
    """The collection of every route under /api/ that answers PUT or PATCH."""
    found = set()
    for route, callback in _routes(get_resolver().url_patterns):
        methods = set(getattr(callback, "actions", {}) or {})
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if not getattr(callback, "actions", None) and view_class is not None:
            methods = {name for name in ("put", "patch") if hasattr(view_class, name)}
        if route.startswith("/api/") and methods & {"put", "patch"}:
            found.add(route.split("<", 1)[0])
    return found


def test_every_updatable_resource_is_covered_here():
    assert _updatable_collections() == set(RESOURCES)


@pytest.fixture(params=sorted(RESOURCES))
def resource(request, org) -> Resource:
    return RESOURCES[request.param](org)


def _state(resource: Resource):
    """The record as stored, and how many history entries it has."""
    record = resource.model._default_manager.get(pk=resource.pk)
    entries = AuditEntry.objects.filter(object_id=resource.pk).count()
    return audit.snapshot(record, skipped=set()), entries


def _url(resource: Resource) -> str:
    return f"{resource.url}{resource.pk}/"


def test_a_read_carries_the_revision_as_etag(resource):
    response = _client(resource.author).get(_url(resource))
    assert response.status_code == 200
    assert response["ETag"] == f'"{response.data["revision"]}"'


def test_a_patch_without_revision_is_428_and_changes_nothing(resource):
    before = _state(resource)
    response = _client(resource.author).patch(_url(resource), resource.change, format="json")
    assert response.status_code == 428, response.data
    assert response.data["detail"] and response.data["revision"]
    assert _state(resource) == before


def test_a_put_without_revision_is_428_and_changes_nothing(resource):
    client = _client(resource.author)
    body = {**client.get(_url(resource)).data, **resource.change}
    body.pop("revision")
    before = _state(resource)
    response = client.put(_url(resource), body, format="json")
    assert response.status_code == 428, response.data
    assert _state(resource) == before


def test_a_stale_revision_is_409_naming_who_saved_and_changes_nothing(resource, org):
    client = _client(resource.author)
    read = client.get(_url(resource)).data
    # Someone else saves first, through the API.
    admin = _client(org.admin)
    first = admin.patch(
        _url(resource), {**resource.change, "revision": read["revision"]}, format="json"
    )
    assert first.status_code == 200, first.data
    before = _state(resource)

    stale = client.patch(
        _url(resource), {**resource.change, "revision": read["revision"]}, format="json"
    )
    assert stale.status_code == 409, stale.data
    assert str(org.admin) in stale.data["detail"]
    assert stale.data["conflict"]["changed_by"] == str(org.admin)
    assert stale.data["conflict"]["revision"] == first.data["revision"]
    assert _state(resource) == before


def test_if_match_with_the_etag_applies_the_change(resource):
    client = _client(resource.author)
    read = client.get(_url(resource))
    response = client.patch(
        _url(resource), resource.change, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert response.status_code == 200, response.data
    assert response.data["revision"] == read.data["revision"] + 1
    assert response["ETag"] == f'"{read.data["revision"] + 1}"'
    for name, value in resource.change.items():
        assert response.data[name] == value


def test_a_stale_if_match_is_409_and_changes_nothing(resource):
    client = _client(resource.author)
    read = client.get(_url(resource))
    assert (
        client.patch(
            _url(resource),
            {**resource.change, "revision": read.data["revision"]},
            format="json",
        ).status_code
        == 200
    )
    before = _state(resource)
    stale = client.patch(_url(resource), resource.change, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 409, stale.data
    assert _state(resource) == before


def test_a_save_between_the_read_and_the_lock_is_still_409_naming_who(org, monkeypatch):
    from obieg.api.views.accounts import AccountViewSet
    from obieg.crm import services

    account = AccountFactory(owner=org.sara, city="Kraków")
    original = AccountViewSet.update_record

    def saved_meanwhile(view, instance, data, revision):
        # Maria saves after this request read the record, before the service locks it.
        services.account_update(
            actor=org.manager, account=instance, data={"city": "Bochnia"}, revision=revision
        )
        return original(view, instance, data, revision)

    monkeypatch.setattr(AccountViewSet, "update_record", saved_meanwhile)
    response = _client(org.sara).patch(
        f"/api/accounts/{account.pk}/", {"city": "Opole", "revision": 1}, format="json"
    )
    assert response.status_code == 409, response.data
    assert response.data["conflict"]["changed_by"] == str(org.manager)
    account.refresh_from_db()
    assert (account.city, account.revision) == ("Bochnia", 2)


def test_an_automatic_change_is_named_as_such(org):
    account = AccountFactory(owner=org.sara)
    records.record_update(account, actor=None, data={"city": "Opole"}, revision=1)
    response = _client(org.sara).patch(
        f"/api/accounts/{account.pk}/", {"city": "Bochnia", "revision": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.data["conflict"]["changed_by"] is None
    assert response.data["conflict"]["changed_at"]
    assert "automatically" in response.data["detail"]


@pytest.mark.parametrize(
    ("if_match", "body_revision", "status"),
    [
        ('"1"', None, 200),
        ('"7", "1"', None, 200),  # any listed tag may match
        ('"1"', 1, 200),
        ('"1"', 2, 409),  # both are conditions: both must hold
        ('"2"', 1, 409),
        ("*", None, 428),  # names no revision
        ("*", 1, 200),
        ("1", None, 400),  # not an entity tag
        ('W/"1"', None, 400),  # a weak tag is never the API's
        ("", None, 428),
    ],
)
def test_if_match_forms(org, if_match, body_revision, status):
    account = AccountFactory(owner=org.sara, city="Kraków")
    body = {"city": "Opole"} | ({"revision": body_revision} if body_revision else {})
    response = _client(org.sara).patch(
        f"/api/accounts/{account.pk}/", body, format="json", HTTP_IF_MATCH=if_match
    )
    assert response.status_code == status, response.data
    account.refresh_from_db()
    assert account.city == ("Opole" if status == 200 else "Kraków")
