"""Every create, update and delete through a service leaves an audit entry, in its transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from obieg.core import audit
from obieg.core.errors import ApplicationError
from obieg.core.models import AuditAction, AuditEntry
from obieg.crm import services as crm
from obieg.crm.models import Account, Activity, ContactPerson, Opportunity
from obieg.sales import services as sales
from obieg.sales.models import Offer, OfferLine
from tests.factories import AccountFactory


def entries_for(instance_or_model, pk=None):
    content_type = ContentType.objects.get_for_model(instance_or_model)
    object_id = pk if pk is not None else instance_or_model.pk
    return list(
        AuditEntry.objects.filter(content_type=content_type, object_id=object_id).order_by("id")
    )


def test_create_writes_an_entry_with_actor_action_and_new_values(org):
    account = crm.account_create(
        actor=org.sara, data={"name": "Słoneczna Sp. z o.o.", "nip": "526-000-12-46"}
    )

    [entry] = entries_for(account)
    assert entry.action == AuditAction.CREATE
    assert entry.actor == org.sara
    assert entry.object_repr == "Słoneczna Sp. z o.o."
    assert entry.changes["name"] == [None, "Słoneczna Sp. z o.o."]
    assert entry.changes["nip"] == [None, "5260001246"]
    assert entry.changes["owner"] == [None, str(org.sara.pk)]
    assert "revision" not in entry.changes and "created_at" not in entry.changes


def test_update_writes_only_the_changed_fields_as_old_and_new(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma", "city": "Kraków"})

    crm.account_update(
        actor=org.sara, account=account, data={"city": "Tarnów", "name": "Firma"}, revision=1
    )

    create, update = entries_for(account)
    assert update.action == AuditAction.UPDATE
    assert update.actor == org.sara
    assert update.changes == {"city": ["Kraków", "Tarnów"]}


def test_update_of_a_foreign_key_records_the_ids(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})

    crm.account_update(actor=org.admin, account=account, data={"owner": org.tomasz})

    update = entries_for(account)[-1]
    assert update.actor == org.admin
    assert update.changes == {"owner": [str(org.sara.pk), str(org.tomasz.pk)]}


@pytest.mark.parametrize(
    "data",
    [
        {"name": "Firma", "city": "Kraków"},
        {"latitude": Decimal("50.06"), "longitude": Decimal("19.9")},  # stored 50.060000
        {"latitude": "50.060000"},
        {},
    ],
    ids=["same-text", "same-decimal-other-exponent", "same-decimal-as-text", "no-data"],
)
def test_update_with_no_change_writes_nothing(org, data):
    account = crm.account_create(
        actor=org.sara,
        data={
            "name": "Firma",
            "city": "Kraków",
            "latitude": Decimal("50.060000"),
            "longitude": Decimal("19.900000"),
        },
    )
    account.refresh_from_db()
    updated_at = account.updated_at

    result = crm.account_update(actor=org.sara, account=account, data=data, revision=1)

    assert [e.action for e in entries_for(account)] == [AuditAction.CREATE]
    account.refresh_from_db()
    assert account.revision == 1  # an open form with revision 1 can still be saved
    assert account.updated_at == updated_at
    assert result.revision == 1


def test_same_instant_in_another_time_zone_is_no_change(org):
    account = AccountFactory(owner=org.sara)
    activity = crm.activity_create(
        actor=org.sara,
        account=account,
        data={
            "kind": Activity.Kind.CALL,
            "subject": "Telefon",
            "occurs_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        },
    )
    warsaw = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))

    crm.activity_update(actor=org.sara, activity=activity, data={"occurs_at": warsaw})

    assert [e.action for e in entries_for(activity)] == [AuditAction.CREATE]


def test_delete_writes_an_entry_with_the_old_values(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})
    contact = crm.contact_create(
        actor=org.sara, account=account, data={"first_name": "Jan", "last_name": "Nowak"}
    )
    contact_pk = contact.pk

    crm.contact_delete(actor=org.sara, contact=contact)

    assert not ContactPerson.objects.filter(pk=contact_pk).exists()
    create, delete = entries_for(ContactPerson, pk=contact_pk)
    assert delete.action == AuditAction.DELETE
    assert delete.actor == org.sara
    assert delete.object_repr == "Jan Nowak"
    assert delete.changes["last_name"] == ["Nowak", None]
    assert delete.changes["account"] == [str(account.pk), None]


def test_history_lists_the_newest_entry_first(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})
    account = crm.account_update(actor=org.sara, account=account, data={"city": "Kraków"})
    crm.account_update(actor=org.sara, account=account, data={"city": "Tarnów"})

    history = list(audit.history_for(account))

    assert [e.action for e in history] == ["update", "update", "create"]
    assert history[0].changes == {"city": ["Kraków", "Tarnów"]}


def test_a_refused_create_leaves_no_row_and_no_entry(org):
    with pytest.raises(ApplicationError):
        crm.account_create(actor=org.sara, data={"name": "Firma", "nip": "1234567890"})

    assert not Account.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_refused_update_changes_nothing_and_leaves_no_entry(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma", "city": "Kraków"})

    with pytest.raises(ApplicationError):
        crm.account_update(
            actor=org.sara, account=account, data={"city": "Tarnów", "postal_code": "33100"}
        )

    account.refresh_from_db()
    assert (account.city, account.postal_code, account.revision) == ("Kraków", "", 1)
    assert [e.action for e in entries_for(account)] == [AuditAction.CREATE]


def test_a_service_failing_after_its_first_write_rolls_back_rows_and_entries(org):
    """offer_create writes the offer (and its entry) before it checks the lines."""
    account = AccountFactory(owner=org.sara)
    good = {"description": "Panel", "quantity": "10", "unit_price": "500", "vat_rate": "8"}
    bad = {**good, "quantity": "-1"}

    with pytest.raises(ApplicationError):
        sales.offer_create(actor=org.sara, account=account, title="PV", lines=[good, bad])

    assert not Offer.objects.exists()
    assert not OfferLine.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_refused_delete_keeps_the_row_and_writes_no_entry(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})
    crm.opportunity_create(actor=org.sara, account=account, data={"name": "PV"})
    entries_before = AuditEntry.objects.count()

    with pytest.raises(ApplicationError, match="cannot be deleted"):
        crm.account_delete(actor=org.sara, account=account)

    assert Account.objects.filter(pk=account.pk).exists()
    assert Opportunity.objects.filter(account=account).exists()
    assert AuditEntry.objects.count() == entries_before


def test_a_records_history_is_its_own_newest_first_with_one_statement_for_all(org):
    """history_for is compiled once per process: each record, of whatever kind, reads its own."""
    from obieg.core import compiled_once

    account = crm.account_create(actor=org.sara, data={"kind": "company", "name": "Alfa"})
    other = crm.account_create(actor=org.tomasz, data={"kind": "company", "name": "Beta"})
    crm.account_update(actor=org.sara, account=account, data={"city": "Tarnów"})
    contact = crm.contact_create(
        actor=org.sara, account=account, data={"first_name": "Ewa", "last_name": "Nowak"}
    )

    history = audit.history_for(account, limit=5)
    assert [(entry.action, entry.actor) for entry in history] == [
        (AuditAction.UPDATE, org.sara),
        (AuditAction.CREATE, org.sara),
    ]
    assert [entry.actor for entry in audit.history_for(other, limit=5)] == [org.tomasz]
    # Another kind of record with the same key reads none of the account's entries.
    assert [entry.object_id for entry in audit.history_for(contact, limit=5)] == [contact.pk]
    assert audit.history_for(account, limit=1) == history[:1]
    assert compiled_once._compiled[(connection.vendor, ("history", 5))] is not None
