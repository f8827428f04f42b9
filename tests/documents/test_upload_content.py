"""Uploads are judged by their content: an .exe named .pdf, or any zip named .docx, is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from obieg.core.errors import ApplicationError
from obieg.documents import services as documents
from obieg.documents import validators
from obieg.documents.models import Document, DocumentVersion
from tests.documents import samples
from tests.factories import AccountFactory

OPINION_REFUSED = "This file is not a PDF or DOCX document."


def kind_of(accept, content: bytes, name: str = "plik"):
    return accept.detect(samples.upload(name, content))


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (samples.pdf(), "PDF"),
        (samples.docx(), "DOCX"),
        (samples.odt(), "ODT"),
        (samples.image("JPEG"), "JPEG"),
        (samples.image("PNG"), "PNG"),
        (samples.image("WEBP"), "WebP"),
        (samples.heic(), "HEIC"),
    ],
)
def test_each_kind_is_known_by_its_content_whatever_its_name(content, label):
    assert kind_of(validators.DOCUMENT, content, "bez-rozszerzenia").label == label
    assert kind_of(validators.DOCUMENT, content, "mylaca-nazwa.exe").label == label


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(samples.EXE, id="program"),
        pytest.param(samples.plain_zip(), id="any-zip"),
        pytest.param(samples.docm(), id="macro-enabled-docm"),
        pytest.param(b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param(b"%PD", id="truncated"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 40, id="broken-zip"),
        pytest.param(samples.image("PNG"), id="png"),
    ],
)
def test_an_opinion_must_be_a_pdf_or_a_word_document(content):
    file = samples.upload("opinia.pdf", content)
    with pytest.raises(ValidationError) as refused:
        validators.OPINION(file)
    assert refused.value.messages == [OPINION_REFUSED]
    assert file.tell() == 0  # the sniffing leaves the file where it found it


@pytest.mark.parametrize("content", [samples.pdf(), samples.docx()])
def test_a_real_pdf_or_docx_is_an_opinion(content):
    validators.OPINION(samples.upload("opinia", content))


def test_a_photo_must_be_an_image():
    with pytest.raises(ValidationError):
        validators.PHOTO(samples.upload("dach.jpg", samples.pdf(), "image/jpeg"))
    validators.PHOTO(samples.upload("dach.heic", samples.heic(), "image/heic"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.MAX_DOCUMENT_SIZE = 10
    with pytest.raises(ValidationError) as refused:
        validators.OPINION(samples.upload("opinia.pdf", samples.pdf()))
    assert refused.value.code == "file_too_large"


def test_the_input_tells_the_browser_what_to_offer():
    assert validators.OPINION.accept == (
        ".pdf,application/pdf,.docx,"
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


# --- the documents service: the last word, whatever the caller checked ---------------------------


@pytest.fixture
def account(org):
    return AccountFactory(owner=org.sara)


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_service_refuses_a_program_named_pdf_and_stores_nothing(org, account, media_root):
    with pytest.raises(ApplicationError) as refused:
        documents.document_upload(
            actor=org.sara,
            title="Oferta",
            kind=Document.Kind.OFFER,
            file=samples.upload("oferta.pdf", samples.EXE),
            account=account,
        )
    assert "file" in refused.value.field_errors
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files(media_root) == []


def test_the_service_refuses_a_zip_renamed_docx_for_an_opinion(org, account, media_root):
    with pytest.raises(ApplicationError) as refused:
        documents.document_upload(
            actor=org.sara,
            title="Opinia",
            kind=Document.Kind.REPORT,
            file=samples.upload("opinia.docx", samples.plain_zip(), "application/zip"),
            account=account,
            accept=validators.OPINION,
        )
    assert refused.value.field_errors == {"file": [OPINION_REFUSED]}
    assert not Document.objects.exists()


def test_the_type_and_extension_stored_are_those_of_the_content(org, account, media_root):
    # A real JPEG the browser called a PDF, named .pdf: it is kept as the JPEG it is.
    document = documents.document_upload(
        actor=org.sara,
        title="Dach",
        kind=Document.Kind.PHOTO,
        file=samples.upload("dach.pdf", samples.image("JPEG"), "application/pdf"),
        account=account,
    )
    version = document.versions.get()
    assert (version.content_type, version.original_name) == ("image/jpeg", "dach.jpg")
    assert version.file.name.endswith("/dach.jpg")


def test_a_new_version_is_checked_too(org, account, media_root):
    document = documents.document_upload(
        actor=org.sara,
        title="Schemat",
        kind=Document.Kind.SCHEMATIC,
        file=samples.upload("schemat.pdf", samples.pdf()),
        account=account,
    )
    with pytest.raises(ApplicationError):
        documents.document_add_version(
            actor=org.sara, document=document, file=samples.upload("schemat.pdf", samples.EXE)
        )
    document.refresh_from_db()
    assert document.current_version == 1


# --- the upload page --------------------------------------------------------------------------


def test_the_upload_page_shows_the_refusal_beside_the_file_and_stores_nothing(
    client, org, account, media_root
):
    client.force_login(org.sara)
    response = client.post(
        reverse("document_upload", args=[account.pk]),
        {"kind": "offer", "title": "Oferta", "file": samples.upload("oferta.pdf", samples.EXE)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [str(validators.DOCUMENT.message)]
    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_the_upload_page_takes_a_real_word_document(client, org, account, media_root):
    client.force_login(org.sara)
    response = client.post(
        reverse("document_upload", args=[account.pk]),
        {
            "kind": "contract",
            "title": "Umowa",
            "file": samples.upload("umowa.docx", samples.docx()),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().versions.get().content_type == validators.DOCX.mime_type
