"""A payment claim as documents: a PDF to file and a DOCX for the client to edit.

Always in Polish, whatever the user's interface language: the claim goes to a
Polish grantor. Both are drawn from one context (the beneficiary, the grant
agreement, the period, the expenses with their totals, the amount claimed,
the cumulative amount against the award and the indicators' progress) and
stored as versions of documents attached to the project, so regenerating a
claim adds a version and the earlier ones stay readable.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from obieg.core import audit, clock
from obieg.documents.models import Document
from obieg.documents.services import document_add_version, document_upload
from obieg.solutions.grants import claims
from obieg.solutions.grants.models import GrantProject, PaymentClaim
from obieg.web.templatetags.sales_format import pln

KIND_NAMES = {
    PaymentClaim.Kind.ADVANCE: "zaliczkowy",
    PaymentClaim.Kind.INTERIM: "pośredni",
    PaymentClaim.Kind.FINAL: "końcowy",
}


def _number(value) -> str:
    """An indicator's value without trailing zeros, with a decimal comma ('12,5')."""
    if value is None:
        return "—"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def context(claim: PaymentClaim) -> dict[str, Any]:
    """Everything both documents show, read once."""
    project = GrantProject.objects.select_related("account", "application").get(pk=claim.project_id)
    claim.project = project
    application = project.application
    totals = claims.claim_totals(claim)
    cumulative = claims.cumulative_claimed(project, up_to=claim)
    indicators = [
        {
            "name": i.name,
            "unit": i.unit,
            "baseline": _number(i.baseline),
            "target": _number(i.target),
            "latest": _number(i.latest_value),
            "below": i.below_target,
        }
        for i in project.indicators.all()
    ]
    return {
        "title": f"Wniosek o płatność nr {claim.number} ({KIND_NAMES[claim.kind]})",
        "claim": claim,
        "project": project,
        "account": project.account,
        "application": application,
        "rate": _number(application.co_financing_rate),
        "expenses": list(claim.expenses.all()),
        "totals": totals,
        "cumulative": cumulative,
        "advance": claims.advance_total(project),
        "awarded": application.awarded_amount,
        "remaining": (application.awarded_amount or 0) - cumulative,
        "indicators": indicators,
        "today": clock.today(),
    }


def pdf(ctx: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is drawn

    with translation.override("pl"):
        html = render_to_string("grants/claims/claim_pdf.html", ctx)
    return HTML(string=html).write_pdf()


def _table(document, header: tuple[str, ...], rows: list[tuple[str, ...]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    return table


def docx(ctx: dict[str, Any]) -> bytes:
    """The claim for editing in Word, built with python-docx from the same context."""
    import docx as python_docx

    claim, application, totals = ctx["claim"], ctx["application"], ctx["totals"]
    document = python_docx.Document()
    document.add_heading(ctx["title"], level=1)
    account = ctx["account"]
    document.add_paragraph(
        f"Beneficjent: {account.name}, NIP {account.nip}, "
        f"{account.street}, {account.postal_code} {account.city}"
    )
    document.add_paragraph(
        f"Program: {application.programme}; nabór: {application.call}; "
        f"nr wniosku: {application.application_number or '—'}; "
        f"poziom dofinansowania: {ctx['rate']}%"
    )
    document.add_paragraph(
        f"Okres objęty wnioskiem: {claim.period_from:%d.%m.%Y} – {claim.period_to:%d.%m.%Y}; "
        f"termin złożenia: {claim.due_date:%d.%m.%Y}"
    )
    document.add_heading("Zestawienie wydatków", level=2)
    rows = [
        (
            str(n),
            e.document_number,
            e.supplier,
            e.description,
            e.category,
            f"{e.issued_on:%d.%m.%Y}",
            f"{e.paid_on:%d.%m.%Y}",
            pln(e.net),
            pln(e.gross),
            pln(e.eligible),
        )
        for n, e in enumerate(ctx["expenses"], start=1)
    ]
    rows.append(
        ("", "Razem", "", "", "", "", "", pln(totals.net), pln(totals.gross), pln(totals.eligible))
    )
    _table(
        document,
        ("Lp.", "Nr dokumentu", "Dostawca", "Opis", "Kategoria", "Data wystawienia",
         "Data zapłaty", "Netto", "Brutto", "Kwalifikowalne"),
        rows,
    )  # fmt: skip
    document.add_heading("Kwoty", level=2)
    _table(
        document,
        ("Pozycja", "Kwota"),
        [
            ("Kwota wnioskowana", pln(totals.amount_claimed)),
            ("Narastająco wnioskowano (refundacja i rozliczenie zaliczki)", pln(ctx["cumulative"])),
            ("Zaliczki", pln(ctx["advance"])),
            ("Przyznane dofinansowanie", pln(ctx["awarded"])),
            ("Pozostało do wykorzystania", pln(ctx["remaining"])),
        ],
    )
    document.add_heading("Postęp rzeczowy — wskaźniki", level=2)
    _table(
        document,
        ("Wskaźnik", "Jednostka", "Wartość bazowa", "Wartość docelowa", "Osiągnięta"),
        [(i["name"], i["unit"], i["baseline"], i["target"], i["latest"]) for i in ctx["indicators"]]
        or [("Brak wskaźników", "", "", "", "")],
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _store(claim, *, actor, existing: Document | None, title: str, content: bytes, name: str):
    file = ContentFile(content, name=name)
    if existing is not None:
        document_add_version(actor=actor, document=existing, file=file)
        return existing
    return document_upload(
        actor=actor,
        title=title,
        kind=Document.Kind.PAYMENT_CLAIM,
        file=file,
        account=claim.project.account,
        subject=claim.project,
    )


@transaction.atomic
def generate(*, actor, claim: PaymentClaim) -> PaymentClaim:
    """Draw the claim's PDF and DOCX and store them (a new version when they exist)."""
    claim = claims.lock(claim, actor)
    ctx = context(claim)
    stem = f"WoP-{claim.project.number}-{claim.number}".replace("/", "-")
    before = audit.snapshot(claim)
    claim.document = _store(
        claim,
        actor=actor,
        existing=claim.document,
        title=ctx["title"],
        content=pdf(ctx),
        name=f"{stem}.pdf",
    )
    claim.docx = _store(
        claim,
        actor=actor,
        existing=claim.docx,
        title=f"{ctx['title']} (DOCX)",
        content=docx(ctx),
        name=f"{stem}.docx",
    )
    PaymentClaim.objects.filter(pk=claim.pk).update(document=claim.document, docx=claim.docx)
    audit.record_update(claim, actor=actor, before=before)
    return claim
