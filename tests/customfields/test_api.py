"""The API's `custom` object and `custom.<key>` filters: field errors, never a 500."""

import pytest

from obieg.crm.models import Account
from tests.factories import AccountFactory

ACCOUNTS = "/api/accounts/"


def test_records_show_every_active_field_by_key(api, org, tier, turnover):
    account = AccountFactory(owner=org.sara)
    Account.objects.filter(pk=account.pk).update(custom={"tier": "gold"})
    body = api.get(f"{ACCOUNTS}{account.pk}/").json()
    assert body["custom"] == {"tier": "gold", "turnover": None}


def test_a_record_is_created_and_patched_with_custom_values(api, tier, turnover, audit_date):
    created = api.post(
        ACCOUNTS,
        {"kind": "company", "name": "API", "custom": {"tier": "silver", "turnover": "1 234,5"}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["custom"] == {"audit_date": None, "tier": "silver", "turnover": "1234.5"}
    patched = api.patch(
        f"{ACCOUNTS}{body['id']}/",
        {"custom": {"audit_date": "2026-06-30", "tier": None}, "revision": body["revision"]},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    # Keys left out keep their values; null empties one.
    assert patched.json()["custom"] == {
        "audit_date": "2026-06-30",
        "tier": None,
        "turnover": "1234.5",
    }
    assert Account.objects.get().custom == {"audit_date": "2026-06-30", "turnover": "1234.5"}


@pytest.mark.parametrize(
    ("custom", "key"),
    [
        ({"tier": "bronze"}, "tier"),
        ({"turnover": "lots"}, "turnover"),
        ({"turnover": "1" * 20}, "turnover"),
        ({"audit_date": "2026-02-30"}, "audit_date"),
        ({"audit_date": 20260101}, "audit_date"),
        ({"nope": "x"}, "nope"),
        ({"tier": ["gold"]}, "tier"),
        ({"tier": {"a": 1}}, "tier"),
    ],
)
def test_bad_values_are_400_naming_the_key(api, tier, turnover, audit_date, custom, key):
    response = api.post(ACCOUNTS, {"kind": "company", "name": "X", "custom": custom}, format="json")
    assert response.status_code == 400
    assert key in response.json()["custom"]
    assert not Account.objects.exists()


@pytest.mark.parametrize("custom", ["text", ["a"], 5])
def test_custom_must_be_an_object(api, tier, custom):
    response = api.post(ACCOUNTS, {"kind": "company", "name": "X", "custom": custom}, format="json")
    assert response.status_code == 400
    assert "custom" in response.json()


def test_a_required_field_is_needed_on_create_and_cannot_be_emptied(api, define):
    define("account", "segment", "text", required=True)
    missing = api.post(ACCOUNTS, {"kind": "company", "name": "X"}, format="json")
    assert missing.status_code == 400
    assert "segment" in missing.json()["custom"]
    created = api.post(
        ACCOUNTS, {"kind": "company", "name": "X", "custom": {"segment": "B2B"}}, format="json"
    ).json()
    emptied = api.patch(
        f"{ACCOUNTS}{created['id']}/",
        {"custom": {"segment": ""}, "revision": created["revision"]},
        format="json",
    )
    assert emptied.status_code == 400
    # A PATCH without custom leaves it alone.
    renamed = api.patch(
        f"{ACCOUNTS}{created['id']}/", {"name": "Y", "revision": created["revision"]}, format="json"
    )
    assert renamed.status_code == 200
    assert renamed.json()["custom"] == {"segment": "B2B"}


def test_lists_filter_by_custom_params_and_refuse_unknown_ones(api, org, tier, turnover):
    gold = AccountFactory(owner=org.sara, name="Gold")
    AccountFactory(owner=org.sara, name="Plain")
    Account.objects.filter(pk=gold.pk).update(custom={"tier": "gold", "turnover": "500"})

    def names(params):
        response = api.get(ACCOUNTS, params)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names({"custom.tier": "gold"}) == ["Gold"]
    assert names({"custom.turnover.min": "499.99"}) == ["Gold"]
    assert names({"custom.turnover.max": "499.99"}) == []
    assert names({"custom.turnover": "500.000"}) == ["Gold"]
    for bad in (
        {"custom.nope": "x"},
        {"custom.tier.min": "a"},
        {"custom.turnover.min": "lots"},
        {"custom.tier": "bronze"},
    ):
        response = api.get(ACCOUNTS, bad)
        assert response.status_code == 400, bad
        assert next(iter(bad)) in str(response.json())


def test_the_schema_describes_custom_and_its_filters(api, tier, turnover):
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "custom.tier" in text and "custom.turnover.min" in text
