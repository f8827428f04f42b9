"""Activities belong to one customer: their contact and opportunity must be that customer's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm import services as crm
from obieg.crm.models import Activity
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory


def call(**extra):
    return {"kind": Activity.Kind.CALL, "subject": "Telefon", "occurs_at": timezone.now(), **extra}


@pytest.fixture
def account(org):
    return AccountFactory(owner=org.sara)


def test_an_activity_links_the_accounts_own_contact_and_opportunity(org, account):
    contact = ContactFactory(account=account)
    opportunity = OpportunityFactory(account=account)

    activity = crm.activity_create(
        actor=org.sara, account=account, data=call(contact=contact, opportunity=opportunity)
    )

    assert (activity.account, activity.contact, activity.opportunity) == (
        account,
        contact,
        opportunity,
    )
    assert activity.owner == org.sara


@pytest.mark.parametrize("field", ["contact", "opportunity"])
def test_a_contact_or_opportunity_of_another_account_is_refused(org, account, field):
    other = AccountFactory(owner=org.sara)
    foreign = (
        ContactFactory(account=other) if field == "contact" else OpportunityFactory(account=other)
    )

    with pytest.raises(ApplicationError) as raised:
        crm.activity_create(actor=org.sara, account=account, data=call(**{field: foreign}))

    assert field in raised.value.field_errors
    assert not Activity.objects.exists()


def test_only_a_done_activity_has_an_outcome(org, account):
    with pytest.raises(ApplicationError) as raised:
        crm.activity_create(
            actor=org.sara, account=account, data=call(outcome=Activity.Outcome.POSITIVE)
        )
    assert "outcome" in raised.value.field_errors

    done = crm.activity_create(
        actor=org.sara,
        account=account,
        data=call(status=Activity.Status.DONE, outcome=Activity.Outcome.POSITIVE),
    )
    assert done.outcome == Activity.Outcome.POSITIVE


def test_an_activity_cannot_be_logged_on_someone_elses_account(org, account):
    with pytest.raises(PermissionDenied):
        crm.activity_create(actor=org.tomasz, account=account, data=call())
    assert not Activity.objects.exists()
