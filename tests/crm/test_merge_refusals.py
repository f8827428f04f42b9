"""A merge that cannot be done is refused with a clear reason, and nothing changes."""

from __future__ import annotations

import pytest

from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.crm import merge
from obieg.crm.models import Account, ContactPerson, Opportunity
from tests.conftest import give_role
from tests.factories import AccountFactory


def attempt(
    actor, survivor, duplicate, *, survivor_revision=None, duplicate_revision=None, **choices
):
    return merge.account_merge(
        actor=actor,
        survivor=survivor,
        duplicate=duplicate,
        survivor_revision=survivor.revision if survivor_revision is None else survivor_revision,
        duplicate_revision=duplicate.revision if duplicate_revision is None else duplicate_revision,
        choices=choices,
    )


def state(*accounts):
    """Everything a merge would change: the accounts, their contacts, the audit trail."""
    return (
        [Account.objects.filter(pk=a.pk).values().first() for a in accounts],
        list(ContactPerson.objects.order_by("pk").values("pk", "account_id", "revision")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def pair(org):
    survivor = AccountFactory(owner=org.sara, name="Stay")
    duplicate = AccountFactory(owner=org.sara, name="Gone")
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")
    return survivor, duplicate


def test_a_stale_revision_of_either_account_is_a_conflict(org, pair):
    survivor, duplicate = pair
    before = state(survivor, duplicate)
    with pytest.raises(Conflict):
        attempt(org.sara, survivor, duplicate, survivor_revision=survivor.revision + 1)
    with pytest.raises(Conflict):
        attempt(org.sara, survivor, duplicate, duplicate_revision=duplicate.revision - 1 or 7)
    assert state(survivor, duplicate) == before


def test_an_account_merged_away_meanwhile_is_a_conflict(org, pair):
    survivor, duplicate = pair
    other = AccountFactory(owner=org.sara)
    attempt(org.sara, other, duplicate)  # someone merged the duplicate elsewhere first
    with pytest.raises(Conflict, match="no longer exists"):
        attempt(org.sara, survivor, duplicate)
    assert ContactPerson.objects.get().account_id == other.pk


@pytest.mark.parametrize("who", ["tomasz", "olga", "board", "accountant", "head", "stranger"])
def test_only_an_admin_a_sales_manager_or_the_owner_of_both_may_merge(org, pair, who):
    survivor, duplicate = pair
    before = state(survivor, duplicate)
    with pytest.raises(PermissionDenied):
        attempt(getattr(org, who), survivor, duplicate)
    assert state(survivor, duplicate) == before
    assert merge.may_merge(org.sara, survivor, duplicate)  # owns both
    assert merge.may_merge(org.manager, survivor, duplicate)  # Sara's team manager
    assert merge.may_merge(org.admin, survivor, duplicate)


def test_the_owner_of_one_of_them_may_not_merge_a_colleagues_account(org):
    mine = AccountFactory(owner=org.sara)
    theirs = AccountFactory(owner=org.tomasz)
    # Tomasz's account is one Sara may change (her department's opportunity), not hers.
    org.sara.department = org.construction
    org.sara.save()
    Opportunity.objects.create(account=theirs, name="X", department=org.construction)
    with pytest.raises(PermissionDenied):
        attempt(org.sara, mine, theirs)
    give_role(org.sara, "sales_manager")
    assert merge.may_merge(org.sara, mine, theirs)


def test_an_account_is_not_merged_into_itself(org, pair):
    survivor, _duplicate = pair
    with pytest.raises(ApplicationError, match="itself"):
        attempt(org.sara, survivor, survivor)


def test_unknown_fields_and_choices_are_field_errors(org, pair):
    survivor, duplicate = pair
    before = state(survivor, duplicate)
    with pytest.raises(ApplicationError) as refused:
        attempt(org.sara, survivor, duplicate, revision="duplicate", name="theirs", city="both")
    assert set(refused.value.field_errors) == {"revision", "name", "city"}
    assert state(survivor, duplicate) == before


def test_values_that_do_not_fit_together_are_refused(org):
    company = AccountFactory(owner=org.sara, kind=Account.Kind.COMPANY)
    person = AccountFactory(
        owner=org.sara, kind=Account.Kind.PERSON, nip="", pesel="44051401359", city="Tarnów"
    )
    before = state(company, person)
    # The person's kind with the company's NIP: a private person has no NIP.
    with pytest.raises(ApplicationError) as refused:
        attempt(org.sara, company, person, kind="duplicate")
    assert "nip" in refused.value.field_errors
    assert state(company, person) == before


@pytest.mark.django_db(transaction=True)
def test_a_relation_added_later_moves_too(org, external_reference):
    survivor = AccountFactory(owner=org.sara)
    duplicate = AccountFactory(owner=org.sara)
    reference = external_reference.objects.create(account=duplicate, system="erp", code="K-1")

    result = attempt(org.sara, survivor, duplicate)

    reference.refresh_from_db()
    assert reference.account_id == survivor.pk
    assert result.moved == {"web.externalreference.account": 1}


@pytest.mark.django_db(transaction=True)
def test_a_unique_clash_is_refused_naming_the_records_and_nothing_changes(org, external_reference):
    survivor = AccountFactory(owner=org.sara, name="Stay")
    duplicate = AccountFactory(owner=org.sara, name="Gone")
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")
    external_reference.objects.create(account=survivor, system="erp", code="K-1")
    external_reference.objects.create(account=duplicate, system="erp", code="K-2")
    external_reference.objects.create(account=duplicate, system="crm-old", code="7")
    before = state(survivor, duplicate)
    references = list(external_reference.objects.order_by("pk").values())

    with pytest.raises(ApplicationError) as refused:
        attempt(org.sara, survivor, duplicate, name="duplicate")

    assert "external references (account, system)" in refused.value.message
    assert state(survivor, duplicate) == before
    assert list(external_reference.objects.order_by("pk").values()) == references
