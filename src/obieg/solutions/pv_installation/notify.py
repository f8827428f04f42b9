"""E-mails to the customer, in Polish; queued with the step that causes them.

Each carries what it is about: the offer, contract, invoice or protocol as
a PDF attachment (and the signed link where the customer answers), amounts
written the Polish way ("18 053,28 zł") and, where money is asked for, the
seller's bank account and the transfer title.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from obieg.billing.identifiers import format_iban
from obieg.billing.models import CompanyProfile
from obieg.documents.models import Document
from obieg.mail.services import Attachment, queue_mail
from obieg.solutions.pv_installation.models import PVProject
from obieg.web.templatetags.sales_format import pln

PDF = "application/pdf"


PAPER_NAMES = {Document.Kind.PROTOCOL: "protokol-odbioru", Document.Kind.WARRANTY: "gwarancja"}


def _seller() -> CompanyProfile | None:
    return CompanyProfile.objects.order_by("id").first()


def _signature() -> str:
    seller = _seller()
    if seller is None:
        return "\n\nZ poważaniem\nZespół fotowoltaiki"
    contact = ", ".join(filter(None, [seller.phone, seller.email]))
    return f"\n\nZ poważaniem\nZespół fotowoltaiki — {seller.name}" + (
        f"\n{contact}" if contact else ""
    )


def _to(project: PVProject) -> str:
    return project.account.email or (project.lead.email if project.lead else "")


def _send(project: PVProject, subject: str, body: str, attachments=()) -> None:
    if _to(project):  # a customer without an e-mail gets the papers from the salesperson
        queue_mail(
            to=_to(project), subject=subject, body=body + _signature(), attachments=attachments
        )


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
    return f"\nNumer rachunku: {format_iban(account)}\nTytuł przelewu: {title}"


def offer_sent(project: PVProject, url: str, pdf: bytes) -> None:
    """The offer's PDF, as just rendered (not read back from storage), and its answer link."""
    offer = project.offer
    _send(
        project,
        f"Oferta {offer.number} (wersja {offer.revision_number}) — instalacja fotowoltaiczna",
        "Dzień dobry,\n\nw załączniku przesyłamy ofertę na instalację fotowoltaiczną "
        f"(wartość brutto {pln(offer.total_gross)}).\nOfertę można przyjąć lub poprosić o "
        f"zmiany tutaj:\n{url}",
        [(f"oferta-{offer.number.replace('/', '-')}.pdf", pdf, PDF)],
    )


def contract_sent(project: PVProject, url: str) -> None:
    contract, seller = project.contract, _seller()
    account = format_iban(seller.bank_account) if seller and seller.bank_account else ""
    _send(
        project,
        f"Umowa {contract.number} — instalacja fotowoltaiczna",
        "Dzień dobry,\n\nw załączniku przesyłamy umowę na wykonanie instalacji "
        f"fotowoltaicznej (wartość brutto {pln(contract.value_gross)}).\n"
        f"Umowę można zaakceptować albo poprosić o zmiany tutaj:\n{url}\n"
        "Można też odesłać podpisany skan opiekunowi handlowemu."
        + (
            "\nPo akceptacji wystawimy fakturę zaliczkową, płatną na rachunek " + account + "."
            if account
            else ""
        ),
        _pdf_of(project.contract_document, f"umowa-{contract.number.replace('/', '-')}.pdf"),
    )


def reminder(project: PVProject, what: str, url: str) -> None:
    _send(
        project,
        f"Przypomnienie: czekamy na odpowiedź ({what})",
        f"Dzień dobry,\n\nuprzejmie przypominamy o dokumencie ({what}) czekającym na "
        f"odpowiedź:\n{url}",
    )


def invoice_issued(project: PVProject, invoice, pdf: bytes | None = None) -> None:
    """The invoice with what to pay, by when and where to."""
    name = f"faktura-{invoice.number.replace('/', '-')}.pdf"
    _send(
        project,
        f"Faktura {invoice.number}",
        f"Dzień dobry,\n\nw załączniku przesyłamy fakturę {invoice.number} na kwotę "
        f"{pln(invoice.gross)}, płatną do {invoice.due_date:%d.%m.%Y}."
        + _bank_line(invoice.seller_bank_account, invoice.number),
        [(name, pdf, PDF)] if pdf else [],
    )


def installation_done(project: PVProject) -> None:
    """The protocol and the warranty card, as filed with the project."""
    papers = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(PVProject),
        subject_id=project.pk,
        kind__in=[Document.Kind.PROTOCOL, Document.Kind.WARRANTY],
    ).order_by("kind", "-id")
    attachments, seen = [], set()
    for document in papers:
        if document.kind not in seen:  # the newest of each kind
            seen.add(document.kind)
            attachments += _pdf_of(document, f"{PAPER_NAMES[document.kind]}-{project.pk}.pdf")
    _send(
        project,
        "Instalacja fotowoltaiczna gotowa",
        "Dzień dobry,\n\ninstalacja została wykonana. W załączniku przesyłamy protokół "
        "odbioru i kartę gwarancyjną.",
        attachments,
    )
