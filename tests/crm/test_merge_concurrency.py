"""Two merges at the same moment: no deadlock, no lost record (PostgreSQL row locks)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from obieg.core.errors import Conflict
from obieg.crm import merge
from obieg.crm.models import Account, ContactPerson
from tests.factories import AccountFactory


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")


def with_contacts(org, name: str, count: int = 3) -> Account:
    account = AccountFactory(owner=org.sara, name=name)
    ContactPerson.objects.bulk_create(
        ContactPerson(account=account, first_name=name, last_name=str(n)) for n in range(count)
    )
    return account


@pytest.fixture
def slow_merges(monkeypatch):
    """Each merge holds each lock a moment before taking the next, so the two overlap.

    Were the rows locked survivor first (not by id), merging A into B while B
    goes into A would deadlock here: each thread holds one row and waits for
    the other's.
    """
    original = merge._lock

    def held(pk):
        account = original(pk)
        time.sleep(0.3)
        return account

    monkeypatch.setattr(merge, "_lock", held)


def run_together(org, pairs):
    """Merge each (survivor, duplicate) in its own thread, started at once."""
    start = threading.Barrier(len(pairs))
    outcomes: dict[int, str] = {}

    def run(index, survivor, duplicate):
        try:
            start.wait(timeout=10)
            merge.account_merge(
                actor=org.admin,
                survivor=survivor,
                duplicate=duplicate,
                survivor_revision=survivor.revision,
                duplicate_revision=duplicate.revision,
            )
            outcomes[index] = "merged"
        except Conflict:
            outcomes[index] = "conflict"
        except Exception as error:  # a deadlock or anything else: asserted below
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, survivor, duplicate))
        for index, (survivor, duplicate) in enumerate(pairs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return [outcomes.get(index, "did not finish") for index in range(len(pairs))]


@pytest.mark.django_db(transaction=True)
def test_merging_a_pair_both_ways_at_once_merges_once(org, slow_merges):
    needs_postgresql()
    a, b = with_contacts(org, "A"), with_contacts(org, "B")

    outcomes = run_together(org, [(a, b), (b, a)])

    assert sorted(outcomes) == ["conflict", "merged"]
    (left,) = Account.objects.filter(pk__in=[a.pk, b.pk])
    assert ContactPerson.objects.filter(account=left).count() == 6


@pytest.mark.django_db(transaction=True)
def test_a_chain_of_merges_at_once_loses_no_record(org, slow_merges):
    needs_postgresql()
    a, b, c = with_contacts(org, "A"), with_contacts(org, "B"), with_contacts(org, "C")

    # A into B while C goes into A: whichever locks A first, nothing is left behind.
    outcomes = run_together(org, [(b, a), (a, c)])

    assert set(outcomes) <= {"merged", "conflict"}, outcomes
    assert "merged" in outcomes
    assert ContactPerson.objects.count() == 9
    existing = set(Account.objects.values_list("pk", flat=True))
    assert set(ContactPerson.objects.values_list("account_id", flat=True)) <= existing


@pytest.mark.django_db(transaction=True)
def test_merges_into_one_account_at_once_wait_and_the_later_ones_see_it_changed(org, slow_merges):
    needs_postgresql()
    survivor = with_contacts(org, "S")
    duplicates = [with_contacts(org, f"D{n}") for n in range(3)]

    outcomes = run_together(org, [(survivor, duplicate) for duplicate in duplicates])

    # All compared the survivor at revision 1; the first merge makes it 2, so the
    # others were made against a survivor that has changed since: refused, untouched.
    assert sorted(outcomes) == ["conflict", "conflict", "merged"]
    merged_one = duplicates[outcomes.index("merged")]
    assert not Account.objects.filter(pk=merged_one.pk).exists()
    assert ContactPerson.objects.filter(account=survivor).count() == 6
    for duplicate, outcome in zip(duplicates, outcomes, strict=True):
        if outcome == "conflict":
            assert ContactPerson.objects.filter(account=duplicate).count() == 3
    survivor.refresh_from_db()
    assert survivor.revision == 2
