"""Documents: multipart upload, next versions, access-checked download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from obieg.documents.models import Document

pytestmark = pytest.mark.usefixtures("media_root")


def _file(content: bytes = b"%PDF-1.4 schemat", name: str = "schemat.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _upload(api, **fields):
    return api.post("/api/documents/", {"file": _file(), **fields}, format="multipart")


def test_upload_creates_version_one_and_download_returns_the_bytes(api, sara_account):
    response = _upload(api, account=sara_account.pk, kind="schematic", title="Schemat")
    assert response.status_code == 201, response.data
    assert response.data["current_version"] == 1
    version = response.data["versions"][0]
    assert version["original_name"] == "schemat.pdf"
    assert version["checksum"] == hashlib.sha256(b"%PDF-1.4 schemat").hexdigest()

    download = api.get(version["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 schemat"
    assert "schemat.pdf" in download["Content-Disposition"]


def test_next_version_is_added_and_earlier_stays_downloadable(api, sara_account):
    document = _upload(api, account=sara_account.pk, kind="schematic").data
    added = api.post(
        f"/api/documents/{document['id']}/versions/",
        {"file": _file(b"%PDF-1.4 v2", "schemat-v2.pdf"), "comment": "poprawki"},
        format="multipart",
    )
    assert added.status_code == 201, added.data
    assert added.data["number"] == 2
    assert added.data["comment"] == "poprawki"

    first = api.get(f"/api/documents/{document['id']}/versions/1/download/")
    assert b"".join(first.streaming_content) == b"%PDF-1.4 schemat"
    assert api.get(f"/api/documents/{document['id']}/versions/3/download/").status_code == 404
    history = api.get(f"/api/documents/{document['id']}/history/").data["results"]
    assert history[0]["changes"]["version"][1].startswith("v2")


def test_document_is_attached_to_a_record(api, sara_opportunity):
    response = _upload(
        api, kind="photo", subject_type="opportunity", subject_id=sara_opportunity.pk
    )
    assert response.status_code == 201, response.data
    assert response.data["subject_type"] == "opportunity"
    assert response.data["subject_id"] == sara_opportunity.pk
    assert response.data["account"] == sara_opportunity.account_id


def test_another_salespersons_document_is_404_including_its_file(
    api, client_for, org, olga_account
):
    olga = client_for(org.olga)
    document = _upload(olga, account=olga_account.pk, kind="photo").data
    assert api.get(f"/api/documents/{document['id']}/").status_code == 404
    assert api.get(f"/api/documents/{document['id']}/versions/1/download/").status_code == 404
    added = api.post(
        f"/api/documents/{document['id']}/versions/", {"file": _file()}, format="multipart"
    )
    assert added.status_code == 404
    assert api.get("/api/documents/").data["results"] == []


def test_upload_to_an_invisible_account_is_refused(api, olga_account):
    response = _upload(api, account=olga_account.pk, kind="photo")
    assert response.status_code == 400
    assert "account" in response.data
    assert not Document.objects.exists()


def test_bad_uploads_are_field_errors(api, sara_account, sara_opportunity):
    cases = [
        ({"account": sara_account.pk, "kind": "selfie", "file": _file()}, "kind"),
        ({"account": sara_account.pk, "kind": "photo"}, "file"),
        ({"account": sara_account.pk, "kind": "photo", "file": _file(b"")}, "file"),
        ({"kind": "photo", "file": _file()}, "account"),
        ({"kind": "photo", "file": _file(), "subject_type": "offer"}, "subject_id"),
        ({"kind": "photo", "file": _file(), "subject_type": "offer", "subject_id": 999}, None),
    ]
    for payload, field in cases:
        response = api.post("/api/documents/", payload, format="multipart")
        assert response.status_code == 400, (payload, response.data)
        assert field is None or field in response.data, (payload, response.data)
    assert not Document.objects.exists()


def test_json_upload_is_refused_as_unsupported(api, sara_account):
    response = api.post(
        "/api/documents/", {"account": sara_account.pk, "kind": "photo"}, format="json"
    )
    assert response.status_code == 415
