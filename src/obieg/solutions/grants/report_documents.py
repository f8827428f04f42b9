"""The durability report to the grantor, as a PDF and an editable DOCX.

Always in Polish: it goes to a Polish grantor. Both files are drawn from one
context (the project, its grant, the year covered and the indicator table:
baseline, target, every measured value, below-target flagged) and stored as
documents attached to the client and the project; generating again adds a
new version, so what was sent before stays readable.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from obieg.billing.models import CompanyProfile
from obieg.core import clock
from obieg.core.business_days import next_business_day
from obieg.documents.models import Document
from obieg.documents.services import document_add_version, document_upload
from obieg.solutions.grants import durability
from obieg.solutions.grants.models import DurabilityReport, GrantApplication

PDF_TITLE = "Sprawozdanie z okresu trwałości nr %(number)s — %(project)s"
DOCX_TITLE = PDF_TITLE + " (DOCX)"


def _number(value) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def context(report: DurabilityReport) -> dict[str, Any]:
    """What the report says: the project, the year covered and the indicator table."""
    project = report.project
    application = GrantApplication.objects.filter(project=project).first()
    # A year's measurement is due on its anniversary, moved past a weekend or holiday:
    # it may fall just after the report's period and still belongs to it.
    last_due = next_business_day(report.period_to)
    previous_due = next_business_day(report.period_from - timedelta(days=1))
    rows = []
    for indicator in project.indicators.prefetch_related("measurements"):
        values = [
            {
                "due": m.due_date,
                "value": m.value,
                "short": m.value is not None and indicator.falls_short(m.value),
                "in_period": previous_due < m.due_date <= last_due,
            }
            for m in indicator.measurements.all()
            if m.due_date <= last_due
        ]
        rows.append({"indicator": indicator, "values": values})
    seller = CompanyProfile.objects.order_by("id").first() or CompanyProfile(name="Obieg")
    return {
        "title": f"Sprawozdanie z okresu trwałości projektu nr {report.number}",
        "seller": seller,
        "place": seller.place_of_issue or seller.city,
        "account": project.account,
        "project": project,
        "application": application,
        "report": report,
        "rows": rows,
        "today": clock.today(),
    }


def pdf(ctx: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    with translation.override("pl"):
        html = render_to_string("grants/durability/report_pdf.html", ctx)
    return HTML(string=html).write_pdf()


def docx(ctx: dict[str, Any]) -> bytes:
    """The same report for editing in Word, generated with python-docx."""
    import docx as python_docx

    project, report, application = ctx["project"], ctx["report"], ctx["application"]
    document = python_docx.Document()
    document.add_heading(ctx["title"], level=1)
    document.add_paragraph(f"{ctx['place']}, {ctx['today']:%d.%m.%Y}")
    document.add_paragraph(f"Beneficjent: {ctx['account'].name}, NIP {ctx['account'].nip or '—'}")
    document.add_paragraph(f"Projekt: {project.number} {project.title}")
    if application is not None:
        document.add_paragraph(
            f"Program: {application.programme}, nabór {application.call}, "
            f"wniosek nr {application.application_number or '—'}"
        )
    document.add_paragraph(
        f"Płatność końcowa: {project.final_payment_on:%d.%m.%Y}; okres trwałości do "
        f"{project.durability_ends_on:%d.%m.%Y}. Sprawozdanie obejmuje okres "
        f"{report.period_from:%d.%m.%Y} – {report.period_to:%d.%m.%Y}."
    )
    document.add_heading("Wskaźniki", level=2)
    table = document.add_table(rows=1, cols=6)
    headers = ("Wskaźnik", "Jednostka", "Wartość bazowa", "Wartość docelowa", "Pomiary", "Uwagi")
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in ctx["rows"]:
        indicator = row["indicator"]
        cells = table.add_row().cells
        cells[0].text, cells[1].text = indicator.name, indicator.unit
        cells[2].text, cells[3].text = _number(indicator.baseline), _number(indicator.target)
        cells[4].text = "; ".join(
            f"{item['due']:%d.%m.%Y}: {_number(item['value'])}" for item in row["values"]
        )
        cells[5].text = (
            "PONIŻEJ WARTOŚCI DOCELOWEJ"
            if any(item["short"] and item["in_period"] for item in row["values"])
            else ""
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _store(report, *, actor, title: str, content: bytes, name: str, existing) -> Document:
    file = ContentFile(content, name=name)
    if existing is not None:
        document_add_version(actor=actor, document=existing, file=file)
        return existing
    return document_upload(
        actor=actor,
        title=title,
        kind=Document.Kind.REPORT,
        file=file,
        account=report.project.account,
        subject=report.project,
    )


@transaction.atomic
def generate(*, actor, report: DurabilityReport) -> tuple[Document, Document]:
    """Draw the report's PDF and DOCX and store them on the project (new versions if redone)."""
    durability.ensure_may_change(actor, report.project)
    # Locked so two clicks at once add two versions in turn, never two documents.
    list(DurabilityReport.objects.select_for_update().filter(pk=report.pk).values("pk"))
    report = DurabilityReport.objects.select_related("project__account", "document").get(
        pk=report.pk
    )
    ctx = context(report)
    names = {"number": report.number, "project": report.project.number}
    base = f"sprawozdanie_trwalosc_{report.project.number}_{report.number}".replace("/", "_")
    pdf_document = _store(
        report,
        actor=actor,
        title=PDF_TITLE % names,
        content=pdf(ctx),
        name=base + ".pdf",
        existing=report.document,
    )
    docx_existing = Document.objects.filter(
        subject_id=report.project.pk,
        subject_type=pdf_document.subject_type,
        title=DOCX_TITLE % names,
    ).first()
    docx_document = _store(
        report,
        actor=actor,
        title=DOCX_TITLE % names,
        content=docx(ctx),
        name=base + ".docx",
        existing=docx_existing,
    )
    if report.document_id != pdf_document.pk:
        DurabilityReport.objects.filter(pk=report.pk).update(document=pdf_document)
    return pdf_document, docx_document
