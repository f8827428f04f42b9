"""E-mails of grant projects, queued in the outbox in the transaction that causes them.

What goes to the client speaks the client's language (the account's, Polish
by default) and carries its document; reminders and escalations to the
institution's people go to the coordinator and the managers in Polish. A
rolled-back change queues nothing; the outbox sends each message once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from obieg.billing.models import Invoice
from obieg.billing.pdf import invoice_pdf
from obieg.core import roles
from obieg.mail.services import queue_mail
from obieg.solutions.grants.models import GrantProject, Obligation

PDF = "application/pdf"


def client_language(project: GrantProject) -> str:
    return project.account.language or "pl"


def _reply_to(project: GrantProject) -> str:
    person = project.coordinator or project.advisor
    return person.email if person and person.email else ""


def managers() -> list[str]:
    """The institution's managers' addresses: they hear of every escalation."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.SALES_MANAGER)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def _staff(project: GrantProject, *, with_managers: bool) -> list[str]:
    people = (
        [project.coordinator, project.advisor]
        if project.coordinator_id is None
        else [project.coordinator]
    )
    addresses = [person.email for person in people if person and person.email]
    if with_managers:
        addresses += managers()
    return sorted(set(addresses))


def invoice_to_client(project: GrantProject, invoice: Invoice) -> bool:
    """Send the client the invoice the schedule called for, with its PDF (False: no address)."""
    to = project.account.email
    if not to:
        return False
    facts = {
        "number": invoice.number,
        "title": project.title,
        "gross": invoice.gross,
        "due": date_format(invoice.due_date, "SHORT_DATE_FORMAT"),
    }
    with translation.override(client_language(project)):
        subject = _("Invoice %(number)s — %(title)s") % facts
        body = (
            _(
                "Good morning,\n\nplease find attached invoice %(number)s for %(gross)s zł, "
                "payable by %(due)s, as our cooperation contract's payment schedule provides.\n"
            )
            % facts
        )
        pdf = invoice_pdf(invoice)
    name = invoice.number.replace("/", "_") + ".pdf"
    queue_mail(
        to=to,
        subject=subject,
        body=body,
        reply_to=_reply_to(project),
        attachments=[(name, pdf, PDF)],
    )
    return True


def _describe(obligation: Obligation) -> dict[str, str]:
    return {
        "title": obligation.title,
        "project": str(obligation.project),
        "client": str(obligation.project.account),
        "due": date_format(obligation.due_date, "SHORT_DATE_FORMAT"),
    }


def payment_reminder(obligation: Obligation, invoice: Invoice) -> bool:
    """Remind the client of an overdue invoice."""
    project = obligation.project
    if not project.account.email:
        return False
    facts = {**_describe(obligation), "number": invoice.number, "left": invoice.outstanding}
    with translation.override(client_language(project)):
        subject = _("Payment reminder: invoice %(number)s") % facts
        body = (
            _(
                "Good morning,\n\nour records show that invoice %(number)s, due on %(due)s, "
                "still has %(left)s zł to pay. If you have already paid, please ignore this "
                "message.\n"
            )
            % facts
        )
    queue_mail(to=project.account.email, subject=subject, body=body, reply_to=_reply_to(project))
    return True


def staff_reminder(obligation: Obligation, *, link: str = "") -> bool:
    """Tell the coordinator a duty falls due (and the client, with a link, for a measurement)."""
    facts = _describe(obligation)
    with translation.override("pl"):
        subject = _("Deadline %(due)s: %(title)s (%(project)s)") % facts
        body = _("%(title)s for %(client)s (project %(project)s) is due on %(due)s.\n") % facts
    sent = False
    for to in _staff(obligation.project, with_managers=False):
        queue_mail(to=to, subject=subject, body=body)
        sent = True
    if link and obligation.project.account.email:
        with translation.override(client_language(obligation.project)):
            client_subject = _("Please enter the indicator value: %(title)s") % facts
            client_body = _(
                "Good morning,\n\nthe grant agreement requires the value of “%(title)s” by "
                "%(due)s. Please enter it here:\n%(url)s\n"
            ) % {**facts, "url": link}
        queue_mail(
            to=obligation.project.account.email,
            subject=client_subject,
            body=client_body,
            reply_to=_reply_to(obligation.project),
        )
        sent = True
    return sent


def escalation(obligation: Obligation) -> bool:
    """Tell the coordinator and the managers a duty is about to be, or has been, missed."""
    facts = _describe(obligation)
    with translation.override("pl"):
        subject = _("ESCALATION: %(title)s (%(project)s) due %(due)s") % facts
        body = (
            _(
                "%(title)s for %(client)s (project %(project)s), due on %(due)s, is still not "
                "done. Please act now.\n"
            )
            % facts
        )
    recipients = _staff(obligation.project, with_managers=True)
    for to in recipients:
        queue_mail(to=to, subject=subject, body=body)
    return bool(recipients)
