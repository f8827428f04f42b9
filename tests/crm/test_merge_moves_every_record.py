"""A merge moves every record that points at the duplicate, keeps the chosen values, is audited."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from obieg.billing.models import Payment
from obieg.core.models import AuditEntry
from obieg.crm import merge, merge_relations
from obieg.crm.models import Account, ContactPerson
from tests.crm.merge_fixtures import every_kind_of_record
from tests.factories import AccountFactory, valid_nip


def pointer(record, key: str):
    """The id the record's relation `key` holds now (foreign key or generic id)."""
    field = key.rsplit(".", 1)[1]
    record.refresh_from_db()
    return getattr(record, field if field.endswith("_id") else f"{field}_id")


def merged(org, survivor, duplicate, **choices):
    return merge.account_merge(
        actor=org.admin,
        survivor=survivor,
        duplicate=duplicate,
        survivor_revision=survivor.revision,
        duplicate_revision=duplicate.revision,
        choices=choices,
    )


def test_every_kind_of_related_record_moves_to_the_survivor(org):
    survivor = AccountFactory(owner=org.sara, name="Łąka Sp. z o.o.")
    duplicate = AccountFactory(owner=org.sara, name="Laka sp z oo")
    ours = every_kind_of_record(survivor, org, tag="S")
    theirs = every_kind_of_record(duplicate, org, tag="D")
    # The fixture covers every relation the models declare: one added later fails here
    # until a record of it is added above (the merge itself moves it without that).
    assert set(theirs) == {relation.key for relation in merge_relations.all_relations()}
    payment = Payment.objects.get(invoice=theirs["billing.invoice.buyer"])

    result = merged(org, survivor, duplicate)

    for key, record in theirs.items():
        assert pointer(record, key) == survivor.pk, key
    for key, record in ours.items():
        assert pointer(record, key) == survivor.pk, key
    assert not Account.objects.filter(pk=duplicate.pk).exists()
    assert result.moved == {key: 1 for key in theirs}
    # Payments follow their invoice; the invoice keeps the buyer's data as issued.
    assert payment.invoice.buyer_id == survivor.pk
    assert payment.invoice.buyer_name == "Laka sp z oo"


def test_moved_records_get_a_new_revision_and_an_audit_entry(org):
    survivor = AccountFactory(owner=org.sara)
    duplicate = AccountFactory(owner=org.sara)
    contact = ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")

    merged(org, survivor, duplicate)

    contact.refresh_from_db()
    assert contact.revision == 2  # an edit form opened before the merge is now stale
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ContactPerson), object_id=contact.pk
    )
    assert entry.actor == org.admin
    assert entry.changes == {"account": [str(duplicate.pk), str(survivor.pk)]}


def test_the_survivor_keeps_one_primary_contact(org):
    survivor = AccountFactory(owner=org.sara)
    duplicate = AccountFactory(owner=org.sara)
    ours = ContactPerson.objects.create(
        account=survivor, first_name="A", last_name="A", is_primary=True
    )
    theirs = ContactPerson.objects.create(
        account=duplicate, first_name="B", last_name="B", is_primary=True
    )

    merged(org, survivor, duplicate)

    assert list(
        ContactPerson.objects.filter(account=survivor, is_primary=True).values_list("pk", flat=True)
    ) == [ours.pk]
    theirs.refresh_from_db()
    assert theirs.account_id == survivor.pk


def test_chosen_values_are_kept_and_empty_fields_filled(org):
    survivor = AccountFactory(
        owner=org.sara,
        name="Kowalski Budownictwo",
        nip=valid_nip(1),
        phone="",
        email="biuro@kowalski.example",
        street="ul. Długa 1",
        postal_code="30-001",
        city="Kraków",
        notes="Stały klient.",
    )
    duplicate = AccountFactory(
        owner=org.tomasz,
        name="Kowalski Budownictwo Sp. z o.o.",
        nip=valid_nip(1),
        phone="+48 600 100 200",
        email="kontakt@kowalski.example",
        street="ul. Krótka 2",
        postal_code="31-002",
        city="Kraków",
        notes="Płaci w terminie.",
    )

    result = merged(org, survivor, duplicate, name="duplicate", address="duplicate", notes="both")

    survivor.refresh_from_db()
    assert survivor.name == "Kowalski Budownictwo Sp. z o.o."
    assert (survivor.street, survivor.postal_code) == ("ul. Krótka 2", "31-002")
    assert survivor.email == "biuro@kowalski.example"  # not chosen: the survivor's stays
    assert survivor.phone == "+48 600 100 200"  # empty: filled from the duplicate
    assert survivor.owner == org.sara
    assert survivor.notes == "Stały klient.\n\nPłaci w terminie."
    assert survivor.revision == 2
    assert result.chosen == {
        "name": "duplicate",
        "email": "survivor",
        "address": "duplicate",
        "owner": "survivor",
        "notes": "both",
    }
    assert result.filled == ["phone"]


def test_the_merge_is_in_the_survivors_history_and_the_duplicates_trail(org, client):
    survivor = AccountFactory(owner=org.sara, name="Stay")
    duplicate = AccountFactory(owner=org.sara, name="Gone", phone="123456789")
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")

    merged(org, survivor, duplicate)

    account_type = ContentType.objects.get_for_model(Account)
    entry = AuditEntry.objects.filter(content_type=account_type, object_id=survivor.pk).latest("id")
    assert entry.actor == org.admin
    assert entry.changes["phone"] == [None, "123456789"] or entry.changes["phone"][1] == "123456789"
    assert entry.changes["merge"]["duplicate"]["id"] == duplicate.pk
    assert entry.changes["merge"]["duplicate"]["name"] == "Gone"
    assert entry.changes["merge"]["moved"] == {"crm.contactperson.account": 1}
    assert entry.changes["merge"]["filled"] == ["phone"]
    gone = AuditEntry.objects.filter(content_type=account_type, object_id=duplicate.pk).latest("id")
    assert gone.action == "delete"
    assert gone.changes["merged_into"] == [None, f"Stay (#{survivor.pk})"]

    client.force_login(org.sara)
    page = client.get(f"/accounts/{survivor.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Merged the duplicate account Gone" in history
    assert "contact persons: 1" in history
    assert "Filled from the duplicate" in history


def test_the_comparison_says_what_happens_to_each_field_and_what_moves(org):
    survivor = AccountFactory(owner=org.sara, name="A", phone="", email="a@a.example")
    duplicate = AccountFactory(owner=org.sara, name="B", phone="123", email="")
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")

    rows = {row.key: row for row in merge.compare(survivor, duplicate)}

    assert rows["name"].outcome == "choose"
    assert rows["phone"].outcome == "fill"
    assert rows["email"].outcome == "same"  # the duplicate has none: the survivor's stays
    assert rows["notes"].allows_both and not rows["name"].allows_both
    assert "street" not in rows and "address" in rows
    assert [(m.relation.key, m.count) for m in merge.moving_records(duplicate)] == [
        ("crm.contactperson.account", 1)
    ]
