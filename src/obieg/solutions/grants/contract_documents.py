"""The cooperation contract (umowa o współpracy) as a PDF and as a DOCX for editing.

Both are drawn from one context: the parties (the seller is billing's
company profile), the subject, the remuneration, the payment schedule, the
success-fee clause and the durability obligations. They are stored as
documents of the project (new versions when the contract is drawn again),
so the client's document list shows them too.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from obieg.billing.invoicing import company_profile
from obieg.billing.words import amount_in_words
from obieg.core import clock
from obieg.documents.models import Document
from obieg.documents.services import document_add_version, document_upload
from obieg.solutions.grants import schedule
from obieg.solutions.grants.models import GrantProject
from obieg.web.templatetags.sales_format import pln


def context(project: GrantProject) -> dict[str, Any]:
    value = schedule.value_of(project)
    return {
        "title": f"Umowa o współpracy nr {project.contract.number}",
        "project": project,
        "application": project.application,
        "contract": project.contract,
        "seller": company_profile(),
        "account": project.account,
        "value": value,
        "gross_words": amount_in_words(value.gross),
        "items": list(schedule.items(project)),
        "percent": f"{project.success_fee_percent.normalize():f}",
        "today": clock.today(),
    }


def pdf(ctx: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    with translation.override("pl"):
        html = render_to_string("grants/contract/contract_pdf.html", ctx)
    return HTML(string=html).write_pdf()


def docx(ctx: dict[str, Any]) -> bytes:
    """The same contract for editing in Word, built with python-docx."""
    import docx as python_docx

    value, contract = ctx["value"], ctx["contract"]
    document = python_docx.Document()
    document.add_heading(ctx["title"], level=1)
    document.add_paragraph(
        f"zawarta w dniu {ctx['today']:%d.%m.%Y} pomiędzy {ctx['seller'].name}, "
        f"{ctx['seller'].street}, {ctx['seller'].postal_code} {ctx['seller'].city}, "
        f"NIP {ctx['seller'].nip} (Wykonawca) a {ctx['account'].name}, "
        f"{ctx['account'].street}, {ctx['account'].postal_code} {ctx['account'].city}"
        f"{', NIP ' + ctx['account'].nip if ctx['account'].nip else ''} (Zamawiający)."
    )
    document.add_heading("§ 1. Przedmiot umowy", level=2)
    document.add_paragraph(
        f"Wykonawca przygotuje i złoży wniosek o dofinansowanie projektu „{ctx['project'].title}” "
        f"w programie {ctx['application'].programme}, nabór {ctx['application'].call}, "
        f"na kwotę {pln(ctx['application'].requested_amount)}, oraz poprowadzi jego rozliczenie "
        "i okres trwałości."
    )
    if contract.starts_on:
        ends = f" do {contract.ends_on:%d.%m.%Y}" if contract.ends_on else ""
        document.add_paragraph(f"Umowa obowiązuje od {contract.starts_on:%d.%m.%Y}{ends}.")
    document.add_heading("§ 2. Wynagrodzenie", level=2)
    document.add_paragraph(
        f"Wynagrodzenie stałe: {pln(value.fixed_net)} netto. Wartość umowy wraz z maksymalnym "
        f"wynagrodzeniem za sukces: {pln(value.net)} netto, {pln(value.gross)} brutto "
        f"(słownie: {ctx['gross_words']}), VAT 23%."
    )
    document.add_heading("§ 3. Harmonogram płatności", level=2)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Termin", "Tytuł", "Kwota brutto"), strict=True):
        cell.text = text
    for item in ctx["items"]:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = (
            f"{item.due_date:%d.%m.%Y}",
            item.description,
            pln(item.amount),
        )
    document.add_heading("§ 4. Wynagrodzenie za sukces", level=2)
    document.add_paragraph(
        f"Po przyznaniu dofinansowania Zamawiający zapłaci {ctx['percent']}% kwoty przyznanej "
        f"dotacji netto, nie więcej niż {pln(value.cap_net)} netto, na podstawie faktury "
        "wystawionej w dniu decyzji o przyznaniu dofinansowania."
    )
    document.add_heading("§ 5. Okres trwałości", level=2)
    document.add_paragraph(
        f"Zamawiający utrzyma efekty projektu przez {ctx['project'].durability_years} lat od "
        "płatności końcowej, będzie mierzył wskaźniki i składał sprawozdania w terminach; "
        "Wykonawca przypomina o nich i przygotowuje sprawozdania."
    )
    if ctx["seller"].bank_account:
        document.add_paragraph(f"Płatności na rachunek {ctx['seller'].bank_account}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _store(project, *, actor, existing, title: str, content: bytes, name: str) -> Document:
    file = ContentFile(content, name=name)
    if existing is not None:
        document_add_version(actor=actor, document=existing, file=file)
        return existing
    return document_upload(
        actor=actor,
        title=title,
        kind=Document.Kind.CONTRACT,
        file=file,
        account=project.account,
        subject=project,
    )


def generate(project: GrantProject, *, actor) -> tuple[Document, Document]:
    """Draw the contract (PDF and DOCX) and store both with the project; returns them."""
    ctx = context(project)
    name = project.contract.number.replace("/", "_")
    document = _store(
        project,
        actor=actor,
        existing=project.contract_document,
        title=ctx["title"],
        content=pdf(ctx),
        name=f"{name}.pdf",
    )
    editable = _store(
        project,
        actor=actor,
        existing=project.contract_docx,
        title=f"{ctx['title']} (DOCX)",
        content=docx(ctx),
        name=f"{name}.docx",
    )
    GrantProject.objects.filter(pk=project.pk).update(
        contract_document=document, contract_docx=editable
    )
    project.contract_document, project.contract_docx = document, editable
    return document, editable


def mail_to_client(project: GrantProject) -> bool:
    """Send the client the contract (PDF) with the link to accept it (False: no address)."""
    from django.utils.translation import gettext as _

    from obieg.mail.services import queue_mail
    from obieg.solutions.grants import links, notify

    to = project.account.email
    if not to or project.contract_document is None:
        return False
    facts = {"number": project.contract.number, "title": project.title}
    with translation.override(notify.client_language(project)):
        subject = _("Cooperation contract %(number)s — %(title)s") % facts
        body = _(
            "Good morning,\n\nplease find attached our cooperation contract %(number)s. "
            "You can accept it here:\n%(link)s\n\nor sign it and send us the scan.\n"
        ) % {**facts, "link": links.contract_url(project)}
    version = project.contract_document.versions.order_by("-number").first()
    with version.file.open("rb") as file:
        content = file.read()
    name = project.contract.number.replace("/", "_") + ".pdf"
    queue_mail(
        to=to,
        subject=subject,
        body=body,
        reply_to=notify._reply_to(project),
        attachments=[(name, content, "application/pdf")],
    )
    return True
