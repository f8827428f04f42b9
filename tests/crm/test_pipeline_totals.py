"""The totals the database keeps per owner, stage and probability (crm/pipeline_totals.py).

Whatever way an opportunity is written (saved, updated in bulk, created in
bulk, deleted, its owner removed), the kept totals equal what adding up the
opportunities themselves gives, to the grosz; a rolled-back write leaves
them as they were; writers at the same moment lose none of each other's.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, Sum

from obieg.crm import pipeline_totals
from obieg.crm.models import Opportunity, PipelineTotal
from obieg.crm.selectors import pipeline
from tests.conftest import make_user
from tests.factories import AccountFactory
from tests.web.home_fixtures import opportunity

Stage = Opportunity.Stage


def kept() -> dict[tuple, tuple[int, Decimal]]:
    return {
        (owner, stage, probability): (count, Decimal(grosz).scaleb(-2))
        for owner, stage, probability, count, grosz in PipelineTotal.objects.filter(
            count__gt=0
        ).values_list("owner", "stage", "probability", "count", "value_grosz")
    }


def counted() -> dict[tuple, tuple[int, Decimal]]:
    rows = (
        Opportunity.objects.filter(owner__isnull=False)
        .order_by()
        .values_list("owner", "stage", "probability")
        .annotate(count=Count("*"), total=Sum("value"))
    )
    return {
        (owner, stage, probability): (count, Decimal(total).quantize(Decimal("0.01")))
        for owner, stage, probability, count, total in rows
    }


@pytest.mark.django_db
def test_every_kind_of_write_keeps_the_totals_equal_to_the_opportunities(org):
    first = opportunity(org.sara, value="1200.10")
    second = opportunity(org.sara, Stage.PROPOSAL, "300.20", 50)
    third = opportunity(org.tomasz, Stage.NEGOTIATION, "999.99", 75)
    assert kept() == counted() != {}

    first.stage, first.probability = Stage.PROPOSAL, 50
    first.save()  # moves to the row of the other proposal
    assert kept() == counted()
    assert kept()[(org.sara.pk, Stage.PROPOSAL, 50)] == (2, Decimal("1500.30"))

    second.value = Decimal("0.70")
    second.save(update_fields=["value"])
    third.name = "Renamed"  # no counted column: nothing moves
    third.save()
    assert kept() == counted()

    Opportunity.objects.filter(owner=org.sara).update(owner=org.tomasz)
    assert kept() == counted()
    assert not PipelineTotal.objects.filter(owner=org.sara, count__gt=0).exists()

    Opportunity.objects.bulk_create(
        Opportunity(account=first.account, owner=org.olga, name=f"Bulk {n}", value=Decimal("0.10"))
        for n in range(30)
    )
    assert kept()[(org.olga.pk, Stage.QUALIFICATION, 10)] == (30, Decimal("3.00"))

    second.delete()
    Opportunity.objects.filter(
        pk__in=list(Opportunity.objects.filter(owner=org.olga)[:10].values_list("pk", flat=True))
    ).delete()
    assert kept() == counted()

    org.tomasz.delete()  # his opportunities lose their owner (SET NULL): no one counts them
    assert kept() == counted()
    assert not PipelineTotal.objects.filter(owner_id=org.tomasz.pk, count__gt=0).exists()


@pytest.mark.django_db
def test_values_in_grosz_add_up_exactly_however_often_they_move(org):
    """0.1 + 0.2 is not 0.3 in floating point, which is how SQLite keeps NUMERIC values."""
    deals = [opportunity(org.sara, value=value) for value in ("0.10", "0.20", "0.70") * 20]
    for round_ in range(5):
        for deal in deals:
            deal.stage = Stage.PROPOSAL if round_ % 2 == 0 else Stage.QUALIFICATION
            deal.save(update_fields=["stage"])
    assert kept() == counted()
    assert kept()[(org.sara.pk, Stage.PROPOSAL, 10)] == (60, Decimal("20.00"))
    (proposal,) = [row for row in pipeline.my_open_pipeline(org.sara) if row.stage == "proposal"]
    assert (proposal.count, proposal.total) == (60, Decimal("20.00"))


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_the_totals_as_they_were(org):
    deal = opportunity(org.sara, value="500.00")
    before = kept()
    with pytest.raises(RuntimeError), transaction.atomic():
        deal.stage = Stage.WON
        deal.save()
        opportunity(org.sara, value="1.00")
        raise RuntimeError("the step failed")
    assert kept() == before == counted()


@pytest.mark.django_db
def test_a_recount_mends_totals_a_write_behind_the_triggers_spoiled(org):
    opportunity(org.sara, value="10.00")
    opportunity(org.tomasz, Stage.PROPOSAL, "20.00", 50)
    PipelineTotal.objects.update(count=99, value_grosz=1)
    assert kept() != counted()

    pipeline_totals.recount()

    assert kept() == counted()


@pytest.mark.django_db(transaction=True)
def test_sellers_writing_at_once_lose_none_of_each_others_opportunities(org):
    """Each thread adds opportunities to one row and moves others back and forth
    between two rows, in its own transactions: no write is lost, none deadlocks."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    seller = make_user("wiktor")
    account = AccountFactory(owner=seller)
    movers = [opportunity(seller, value="1.00") for _ in range(8)]
    start = threading.Barrier(4)
    errors: list[str] = []

    def write(number: int) -> None:
        try:
            start.wait(timeout=10)
            for round_ in range(10):
                with transaction.atomic():
                    Opportunity.objects.create(
                        account=account, owner=seller, name=f"{number}.{round_}", value="0.10"
                    )
                    stage = Stage.PROPOSAL if (number + round_) % 2 else Stage.QUALIFICATION
                    mine = [deal.pk for deal in movers[number * 2 : number * 2 + 2]]
                    Opportunity.objects.filter(pk__in=mine).update(stage=stage)
        except Exception as error:  # a deadlock or a lost update: asserted below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert kept() == counted()
    created = sum(count for (owner, _s, _p), (count, _v) in kept().items() if owner == seller.pk)
    assert created == 8 + 40
