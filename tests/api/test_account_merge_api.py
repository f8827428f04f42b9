"""POST /api/accounts/{id}/merge/: the same merge and the same checks as the pages."""

from __future__ import annotations

from obieg.crm.models import Account, ContactPerson
from tests.factories import AccountFactory


def pair(org):
    survivor = AccountFactory(owner=org.sara, name="Stay", phone="")
    duplicate = AccountFactory(owner=org.sara, name="Gone", phone="600100200")
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")
    return survivor, duplicate


def url(account):
    return f"/api/accounts/{account.pk}/merge/"


def test_merge_through_the_api(client_for, org):
    survivor, duplicate = pair(org)
    response = client_for(org.sara).post(
        url(survivor),
        {
            "duplicate": duplicate.pk,
            "revision": survivor.revision,
            "duplicate_revision": duplicate.revision,
            "choices": {"name": "duplicate"},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["account"]["name"] == "Gone"
    assert body["account"]["phone"] == "600100200"
    assert body["account"]["revision"] == 2
    assert body["moved"] == {"crm.contactperson.account": 1}
    assert body["filled"] == ["phone"]
    assert not Account.objects.filter(pk=duplicate.pk).exists()


def test_the_revision_may_come_as_if_match(client_for, org):
    survivor, duplicate = pair(org)
    response = client_for(org.sara).post(
        url(survivor),
        {"duplicate": duplicate.pk, "duplicate_revision": duplicate.revision},
        format="json",
        HTTP_IF_MATCH=f'"{survivor.revision}"',
    )
    assert response.status_code == 200, response.json()


def test_without_a_revision_428_with_a_stale_one_409_and_nothing_changes(client_for, org):
    survivor, duplicate = pair(org)
    api = client_for(org.sara)
    missing = api.post(
        url(survivor), {"duplicate": duplicate.pk, "duplicate_revision": 1}, format="json"
    )
    assert missing.status_code == 428
    stale = api.post(
        url(survivor),
        {"duplicate": duplicate.pk, "revision": 1, "duplicate_revision": 5},
        format="json",
    )
    assert stale.status_code == 409
    assert "detail" in stale.json()
    Account.objects.filter(pk=survivor.pk).update(revision=3)
    stale_survivor = api.post(
        url(survivor),
        {"duplicate": duplicate.pk, "revision": 1, "duplicate_revision": 1},
        format="json",
    )
    assert stale_survivor.status_code == 409
    assert stale_survivor.json()["conflict"]["revision"] == 3
    assert ContactPerson.objects.get().account_id == duplicate.pk


def test_who_may_not_merge_gets_403_or_does_not_see_the_account(client_for, org):
    survivor, duplicate = pair(org)
    body = {"duplicate": duplicate.pk, "revision": 1, "duplicate_revision": 1}
    assert client_for(org.accountant).post(url(survivor), body, format="json").status_code == 403
    assert client_for(org.olga).post(url(survivor), body, format="json").status_code == 404
    mine = AccountFactory(owner=org.olga)
    hidden = client_for(org.olga).post(
        url(mine), {**body, "revision": mine.revision}, format="json"
    )
    assert hidden.status_code == 400 and "duplicate" in hidden.json()
    assert Account.objects.filter(pk=duplicate.pk).exists()


def test_bad_choices_are_field_errors(client_for, org):
    survivor, duplicate = pair(org)
    response = client_for(org.sara).post(
        url(survivor),
        {
            "duplicate": duplicate.pk,
            "revision": 1,
            "duplicate_revision": 1,
            "choices": {"name": "theirs", "secret": "duplicate"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert "choices" in response.json()
    merged_into_itself = client_for(org.sara).post(
        url(survivor),
        {"duplicate": survivor.pk, "revision": 1, "duplicate_revision": 1},
        format="json",
    )
    assert merged_into_itself.status_code == 400
    assert Account.objects.filter(pk=duplicate.pk).exists()


def test_the_merge_is_in_the_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/accounts/{id}/merge/"]["post"]
    assert {"200", "403", "409", "428"} <= set(operation["responses"])
