"""An offer's PDF: in the customer's language, one document per offer, a version per revision."""

import pytest

from obieg.core.errors import PermissionDenied
from obieg.documents.models import Document
from obieg.sales import offer_documents
from obieg.sales import services as sales
from tests.sales.offer_helpers import LINES, customer, draft, pdf_text, seller

pytestmark = pytest.mark.usefixtures("media_root")


def pdf_of(version) -> str:
    with version.file.open("rb") as file:
        return pdf_text(file.read())


def test_an_english_customer_gets_an_english_pdf_with_one_number_format(org):
    seller()
    offer = draft(org, customer(org, language="en"))
    version = offer_documents.offer_pdf(actor=org.sara, offer=offer)
    text = pdf_of(version)
    assert f"Offer {offer.number}, revision 1" in text
    assert "Ciepły Dom Sp. z o.o." in text and "Żółw Łódź Sp. z o.o." in text
    assert "Termomodernizacja — projekt 12.5 h 150 000,50 zł 1 875 006,25 zł 8%" in text
    assert "Total 1 877 506,25 zł 150 575,50 zł 2 028 081,75 zł" in text
    assert version.original_name == f"offer-{offer.number.replace('/', '-')}-R1.pdf"
    assert version.content_type == "application/pdf"


def test_a_polish_customer_gets_a_polish_pdf(org):
    seller()
    offer = draft(org, customer(org, language="pl"), valid_until=None)
    version = offer_documents.offer_pdf(actor=org.sara, offer=offer)
    text = pdf_of(version)
    assert "Opis" in text and "Ilość" in text  # the table speaks Polish
    assert "12,5 h" in text  # a Polish decimal comma in quantities too
    assert "Razem 1 877 506,25 zł" in text
    assert version.original_name == f"oferta-{offer.number.replace('/', '-')}-R1.pdf"


def test_the_pdf_is_filed_with_the_customer_once_and_drawn_again_only_when_changed(org):
    seller()
    offer = draft(org, customer(org))
    first = offer_documents.offer_pdf(actor=org.sara, offer=offer)
    again = offer_documents.offer_pdf(actor=org.sara, offer=offer)
    assert again.pk == first.pk  # nothing changed: the same file
    document = first.document
    assert document.kind == Document.Kind.OFFER and document.account_id == offer.account_id
    # A status change is not a new paper; a changed line is.
    sales.offer_replace_lines(
        actor=org.sara, offer=offer, lines=[{**line, "quantity": 2} for line in LINES]
    )
    offer.refresh_from_db()
    changed = offer_documents.offer_pdf(actor=org.sara, offer=offer)
    assert (changed.document_id, changed.number) == (document.pk, 2)


def test_each_revision_is_a_new_version_of_the_same_document(org):
    seller()
    offer = draft(org, customer(org))
    first = offer_documents.offer_pdf(actor=org.sara, offer=offer)
    sales.offer_set_status(actor=org.sara, offer=offer, status="sent")
    revision = sales.offer_revise(actor=org.sara, offer=offer)
    second = offer_documents.offer_pdf(actor=org.sara, offer=revision)
    assert second.document_id == first.document_id
    assert (second.number, second.comment) == (2, "R2")
    assert Document.objects.filter(account=offer.account).count() == 1
    assert second.original_name.endswith("-R2.pdf") and revision.number in pdf_of(second)


def test_someone_who_may_not_change_the_offer_cannot_draw_it(org):
    offer = draft(org, customer(org))
    with pytest.raises(PermissionDenied):
        offer_documents.offer_pdf(actor=org.olga, offer=offer)
    assert not Document.objects.exists()
