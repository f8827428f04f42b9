"""The approved offer goes to the client as a Polish PDF, filed as a document of the offer."""

import shutil
import subprocess

import pytest

from obieg.documents.models import Document
from obieg.solutions.expert_opinions.models import Inquiry
from tests.solutions.expert_opinions.helpers import do, prepared


def test_the_offer_pdf_is_in_polish_and_filed_with_the_offer(firm, tmp_path):
    inquiry = prepared(
        firm, price="1000.00", court="Sąd Okręgowy w Krakowie", case_reference="II C 45/26"
    )
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    inquiry = Inquiry.objects.get(pk=inquiry.pk)

    document = inquiry.offer_document
    assert (document.kind, document.subject, document.account) == (
        Document.Kind.OFFER,
        inquiry.offer,
        firm.client,
    )
    version = document.versions.get()
    assert version.content_type == "application/pdf"
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "offer.pdf"
    with version.file.open("rb") as pdf:
        path.write_bytes(pdf.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Oferta na sporządzenie opinii" in text
    assert "Sygnatura akt" in text and "II C 45/26" in text
    assert "Sąd Okręgowy w Krakowie" in text
    assert "1 230,00" in text  # gross, written the Polish way
    assert "Budowniczy" in text  # the expert
