"""PV project files are what their kind says, judged by content; one wrong file stores none."""

from django.contrib.messages import get_messages
from django.urls import reverse

from obieg.documents.models import Document
from tests.documents import samples
from tests.solutions.pv_installation.helpers import (
    AUDIT,
    case_of,
    complete,
    new_project,
    reload,
    to_contract_sent,
)


def post(client, project, kind, *files):
    return client.post(reverse("pv:upload", args=[project.pk]), {"kind": kind, "file": list(files)})


def errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def test_photos_are_stored_with_the_type_their_content_has(client, org, media_root):
    project = new_project(org)
    client.force_login(org.sara)
    response = post(
        client,
        project,
        "photo",
        samples.upload("dach.jpg", samples.image("JPEG"), "image/jpeg"),
        samples.upload("IMG_0001.HEIC", samples.heic(), "image/heic"),
    )
    assert errors(response) == []
    types = Document.objects.filter(kind="photo").values_list("versions__content_type", flat=True)
    assert sorted(types) == ["image/heic", "image/jpeg"]


def test_a_program_among_the_photos_stores_none_of_them(client, org, media_root):
    project = new_project(org)
    client.force_login(org.sara)
    response = post(
        client,
        project,
        "photo",
        samples.upload("dach.jpg", samples.image("JPEG"), "image/jpeg"),
        samples.upload("zdjecie.jpg", samples.EXE, "image/jpeg"),
    )
    assert errors(response) == ["zdjecie.jpg: This file is not a photo (JPEG, PNG, WebP or HEIC)."]
    assert not Document.objects.filter(kind="photo").exists()


def test_a_schematic_may_be_a_pdf_but_not_a_word_file(client, org, media_root):
    project = new_project(org)
    complete(case_of(project), "audit", org.sara, AUDIT)  # the design is the designer's now
    client.force_login(org.designer)
    assert errors(post(client, project, "schematic", samples.upload("s.pdf", samples.pdf()))) == []
    refused = post(client, project, "schematic", samples.upload("s.pdf", samples.docx()))
    assert len(errors(refused)) == 1
    assert Document.objects.filter(kind="schematic").count() == 1


def test_a_signed_scan_that_is_not_one_leaves_the_contract_waiting(client, org, media_root):
    project = to_contract_sent(org, new_project(org))
    client.force_login(org.sara)
    response = post(client, project, "signed_contract", samples.upload("umowa.pdf", samples.EXE))
    assert len(errors(response)) == 1
    assert reload(project).contract.status == "sent"
