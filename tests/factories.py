"""factory-boy factories for CRM records; identifiers are valid (python-stdnum)."""

from __future__ import annotations

import random
from decimal import Decimal

import factory
from django.utils import timezone

from obieg.crm.models import Account, Activity, ContactPerson, Lead, Opportunity


def valid_nip(seed: int) -> str:
    """A NIP with a correct checksum, derived from `seed`."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    rng = random.Random(seed)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    kind = Account.Kind.COMPANY
    name = factory.Sequence(lambda n: f"Firma {n} Sp. z o.o.")
    nip = factory.Sequence(valid_nip)
    city = "Kraków"
    postal_code = "30-001"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    account = factory.SubFactory(AccountFactory)
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Kowalski{n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    account = factory.SubFactory(AccountFactory)
    kind = Activity.Kind.CALL
    subject = factory.Sequence(lambda n: f"Rozmowa {n}")
    occurs_at = factory.LazyFunction(timezone.now)


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    source = Lead.Source.SALESPERSON
    contact_name = "Jan Nowak"
    phone = "+48 600 100 200"


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Instalacja PV {n}")
    value = Decimal("25000.00")
