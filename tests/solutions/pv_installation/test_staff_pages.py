"""Staff pages: the PV list with a new lead, the project page, uploads, the case diagram."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obieg.documents.models import Document
from obieg.engine.models import WorkItem
from obieg.solutions.pv_installation.models import PVProject
from tests.solutions.pv_installation.helpers import new_project, reload, to_contract_sent, to_offer


def test_a_salesperson_enters_a_lead_and_the_audit_is_theirs(client, org):
    client.force_login(org.sara)
    response = client.post(reverse("pv:project_list"), {
        "contact_name": "Ewa Nowak", "phone": "600100200", "postal_code": "31-100",
        "city": "Kraków", "site_address": "ul. Polna 3, Kraków",
    })  # fmt: skip
    project = PVProject.objects.get()
    assert response.status_code == 302 and project.owner == org.sara
    assert WorkItem.objects.get(case_id=project.case_id).assignee == org.sara
    assert "Ewa Nowak" in client.get(reverse("pv:project_list")).content.decode()


def test_the_project_page_lists_superseded_revisions(client, org):
    project = to_offer(org, new_project(org))
    from obieg.solutions.pv_installation import services
    from tests.solutions.pv_installation.helpers import DESIGN, case_of, complete

    services.customer_answer_offer(project=project, offer_id=project.offer_id, accept=False,
                                   comment="Taniej")  # fmt: skip
    complete(case_of(project), "design", org.designer, DESIGN)
    client.force_login(org.designer)
    page = client.get(reverse("pv:project", args=[project.pk])).content.decode()
    assert "v2" in page and "v1" in page and "superseded" in page
    client.force_login(org.olga)  # another team's salesperson
    assert client.get(reverse("pv:project", args=[project.pk])).status_code == 404


def test_the_designer_uploads_the_schematic(client, org):
    project = new_project(org)
    from tests.solutions.pv_installation.helpers import AUDIT, case_of, complete

    complete(case_of(project), "audit", org.sara, AUDIT)  # the design waits for designers
    client.force_login(org.designer)
    schematic = SimpleUploadedFile("schemat.pdf", b"%PDF-1.4 schemat")
    client.post(reverse("pv:upload", args=[project.pk]), {"kind": "schematic", "file": schematic})
    document = Document.objects.get(kind="schematic")
    assert document.account == project.account


def test_a_signed_scan_uploaded_on_the_page_moves_the_case_on(client, org):
    project = to_contract_sent(org, new_project(org))
    client.force_login(org.sara)
    scan = SimpleUploadedFile("umowa.pdf", b"%PDF-1.4 podpis")
    client.post(reverse("pv:upload", args=[project.pk]),
                {"kind": "signed_contract", "file": scan})  # fmt: skip
    assert reload(project).contract.status == "signed"


def test_the_case_page_shows_the_pv_diagram(client, org):
    project = new_project(org)
    client.force_login(org.sara)
    assert client.get(reverse("engine:case_detail", args=[project.case_id])).status_code == 200
    diagram = client.get(reverse("engine:case_diagram", args=[project.case_id]))
    assert diagram.status_code == 200 and b"audit" in diagram.content
