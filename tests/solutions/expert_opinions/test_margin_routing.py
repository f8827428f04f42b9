"""The DMN table routes an offer to the board only when its margin is below 30 %."""

from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError
from obieg.crm.models import Opportunity
from obieg.engine.models import CaseEvent
from obieg.sales.models import Offer
from obieg.solutions.expert_opinions.models import BoardReview, Inquiry
from tests.solutions.expert_opinions.helpers import (
    case_of,
    do,
    new_inquiry,
    offer_data,
    open_elements,
    prepared,
    to_department,
)


def approve_as_head(firm, inquiry):
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    return Inquiry.objects.get(pk=inquiry.pk)


# The engineer costs 150 zł an hour: 14 hours cost 2,100 zł, 2 hours 300 zł.
@pytest.mark.parametrize(
    ("price", "hours", "margin"),
    [
        ("3000.00", "14", "0.3"),  # exactly the minimum
        ("5000.00", "14", "0.58"),
        ("428.58", "2", "0.30001"),  # 128.58 / 428.58 = 30.0014 %
        ("1000.00", "2", "0.7"),
    ],
)
def test_a_margin_at_or_above_the_minimum_needs_only_the_head(firm, price, hours, margin):
    inquiry = prepared(firm, price=price, cost_hours=hours)
    assert inquiry.offer.margin.quantize(Decimal(margin)) == Decimal(margin)
    assert open_elements(inquiry) == ["head_approval"]
    assert case_of(inquiry).data["needs_board"] is False

    inquiry = approve_as_head(firm, inquiry)

    assert open_elements(inquiry) == ["record_answer"]
    assert inquiry.status == Inquiry.Status.OFFER_SENT
    assert not inquiry.escalated_to_board
    assert not BoardReview.objects.exists()
    assert not Opportunity.objects.get(pk=inquiry.opportunity_id).escalated_to_board
    assert Offer.objects.get(pk=inquiry.offer_id).status == Offer.Status.SENT


@pytest.mark.parametrize(
    ("price", "hours", "margin"),
    [
        # 899.99 / 2,999.99 = 29.99977 %: rounded to 4 places it passed as 30 %.
        ("2999.99", "14", "0.29999767"),
        ("428.57", "2", "0.29999767"),  # the same fraction, 1/7 of it
        ("428.51", "2", "0.29990"),
        ("300.00", "2", "0"),
        ("250.00", "2", "-0.2"),
    ],
)
def test_a_margin_below_the_minimum_goes_on_to_the_board(firm, price, hours, margin):
    inquiry = prepared(firm, price=price, cost_hours=hours)
    assert case_of(inquiry).data["needs_board"] is True

    inquiry = approve_as_head(firm, inquiry)

    assert open_elements(inquiry) == ["board_approval"]
    assert inquiry.status == Inquiry.Status.AT_BOARD
    assert inquiry.escalated_to_board
    assert Opportunity.objects.get(pk=inquiry.opportunity_id).escalated_to_board
    review = BoardReview.objects.get(inquiry=inquiry)
    assert review.margin < review.minimum_margin == Decimal("0.3000")
    assert review.margin.quantize(Decimal(margin)) == Decimal(margin)
    assert review.decision == BoardReview.Decision.PENDING


def test_the_head_always_approves_first_even_a_loss(firm):
    inquiry = prepared(firm, price="100.00")
    assert open_elements(inquiry) == ["head_approval"]
    decision = case_of(inquiry).events.get(kind=CaseEvent.Kind.DECISION)
    assert decision.data["needs_board"] is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"price": "0"}, "price", "The price must be above zero"),
        ({"price": "-10"}, "price", "The price must be above zero"),
        ({"hours": ""}, "hours", "The cost is missing"),
        ({"hours": "0"}, "hours", "The cost is missing"),
        ({"experts": []}, "experts", "This field is required"),
    ],
)
def test_a_price_of_zero_or_a_missing_cost_is_refused_and_nothing_is_routed(
    firm, changes, field, message
):
    inquiry = new_inquiry(firm)
    to_department(firm, inquiry)
    with pytest.raises(ApplicationError) as refusal:
        do(inquiry, "prepare_offer", firm.head, **{**offer_data(firm), **changes})
    assert message in " ".join(refusal.value.field_errors[field])
    assert open_elements(inquiry) == ["prepare_offer"]
    inquiry.refresh_from_db()
    assert inquiry.offer_id is None
    assert inquiry.status == Inquiry.Status.AT_DEPARTMENT
    assert not case_of(inquiry).events.filter(kind=CaseEvent.Kind.DECISION).exists()
    assert not Offer.objects.exists()
