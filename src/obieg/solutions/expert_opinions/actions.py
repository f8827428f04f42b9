"""Service-task actions from the assignment to the client's answer, registered by name.

Each runs inside the engine's step (one transaction with the person's
completion) and returns what the case data should remember. The engine has
already checked that the person may work on the task; writes that the
process makes on its own account are audited with that person as actor.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from obieg.core import access, clock, records
from obieg.core.errors import ApplicationError
from obieg.core.models import Department
from obieg.crm.models import Opportunity
from obieg.documents import services as documents
from obieg.documents.models import Document
from obieg.engine.registry import ActionContext
from obieg.sales import services as sales
from obieg.sales.models import Offer
from obieg.solutions.expert_opinions import delivery, links, notify, pdf, selectors
from obieg.solutions.expert_opinions.models import BoardReview, Expert, ExpertAssignment, Inquiry

Status = Inquiry.Status


def inquiry_of(ctx: ActionContext) -> Inquiry:
    # The case's subject, not a value from the case data: forms cannot redirect it.
    return Inquiry.objects.select_related("account", "opportunity", "offer", "owner").get(
        pk=ctx.case.subject_id
    )


def acting_for(ctx: ActionContext, record) -> Any:
    """Who writes `record` in this step.

    The person who completed the task when their role may change it; else
    the inquiry's salesperson, in whose name the process deals with the
    client (the board reads CRM records but does not write them, and timers
    and the client's signed link have no user).
    """
    if ctx.actor is not None and access.can_change(ctx.actor, record):
        return ctx.actor
    return Inquiry.objects.get(pk=ctx.case.subject_id).owner


def set_status(ctx: ActionContext, inquiry: Inquiry, status: str, **fields) -> Inquiry:
    return records.record_update(inquiry, actor=ctx.actor, data={"status": status, **fields})


def update_opportunity(ctx: ActionContext, inquiry: Inquiry, **fields) -> None:
    if inquiry.opportunity_id:
        records.record_update(inquiry.opportunity, actor=ctx.actor, data=fields)


def assign_department(ctx: ActionContext) -> dict:
    """Hand the inquiry (and its opportunity) to the department the secretariat chose."""
    department = Department.objects.select_related("head").get(pk=ctx.data["department"])
    if department.head is None:
        raise ApplicationError(_("%(name)s has no head.") % {"name": department})
    inquiry = inquiry_of(ctx)
    set_status(ctx, inquiry, Status.AT_DEPARTMENT, department=department)
    update_opportunity(ctx, inquiry, department=department)
    return {
        "department_code": department.code,
        "department_name": department.name,
        "department_head": department.head.username,
    }


def create_offer(ctx: ActionContext) -> dict:
    """Save the department's estimate as the offer (one line: price and cost) and its experts."""
    inquiry = inquiry_of(ctx)
    data = ctx.data
    # The offer's words reach the client (its PDF, then the invoice): in the client's language.
    with translation.override(selectors.client_language(inquiry)):
        description = _("Expert opinion: %(subject)s") % {"subject": inquiry.subject}
        title = _("Opinion: %(subject)s") % {"subject": inquiry.subject}
    lines = [
        {
            "description": description[:300],
            "quantity": 1,
            "unit": "usł.",
            "unit_cost": data["cost"],
            "unit_price": data["price"],
            "vat_rate": data.get("vat_rate") or "23",
        }
    ]
    actor = acting_for(ctx, inquiry.account)
    if inquiry.offer is None:
        offer = sales.offer_create(
            actor=actor,
            account=inquiry.account,
            title=title[:200],
            lines=lines,
            opportunity=inquiry.opportunity,
            valid_until=timezone.localdate(clock.now()) + timedelta(days=30),
            notes=data.get("scope", ""),
        )
    else:
        offer = inquiry.offer
        notes = data.get("scope", "")
        # What the board decided on stays as it saw it (its review points at it): a change
        # after the board returned the offer is the offer's next revision.
        if _was_before_the_board(offer) and _differs(offer, lines, notes):
            offer = sales.offer_revise(actor=actor, offer=offer)
        offer = sales.offer_replace_lines(actor=actor, offer=offer, lines=lines)
        offer = sales.offer_update(actor=actor, offer=offer, data={"notes": notes})
    _propose_experts(inquiry, data["experts"], data["hours"])
    set_status(ctx, inquiry, Status.IN_APPROVAL, offer=offer)
    return {
        "offer_id": offer.pk,
        "offer_number": str(offer),
        "price": offer.total_net,
        "cost": offer.total_cost,
        "margin": offer.margin,
        # Who prepared it works on the inquiry from now on (a return comes back to them).
        "handler": ctx.actor.username if ctx.actor is not None else "",
    }


def _was_before_the_board(offer: Offer) -> bool:
    return BoardReview.objects.filter(offer=offer).exists()


def _differs(offer: Offer, lines: list[dict], notes: str) -> bool:
    """Whether the estimate changes the offer's lines or scope."""

    def key(description, quantity, unit, unit_cost, unit_price, vat_rate):
        amounts = (Decimal(str(value)) for value in (quantity, unit_cost, unit_price))
        return (description, *amounts, unit, str(vat_rate))

    current = [
        key(
            line.description,
            line.quantity,
            line.unit,
            line.unit_cost,
            line.unit_price,
            line.vat_rate,
        )
        for line in offer.lines.order_by("position")
    ]
    wanted = [key(**line) for line in lines]
    return current != wanted or offer.notes != notes


def _propose_experts(inquiry: Inquiry, expert_ids: list[int], hours) -> None:
    """The experts of the current estimate replace those of an earlier, returned one."""
    inquiry.assignments.filter(status=ExpertAssignment.Status.PROPOSED).delete()
    experts = Expert.objects.filter(pk__in=expert_ids)
    ExpertAssignment.objects.bulk_create(
        ExpertAssignment(
            inquiry=inquiry, expert=expert, hours=hours, hourly_rate=expert.hourly_rate
        )
        for expert in experts
    )


def offer_returned(ctx: ActionContext) -> dict:
    """The head or the board sent the offer back: the department works on it again."""
    set_status(ctx, inquiry_of(ctx), Status.AT_DEPARTMENT)
    return {"returns": int(ctx.data.get("returns") or 0) + 1}


def escalate_to_board(ctx: ActionContext) -> dict:
    """The margin is below the minimum: flag the opportunity and put the offer before the board."""
    inquiry = inquiry_of(ctx)
    offer = inquiry.offer
    set_status(ctx, inquiry, Status.AT_BOARD, escalated_to_board=True)
    update_opportunity(ctx, inquiry, escalated_to_board=True)
    review = BoardReview.objects.create(
        inquiry=inquiry,
        offer=offer,
        net=offer.total_net,
        cost=offer.total_cost,
        margin=offer.margin,
        minimum_margin=ctx.data["minimum_margin"],
        escalated_at=clock.now(),
    )
    return {"board_review_id": review.pk}


BOARD_DECISIONS = {
    "approve": BoardReview.Decision.APPROVED,
    "reject": BoardReview.Decision.REJECTED,
    "return": BoardReview.Decision.RETURNED,
}


def record_board_decision(ctx: ActionContext) -> None:
    """Write the board's decision on the review the board page lists."""
    review = BoardReview.objects.get(pk=ctx.data["board_review_id"])
    records.record_update(
        review,
        actor=ctx.actor,
        data={
            "decision": BOARD_DECISIONS[ctx.data["board_decision"]],
            "decided_by": ctx.actor,
            "decided_at": clock.now(),
            "comment": ctx.data.get("board_comment", ""),
        },
    )


def close_rejected(ctx: ActionContext) -> None:
    """The board rejected the offer: it is closed, the inquiry ends, the opportunity is lost."""
    inquiry = inquiry_of(ctx)
    # Never sent, but decided on: a rejected offer, not a draft someone might still send.
    sales.offer_withdraw(actor=acting_for(ctx, inquiry.offer), offer=inquiry.offer)
    set_status(ctx, inquiry, Status.REJECTED_BY_BOARD)
    _lose(ctx, inquiry, _("Offer rejected by the board"))


def _lose(ctx: ActionContext, inquiry: Inquiry, reason: str) -> None:
    update_opportunity(
        ctx,
        inquiry,
        stage=Opportunity.Stage.LOST,
        probability=0,
        closed_at=clock.now(),
        lost_reason=reason[:200],
    )


def send_offer(ctx: ActionContext) -> dict:
    """Draw the approved offer as a PDF, file it with the offer and e-mail it to the client."""
    inquiry = inquiry_of(ctx)
    offer = inquiry.offer
    actor = acting_for(ctx, offer)
    # Only an absolute link helps the client; without PUBLIC_URL the salesperson records the answer.
    url = links.answer_url(inquiry)
    url = url if url.startswith("http") else ""
    file = ContentFile(
        pdf.offer_pdf(inquiry, offer, answer_url=url),
        name=_offer_file_name(inquiry, offer),
    )
    if inquiry.offer_document_id:
        document = inquiry.offer_document
        version = documents.document_add_version(actor=actor, document=document, file=file)
    else:
        document = documents.document_upload(
            actor=actor, title=f"Oferta {offer}", kind=Document.Kind.OFFER, file=file, subject=offer
        )
        version = document.versions.get()
    sales.offer_set_status(actor=actor, offer=offer, status=Offer.Status.SENT)
    update_opportunity(ctx, inquiry, stage=Opportunity.Stage.PROPOSAL, value=offer.total_net)
    set_status(ctx, inquiry, Status.OFFER_SENT, offer_document=document)
    notify.offer_sent(inquiry, version, url)
    return {"offer_document_id": document.pk, "offer_sent_on": timezone.localdate(clock.now())}


def _offer_file_name(inquiry: Inquiry, offer: Offer) -> str:
    with translation.override(selectors.client_language(inquiry)):
        stem = _("offer")
    return f"{stem}-{offer.number.replace('/', '-')}-r{offer.revision_number}.pdf"


def record_client_answer(ctx: ActionContext) -> None:
    """The client accepted (the opportunity is won) or rejected (lost) the offer."""
    inquiry = inquiry_of(ctx)
    accepted = ctx.data["client_answer"] == "accepted"
    actor = acting_for(ctx, inquiry.offer)
    status = Offer.Status.ACCEPTED if accepted else Offer.Status.REJECTED
    sales.offer_set_status(actor=actor, offer=inquiry.offer, status=status)
    if accepted:
        set_status(ctx, inquiry, Status.ACCEPTED)
        update_opportunity(
            ctx, inquiry, stage=Opportunity.Stage.WON, probability=100, closed_at=clock.now()
        )
    else:
        set_status(ctx, inquiry, Status.REJECTED_BY_CLIENT)
        _lose(ctx, inquiry, ctx.data.get("answer_note") or _("Offer rejected by the client"))


ACTIONS = {
    "expert_opinions.assign_department": assign_department,
    "expert_opinions.create_offer": create_offer,
    "expert_opinions.offer_returned": offer_returned,
    "expert_opinions.escalate_to_board": escalate_to_board,
    "expert_opinions.record_board_decision": record_board_decision,
    "expert_opinions.close_rejected": close_rejected,
    "expert_opinions.send_offer": send_offer,
    "expert_opinions.record_client_answer": record_client_answer,
    **delivery.ACTIONS,
}
