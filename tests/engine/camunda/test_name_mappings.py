"""Administrators map the names models use for people; new tasks follow the mapping."""

from __future__ import annotations

from django.contrib.auth.models import Group

from obieg.engine.models import NameMapping
from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import deploy_models
from tests.engine.helpers import open_item

MAPPINGS = "/api/engine/name-mappings/"


def test_an_administrator_maps_a_name_on_the_page_and_new_tasks_follow_it(org, client_for):
    deploy_models("c7_invoice.bpmn")
    data = {"approveUntil": "P2D", "clerk": "tomasz", "invoice": {"number": "1"}}
    before = engine.start_case(process="c7_invoice", actor=org.sara, data=data)
    assert open_item(before, "approveInvoice").is_unassigned

    admin = client_for(org.admin)
    refused = admin.post("/work/names/", {"name": "accounting"})
    assert refused.status_code == 400 and b"exactly one" in refused.content
    accountant = Group.objects.get(name="accountant")
    assert (
        admin.post("/work/names/", {"name": "accounting", "role": accountant.pk}).status_code == 302
    )
    duplicate = admin.post("/work/names/", {"name": "Accounting", "department": org.design.pk})
    assert duplicate.status_code == 400 and b"already mapped" in duplicate.content
    assert client_for(org.sara).get("/work/names/").status_code == 403

    after = engine.start_case(process="c7_invoice", actor=org.sara, data=data)
    assert open_item(after, "approveInvoice").candidate_group == "accountant"
    # Redeploying the same file refreshes the version's warnings: the name matches now.
    (definition,) = deploy_models("c7_invoice.bpmn").definitions
    assert not any("'accounting'" in line for line in definition.warnings)


def test_the_mapping_api_is_for_administrators(org, client_for):
    admin = client_for(org.admin)
    created = admin.post(
        MAPPINGS, {"name": "warehouse-team", "user": org.designer.pk}, format="json"
    )
    assert created.status_code == 201, created.data
    both = admin.post(
        MAPPINGS, {"name": "x", "role": "accountant", "user": org.designer.pk}, format="json"
    )
    assert both.status_code == 400
    assert client_for(org.sara).get(MAPPINGS).status_code == 403
    mapping = NameMapping.objects.get(name="warehouse-team")
    # A mapping is replaced, not changed in place: no half-changed line to race on.
    assert admin.patch(f"{MAPPINGS}{mapping.pk}/", {"role": "installer"}).status_code == 405
    assert admin.delete(f"{MAPPINGS}{mapping.pk}/").status_code == 204
    again = admin.post(MAPPINGS, {"name": "warehouse-team", "role": "installer"}, format="json")
    assert again.status_code == 201 and again.data["role"] == "installer"


def test_the_external_task_api_is_in_the_openapi_schema(client_for, org):
    schema = client_for(org.admin).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/engine/external-tasks/fetch-and-lock/" in paths
    assert "/api/engine/external-tasks/{id}/bpmn-error/" in paths
    assert "/api/engine/name-mappings/" in paths and "/api/engine/unassigned/" in paths
