"""A task given to a person is that person's (and their managers'), not the whole role's."""

import pytest
from django.urls import reverse

from obieg.engine.models import WorkItem
from tests.solutions.pv_installation.helpers import new_project


def pages(project, item) -> list[str]:
    return [
        reverse("engine:case_detail", args=[project.case_id]),
        reverse("engine:case_diagram", args=[project.case_id]),
        f"/api/engine/cases/{project.case_id}/",
        reverse("engine:task", args=[item.pk]),
        f"/api/engine/work-items/{item.pk}/",
    ]


@pytest.fixture
def saras_audit(org):
    project = new_project(org)  # the audit goes to Sara, with the salesperson role as its lane
    item = WorkItem.objects.get(case_id=project.case_id, status="open")
    assert (item.assignee, item.candidate_group) == (org.sara, "salesperson")
    return project, item


@pytest.mark.parametrize("who", ["olga", "tomasz"])
def test_another_salesperson_does_not_see_the_case_nor_its_task(client, org, saras_audit, who):
    project, item = saras_audit
    client.force_login(getattr(org, who))
    assert [client.get(url).status_code for url in pages(project, item)] == [404] * 5
    listed = client.get("/api/engine/cases/").json()
    ids = [case["id"] for case in listed.get("results", listed)]
    assert project.case_id not in ids


@pytest.mark.parametrize("who", ["sara", "manager", "admin"])
def test_the_assignee_their_manager_and_admins_do(client, org, saras_audit, who):
    project, item = saras_audit
    client.force_login(getattr(org, who))
    assert [client.get(url).status_code for url in pages(project, item)] == [200] * 5
