"""The filters read an indexed copy of the values (`CustomValue`), kept in step on every write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.crm import merge, services
from obieg.crm.models import Account, Lead
from obieg.customfields import services as field_services
from obieg.customfields.models import CustomValue
from tests.factories import AccountFactory, LeadFactory

LIST = reverse("account_list")


def rows_of(record) -> dict[str, tuple]:
    return {
        row.field.key: (row.exact, row.text, row.number)
        for row in CustomValue.objects.filter(
            record_type=record.custom_record_type, record_id=record.pk
        ).select_related("field")
    }


def list_names(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return sorted(account.name for account in response.context["page"].rows)


def test_a_text_filter_ignores_polish_letters_and_case(client, api, org, define):
    define("account", "site", "text", label_en="Site", in_list=True)
    lodz = AccountFactory(owner=org.sara, name="Fabryka")
    AccountFactory(owner=org.sara, name="Inna", custom={})
    services.account_update(
        actor=org.sara, account=lodz, data={"custom": {"site": "ŁÓDŹ, Żółta 5"}}
    )
    client.force_login(org.sara)

    assert list_names(client, **{"custom.site": "lodz"}) == ["Fabryka"]
    assert list_names(client, **{"custom.site": "zolta"}) == ["Fabryka"]
    assert list_names(client, **{"custom.site": "Łódź"}) == ["Fabryka"]
    assert list_names(client, **{"custom.site": "krakow"}) == []
    response = api.get("/api/accounts/", {"custom.site": "lodz"})
    assert [row["name"] for row in response.json()["results"]] == ["Fabryka"]


def test_every_write_keeps_the_rows_in_step(org, define, tier, turnover, audit_date):
    define("account", "site", "text")
    account = services.account_create(
        actor=org.sara,
        data={"kind": "company", "name": "Solar", "custom": {"tier": "gold", "site": "Łódź"}},
    )
    assert rows_of(account) == {"tier": ("gold", "", None), "site": ("", "lodz", None)}

    account = services.account_update(
        actor=org.sara,
        account=account,
        data={"custom": {"tier": "silver", "turnover": "1500.25", "audit_date": "2026-05-01"}},
    )
    assert rows_of(account) == {
        "tier": ("silver", "", None),
        "turnover": ("", "", Decimal("1500.25")),
        "audit_date": ("2026-05-01", "", None),
    }

    # A save that leaves the values alone does not touch the rows (no queries for them).
    with CaptureQueriesContext(connection) as queries:
        services.account_update(actor=org.sara, account=account, data={"city": "Gdańsk"})
    assert not [q for q in queries.captured_queries if "customfields_customvalue" in q["sql"]]

    # A queryset update (tests and scripts set values so) rewrites them too.
    Account.objects.filter(pk=account.pk).update(custom={"tier": "gold"})
    assert rows_of(account) == {"tier": ("gold", "", None)}

    services.account_delete(actor=org.admin, account=Account.objects.get(pk=account.pk))
    assert not CustomValue.objects.filter(record_id=account.pk, record_type="account").exists()


def test_a_deactivated_field_keeps_its_rows_and_other_types_have_their_own(org, define, tier):
    channel = define("lead", "channel", "choice", choices=[{"value": "gold", "label_pl": "Targi"}])
    lead = LeadFactory(owner=org.sara, custom={"channel": "gold"})
    account = AccountFactory(owner=org.sara, custom={"tier": "gold"})
    field_services.field_set_active(actor=org.admin, field=channel, active=False)
    assert rows_of(Lead.objects.get(pk=lead.pk)) == {"channel": ("gold", "", None)}
    # The same id and value in another record type is another row.
    assert rows_of(account) == {"tier": ("gold", "", None)}


def test_a_merge_moves_the_duplicates_values_to_the_survivor(client, org, define, tier):
    survivor = AccountFactory(owner=org.sara, name="Survivor")
    duplicate = AccountFactory(owner=org.sara, name="Duplicate", custom={"tier": "gold"})
    merge.account_merge(
        actor=org.admin,
        survivor=survivor,
        duplicate=duplicate,
        survivor_revision=survivor.revision,
        duplicate_revision=duplicate.revision,
    )
    client.force_login(org.sara)
    assert list_names(client, **{"custom.tier": "gold"}) == ["Survivor"]
    assert not CustomValue.objects.filter(record_id=duplicate.pk, record_type="account").exists()


def test_the_migration_fills_the_rows_of_values_stored_before(org, define, tier, turnover):
    define("account", "site", "text")
    fill = __import__(
        "obieg.customfields.migrations.0003_fill_custom_values", fromlist=["fill"]
    ).fill
    accounts = [
        AccountFactory(owner=org.sara, custom={"tier": "gold", "turnover": "-3.5"}),
        AccountFactory(owner=org.sara, custom={"site": "Żółw"}),
        AccountFactory(owner=org.sara),
    ]
    kept = {account.pk: rows_of(account) for account in accounts}
    CustomValue.objects.all().delete()
    fill(apps, _SchemaEditor())
    assert {account.pk: rows_of(account) for account in accounts} == kept
    assert kept[accounts[1].pk] == {"site": ("", "zolw", None)}


class _SchemaEditor:
    """What the data migration uses of a schema editor (a real one cannot run in a test's
    transaction on SQLite)."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_a_rare_choice_is_found_through_the_index_not_by_reading_every_record(client, org, tier):
    AccountFactory(owner=org.sara, custom={"tier": "gold"})
    client.force_login(org.admin)
    with CaptureQueriesContext(connection) as queries:
        list_names(client, **{"custom.tier": "gold"})
    collecting = next(q["sql"] for q in queries.captured_queries if "LIMIT 1001" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + collecting)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "json" not in collecting.lower()
    # The value's index gives the ids; no record (nor its JSON) is read to test it.
    assert "INDEX customfield_" in plan and "SCAN crm_account" not in plan, plan
