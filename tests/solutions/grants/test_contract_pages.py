"""The contract's pages: starting a project, the schedule editor, the client's link, the scan."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obieg.billing.models import ScheduleItem
from obieg.documents.models import Document
from obieg.engine.models import WorkItem
from obieg.sales.models import Contract
from obieg.solutions.grants import links
from obieg.solutions.grants.models import GrantProject
from tests.solutions.grants.test_process_steps import (
    START_MOMENT,
    case_of,
    frozen,
    open_elements,
    opportunity,
    reload,
    start,
    to_signature,
)

GOOD = {
    "title": "Robot do pakowania",
    "programme": "FENG 2021-2027",
    "call": "FENG.01.01-IP.02-001/26",
    "requested_amount": "250000.00",
    "co_financing_rate": "60",
    "success_fee_percent": "4",
    "durability_years": "5",
}


def test_an_advisor_starts_a_project_from_an_opportunity(client, institution, seller):
    inst = institution
    chance = opportunity(inst)
    client.force_login(inst.advisor)
    url = reverse("grants:project_new") + f"?opportunity={chance.pk}"
    with frozen(START_MOMENT):
        page = client.get(url)
        assert page.status_code == 200 and chance.name in page.content.decode()
        bad = {**GOOD, "requested_amount": "-5", "durability_years": "4"}
        refused = client.post(url, bad)
        assert refused.status_code == 400
        assert set(refused.context["form"].errors) >= {
            "requested_amount",
            "durability_years",
            "coordinator",
        }
        assert not GrantProject.objects.exists()
        started = client.post(url, {**GOOD, "coordinator": inst.coordinator.pk})
    project = GrantProject.objects.get()
    assert started.status_code == 302 and started["Location"] == project.get_absolute_url()
    assert project.opportunity == chance and project.coordinator == inst.coordinator
    assert project.application.requested_amount == Decimal("250000.00")
    assert project.contract.status == Contract.Status.DRAFT
    assert open_elements(project) == ["prepare_contract"]
    page = client.get(project.get_absolute_url())
    assert page.status_code == 200 and 'id="contract-section"' in page.content.decode()


def test_people_outside_sales_cannot_start_a_project(client, institution, seller):
    inst = institution
    client.force_login(inst.accountant)
    assert client.get(reverse("grants:project_new")).status_code == 403


def test_the_schedule_editor_adds_refuses_and_removes_with_confirmation(
    client, institution, seller
):
    inst = institution
    with frozen(START_MOMENT):
        project = start(inst)
        client.force_login(inst.advisor)
        url = reverse("grants:schedule_edit", args=[project.pk])
        assert client.get(url).status_code == 200
        # The fixed remuneration first: it bounds what the schedule may plan.
        bad_terms = {"what": "terms", "fixed_remuneration": "-1", "contract_starts_on": "x"}
        refused = client.post(url, bad_terms)
        assert refused.status_code == 400
        assert set(refused.context["terms_form"].errors) == {
            "fixed_remuneration",
            "contract_starts_on",
        }
        assert reload(project).contract.value_net == Decimal("0.00")
        saved = client.post(
            url,
            {"what": "terms", "fixed_remuneration": "10000", "contract_starts_on": "2026-03-02"},
        )
        assert saved.status_code == 302
        # 10,000 fixed + 3 % of the requested 400,000 = 22,000 net.
        assert reload(project).contract.value_gross == Decimal("27060.00")
        over = client.post(
            url, {"what": "fee", "due_date": "2026-04-01", "amount": "12300.01", "description": ""}
        )
        assert over.status_code == 400 and over.context["fee_form"].errors["amount"]
        early = client.post(url, {"what": "fee", "due_date": "2026-02-01", "amount": "100"})
        assert early.status_code == 400 and early.context["fee_form"].errors["due_date"]
        negative = client.post(url, {"what": "instalments", "total": "-1", "count": "3"})
        assert negative.status_code == 400 and negative.context["instalments_form"].errors
        assert not ScheduleItem.objects.exists()
        added = client.post(
            url, {"what": "instalments", "total": "1000", "count": "3", "first_due": "2026-04-10"}
        )
        assert added.status_code == 302
        items = list(ScheduleItem.objects.order_by("due_date"))
        assert [item.amount for item in items] == [
            Decimal("333.33"),
            Decimal("333.33"),
            Decimal("333.34"),
        ]
        confirm = client.get(url + f"?remove={items[0].pk}")
        assert 'id="confirm-remove"' in confirm.content.decode()
        assert ScheduleItem.objects.count() == 3  # asking changes nothing
        removed = client.post(url, {"what": "remove", "item": str(items[0].pk)})
        assert removed.status_code == 302
        assert ScheduleItem.objects.count() == 2
        # The task page of "prepare the contract" shows the schedule and links to the editor.
        item = WorkItem.objects.get(case=case_of(project), element_id="prepare_contract")
        task = client.get(reverse("engine:task", args=[item.pk]))
        assert task.status_code == 200 and url in task.content.decode()


def test_the_contract_documents_are_stored_with_the_project_and_the_client(institution, seller):
    import docx

    inst = institution
    with frozen(START_MOMENT):
        project = to_signature(inst)
    assert project.contract_document.versions.get().file.read(5) == b"%PDF-"
    editable = docx.Document(io.BytesIO(project.contract_docx.versions.get().file.read()))
    text = "\n".join(p.text for p in editable.paragraphs)
    assert "§ 4. Wynagrodzenie za sukces" in text and "3% kwoty przyznanej" in text
    assert editable.tables[0].rows[1].cells[2].text == "12\xa0300,00\xa0zł"
    kinds = Document.objects.filter(account=inst.client, kind=Document.Kind.CONTRACT)
    assert set(kinds.values_list("pk", flat=True)) == {
        project.contract_document_id,
        project.contract_docx_id,
    }


def test_the_client_accepts_through_the_link_once(client, institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = to_signature(inst)
    url = reverse("grants:contract_answer", args=[links.contract_token(project)])
    assert client.get(reverse("grants:contract_answer", args=["forged"])).status_code == 404
    with frozen(START_MOMENT + timedelta(days=1)):
        page = client.get(url)
        assert page.status_code == 200 and project.contract.number in page.content.decode()
        unticked = client.post(url, {})
        assert unticked.status_code == 400
        assert reload(project).contract.status == Contract.Status.SENT
        accepted = client.post(url, {"accept": "on"})
        assert accepted.status_code == 200 and 'id="answer-thanks"' in accepted.content.decode()
        again = client.post(url, {"accept": "on"})
    assert again.status_code == 409
    project = reload(project)
    assert project.contract.status == Contract.Status.SIGNED
    assert project.status == GrantProject.Status.APPLICATION
    assert open_elements(project) == ["submit_application"]


def test_the_advisor_uploads_the_signed_scan(client, institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = to_signature(inst)
    client.force_login(inst.advisor)
    url = reverse("grants:scan_upload", args=[project.pk])
    with frozen(START_MOMENT + timedelta(days=2)):
        fake = SimpleUploadedFile("umowa.pdf", b"MZ not a pdf", "application/pdf")
        refused = client.post(url, {"file": fake, "signed_on": "2026-03-03"})
        assert refused.status_code == 400
        assert open_elements(project) == ["upload_scan"]
        future = SimpleUploadedFile("umowa.pdf", b"%PDF-1.4 podpisana", "application/pdf")
        refused = client.post(url, {"file": future, "signed_on": "2026-03-10"})
        assert refused.status_code == 400 and refused.context["form"].errors["signed_on"]
        scan = SimpleUploadedFile("umowa.pdf", b"%PDF-1.4 podpisana", "application/pdf")
        done = client.post(url, {"file": scan, "signed_on": "2026-03-03"})
    assert done.status_code == 302
    project = reload(project)
    assert project.contract.status == Contract.Status.SIGNED
    assert str(project.contract.signed_on) == "2026-03-03"
    assert project.signed_scan.kind == Document.Kind.CONTRACT
    assert open_elements(project) == ["submit_application"]
    page = client.get(project.get_absolute_url())
    assert project.signed_scan.title in page.content.decode()


def test_someone_else_cannot_upload_the_scan(client, institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = to_signature(inst)
    client.force_login(inst.other_coordinator)
    scan = SimpleUploadedFile("umowa.pdf", b"%PDF-1.4 podpisana", "application/pdf")
    response = client.post(
        reverse("grants:scan_upload", args=[project.pk]), {"file": scan, "signed_on": "2026-03-03"}
    )
    assert response.status_code in (403, 404)
    assert reload(project).contract.status == Contract.Status.SENT


def test_the_coordinator_files_the_scan_the_client_sent_them(client, institution, seller):
    inst = institution
    with frozen(START_MOMENT):
        project = to_signature(inst)
    client.force_login(inst.coordinator)
    page = client.get(project.get_absolute_url())
    assert 'id="scan-upload"' in page.content.decode()
    scan = SimpleUploadedFile("skan.jpg", b"\xff\xd8\xff\xe0 podpisana", "image/jpeg")
    with frozen(START_MOMENT + timedelta(days=1)):
        done = client.post(
            reverse("grants:scan_upload", args=[project.pk]),
            {"file": scan, "signed_on": "2026-03-03"},
        )
    assert done.status_code == 302
    project = reload(project)
    assert project.contract.status == Contract.Status.SIGNED
    assert project.signed_scan is not None
    assert open_elements(project) == ["submit_application"]


def test_a_manager_starts_a_project_for_the_advisor_of_the_opportunity(institution, seller):
    from obieg.solutions.grants import services
    from tests.solutions.grants.test_process_steps import start_data

    inst = institution
    with frozen(START_MOMENT):
        project = services.project_start(
            actor=inst.manager, opportunity=opportunity(inst), data=start_data(inst)
        )
    assert project.advisor == inst.advisor
    assert reload(project).contract.owner == inst.advisor
    assert open_elements(project) == ["prepare_contract"]
    item = WorkItem.objects.get(case=case_of(project), element_id="prepare_contract")
    assert item.assignee == inst.advisor
