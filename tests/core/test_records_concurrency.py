"""Optimistic revisions: a stale save is refused with a Conflict and changes nothing."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from obieg.core import records
from obieg.core.errors import Conflict
from obieg.core.models import AuditEntry
from obieg.crm import services as crm
from obieg.crm.models import Account
from tests.factories import AccountFactory


def test_update_with_the_current_revision_bumps_it(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})

    updated = records.record_update(account, actor=org.sara, data={"city": "Kraków"}, revision=1)

    assert updated.revision == 2
    account.refresh_from_db()
    assert (account.city, account.revision) == ("Kraków", 2)


def test_update_with_a_stale_revision_raises_conflict_and_changes_nothing(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})
    records.record_update(account, actor=org.tomasz, data={"city": "Kraków"}, revision=1)
    entries = AuditEntry.objects.count()

    with pytest.raises(Conflict) as raised:
        # Sara's form still carries revision 1.
        records.record_update(account, actor=org.sara, data={"city": "Tarnów"}, revision=1)

    assert raised.value.status_code == 409
    account.refresh_from_db()
    assert (account.city, account.revision) == ("Kraków", 2)
    assert AuditEntry.objects.count() == entries


def test_service_update_passes_the_revision_through(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})
    crm.account_update(actor=org.sara, account=account, data={"city": "Kraków"}, revision=1)

    with pytest.raises(Conflict):
        crm.account_update(actor=org.sara, account=account, data={"city": "Tarnów"}, revision=1)

    account.refresh_from_db()
    assert account.city == "Kraków"


def test_update_without_a_revision_is_last_writer_wins(org):
    account = crm.account_create(actor=org.sara, data={"name": "Firma"})
    records.record_update(account, actor=org.sara, data={"city": "Kraków"}, revision=1)

    records.record_update(account, actor=org.sara, data={"city": "Tarnów"})

    account.refresh_from_db()
    assert (account.city, account.revision) == ("Tarnów", 3)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_revision_let_exactly_one_through(org):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    account = AccountFactory(owner=org.sara, city="")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user, city):
        try:
            start.wait(timeout=10)
            records.record_update(
                Account.objects.get(pk=account.pk), actor=user, data={"city": city}, revision=1
            )
            outcomes[city] = "saved"
        except Conflict:
            outcomes[city] = "conflict"
        except Exception as error:  # reported below, not swallowed
            outcomes[city] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(org.sara, "Kraków")),
        threading.Thread(target=save, args=(org.tomasz, "Tarnów")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    account.refresh_from_db()
    winner = next(city for city, outcome in outcomes.items() if outcome == "saved")
    assert (account.city, account.revision) == (winner, 2)
    assert AuditEntry.objects.filter(object_id=account.pk, action="update").count() == 1
