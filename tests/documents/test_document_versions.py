"""Documents: an upload is version 1; each new file is the next version; old ones stay."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from obieg.core import access
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.documents import services as documents
from obieg.documents.models import Document, DocumentVersion
from obieg.sales.models import Offer
from tests.factories import AccountFactory

PDF_1 = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PDF_2 = b"%PDF-1.4\n% podpisany skan\n%%EOF\n"


def upload(name="schemat.pdf", content=PDF_1, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def account(org):
    return AccountFactory(owner=org.sara)


@pytest.fixture
def document(org, account, media_root):
    return documents.document_upload(
        actor=org.sara,
        title="Schemat instalacji",
        kind=Document.Kind.SCHEMATIC,
        file=upload(),
        account=account,
        comment="pierwsza wersja",
    )


def test_upload_creates_version_1_with_checksum_size_and_type(org, document, media_root):
    document.refresh_from_db()
    assert document.current_version == 1
    assert document.created_by == org.sara
    [version] = document.versions.all()
    assert version.number == 1
    assert version.checksum == hashlib.sha256(PDF_1).hexdigest()
    assert version.size == len(PDF_1)
    assert version.content_type == "application/pdf"
    assert version.original_name == "schemat.pdf"
    assert version.comment == "pierwsza wersja"
    assert version.created_by == org.sara
    with version.file.open("rb") as stored:
        assert stored.read() == PDF_1
    assert version.file.path.startswith(str(media_root))
    assert f"documents/{document.pk}/v1/" in version.file.name


def test_the_content_type_is_guessed_when_the_upload_has_none(org, account, media_root):
    file = SimpleUploadedFile("zdjecie.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="")

    doc = documents.document_upload(
        actor=org.sara, title="Dach", kind=Document.Kind.PHOTO, file=file, account=account
    )

    assert doc.versions.get().content_type == "image/jpeg"


def test_add_version_creates_v2_and_keeps_v1(org, document):
    v2 = documents.document_add_version(
        actor=org.sara, document=document, file=upload("schemat-v2.pdf", PDF_2), comment="poprawki"
    )

    document.refresh_from_db()
    assert document.current_version == 2
    assert v2.number == 2
    assert v2.checksum == hashlib.sha256(PDF_2).hexdigest()
    versions = list(document.versions.all())
    assert [v.number for v in versions] == [2, 1]  # newest first
    v1 = versions[1]
    assert v1.checksum == hashlib.sha256(PDF_1).hexdigest()
    with v1.file.open("rb") as stored:
        assert stored.read() == PDF_1
    with v2.file.open("rb") as stored:
        assert stored.read() == PDF_2
    assert v1.file.name != v2.file.name


def test_same_file_name_in_two_versions_keeps_both_files(org, document):
    v2 = documents.document_add_version(
        actor=org.sara, document=document, file=upload("schemat.pdf", PDF_2)
    )
    v1 = document.versions.get(number=1)

    with v1.file.open("rb") as first, v2.file.open("rb") as second:
        assert (first.read(), second.read()) == (PDF_1, PDF_2)


def test_uploads_and_versions_are_audited(org, document):
    documents.document_add_version(actor=org.sara, document=document, file=upload(content=PDF_2))

    entries = AuditEntry.objects.filter(object_id=document.pk, content_type__model="document")
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update", "update"]
    assert set(entries.values_list("actor", flat=True)) == {org.sara.pk}


def test_an_empty_file_is_refused_and_nothing_is_stored(org, account, media_root):
    with pytest.raises(ApplicationError) as raised:
        documents.document_upload(
            actor=org.sara,
            title="Pusty",
            kind=Document.Kind.PHOTO,
            file=upload("pusty.jpg", b""),
            account=account,
        )

    assert "file" in raised.value.field_errors
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert not AuditEntry.objects.exists()
    assert stored_files(media_root) == []


def test_an_empty_new_version_is_refused_and_the_document_stays_at_v1(org, document):
    with pytest.raises(ApplicationError):
        documents.document_add_version(
            actor=org.sara, document=document, file=upload("pusty.pdf", b"")
        )

    document.refresh_from_db()
    assert document.current_version == 1
    assert document.versions.count() == 1


def test_a_file_over_the_size_limit_is_refused(org, account, settings, media_root):
    settings.MAX_DOCUMENT_SIZE = 10

    with pytest.raises(ApplicationError, match="larger"):
        documents.document_upload(
            actor=org.sara, title="Duży", kind=Document.Kind.PHOTO, file=upload(), account=account
        )

    assert not Document.objects.exists()


def test_an_unknown_kind_is_refused(org, account, media_root):
    with pytest.raises(ApplicationError) as raised:
        documents.document_upload(
            actor=org.sara, title="X", kind="selfie", file=upload(), account=account
        )
    assert "kind" in raised.value.field_errors


def test_a_title_too_long_is_refused_with_a_field_error(org, account, media_root):
    with pytest.raises(ApplicationError) as raised:
        documents.document_upload(
            actor=org.sara,
            title="T" * 201,
            kind=Document.Kind.PHOTO,
            file=upload(),
            account=account,
        )

    assert "title" in raised.value.field_errors
    assert not Document.objects.exists()


def test_a_missing_title_falls_back_to_the_file_name(org, account, media_root):
    doc = documents.document_upload(
        actor=org.sara, title="", kind=Document.Kind.PHOTO, file=upload("dach.pdf"), account=account
    )
    assert doc.title == "dach.pdf"


def test_another_salesperson_cannot_upload_to_someone_elses_account(org, account, media_root):
    with pytest.raises(PermissionDenied):
        documents.document_upload(
            actor=org.tomasz, title="X", kind=Document.Kind.PHOTO, file=upload(), account=account
        )

    assert not Document.objects.exists()
    assert stored_files(media_root) == []


def test_another_salesperson_cannot_add_a_version(org, document):
    with pytest.raises(PermissionDenied):
        documents.document_add_version(actor=org.tomasz, document=document, file=upload())

    assert document.versions.count() == 1


@pytest.mark.parametrize("persona", ["board", "accountant"])
def test_read_only_roles_cannot_add_a_version(org, document, persona):
    user = getattr(org, persona)
    if persona == "accountant":
        assert access.visible(Document.objects.filter(pk=document.pk), user).exists()

    with pytest.raises(PermissionDenied):
        documents.document_add_version(actor=user, document=document, file=upload())


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_the_team_manager_and_the_admin_may_add_a_version(org, document, persona):
    version = documents.document_add_version(
        actor=getattr(org, persona), document=document, file=upload(content=PDF_2)
    )
    assert version.number == 2


def test_a_document_attached_to_a_record_takes_its_account(org, account, media_root):
    offer = Offer.objects.create(number="OF/1", account=account, title="PV")

    doc = documents.document_upload(
        actor=org.sara, title="Oferta", kind=Document.Kind.OFFER, file=upload(), subject=offer
    )

    assert (doc.account, doc.subject) == (account, offer)
    assert access.visible(Document.objects.filter(pk=doc.pk), org.sara).exists()


def test_a_record_of_someone_else_cannot_take_a_document(org, media_root):
    offer = Offer.objects.create(
        number="OF/2", account=AccountFactory(owner=org.tomasz), title="PV"
    )

    with pytest.raises(PermissionDenied):
        documents.document_upload(
            actor=org.sara, title="Oferta", kind=Document.Kind.OFFER, file=upload(), subject=offer
        )


def test_the_account_given_must_be_the_records_account(org, account, media_root):
    offer = Offer.objects.create(number="OF/3", account=AccountFactory(owner=org.sara), title="PV")

    with pytest.raises(ApplicationError) as raised:
        documents.document_upload(
            actor=org.sara,
            title="Oferta",
            kind=Document.Kind.OFFER,
            file=upload(),
            account=account,
            subject=offer,
        )

    assert "account" in raised.value.field_errors
    assert not Document.objects.exists()
