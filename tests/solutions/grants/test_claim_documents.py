"""The claim's PDF and DOCX are real documents with its numbers, stored as versions."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.core.money import to_grosz
from obieg.documents.models import Document
from obieg.solutions.grants import claim_documents, claims
from obieg.solutions.grants.models import Indicator
from tests.solutions.grants.helpers import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(institution):
    project = make_project(institution, realisation=(date(2026, 1, 1), date(2026, 12, 31)))
    Indicator.objects.create(
        project=project,
        kind="product",
        name="Liczba wdrożonych innowacji",
        unit="szt.",
        baseline=Decimal("0"),
        target=Decimal("2"),
        latest_value=Decimal("1"),
        below_target=True,
    )
    planned = claims.plan_claims(
        actor=institution.coordinator,
        project=project,
        advance_amount=Decimal(0),
        interim_months=6,
        days_to_file=30,
    )
    claim = planned[0]
    for number, eligible in (("FV/11/2026", "12345.67"), ("FV/12/2026", "1000.01")):
        claims.expense_add(
            actor=institution.coordinator,
            claim=claim,
            data={
                "document_number": number,
                "supplier": "Piekarnicza Sp. z o.o.",
                "description": "Piec tunelowy",
                "category": "środki trwałe",
                "issued_on": date(2026, 2, 1),
                "paid_on": date(2026, 2, 10),
                "net": Decimal(eligible),
                "gross": to_grosz(Decimal(eligible) * Decimal("1.23")),
                "eligible": Decimal(eligible),
            },
        )
    return claim


def _pdf_text(content: bytes, tmp_path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        if shutil.which("pdftotext") is None:
            pytest.skip("neither pypdf nor pdftotext is installed")
        path = tmp_path / "claim.pdf"
        path.write_bytes(content)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_shows_the_claim_and_its_numbers(institution, claim, tmp_path):
    content = claim_documents.pdf(claim_documents.context(claim))

    assert content.startswith(b"%PDF")
    text = " ".join(_pdf_text(content, tmp_path).replace("\u00a0", " ").split())
    assert "Wniosek o płatność nr 1" in text
    assert "Piekarnia Kłos" in text
    assert "FENG.01.01-IP.02-0042/26" in text
    assert "FV/11/2026" in text and "FV/12/2026" in text
    assert "13 345,68 zł" in text  # total eligible
    assert "9 341,98 zł" in text  # × 70 %, rounded once: 9341.976
    assert "350 000,00 zł" in text  # awarded
    assert "Liczba wdrożonych innowacji" in text


def test_the_docx_tables_read_back(institution, claim):
    import docx

    document = docx.Document(io.BytesIO(claim_documents.docx(claim_documents.context(claim))))

    expenses, amounts, indicators = document.tables
    rows = [[cell.text for cell in row.cells] for row in expenses.rows]
    assert rows[0][1] == "Nr dokumentu"
    assert [r[1] for r in rows[1:-1]] == ["FV/11/2026", "FV/12/2026"]
    assert rows[-1][-1].replace("\u00a0", " ") == "13 345,68 zł"
    amount_rows = {r.cells[0].text: r.cells[1].text.replace("\u00a0", " ") for r in amounts.rows}
    assert amount_rows["Kwota wnioskowana"] == "9 341,98 zł"
    assert amount_rows["Przyznane dofinansowanie"] == "350 000,00 zł"
    assert [c.text for c in indicators.rows[1].cells] == [
        "Liczba wdrożonych innowacji", "szt.", "0", "2", "1",
    ]  # fmt: skip
    text = "\n".join(p.text for p in document.paragraphs)
    assert "FENG 2021-2027" in text and "70%" in text


def test_generating_stores_documents_and_regenerating_adds_versions(client, institution, claim):
    client.force_login(institution.coordinator)

    client.post(reverse("grants:claim_generate", args=[claim.pk]))
    claim.refresh_from_db()
    first_pdf, first_docx = claim.document, claim.docx
    client.post(reverse("grants:claim_generate", args=[claim.pk]))
    claim.refresh_from_db()

    assert (claim.document, claim.docx) == (first_pdf, first_docx)
    assert first_pdf.kind == Document.Kind.PAYMENT_CLAIM
    assert first_pdf.versions.count() == 2 and first_docx.versions.count() == 2
    assert first_pdf.account_id == claim.project.account_id
    page = client.get(reverse("grants:claim", args=[claim.pk])).content.decode()
    assert reverse("document_detail", args=[first_pdf.pk]) in page
