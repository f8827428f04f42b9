"""Records that inherit their account's access: whoever sees the account sees them all.

The customer 360° page reads the account through the policy and then skips
the policy's filters for such records (`access.visible_under`). These tests
hold that shortcut to the policy itself: for every persona of the access
matrix and every account they see, the records `visible_under` gives are
exactly those `visible` gives.
"""

from __future__ import annotations

import pytest

from obieg.billing.models import Invoice, Payment
from obieg.core import access
from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer
from tests.core.test_access_matrix import MATRIX, world  # noqa: F401 - the fixture

ACCOUNT_RECORDS = [ContactPerson, Activity, Lead, Opportunity, Offer, Contract, Document]


@pytest.mark.parametrize(
    ("model", "via", "inherits"),
    [
        (ContactPerson, "account", True),
        # Its readers through what it is attached to only add to its account's.
        (Document, "account", True),
        # Accounting reads the account, not the sales work with it.
        (Activity, "account", False),
        # Their department is their opportunity's, not any of the account's.
        (Offer, "account", False),
        (Contract, "account", False),
        (Invoice, "buyer", False),
        (Payment, "invoice__buyer", False),
        # Their own owner.
        (Opportunity, "account", False),
        (Lead, "account", False),
        # Not a path of foreign keys to a model with access paths.
        (ContactPerson, "first_name", False),
        (ContactPerson, "nothing", False),
    ],
)
def test_which_records_inherit_the_access_of_their_parent(model, via, inherits):
    assert access.inherits_access(model, via) is inherits


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(MATRIX))
@pytest.mark.parametrize("model", ACCOUNT_RECORDS, ids=lambda model: model.__name__)
def test_visible_under_a_seen_account_is_what_the_policy_shows(world, persona, model):  # noqa: F811
    user = world.personas[persona]
    for account in access.visible(Account.objects.all(), user):
        records = model.objects.filter(account=account)

        shortcut = set(access.visible_under(records, user, "account").values_list("pk", flat=True))
        policy = set(access.visible(records, user).values_list("pk", flat=True))

        assert shortcut == policy, f"{persona} on {account}"
