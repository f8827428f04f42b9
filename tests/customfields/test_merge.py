"""Merging two accounts keeps their custom fields: the duplicate's fill the survivor's gaps."""

from __future__ import annotations

from obieg.crm import merge
from obieg.crm.models import Account
from tests.factories import AccountFactory


def test_the_duplicates_custom_values_fill_what_the_survivor_lacks(org, define, tier):
    define("account", "employees", "number")
    define("account", "since", "date")
    survivor = AccountFactory(owner=org.sara, custom={"employees": "12"})
    duplicate = AccountFactory(
        owner=org.sara, custom={"employees": "40", "tier": "gold", "since": "2020-05-01"}
    )

    result = merge.account_merge(
        actor=org.admin,
        survivor=survivor,
        duplicate=duplicate,
        survivor_revision=survivor.revision,
        duplicate_revision=duplicate.revision,
    )

    kept = Account.objects.get(pk=survivor.pk)
    assert kept.custom == {"employees": "12", "tier": "gold", "since": "2020-05-01"}
    assert {"custom.since", "custom.tier"} <= set(result.filled)
    assert not Account.objects.filter(pk=duplicate.pk).exists()
