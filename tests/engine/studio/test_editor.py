"""The editor's endpoints: a new diagram, open a version, save over a revision, check, lists."""

from __future__ import annotations

import json

from django.contrib.auth.models import Group
from django.urls import reverse

from obieg.core import roles
from obieg.core.models import Department
from obieg.engine.models import ProcessDefinition, StudioDraft
from tests.engine.conftest import deploy_samples
from tests.engine.studio.conftest import FIXED_ACTION, UNKNOWN_ACTION, deploy, drafts_page


def save(client, draft, xml, revision):
    return client.post(
        reverse("engine:studio_draft_xml", args=[draft.pk]),
        json.dumps({"xml": xml, "revision": revision}),
        content_type="application/json",
    )


def test_a_new_process_starts_from_an_empty_diagram_that_deploys(client, process_admin):
    client.force_login(process_admin)
    response = client.post(
        reverse("engine:studio_new"),
        {"name": "Leave request", "process_id": "leave_request", "solution": ""},
    )
    draft = StudioDraft.objects.get()
    assert response.url == reverse("engine:studio_editor", args=[draft.pk])
    assert client.get(response.url).status_code == 200
    loaded = client.get(reverse("engine:studio_draft_xml", args=[draft.pk])).json()
    assert 'id="leave_request"' in loaded["xml"] and loaded["revision"] == 1

    deploy(client, drafts_page(client))
    assert ProcessDefinition.objects.get(key="leave_request").name == "Leave request"


def test_a_new_process_needs_a_free_well_formed_id(client, process_admin):
    deploy_samples("approval.bpmn")
    client.force_login(process_admin)
    for process_id in ("offer_approval", "1st step", "<x>"):
        response = client.post(
            reverse("engine:studio_new"), {"name": "X", "process_id": process_id}
        )
        assert response.status_code == 400, process_id
        assert response.context["form"].errors["process_id"], process_id
    assert not StudioDraft.objects.exists()


def test_saving_is_refused_over_someone_elses_save(client, org, process_admin):
    client.force_login(process_admin)
    client.post(reverse("engine:studio_new"), {"name": "A", "process_id": "a_process"})
    draft = StudioDraft.objects.get()
    first = save(client, draft, FIXED_ACTION, 1)
    assert first.status_code == 200 and first.json() == {"revision": 2}

    client.force_login(org.admin)
    stale = save(client, draft, UNKNOWN_ACTION, 1)
    assert stale.status_code == 409 and "Paula" in stale.json()["detail"]
    draft.refresh_from_db()
    assert draft.xml == FIXED_ACTION and draft.revision == 2
    assert save(client, draft, "", 2).status_code == 400
    garbled = client.post(
        reverse("engine:studio_draft_xml", args=[draft.pk]), "nope", content_type="text/plain"
    )
    assert garbled.status_code == 400


def test_the_check_returns_the_findings_for_the_diagram(client, process_admin):
    client.force_login(process_admin)
    client.post(reverse("engine:studio_new"), {"name": "A", "process_id": "refused_unknown_action"})
    draft = StudioDraft.objects.get()
    save(client, draft, UNKNOWN_ACTION, 1)
    answer = client.post(reverse("engine:studio_draft_check", args=[draft.pk])).json()
    assert answer["refused"] is True
    assert [(f["element_id"], f["refused"]) for f in answer["findings"]] == [("launch", True)]
    assert answer["revisions"] == f"{draft.pk}:2"


def test_opening_a_version_makes_a_draft_of_its_file(client, process_admin):
    version = deploy_samples("approval.bpmn")["offer_approval"]
    client.force_login(process_admin)
    response = client.post(reverse("engine:definition_edit", args=[version.pk]))
    draft = StudioDraft.objects.get()
    assert (draft.solution, draft.file_name, draft.xml) == ("tests", "approval.bpmn", version.bpmn)
    assert response.url == reverse("engine:studio_editor", args=[draft.pk])
    # Opening it again keeps the work in progress.
    save(client, draft, version.bpmn.replace("Send the offer", "Send"), 1)
    client.post(reverse("engine:definition_edit", args=[version.pk]))
    assert "Send the offer" not in StudioDraft.objects.get().xml


def test_the_panel_picks_names_from_the_servers_lists(client, org, process_admin):
    deploy_samples("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn")
    client.force_login(process_admin)
    version = ProcessDefinition.objects.get(key="inquiry_routing")
    client.post(reverse("engine:definition_edit", args=[version.pk]))
    draft = StudioDraft.objects.get()
    lists = client.get(reverse("engine:studio_draft_choices", args=[draft.pk])).json()
    assert roles.BOARD in lists["roles"]
    assert set(lists["roles"]) == set(Group.objects.values_list("name", flat=True))
    codes = {d["code"] for d in lists["departments"]}
    assert codes == set(Department.objects.values_list("code", flat=True))
    assert "tests.record" in lists["actions"] and "tests.offer" in lists["forms"]
    assert {"inquiry_department", "volume_discount"} <= set(lists["decisions"])
    assert "inquiry_routing" in lists["processes"]
