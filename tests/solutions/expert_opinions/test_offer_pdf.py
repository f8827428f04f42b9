"""The approved offer goes to the client as a PDF in the client's language, filed with the offer."""

import shutil
import subprocess

import pytest
from django.utils import translation

from obieg.crm.models import ContactPerson
from obieg.documents.models import Document
from obieg.solutions.expert_opinions.models import Inquiry
from tests.solutions.expert_opinions.helpers import do, prepared


def polish(text: str) -> str:
    """`text` as the Polish catalogue has it (the msgid itself until it is translated)."""
    with translation.override("pl"):
        return translation.gettext(text)


def sent(firm, contact=None) -> Inquiry:
    inquiry = prepared(
        firm, price="1000.00", court="Sąd Okręgowy w Krakowie", case_reference="II C 45/26"
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(contact=contact)  # met at the meeting
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    return Inquiry.objects.get(pk=inquiry.pk)


def pdf_text(inquiry, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "offer.pdf"
    with inquiry.offer_document.versions.get().file.open("rb") as pdf:
        path.write_bytes(pdf.read())
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_offer_pdf_is_filed_with_the_offer_in_polish_by_default(firm, tmp_path):
    inquiry = sent(firm)

    document = inquiry.offer_document
    assert (document.kind, document.subject, document.account) == (
        Document.Kind.OFFER,
        inquiry.offer,
        firm.client,
    )
    version = document.versions.get()
    assert version.content_type == "application/pdf"
    assert version.original_name.startswith(polish("offer") + "-")
    text = pdf_text(inquiry, tmp_path)
    assert polish("Offer for an expert opinion") in text
    assert polish("Case reference (sygnatura akt)") in text and "II C 45/26" in text
    assert "Sąd Okręgowy w Krakowie" in text
    assert "1 230,00" in text  # gross, written the Polish way
    assert "Budowniczy" in text  # the expert
    assert "Oględziny budynku i analiza dokumentacji" in text  # the scope


def test_an_english_speaking_client_gets_the_offer_in_english(firm, tmp_path):
    firm.client.language = "en"
    firm.client.save()
    inquiry = sent(firm)
    text = pdf_text(inquiry, tmp_path)
    assert "Offer for an expert opinion" in text and "Case reference" in text
    assert "Total gross" in text and "1 230,00" in text
    assert "Expert opinion:" in text  # the offer's line, written for this client
    assert inquiry.offer.lines.get().description.startswith("Expert opinion: ")
    assert inquiry.offer_document.versions.get().original_name.startswith("offer-")


def test_the_contacts_language_comes_before_the_accounts(firm, tmp_path):
    contact = ContactPerson.objects.create(
        account=firm.client, first_name="John", last_name="Smith", language="en"
    )
    with translation.override("pl"):  # whatever the approver's interface speaks
        text = pdf_text(sent(firm, contact), tmp_path)
    assert "Offer for an expert opinion" in text
