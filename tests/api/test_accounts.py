"""Accounts and contacts through the API: CRUD, validation, revisions, history."""

from __future__ import annotations

import pytest

from obieg.crm.models import Account, ContactPerson
from tests.factories import valid_nip

VALID_NIP = valid_nip(7)
VALID_REGON = "123456785"
VALID_PESEL = "44051401359"


def test_salesperson_creates_reads_updates_and_deletes_an_account(api, org):
    created = api.post(
        "/api/accounts/",
        {"name": "Fotowolt Sp. z o.o.", "nip": VALID_NIP, "postal_code": "00-950"},
        format="json",
    )
    assert created.status_code == 201, created.data
    account_id = created.data["id"]
    assert created.data["owner"] == org.sara.pk
    assert created.data["revision"] == 1

    read = api.get(f"/api/accounts/{account_id}/")
    assert read.status_code == 200
    assert read.data["nip"] == VALID_NIP

    patched = api.patch(
        f"/api/accounts/{account_id}/", {"city": "Gdańsk", "revision": 1}, format="json"
    )
    assert patched.status_code == 200, patched.data
    assert patched.data["city"] == "Gdańsk"
    assert patched.data["revision"] == 2

    put = api.put(
        f"/api/accounts/{account_id}/",
        {"name": "Fotowolt S.A.", "kind": "company", "revision": 2},
        format="json",
    )
    assert put.status_code == 200, put.data
    assert put.data["name"] == "Fotowolt S.A."

    assert api.delete(f"/api/accounts/{account_id}/").status_code == 204
    assert not Account.objects.filter(pk=account_id).exists()


def test_nip_typed_with_dashes_is_stored_compact(api):
    spelled = f"{VALID_NIP[:3]}-{VALID_NIP[3:6]}-{VALID_NIP[6:8]}-{VALID_NIP[8:]}"
    response = api.post("/api/accounts/", {"name": "Firma", "nip": spelled}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["nip"] == VALID_NIP


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "Firma", "nip": "1234567890"}, "nip"),
        ({"name": "Firma", "nip": "12345"}, "nip"),
        ({"name": "Firma", "regon": "123456789"}, "regon"),
        ({"name": "Jan", "kind": "person", "pesel": "44051401358"}, "pesel"),
        ({"name": "Firma", "postal_code": "00950"}, "postal_code"),
        ({"name": "Firma", "postal_code": "00-9500"}, "postal_code"),
        ({"name": "Firma", "kind": "ngo"}, "kind"),
        ({"name": "Firma", "voivodeship": "bawaria"}, "voivodeship"),
        ({"name": "Firma", "email": "not-an-address"}, "email"),
        ({"name": "Firma", "latitude": "north"}, "latitude"),
        ({"name": "Firma", "latitude": "91"}, "latitude"),
        ({"name": ["a", "list"]}, "name"),
        ({"nip": VALID_NIP}, "name"),
        # Model-level rules, checked by the service.
        ({"name": "Jan", "kind": "person", "nip": VALID_NIP}, "nip"),
        ({"name": "Firma", "kind": "company", "pesel": VALID_PESEL}, "pesel"),
    ],
)
def test_invalid_account_is_refused_with_the_field_named(api, payload, field):
    response = api.post("/api/accounts/", payload, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Account.objects.exists()


def test_valid_regon_and_pesel_are_accepted(api):
    company = api.post("/api/accounts/", {"name": "F", "regon": VALID_REGON}, format="json")
    person = api.post(
        "/api/accounts/", {"name": "Jan", "kind": "person", "pesel": VALID_PESEL}, format="json"
    )
    assert company.status_code == 201, company.data
    assert person.status_code == 201, person.data


def test_invalid_update_changes_nothing(api, sara_account):
    response = api.patch(
        f"/api/accounts/{sara_account.pk}/", {"nip": "1234567890", "city": "X"}, format="json"
    )
    assert response.status_code == 400
    assert "nip" in response.data
    sara_account.refresh_from_db()
    assert sara_account.city == "Kraków"
    assert sara_account.revision == 1


def test_stale_revision_is_a_conflict(api, sara_account):
    first = api.patch(
        f"/api/accounts/{sara_account.pk}/", {"city": "Tarnów", "revision": 1}, format="json"
    )
    assert first.status_code == 200
    stale = api.patch(
        f"/api/accounts/{sara_account.pk}/", {"city": "Bochnia", "revision": 1}, format="json"
    )
    assert stale.status_code == 409
    sara_account.refresh_from_db()
    assert sara_account.city == "Tarnów"


def test_history_shows_field_changes(api, org, sara_account):
    api.patch(f"/api/accounts/{sara_account.pk}/", {"city": "Tarnów", "revision": 1}, format="json")
    response = api.get(f"/api/accounts/{sara_account.pk}/history/")
    assert response.status_code == 200
    newest = response.data["results"][0]
    assert newest["action"] == "update"
    assert newest["changes"] == {"city": ["Kraków", "Tarnów"]}
    assert newest["actor"] == org.sara.pk


def test_account_with_opportunities_cannot_be_deleted(api, sara_opportunity):
    response = api.delete(f"/api/accounts/{sara_opportunity.account_id}/")
    assert response.status_code == 400
    assert Account.objects.filter(pk=sara_opportunity.account_id).exists()


def test_contacts_are_created_and_listed_by_account(api, sara_account):
    created = api.post(
        "/api/contacts/",
        {"account": sara_account.pk, "first_name": "Ewa", "last_name": "Nowak"},
        format="json",
    )
    assert created.status_code == 201, created.data
    other = api.post("/api/accounts/", {"name": "Inna"}, format="json").data["id"]
    api.post(
        "/api/contacts/", {"account": other, "first_name": "Jan", "last_name": "Lis"}, format="json"
    )

    listed = api.get("/api/contacts/", {"account": sara_account.pk})
    assert [c["last_name"] for c in listed.data["results"]] == ["Nowak"]


def test_contact_cannot_be_attached_to_an_invisible_account(api, olga_account):
    response = api.post(
        "/api/contacts/",
        {"account": olga_account.pk, "first_name": "Ewa", "last_name": "Nowak"},
        format="json",
    )
    assert response.status_code == 400
    assert "account" in response.data
    assert not ContactPerson.objects.exists()


def test_contact_stays_with_its_account_on_update(api, sara_account, olga_account):
    contact = api.post(
        "/api/contacts/",
        {"account": sara_account.pk, "first_name": "Ewa", "last_name": "Nowak"},
        format="json",
    ).data
    moved = api.patch(
        f"/api/contacts/{contact['id']}/",
        {"account": olga_account.pk, "position": "CEO", "revision": contact["revision"]},
        format="json",
    )
    assert moved.status_code == 200
    assert moved.data["account"] == sara_account.pk
    assert moved.data["position"] == "CEO"
