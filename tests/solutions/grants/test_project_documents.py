"""Files attached to a grant project: the application, the grantor's letters."""

from django.urls import reverse

from obieg.documents.models import Document
from tests.documents import samples
from tests.solutions.grants.helpers import make_project


def _post(client, project, **fields):
    return client.post(reverse("grants:project_document_add", args=[project.pk]), fields)


def test_the_coordinator_attaches_the_grant_application(client, institution):
    project = make_project(institution)
    client.force_login(institution.coordinator)

    response = _post(
        client,
        project,
        title="Wniosek o dofinansowanie FENG",
        kind="grant_application",
        file=samples.upload("wniosek.pdf", samples.pdf()),
    )

    assert response.status_code == 302
    document = Document.objects.get(kind="grant_application")
    assert (document.subject_id, document.account_id) == (project.pk, project.account_id)
    page = client.get(reverse("grants:project", args=[project.pk]))
    assert "Wniosek o dofinansowanie FENG" in page.content.decode()


def test_a_file_that_is_not_a_document_is_refused_beside_the_field(client, institution):
    project = make_project(institution)
    client.force_login(institution.coordinator)

    response = _post(
        client,
        project,
        kind="grant_application",
        file=samples.upload("wniosek.pdf", b"MZ\x90\x00 not a pdf at all"),
    )

    assert response.status_code == 400
    assert response.context["document_form"].errors["file"]
    assert not Document.objects.exists()


def test_a_stranger_cannot_attach_or_see(client, institution):
    project = make_project(institution)
    client.force_login(institution.org.stranger)

    response = _post(
        client, project, kind="correspondence", file=samples.upload("a.pdf", samples.pdf())
    )

    assert response.status_code == 404
    assert not Document.objects.exists()
