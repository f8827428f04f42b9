"""The head approves or returns with a comment; the board approves, rejects or returns."""

import pytest
from django.urls import reverse

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
    # Never sent, but closed: no draft is left that someone could still send.
    assert inquiry.offer.status == Offer.Status.REJECTED
    assert not inquiry.offer_document_id


def test_the_client_rejecting_closes_the_offer_too(firm):
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    do(inquiry, "record_answer", firm.sara, client_answer="rejected", answer_note="Za drogo")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.REJECTED_BY_CLIENT
    assert inquiry.offer.status == Offer.Status.REJECTED


def test_the_board_returns_the_offer_and_a_second_low_offer_comes_back_to_it(firm):
    inquiry = low_margin(firm)
    first = Inquiry.objects.get(pk=inquiry.pk).offer
    do(inquiry, "board_approval", firm.board, board_decision="return", board_comment="Popraw")
    assert open_elements(inquiry) == ["prepare_offer"]
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.AT_DEPARTMENT

    do(inquiry, "prepare_offer", firm.head, **offer_data(firm, price="400.00"))
    do(inquiry, "head_approval", firm.head, head_decision="approve")

    assert open_elements(inquiry) == ["board_approval"]
    reviews = BoardReview.objects.filter(inquiry=inquiry).order_by("id")
    decisions = list(reviews.values_list("decision", flat=True))
    assert decisions == [BoardReview.Decision.RETURNED, BoardReview.Decision.PENDING]

    # The changed offer is the next revision; the board's first review keeps what it saw.
    second = Inquiry.objects.get(pk=inquiry.pk).offer
    first.refresh_from_db()
    assert (second.number, second.revision_number) == (first.number, 2)
    assert str(second) == f"{first.number}/R2" and second.supersedes == first
    assert (first.status, first.total_net) == (Offer.Status.SUPERSEDED, 375)
    assert [(r.offer, r.net, str(r.margin)[:4]) for r in reviews] == [
        (first, 375, "0.20"),
        (second, 400, "0.25"),
    ]


def test_the_board_history_shows_both_revisions(client, firm):
    inquiry = low_margin(firm)
    do(inquiry, "board_approval", firm.board, board_decision="return", board_comment="Popraw")
    do(inquiry, "prepare_offer", firm.head, **offer_data(firm, price="400.00"))
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    first, second = BoardReview.objects.filter(inquiry=inquiry).order_by("id")

    client.force_login(firm.board)
    board = client.get(reverse("expert_opinions:board")).content.decode()
    for review, revision, margin in ((first, "R1", "20,00%"), (second, "R2", "25,00%")):
        row = board[board.index(f'id="review-{review.pk}"') :]
        row = row[: row.index("</tr>")]
        assert f"{review.offer.number}/{revision}" in row and margin in row
    page = client.get(reverse("expert_opinions:inquiry_detail", args=[inquiry.pk])).content
    page = page.decode()
    assert f"{first.offer.number}/R1" in page and f"{first.offer.number}/R2" in page


def test_an_unchanged_offer_sent_back_to_the_board_stays_the_same_revision(firm):
    inquiry = low_margin(firm)
    do(inquiry, "board_approval", firm.board, board_decision="return", board_comment="Uzasadnij")
    do(inquiry, "prepare_offer", firm.head, **offer_data(firm, price="375.00"))
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    offers = {review.offer_id for review in BoardReview.objects.filter(inquiry=inquiry)}
    assert offers == {Inquiry.objects.get(pk=inquiry.pk).offer_id}
    assert Offer.objects.count() == 1


def test_only_the_board_decides_at_the_board(firm):
    inquiry = low_margin(firm)
    with pytest.raises(PermissionDenied):
        do(inquiry, "board_approval", firm.head, board_decision="approve")
