"""A decision table started from scratch, and a studio process started by hand (#15 walk)."""

import pytest
from django.urls import reverse

from obieg.core import roles
from obieg.engine.models import Case, StudioDraft, WorkItem
from tests.conftest import make_user
from tests.engine.migration.conftest import sample


@pytest.fixture
def paula(db):
    return make_user("paula", roles.PROCESS_ADMIN)


def test_a_new_table_is_a_draft_opened_in_the_table_editor(client, paula):
    client.force_login(paula)
    url = reverse("engine:studio_new_table")
    answer = client.post(url, {"name": "Approval level", "decision_id": "approval_level"})
    draft = StudioDraft.objects.get(file_name="approval_level.dmn")
    assert answer.url == reverse("engine:studio_table_editor", args=[draft.pk])
    assert draft.solution == "" and 'decision id="approval_level"' in draft.xml
    bad = client.post(url, {"name": "x", "decision_id": "1 bad"})
    assert bad.status_code == 400 and "decision_id" in bad.context["form"].errors
    assert StudioDraft.objects.count() == 1


def test_only_process_administrators_start_tables(client, org):
    client.force_login(org.sara)
    answer = client.post(reverse("engine:studio_new_table"), {"name": "x", "decision_id": "x"})
    assert answer.status_code == 403
    assert not StudioDraft.objects.exists()


def test_a_studio_process_is_started_by_hand_and_its_starter_lands_on_the_task(client, org):
    from obieg.engine import deploy

    deploy.deploy_sources({"ten_steps.bpmn": sample("ten_steps.bpmn")}, solution="")
    deploy.deploy_sources({"parallel.bpmn": sample("parallel.bpmn")}, solution="tests")
    client.force_login(org.sara)
    page = client.get(reverse("engine:case_start"))
    offered = [key for key, _label in page.context["form"].fields["process"].choices]
    assert "installation_prep" not in offered  # a solution's process starts from its records
    [key] = offered
    answer = client.post(reverse("engine:case_start"), {"process": key, "title": "First one"})
    case = Case.objects.get(title="First one")
    assert case.owner == org.sara
    item = WorkItem.objects.filter(case=case).first()
    assert answer.url in (
        reverse("engine:task", args=[item.pk]) if item else "",
        reverse("engine:case_detail", args=[case.pk]),
    )
    refused = client.post(reverse("engine:case_start"), {"process": "installation_prep"})
    assert refused.status_code == 400 and Case.objects.count() == 1


def test_who_has_no_working_role_starts_nothing(client, org):
    client.force_login(org.board)
    assert client.get(reverse("engine:case_start")).status_code == 403
