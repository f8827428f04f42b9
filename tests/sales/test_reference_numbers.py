import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from obieg.core.models import Sequence
from obieg.sales import services
from obieg.sales.models import Offer
from tests.factories import AccountFactory

LINE = {
    "description": "Panel",
    "quantity": Decimal("1"),
    "unit_price": Decimal("100"),
    "vat_rate": "23",
}


def test_offer_numbers_count_up_within_the_year(org):
    account = AccountFactory(owner=org.sara)
    first = services.offer_create(actor=org.sara, account=account, title="A", lines=[LINE])
    second = services.offer_create(actor=org.sara, account=account, title="B", lines=[LINE])
    assert int(second.number.rsplit("/", 1)[1]) == int(first.number.rsplit("/", 1)[1]) + 1


def test_the_counter_continues_after_numbers_stored_before_it_existed(org):
    account = AccountFactory(owner=org.sara)
    existing = services.offer_create(actor=org.sara, account=account, title="A", lines=[LINE])
    stem = existing.number.rsplit("/", 1)[0]
    Offer.objects.filter(pk=existing.pk).update(number=f"{stem}/00041")
    Sequence.objects.all().delete()
    offer = services.offer_create(actor=org.sara, account=account, title="B", lines=[LINE])
    assert offer.number == f"{stem}/00042"


@pytest.mark.django_db(transaction=True)
def test_offers_created_at_the_same_moment_get_different_numbers(org):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    account = AccountFactory(owner=org.sara)
    start = threading.Barrier(4)
    numbers, errors = [], []

    def create(index):
        try:
            start.wait(timeout=10)
            offer = services.offer_create(
                actor=org.sara, account=account, title=f"Offer {index}", lines=[LINE]
            )
            numbers.append(offer.number)
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(set(numbers)) == 4
