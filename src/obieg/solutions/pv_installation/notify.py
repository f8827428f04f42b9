"""E-mails to the customer, in the customer's language; queued with the step that causes them.

Each carries what it is about: the offer, contract, invoice or protocol as
a PDF attachment (and the signed link where the customer answers), amounts
written the Polish way ("18 053,28 zł") and, where money is asked for, the
seller's bank account and the transfer title. The language is the
account's (`Account.language`, Polish unless the customer chose English);
every text is in the catalogue, so an English customer reads no Polish.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from obieg.billing.identifiers import format_iban
from obieg.billing.models import CompanyProfile
from obieg.documents.models import Document
from obieg.mail.services import Attachment, queue_mail
from obieg.solutions.pv_installation.models import PVProject
from obieg.web.templatetags.sales_format import pln

PDF = "application/pdf"


def _paper_name(kind: str) -> str:
    """The attachment's file name for a protocol or a warranty card (no spaces, no accents)."""
    if kind == Document.Kind.PROTOCOL:
        return pgettext("attachment file name", "acceptance-protocol")
    return pgettext("attachment file name", "warranty")


def customer_language(project: PVProject) -> str:
    return project.account.language or "pl"


def _seller() -> CompanyProfile | None:
    return CompanyProfile.objects.order_by("id").first()


def _signature() -> str:
    seller = _seller()
    if seller is None:
        return "\n\n" + _("Kind regards\nThe photovoltaics team")
    contact = ", ".join(filter(None, [seller.phone, seller.email]))
    return (
        "\n\n"
        + _("Kind regards\nThe photovoltaics team — %(seller)s") % {"seller": seller.name}
        + (f"\n{contact}" if contact else "")
    )


def _to(project: PVProject) -> str:
    return project.account.email or (project.lead.email if project.lead else "")


def _send(project: PVProject, subject: str, body: str, attachments=()) -> None:
    """Queue the mail; `subject` and `body` were written in the customer's language."""
    if _to(project):  # a customer without an e-mail gets the papers from the salesperson
        with translation.override(customer_language(project)):
            signature = _signature()
        queue_mail(to=_to(project), subject=subject, body=body + signature, attachments=attachments)


def _pdf_of(document: Document | None, name: str) -> list[Attachment]:
    """The document's newest version as an attachment (none when there is no file)."""
    version = document.versions.order_by("-number").first() if document else None
    if version is None:
        return []
    with version.file.open("rb") as file:
        return [(name, file.read(), version.content_type or PDF)]


def _bank_line(account: str, title: str) -> str:
    if not account:
        return ""
    return "\n" + _("Account number: %(account)s\nTransfer title: %(title)s") % {
        "account": format_iban(account),
        "title": title,
    }


def _file_number(number: str) -> str:
    return number.replace("/", "-")


def offer_sent(project: PVProject, url: str, pdf: bytes) -> None:
    """The offer's PDF, as just rendered (not read back from storage), and its answer link."""
    offer = project.offer
    facts = {
        "number": offer.number,
        "revision": offer.revision_number,
        "gross": pln(offer.total_gross),
        "url": url,
    }
    with translation.override(customer_language(project)):
        subject = _("Offer %(number)s (version %(revision)s) — photovoltaic installation") % facts
        body = (
            _(
                "Good morning,\n\nplease find attached our offer for a photovoltaic installation "
                "(gross value %(gross)s).\nYou can accept the offer or ask for changes here:\n"
                "%(url)s"
            )
            % facts
        )
        name = pgettext("attachment file name", "offer-%(number)s.pdf") % {
            "number": _file_number(offer.number)
        }
    _send(project, subject, body, [(name, pdf, PDF)])


def contract_sent(project: PVProject, url: str) -> None:
    contract, seller = project.contract, _seller()
    account = format_iban(seller.bank_account) if seller and seller.bank_account else ""
    facts = {"number": contract.number, "gross": pln(contract.value_gross), "url": url}
    with translation.override(customer_language(project)):
        subject = _("Contract %(number)s — photovoltaic installation") % facts
        body = (
            _(
                "Good morning,\n\nplease find attached the contract for building a photovoltaic "
                "installation (gross value %(gross)s).\nYou can accept the contract or ask for "
                "changes here:\n%(url)s\nYou may also send a signed scan to your sales advisor."
            )
            % facts
        )
        if account:
            body += "\n" + (
                _(
                    "Once you accept, we will issue the advance invoice, payable to the account "
                    "%(account)s."
                )
                % {"account": account}
            )
        name = pgettext("attachment file name", "contract-%(number)s.pdf") % {
            "number": _file_number(contract.number)
        }
    _send(project, subject, body, _pdf_of(project.contract_document, name))


def reminder(project: PVProject, about: str, url: str) -> None:
    """Remind the customer of the offer (`about="offer"`) or the contract waiting for an answer."""
    with translation.override(customer_language(project)):
        what = (
            pgettext("reminder about", "contract")
            if about == "contract"
            else pgettext("reminder about", "offer")
        )
        subject = _("Reminder: we are waiting for your answer (%(what)s)") % {"what": what}
        body = _(
            "Good morning,\n\nthis is a kind reminder of the document (%(what)s) waiting for "
            "your answer:\n%(url)s"
        ) % {"what": what, "url": url}
    _send(project, subject, body)


def invoice_issued(project: PVProject, invoice, pdf: bytes | None = None) -> None:
    """The invoice with what to pay, by when and where to."""
    with translation.override(customer_language(project)):
        facts = {
            "number": invoice.number,
            "gross": pln(invoice.gross),
            "due": formats.date_format(invoice.due_date, "SHORT_DATE_FORMAT"),
        }
        subject = _("Invoice %(number)s") % facts
        body = _(
            "Good morning,\n\nplease find attached invoice %(number)s for %(gross)s, payable by "
            "%(due)s."
        ) % facts + _bank_line(invoice.seller_bank_account, invoice.number)
        name = pgettext("attachment file name", "invoice-%(number)s.pdf") % {
            "number": _file_number(invoice.number)
        }
    _send(project, subject, body, [(name, pdf, PDF)] if pdf else [])


def installation_done(project: PVProject) -> None:
    """The protocol and the warranty card, as filed with the project."""
    papers = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(PVProject),
        subject_id=project.pk,
        kind__in=[Document.Kind.PROTOCOL, Document.Kind.WARRANTY],
    ).order_by("kind", "-id")
    with translation.override(customer_language(project)):
        attachments, seen = [], set()
        for document in papers:
            if document.kind not in seen:  # the newest of each kind
                seen.add(document.kind)
                name = f"{_paper_name(document.kind)}-{project.pk}.pdf"
                attachments += _pdf_of(document, name)
        subject = _("Your photovoltaic installation is ready")
        body = _(
            "Good morning,\n\nthe installation is complete. Please find attached the acceptance "
            "protocol and the warranty card."
        )
    _send(project, subject, body, attachments)
