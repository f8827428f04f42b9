"""The customer may ask for changes to the contract through the link, as to the offer."""

from django.urls import reverse

from obieg.engine.models import WorkItem
from obieg.sales.models import Contract
from obieg.solutions.pv_installation import links
from tests.solutions.pv_installation.helpers import (
    case_of,
    complete,
    new_project,
    open_items,
    reload,
    to_contract_sent,
)


def contract_url(project):
    token = links.make_token(project.pk, "contract", project.contract_id)
    return reverse("pv:customer", args=[token])


def test_a_request_without_a_comment_is_refused_and_changes_nothing(client, org):
    project = to_contract_sent(org, new_project(org))
    page = client.get(contract_url(project)).content.decode()
    assert 'value="changes"' in page
    refused = client.post(contract_url(project), {"action": "changes", "comment": "  "})
    assert "Napisz, co należy zmienić." in refused.content.decode()
    assert reload(project).contract.status == Contract.Status.SENT
    assert open_items(case_of(project)) == []  # still waiting for the customer


def test_changes_go_back_to_the_salesperson_then_the_manager_and_out_again(client, org):
    project = to_contract_sent(org, new_project(org))
    answer = client.post(
        contract_url(project), {"action": "changes", "comment": "Zaliczka 20 % proszę"}
    )
    assert "przygotujemy poprawioną umowę" in answer.content.decode()
    project = reload(project)
    assert project.contract.status == Contract.Status.DRAFT
    case = case_of(project)
    revision = WorkItem.objects.get(case=case, element_id="revise_contract", status="open")
    assert revision.assignee == org.sara
    assert case.data["customer_comment"] == "Zaliczka 20 % proszę"
    # The customer's words are on the salesperson's task page.
    client.force_login(org.sara)
    task_page = client.get(reverse("engine:task", args=[revision.pk])).content.decode()
    assert "Zaliczka 20 % proszę" in task_page

    complete(case, "revise_contract", org.sara, {"advance_percent": "20"})
    assert open_items(case_of(project)) == ["approve_contract"]
    complete(case_of(project), "approve_contract", org.manager, {"contract_approved": "yes"})
    project = reload(project)
    assert project.contract.status == Contract.Status.SENT
    assert project.advance_percent == 20
    assert project.contract_document.versions.count() == 2  # the revised text, the first kept

    client.logout()
    client.post(contract_url(project), {"action": "accept"})
    project = reload(project)
    assert project.contract.status == Contract.Status.SIGNED
    assert project.advance_invoice.gross == (project.contract.value_gross * 20 / 100).quantize(
        project.contract.value_gross
    )
