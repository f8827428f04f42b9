"""The customer answers a sent offer through its signed link: accept it or reject it.

No log-in: the token (core.customer_links) is the customer's key. It names
one revision; what that revision says now decides what the page offers —
a superseded revision points to the newer one, an answered offer shows the
answer, an offer past its `valid_until` or a link past its age opens no
more.

The answer is one conditional UPDATE (status still "sent", still valid):
of two answers racing — accept twice, accept against reject, the customer
against a salesperson's button — exactly one changes the row and the others
are told what happened. The audit entry records the name the customer gave,
when and from which address; the salesperson who sent the offer is notified
and the opportunity moves on, in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from obieg.core import audit, clock
from obieg.core.customer_links import CustomerLink, LinkInvalid
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditAction
from obieg.crm import services as crm
from obieg.crm.models import Opportunity
from obieg.notifications.models import Kind, Notification, Source
from obieg.notifications.services import notifications_add
from obieg.sales.models import Offer

logger = logging.getLogger(__name__)

# At most this old, whatever the offer's own validity says (settings.OFFER_LINK_MAX_AGE, s).
OFFER_LINK = CustomerLink(
    salt="obieg.sales.offer-answer",
    max_age=timedelta(days=60),
    view_name="offer_customer",
    max_age_setting="OFFER_LINK_MAX_AGE",
)

MAX_REASON = 4000


def token_for(offer: Offer) -> str:
    return OFFER_LINK.token({"offer": offer.pk})


def url_for(offer: Offer) -> str:
    return OFFER_LINK.url(token_for(offer))


def offer_for_token(token: str) -> Offer:
    """The revision a genuine, unexpired token names; LinkExpired or LinkInvalid otherwise."""
    value = OFFER_LINK.read(token)
    try:
        return (
            Offer.objects.select_related("account", "superseded_by", "pdf")
            .prefetch_related("lines")
            .get(pk=int(value["offer"]))
        )
    except (Offer.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise LinkInvalid(str(error)) from error


class State:
    """What the customer can do with a revision now."""

    OPEN = "open"
    ANSWERED = "answered"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    CLOSED = "closed"  # not sent (any more): a draft, or withdrawn


def state_of(offer: Offer) -> str:
    if offer.status == Offer.Status.SUPERSEDED:
        return State.SUPERSEDED
    if offer.status in (Offer.Status.ACCEPTED, Offer.Status.REJECTED):
        return State.ANSWERED
    if offer.status != Offer.Status.SENT:
        return State.CLOSED
    if offer.valid_until is not None and offer.valid_until < clock.today():
        return State.EXPIRED
    return State.OPEN


def _refusal(offer: Offer) -> ApplicationError:
    """Why a conditional answer changed nothing, read from the row as it is now."""
    state = state_of(offer)
    if state == State.SUPERSEDED:
        return ApplicationError(_("A newer revision of this offer exists; this one is closed."))
    if state == State.EXPIRED:
        return ApplicationError(_("This offer has expired; please contact us for a new one."))
    if offer.status == Offer.Status.ACCEPTED:
        return ApplicationError(_("This offer has already been accepted."))
    if offer.status == Offer.Status.REJECTED:
        return ApplicationError(_("This offer has already been rejected."))
    return ApplicationError(_("This offer is not waiting for an answer."))


@dataclass(frozen=True)
class Answer:
    accept: bool
    name: str
    reason: str = ""


def _checked(answer: Answer) -> Answer:
    name, reason = answer.name.strip()[:200], answer.reason.strip()[:MAX_REASON]
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give your name.")]
    if not answer.accept and not reason:
        errors["reason"] = [_("Tell us why, so that we can improve the offer.")]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], field_errors=errors)
    return Answer(answer.accept, name, reason if not answer.accept else "")


@transaction.atomic
def offer_answer(*, offer: Offer, answer: Answer, ip: str | None) -> Offer:
    """Record the customer's answer, once; ApplicationError when it is too late or taken."""
    answer = _checked(answer)
    before = audit.snapshot(Offer.objects.get(pk=offer.pk))
    now, today = clock.now(), clock.today()
    status = Offer.Status.ACCEPTED if answer.accept else Offer.Status.REJECTED
    changed = (
        Offer.objects.filter(pk=offer.pk, status=Offer.Status.SENT)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .update(
            status=status,
            answered_at=now,
            answered_by_name=answer.name,
            answered_from=ip,
            rejection_reason=answer.reason,
            revision=F("revision") + 1,
            updated_at=now,
        )
    )
    offer = Offer.objects.select_related("account", "opportunity", "sent_by", "created_by").get(
        pk=offer.pk
    )
    if changed != 1:
        raise _refusal(offer)
    changes = audit.diff(before, audit.snapshot(offer))
    audit.record(offer, actor=None, action=AuditAction.UPDATE, changes=changes)
    _tell_salesperson(offer, accepted=answer.accept)
    if answer.accept:
        _move_opportunity(offer)
    return offer


def salesperson(offer: Offer):
    """Who answers for the offer: who sent it, else who made it, else the customer's owner."""
    return offer.sent_by or offer.created_by or offer.account.owner


def _tell_salesperson(offer: Offer, *, accepted: bool) -> None:
    person = salesperson(offer)
    if person is None:
        return
    kind = Kind.OFFER_ACCEPTED if accepted else Kind.OFFER_REJECTED
    notifications_add(
        [
            Notification(
                recipient=person,
                kind=kind,
                source=Source.OFFER,
                source_id=offer.pk,
                key=f"{kind}:offer:{offer.pk}",
                title=f"{offer} — {offer.title}",
                url=reverse("offer_detail", args=[offer.pk]),
                created_at=clock.now(),
            )
        ]
    )


def _move_opportunity(offer: Offer) -> None:
    """An accepted offer takes its sale to negotiation (the contract follows), at its value.

    As the processes do (crm.opportunity_advance): never backwards, a closed
    sale is left alone. Written for the customer's salesperson; if they may no
    longer change it, the answer still stands and the move is left to them.
    """
    if offer.opportunity_id is None:
        return
    actor = offer.account.owner or salesperson(offer)
    try:
        crm.opportunity_advance(
            actor=actor,
            opportunity=offer.opportunity,
            stage=Opportunity.Stage.NEGOTIATION,
            value=offer.total_net,
        )
    except PermissionDenied:
        logger.warning("Offer %s accepted; %s may not move its opportunity", offer.pk, actor)
