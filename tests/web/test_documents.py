"""Documents: upload to an account, new versions, access-checked download, the list."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obieg.documents.models import Document, DocumentVersion
from tests.factories import AccountFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="schemat.pdf", content=b"%PDF-1.4 roof plan"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(client, account, **extra):
    data = {"kind": "schematic", "title": "Roof plan", "file": pdf(), **extra}
    return client.post(reverse("document_upload", args=[account.pk]), data)


def download(client, document, number):
    return client.get(reverse("document_version_download", args=[document.pk, number]))


def test_an_uploaded_file_becomes_version_one_with_its_checksum(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    response = upload(client, account)
    document = Document.objects.get()
    assert response["Location"] == reverse("document_detail", args=[document.pk])
    assert (document.account, document.kind, document.current_version) == (
        account,
        "schematic",
        1,
    )
    version = document.versions.get()
    assert version.checksum == hashlib.sha256(b"%PDF-1.4 roof plan").hexdigest()
    page = client.get(response["Location"]).content.decode()
    assert version.checksum in page and "schemat.pdf" in page and "application/pdf" in page


def test_a_missing_file_is_shown_beside_its_field(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    response = client.post(reverse("document_upload", args=[account.pk]), {"kind": "photo"})
    assert list(response.context["form"].errors) == ["file"]
    assert not Document.objects.exists()


def test_a_new_version_keeps_the_earlier_one_downloadable(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    upload(client, account)
    document = Document.objects.get()
    response = client.post(
        reverse("document_version_upload", args=[document.pk]),
        {"file": pdf("schemat-v2.pdf", b"%PDF-1.4 corrected"), "comment": "Corrected azimuth"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.current_version == 2
    first, second = download(client, document, 1), download(client, document, 2)
    assert b"".join(first.streaming_content) == b"%PDF-1.4 roof plan"
    assert b"".join(second.streaming_content) == b"%PDF-1.4 corrected"
    assert second["Content-Disposition"].startswith("attachment")
    assert 'filename="schemat-v2.pdf"' in second["Content-Disposition"]


def test_another_salesperson_and_a_stranger_get_404_on_the_document_and_its_file(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    upload(client, account)
    document = Document.objects.get()
    for user in (org.olga, org.stranger):
        client.force_login(user)
        assert client.get(reverse("document_detail", args=[document.pk])).status_code == 404
        assert download(client, document, 1).status_code == 404
        assert upload(client, account).status_code == 404
    assert DocumentVersion.objects.count() == 1


def test_a_missing_version_or_a_lost_file_is_404(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    upload(client, account)
    document = Document.objects.get()
    assert download(client, document, 7).status_code == 404
    document.versions.get().file.delete(save=False)
    assert download(client, document, 1).status_code == 404


def test_the_list_filters_by_kind_and_account(client, org):
    mine, other = AccountFactory(owner=org.sara), AccountFactory(owner=org.sara)
    Document.objects.create(account=mine, title="Mine photo", kind="photo")
    Document.objects.create(account=mine, title="Mine protocol", kind="protocol")
    Document.objects.create(account=other, title="Other photo", kind="photo")
    Document.objects.create(account=AccountFactory(owner=org.olga), title="Olga's", kind="photo")
    client.force_login(org.sara)

    def titles(**params):
        response = client.get(reverse("document_list"), params)
        return sorted(document.title for document in response.context["page"].rows)

    assert titles() == ["Mine photo", "Mine protocol", "Other photo"]
    assert titles(kind="photo") == ["Mine photo", "Other photo"]
    assert titles(kind="photo", account=mine.pk) == ["Mine photo"]
    olgas = AccountFactory(owner=org.olga)
    assert client.get(reverse("document_list"), {"account": olgas.pk}).status_code == 404
