"""Outbound e-mail of the process, done by a worker after the step that queued it commits.

Each task reads what it needs afresh, so a step rolled back sends nothing
and a re-run sends the current state.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task

from obieg.documents.models import DocumentVersion
from obieg.solutions.expert_opinions.models import ExpertAssignment, Inquiry


def _client_email(inquiry: Inquiry) -> str:
    if inquiry.contact_id and inquiry.contact.email:
        return inquiry.contact.email
    return inquiry.account.email


@task()
def send_offer_email(inquiry_id: int, version_id: int, answer_url: str = "") -> bool:
    """E-mail the offer PDF to the client; False when the client has no e-mail address."""
    inquiry = Inquiry.objects.select_related("account", "contact", "owner").get(pk=inquiry_id)
    to = _client_email(inquiry)
    if not to:
        return False
    version = DocumentVersion.objects.get(pk=version_id)
    body = (
        f"Dzień dobry,\n\nw załączeniu przesyłamy ofertę na sporządzenie opinii "
        f"„{inquiry.subject}” (zapytanie {inquiry.number}).\n"
    )
    if answer_url:
        body += f"\nOfertę można przyjąć lub odrzucić pod adresem:\n{answer_url}\n"
    message = EmailMessage(
        subject=f"Oferta do zapytania {inquiry.number}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[inquiry.owner.email] if inquiry.owner and inquiry.owner.email else None,
    )
    with version.file.open("rb") as pdf:
        message.attach(version.original_name, pdf.read(), version.content_type)
    message.send()
    return True


@task()
def send_commission_email(assignment_id: int, note: str = "", reminder: bool = False) -> bool:
    """Tell an expert they are commissioned (or remind them) with the deadline."""
    assignment = ExpertAssignment.objects.select_related("expert", "inquiry").get(pk=assignment_id)
    if not assignment.expert.email:
        return False
    inquiry = assignment.inquiry
    deadline = assignment.deadline.isoformat() if assignment.deadline else "—"
    if reminder:
        subject = f"Przypomnienie: opinia {inquiry.number} do {deadline}"
        body = f"Przypominamy o terminie opinii „{inquiry.subject}”: {deadline}.\n"
    else:
        subject = f"Zlecenie opinii {inquiry.number}"
        body = (
            f"Zlecamy sporządzenie opinii „{inquiry.subject}”"
            f"{' (sygn. akt ' + inquiry.case_reference + ')' if inquiry.case_reference else ''}, "
            f"w wymiarze {assignment.hours} h, z terminem {deadline}.\n"
        )
    if note:
        body += f"\n{note}\n"
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [assignment.expert.email]).send()
    return True
