"""E-mails of the opinion process, queued in the outbox with the step that causes them.

The client's e-mail speaks the client's language; the firm's experts get theirs
in Polish. A step rolled back queues nothing; the outbox sends each message once.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from obieg.documents.models import DocumentVersion
from obieg.mail.services import queue_mail
from obieg.solutions.expert_opinions.models import ExpertAssignment, Inquiry
from obieg.solutions.expert_opinions.selectors import client_language


def _client_email(inquiry: Inquiry) -> str:
    if inquiry.contact_id and inquiry.contact.email:
        return inquiry.contact.email
    return inquiry.account.email


def offer_sent(inquiry: Inquiry, version: DocumentVersion, answer_url: str = "") -> bool:
    """E-mail the offer PDF to the client, in the client's language; False without an address."""
    to = _client_email(inquiry)
    if not to:  # the salesperson hands the offer over another way
        return False
    facts = {"subject": inquiry.subject, "number": inquiry.number, "url": answer_url}
    with translation.override(client_language(inquiry)):
        subject = _("Offer for inquiry %(number)s") % facts
        body = (
            _(
                "Good morning,\n\nplease find attached our offer for the expert opinion "
                "“%(subject)s” (inquiry %(number)s).\n"
            )
            % facts
        )
        if answer_url:
            body += "\n" + _("You can accept or decline the offer here:\n%(url)s\n") % facts
    with version.file.open("rb") as pdf:
        content = pdf.read()
    queue_mail(
        to=to,
        subject=subject,
        body=body,
        reply_to=inquiry.owner.email if inquiry.owner and inquiry.owner.email else "",
        attachments=[(version.original_name, content, version.content_type)],
    )
    return True


def expert_commissioned(
    assignment: ExpertAssignment, note: str = "", reminder: bool = False
) -> bool:
    """Tell an expert they are commissioned (or remind them) with the deadline."""
    if not assignment.expert.email:
        return False
    inquiry = assignment.inquiry
    # An expert keeps no language of their own: court experts (biegli) read Polish.
    with translation.override("pl"):
        facts = {
            "number": inquiry.number,
            "subject": inquiry.subject,
            "hours": assignment.hours,
            "deadline": assignment.deadline.isoformat() if assignment.deadline else "—",
            "reference": inquiry.case_reference,
        }
        if reminder:
            subject = _("Reminder: opinion %(number)s due %(deadline)s") % facts
            body = (
                _("A reminder of the deadline of the opinion “%(subject)s”: %(deadline)s.\n")
                % facts
            )
        else:
            subject = _("Opinion commissioned: %(number)s") % facts
            body = (
                _(
                    "We commission the opinion “%(subject)s” (case reference %(reference)s), "
                    "%(hours)s h of work, due %(deadline)s.\n"
                )
                if inquiry.case_reference
                else _(
                    "We commission the opinion “%(subject)s”, %(hours)s h of work, due "
                    "%(deadline)s.\n"
                )
            ) % facts
    if note:
        body += f"\n{note}\n"
    queue_mail(to=assignment.expert.email, subject=subject, body=body)
    return True
