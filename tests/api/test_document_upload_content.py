"""The API judges an uploaded document by its content, as the pages do."""

import pytest

from obieg.documents import validators
from obieg.documents.models import Document
from tests.documents import samples

pytestmark = pytest.mark.usefixtures("media_root")


def test_a_program_named_pdf_is_a_field_error_and_nothing_is_stored(api, sara_account):
    response = api.post(
        "/api/documents/",
        {
            "file": samples.upload("oferta.pdf", samples.EXE),
            "account": sara_account.pk,
            "kind": "offer",
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.data["file"] == [str(validators.DOCUMENT.message)]
    assert not Document.objects.exists()


def test_a_program_as_the_next_version_is_refused(api, sara_account):
    created = api.post(
        "/api/documents/",
        {"file": samples.upload("dach.jpg", samples.image("JPEG"), "image/jpeg"),
         "account": sara_account.pk, "kind": "photo"},
        format="multipart",
    )  # fmt: skip
    assert created.status_code == 201, created.data
    assert created.data["versions"][0]["content_type"] == "image/jpeg"

    refused = api.post(
        f"/api/documents/{created.data['id']}/versions/",
        {"file": samples.upload("dach.jpg", samples.EXE, "image/jpeg")},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "file" in refused.data
    assert Document.objects.get().current_version == 1
