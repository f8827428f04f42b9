"""Sending an offer to the customer: its PDF and its answer link, through the outbox.

One transaction: the PDF is filed (sales.offer_documents), the offer marked
sent with a conditional UPDATE (the revision the salesperson looked at, still
draft or sent), the e-mail queued (obieg.mail: it goes out only if all this
commits) and the opportunity moved to "proposal". The e-mail speaks the
customer's language, like the PDF.

A sent offer can be sent again (to another contact, or when the e-mail was
lost): a new link to the same revision, the same PDF.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _

from obieg.core import access, audit, clock
from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.core.models import AuditAction
from obieg.crm import services as crm
from obieg.crm.models import Opportunity
from obieg.mail.services import queue_mail
from obieg.sales import offer_acceptance, offer_documents
from obieg.sales.models import Offer
from obieg.web.templatetags.sales_format import pln

logger = logging.getLogger(__name__)

SENDABLE = (Offer.Status.DRAFT, Offer.Status.SENT)


@dataclass(frozen=True)
class Recipient:
    email: str
    label: str


def recipients(offer: Offer) -> list[Recipient]:
    """The customer's addresses to choose from: the account's, then its contact persons'."""
    found: list[Recipient] = []
    account = offer.account
    if account.email:
        found.append(Recipient(account.email, f"{account.name} <{account.email}>"))
    for contact in account.contacts.exclude(email="").order_by("last_name", "first_name"):
        if all(r.email.lower() != contact.email.lower() for r in found):
            name = f"{contact.first_name} {contact.last_name}".strip()
            found.append(Recipient(contact.email, f"{name} <{contact.email}>"))
    return found


def carried_by_process(offer: Offer) -> bool:
    """Whether a process's record (a PV project, an expert opinion) points at this offer.

    Such an offer is sent and answered by its process, whose case waits for
    that answer; a second link from here would leave the case waiting.
    """
    for relation in Offer._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not relation.auto_created or relation.concrete or model is None:
            continue
        if model.__module__.startswith("obieg.solutions."):
            if model._default_manager.filter(**{relation.field.name: offer.pk}).exists():
                return True
    return False


def subject(offer: Offer) -> str:
    with translation.override(offer_documents.customer_language(offer)):
        return _("Offer %(number)s: %(title)s") % {"number": offer.number, "title": offer.title}


def default_message(offer: Offer) -> str:
    """The text the salesperson starts from, in the customer's language."""
    with translation.override(offer_documents.customer_language(offer)):
        message = _(
            "Good morning,\n\nplease find attached our offer %(number)s (revision "
            "%(revision)s): %(title)s, %(gross)s gross."
        ) % {
            "number": offer.number,
            "revision": offer.revision_number,
            "title": offer.title,
            "gross": pln(offer.total_gross),
        }
        if offer.valid_until:
            valid = _("The offer is valid until %(date)s.") % {
                "date": offer_documents.formatted_date(offer.valid_until)
            }
            message = f"{message} {valid}"
    return message


def body(offer: Offer, message: str, link: str, sender) -> str:
    """The e-mail as it goes out: the message, the answer link and who signs it."""
    with translation.override(offer_documents.customer_language(offer)):
        answer = _("You can read the offer, accept it or reject it here:")
        regards = _("Kind regards")
    who = ", ".join(filter(None, [_full_name(sender), offer_documents.seller().name]))
    return f"{message.strip()}\n\n{answer}\n{link}\n\n{regards}\n{who}\n"


def _full_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _check(offer: Offer, to: str) -> None:
    try:
        validate_email(to)
    except ValidationError as error:
        message = _("Enter a valid e-mail address.")
        raise ApplicationError(message, field_errors={"to": [message]}) from error
    if offer.status not in SENDABLE:
        raise ApplicationError(_("Only a draft or a sent offer can be sent to the customer."))
    if not offer.lines.exists():
        raise ApplicationError(_("An offer without lines cannot be sent."))
    if offer.valid_until is not None and offer.valid_until < clock.today():
        message = _("The offer's validity date has passed; change it before sending.")
        raise ApplicationError(message, field_errors={"valid_until": [message]})
    if carried_by_process(offer):
        raise ApplicationError(_("This offer is sent by its process; answer it on the case."))


@transaction.atomic
def offer_send(*, actor, offer: Offer, to: str, message: str, revision: int | None = None) -> Offer:
    """Send the offer's PDF and answer link to `to`; the offer is then "sent"."""
    access.ensure_can_change(actor, offer)
    to = to.strip()
    locked = (
        Offer.objects.select_for_update(of=("self",)).select_related("account").get(pk=offer.pk)
    )
    if revision is not None and locked.revision != revision:
        raise Conflict(
            _("This record was changed by someone else in the meantime; reload it and try again.")
        )
    _check(locked, to)
    version = offer_documents.offer_pdf(actor=actor, offer=locked)
    before = audit.snapshot(locked)
    now = clock.now()
    # Conditional on what was checked: the status and revision read under the lock.
    changed = Offer.objects.filter(
        pk=locked.pk, status=locked.status, revision=locked.revision
    ).update(
        status=Offer.Status.SENT,
        sent_at=now,
        sent_to=to,
        sent_by=actor,
        revision=F("revision") + 1,
        updated_at=now,
    )
    if changed != 1:
        raise Conflict(_("The offer was changed meanwhile; reload it and try again."))
    offer = Offer.objects.select_related("account", "opportunity").get(pk=locked.pk)
    audit.record(
        offer,
        actor=actor,
        action=AuditAction.UPDATE,
        changes=audit.diff(before, audit.snapshot(offer)),
    )
    link = offer_acceptance.url_for(offer)
    queue_mail(
        to=to,
        subject=subject(offer),
        body=body(offer, message or default_message(offer), link, actor),
        reply_to=getattr(actor, "email", "") or "",
        attachments=[
            (
                offer_documents.file_name(offer),
                offer_documents.pdf_bytes(version),
                offer_documents.PDF,
            )
        ],
    )
    if offer.opportunity_id is not None:
        try:
            crm.opportunity_advance(
                actor=actor,
                opportunity=offer.opportunity,
                stage=Opportunity.Stage.PROPOSAL,
                value=offer.total_net,
            )
        except PermissionDenied:  # the offer is theirs, the sale someone else's: it stays
            logger.warning("Offer %s sent; %s may not move its opportunity", offer.pk, actor)
    return offer
