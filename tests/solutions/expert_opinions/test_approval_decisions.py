"""The head approves or returns with a comment; the board approves, rejects or returns."""

import pytest

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm.models import Opportunity
from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from obieg.sales.models import Offer
from obieg.solutions.expert_opinions.models import BoardReview, Inquiry
from tests.solutions.expert_opinions.helpers import (
    case_of,
    do,
    item,
    new_inquiry,
    offer_data,
    open_elements,
    prepared,
    to_department,
)


def low_margin(firm):
    """An offer at 20 % margin, approved by the head, waiting for the board."""
    inquiry = prepared(firm, price="375.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    return inquiry


def test_the_head_returns_the_offer_with_a_comment_and_the_department_works_on_it_again(firm):
    inquiry = new_inquiry(firm)
    to_department(firm, inquiry)
    # The head hands the work to a member of the department, who prepares the offer.
    prepare = item(inquiry, "prepare_offer")
    assert prepare.assignee == firm.head
    engine.reassign(work_item=prepare, actor=firm.head, to=firm.kasia)
    do(inquiry, "prepare_offer", firm.kasia, **offer_data(firm, price="1000.00"))

    with pytest.raises(ApplicationError) as refusal:
        do(inquiry, "head_approval", firm.head, head_decision="return")
    assert "head_comment" in refusal.value.field_errors
    do(inquiry, "head_approval", firm.head, head_decision="return", head_comment="Za drogo")

    assert open_elements(inquiry) == ["prepare_offer"]
    again = item(inquiry, "prepare_offer")
    assert again.assignee == firm.kasia  # back to whoever prepared it
    assert case_of(inquiry).data["head_comment"] == "Za drogo"
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.AT_DEPARTMENT

    do(inquiry, "prepare_offer", firm.kasia, **offer_data(firm, price="800.00"))
    inquiry.refresh_from_db()
    offer = inquiry.offer
    assert Offer.objects.filter(account=firm.client).count() == 1  # the same offer, new lines
    assert offer.total_net == 800 and offer.revision == 2
    assert open_elements(inquiry) == ["head_approval"]


def test_only_the_head_of_the_inquirys_department_decides(firm):
    inquiry = prepared(firm, price="1000.00")
    for outsider in (firm.roman, firm.kasia, firm.board):
        with pytest.raises(PermissionDenied):
            do(inquiry, "head_approval", outsider, head_decision="approve")


def test_the_board_approves_a_low_margin_offer_and_it_is_sent(firm):
    inquiry = low_margin(firm)
    do(inquiry, "board_approval", firm.board, board_decision="approve")

    inquiry.refresh_from_db()
    assert open_elements(inquiry) == ["record_answer"]
    assert inquiry.status == Inquiry.Status.OFFER_SENT
    review = BoardReview.objects.get(inquiry=inquiry)
    assert (review.decision, review.decided_by) == (BoardReview.Decision.APPROVED, firm.board)
    assert inquiry.offer.status == Offer.Status.SENT
    # The board reads CRM records but does not write them: the offer went out in the
    # salesperson's name.
    assert inquiry.offer_document.versions.get().created_by == firm.sara


def test_the_board_rejects_and_the_case_ends_with_the_opportunity_lost(firm):
    inquiry = low_margin(firm)
    with pytest.raises(ApplicationError):
        do(inquiry, "board_approval", firm.board, board_decision="reject")  # no reason given
    do(inquiry, "board_approval", firm.board, board_decision="reject", board_comment="Strata")

    inquiry.refresh_from_db()
    assert case_of(inquiry).status == CaseStatus.COMPLETED
    assert open_elements(inquiry) == []
    assert inquiry.status == Inquiry.Status.REJECTED_BY_BOARD
    opportunity = Opportunity.objects.get(pk=inquiry.opportunity_id)
    assert opportunity.stage == Opportunity.Stage.LOST
    assert opportunity.lost_reason == "Offer rejected by the board"
    review = BoardReview.objects.get(inquiry=inquiry)
    assert (review.decision, review.comment) == (BoardReview.Decision.REJECTED, "Strata")
    assert inquiry.offer.status == Offer.Status.DRAFT  # never sent


def test_the_board_returns_the_offer_and_a_second_low_offer_comes_back_to_it(firm):
    inquiry = low_margin(firm)
    do(inquiry, "board_approval", firm.board, board_decision="return", board_comment="Popraw")
    assert open_elements(inquiry) == ["prepare_offer"]
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.AT_DEPARTMENT

    do(inquiry, "prepare_offer", firm.head, **offer_data(firm, price="400.00"))
    do(inquiry, "head_approval", firm.head, head_decision="approve")

    assert open_elements(inquiry) == ["board_approval"]
    reviews = BoardReview.objects.filter(inquiry=inquiry).order_by("id")
    decisions = list(reviews.values_list("decision", flat=True))
    assert decisions == [BoardReview.Decision.RETURNED, BoardReview.Decision.PENDING]


def test_only_the_board_decides_at_the_board(firm):
    inquiry = low_margin(firm)
    with pytest.raises(PermissionDenied):
        do(inquiry, "board_approval", firm.head, board_decision="approve")
