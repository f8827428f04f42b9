"""The customer's documents of a PV project: offer, contract (PDF + DOCX), protocol, warranty.

Always in Polish, whatever the user's interface language: they go to a
Polish customer. Each is stored as a version of a document attached to the
customer and the project, so the 360° page lists them all.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from obieg.billing import amounts
from obieg.billing.models import CompanyProfile
from obieg.billing.words import amount_in_words
from obieg.documents.models import Document
from obieg.documents.services import document_add_version, document_upload
from obieg.solutions.pv_installation.audit_words import audit_words
from obieg.solutions.pv_installation.models import PVProject
from obieg.solutions.pv_installation.templatetags.pv_format import kwp, trimmed
from obieg.web.templatetags.sales_format import pln

TITLES = {
    "offer": "Oferta",
    "contract": "Umowa na wykonanie instalacji fotowoltaicznej",
    "protocol": "Protokół odbioru instalacji",
    "warranty": "Karta gwarancyjna",
}


def _seller() -> Any:
    return CompanyProfile.objects.order_by("id").first() or CompanyProfile(name="Obieg")


def context(project: PVProject, kind: str, data: dict[str, Any], **extra) -> dict[str, Any]:
    offer = project.offer
    lines = list(offer.lines.all()) if offer else []
    gross = offer.total_gross if offer else Decimal(0)
    advance = amounts.percent_of(gross, project.advance_percent)
    seller = _seller()
    return {
        "title": TITLES[kind],
        "seller": seller,
        "place": seller.place_of_issue or seller.city,
        "account": project.account,
        "project": project,
        "offer": offer,
        "contract": project.contract,
        "lines": lines,
        "totals": {"net": offer.total_net, "vat": offer.total_vat, "gross": gross} if offer else {},
        "gross_words": amount_in_words(gross),
        "advance": advance,
        "remainder": gross - advance,
        "audit": data,
        "words": audit_words(data),  # the audit's choices as words, not codes
        "design": data,
        "reports": data,
        "vat_rate": data.get("vat_rate", ""),
        "special_terms": data.get("special_terms", ""),
        "today": timezone.localdate(),
        **extra,
    }


def pdf(kind: str, ctx: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    with translation.override("pl"):
        html = render_to_string(f"pv_installation/{kind}.html", ctx)
    return HTML(string=html).write_pdf()


def contract_docx(ctx: dict[str, Any]) -> bytes:
    """The contract for editing in Word: built with python-docx from the same data.

    A docxtpl template would need a binary .docx in the repository that only
    Word can edit; generating it keeps one source of wording reviewable in git.
    """
    import docx

    document = docx.Document()
    document.add_heading(ctx["title"], level=1)
    document.add_paragraph(
        f"zawarta w dniu {ctx['today']:%d.%m.%Y} pomiędzy {ctx['seller'].name} (Wykonawca) "
        f"a {ctx['account'].name} (Zamawiający)."
    )
    document.add_heading("§ 1. Przedmiot umowy", level=2)
    document.add_paragraph(
        f"Instalacja fotowoltaiczna o mocy {kwp(ctx['design'].get('power_kwp'))} zgodnie z ofertą "
        f"nr {ctx['offer'].number} (wersja {ctx['offer'].revision_number})."
    )
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ("Nazwa", "Ilość", "Cena netto", "VAT"), strict=True
    ):
        cell.text = text
    for line in ctx["lines"]:
        row = table.add_row().cells
        row[0].text, row[1].text = line.description, f"{trimmed(line.quantity)} {line.unit}"
        row[2].text, row[3].text = pln(line.unit_price), f"{line.vat_rate}%"
    document.add_paragraph(f"Razem brutto: {pln(ctx['totals']['gross'])} ({ctx['gross_words']}).")
    document.add_heading("§ 2. Płatności", level=2)
    document.add_paragraph(
        f"Zaliczka {ctx['project'].advance_percent.normalize():f}% wartości brutto, tj. "
        f"{pln(ctx['advance'])}, przed rozpoczęciem prac; pozostałe {pln(ctx['remainder'])} "
        "po odbiorze instalacji."
    )
    if ctx["seller"].bank_account:
        document.add_paragraph(f"Płatności na rachunek {ctx['seller'].bank_account}.")
    if ctx["special_terms"]:
        document.add_heading("§ 3. Postanowienia szczególne", level=2)
        document.add_paragraph(ctx["special_terms"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def store(
    project: PVProject,
    *,
    actor,
    kind: str,
    title: str,
    content: bytes,
    name: str,
    existing: Document | None = None,
    comment: str = "",
) -> Document:
    """A new document, or the next version of `existing` (earlier versions stay readable)."""
    file = ContentFile(content, name=name)
    if existing is not None:
        document_add_version(actor=actor, document=existing, file=file, comment=comment)
        return existing
    return document_upload(
        actor=actor,
        title=title,
        kind=kind,
        file=file,
        account=project.account,
        subject=project,
        comment=comment,
    )
