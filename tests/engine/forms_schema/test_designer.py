"""The studio's form designer endpoints: create, save at a revision, refuse a bad form."""

from __future__ import annotations

import json

from django.urls import reverse

from obieg.engine.form_schema import embedded
from obieg.engine.models import StudioDraft
from tests.engine.conftest import deploy_samples
from tests.engine.forms_schema.conftest import BASE, SCHEMA
from tests.engine.studio.conftest import process_admin, upload  # noqa: F401 (fixture)


def a_draft(client, process_admin) -> StudioDraft:  # noqa: F811
    client.force_login(process_admin)
    upload(client, ("request.bpmn", BASE))
    return StudioDraft.objects.get(file_name="request.bpmn")


def save(client, draft, key, schema, revision):
    return client.post(
        reverse("engine:studio_form_schema", args=[draft.pk, key]),
        json.dumps({"schema": schema, "revision": revision}),
        content_type="application/json",
    )


def test_a_new_form_is_kept_in_the_process_file_and_opens_in_the_designer(client, process_admin):  # noqa: F811
    draft = a_draft(client, process_admin)
    response = client.post(
        reverse("engine:studio_forms", args=[draft.pk]),
        {"key": "request", "revision": draft.revision},
    )
    assert response.url == reverse("engine:studio_form_designer", args=[draft.pk, "request"])
    assert client.get(response.url).status_code == 200
    draft.refresh_from_db()
    assert embedded.schemas_in(draft.xml)["request"]["components"] == []

    loaded = client.get(reverse("engine:studio_form_schema", args=[draft.pk, "request"])).json()
    assert save(client, draft, "request", SCHEMA, loaded["revision"]).status_code == 200
    draft.refresh_from_db()
    assert embedded.schemas_in(draft.xml) == {"request": SCHEMA}
    page = client.get(reverse("engine:studio_forms", args=[draft.pk])).content.decode()
    assert "schema:request" in page


def test_a_bad_key_is_a_field_error(client, process_admin):  # noqa: F811
    draft = a_draft(client, process_admin)
    response = client.post(
        reverse("engine:studio_forms", args=[draft.pk]),
        {"key": "9 lives", "revision": draft.revision},
    )
    assert response.status_code == 400
    assert "starts with a letter" in response.content.decode()


def test_a_form_the_server_cannot_check_is_refused_with_every_reason(client, process_admin):  # noqa: F811
    draft = a_draft(client, process_admin)
    bad = {"components": [{"type": "filepicker", "key": "scan"}, {"type": "select", "key": "x"}]}
    response = save(client, draft, "request", bad, draft.revision)
    assert response.status_code == 400
    assert len(response.json()["schema"]) == 2
    draft.refresh_from_db()
    assert embedded.schemas_in(draft.xml) == {}


def test_a_form_saved_over_a_stale_revision_is_refused(client, process_admin):  # noqa: F811
    draft = a_draft(client, process_admin)
    assert save(client, draft, "request", SCHEMA, draft.revision).status_code == 200
    response = save(client, draft, "request", {"components": []}, draft.revision)
    assert response.status_code == 409 and "Paula" in response.json()["detail"]
    draft.refresh_from_db()
    assert embedded.schemas_in(draft.xml) == {"request": SCHEMA}


def test_only_process_administrators_reach_the_designer(client, org):
    client.force_login(org.sara)
    upload_draft = StudioDraft.objects.create(solution="", file_name="request.bpmn", xml=BASE)
    assert client.get(reverse("engine:studio_forms", args=[upload_draft.pk])).status_code == 403
    assert save(client, upload_draft, "request", SCHEMA, upload_draft.revision).status_code == 404
    assert embedded.schemas_in(StudioDraft.objects.get().xml) == {}


def test_a_versions_decision_table_opens_in_the_table_editor(client, process_admin):  # noqa: F811
    samples = ("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn")
    definition = deploy_samples(*samples)["inquiry_routing"]
    client.force_login(process_admin)
    dmn = "volume_discount.dmn"
    page = client.get(reverse("engine:definition_detail", args=[definition.pk])).content.decode()
    assert f'data-edit-file="{dmn}"' in page
    response = client.post(reverse("engine:definition_edit", args=[definition.pk]), {"file": dmn})
    draft = StudioDraft.objects.get(file_name="volume_discount.dmn")
    assert draft.xml == definition.sources[dmn]
    assert client.get(response.url).url == reverse("engine:studio_table_editor", args=[draft.pk])
    editor = client.get(reverse("engine:studio_table_editor", args=[draft.pk]))
    assert editor.status_code == 200 and b"dmn-modeler.production.min.js" in editor.content
    missing = client.post(reverse("engine:definition_edit", args=[definition.pk]), {"file": "x"})
    assert missing.status_code == 404
