"""Whoever works on a PV case sees its documents and may add to them, credited to themselves."""

from datetime import date

import pytest
from django.urls import reverse

from obieg.core import roles
from obieg.documents import selectors
from obieg.documents.models import Document
from obieg.engine.models import WorkItem
from obieg.solutions.pv_installation import services
from tests.conftest import make_user
from tests.documents import samples
from tests.solutions.pv_installation.conftest import WORK_START
from tests.solutions.pv_installation.helpers import (
    AUDIT,
    case_of,
    complete,
    new_project,
    plan,
    reload,
    to_contract_sent,
    to_offer,
)

PAID = {"paid_on": date.today().isoformat()}


def upload(client, project, kind, name="dach.jpg"):
    photo = samples.upload(name, samples.image("JPEG"), "image/jpeg")
    return client.post(reverse("pv:upload", args=[project.pk]), {"kind": kind, "file": photo})


def links_of(document: Document) -> list[str]:
    return [
        reverse("document_detail", args=[document.pk]),
        reverse("document_version_download", args=[document.pk, document.current_version]),
    ]


@pytest.fixture
def designed(org, client, media_root):
    """Sara audited (with a photo), Dorota designed: the offer is out."""
    project = new_project(org)
    client.force_login(org.sara)
    upload(client, project, "photo")
    return to_offer(org, project)


def test_the_designer_opens_every_document_of_the_project_she_designed(client, org, designed):
    client.force_login(org.designer)
    page = client.get(reverse("pv:project", args=[designed.pk])).content.decode()
    documents = Document.objects.filter(subject_id=designed.pk)
    assert sorted(documents.values_list("kind", flat=True)) == ["offer", "photo"]
    for document in documents:
        assert reverse("document_detail", args=[document.pk]) in page
        assert [client.get(url).status_code for url in links_of(document)] == [200, 200]


def test_her_task_and_case_pages_list_the_documents(client, org, media_root):
    project = new_project(org)
    client.force_login(org.sara)
    upload(client, project, "photo")
    complete(case_of(project), "audit", org.sara, AUDIT)
    item = WorkItem.objects.get(case_id=project.case_id, element_id="design", status="open")
    client.force_login(org.designer)
    for url in (
        reverse("engine:task", args=[item.pk]),
        reverse("engine:case_detail", args=[project.case_id]),
    ):
        page = client.get(url).content.decode()
        assert "dach.jpg" in page and "No documents yet." not in page


def test_a_designer_who_never_worked_on_it_and_another_team_see_nothing(client, org, designed):
    other_designer = make_user("damian", roles.DESIGNER)
    for user in (other_designer, org.olga):
        client.force_login(user)
        assert client.get(reverse("pv:project", args=[designed.pk])).status_code == 404
        for document in Document.objects.filter(subject_id=designed.pk):
            assert [client.get(url).status_code for url in links_of(document)] == [404, 404]
        assert selectors.record_documents(user, designed) == []


def test_documents_are_credited_to_whoever_made_them(client, org, designed):
    photo = Document.objects.get(kind="photo")
    offer = designed.offer_document
    assert (photo.created_by, photo.versions.get().created_by) == (org.sara, org.sara)
    assert (offer.created_by, offer.versions.get().created_by) == (org.designer, org.designer)
    client.force_login(org.designer)
    assert upload(client, designed, "schematic", "schemat.jpg").status_code == 302
    assert Document.objects.get(kind="schematic").created_by == org.designer


def test_a_contract_generated_on_the_customers_answer_is_the_salespersons(org):
    project = to_contract_sent(org, new_project(org))
    # The customer's acceptance (no person) drew it; the manager's approval changed nothing.
    assert project.contract_document.created_by == org.sara


def test_the_installer_sees_the_papers_and_files_his_photos(
    client, org, roof_crew, electrical_crew, installer, media_root
):
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    plan(org, project, roof_crew, electrical_crew, WORK_START)
    complete(case_of(project), "record_advance_payment", org.accountant, PAID)
    project = reload(project)
    client.force_login(installer)
    assert upload(client, project, "photo", "montaz.jpg").status_code == 302
    photo = Document.objects.get(kind="photo")
    assert photo.created_by == installer
    documents = Document.objects.filter(subject_id=project.pk)
    papers = documents.filter(kind__in=["photo", "schematic", "protocol", "warranty"])
    for document in papers:
        assert [client.get(url).status_code for url in links_of(document)] == [200, 200]
    # Not the money's: the offer, the contract and the invoices stay the office's.
    money = documents.exclude(pk__in=papers.values("pk"))
    assert sorted(set(money.values_list("kind", flat=True))) == ["contract", "invoice", "offer"]
    for document in money:
        assert [client.get(url).status_code for url in links_of(document)] == [404, 404]
    listed = client.get("/api/documents/").json()
    assert {item["kind"] for item in listed["results"]} <= {"photo", "schematic", "protocol"}
    page = client.get(reverse("pv:project", args=[project.pk])).content.decode()
    assert "montaz.jpg" in page


def test_an_installer_without_work_on_the_case_may_not_add_files(client, org, designed, installer):
    client.force_login(installer)
    assert client.get(reverse("pv:project", args=[designed.pk])).status_code == 404
    assert upload(client, designed, "photo").status_code == 404
    assert not Document.objects.filter(created_by=installer).exists()
