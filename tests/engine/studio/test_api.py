"""Definitions through the API: list, download, validate and deploy with the same checks."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from obieg.engine.models import DeployOrigin, ProcessDefinition
from tests.engine.conftest import DATA, deploy_samples
from tests.engine.studio.conftest import APPROVAL, FIXED_ACTION, UNKNOWN_ACTION

URL = "/api/engine/definitions/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def files(*pairs):
    return {"files": [SimpleUploadedFile(name, text.encode()) for name, text in pairs]}


def test_validate_names_every_problem_and_deploys_nothing(process_admin):
    answer = api(process_admin).post(
        URL + "validate/", files(("launch.bpmn", UNKNOWN_ACTION)), format="multipart"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["refused"] is True
    assert [(f["file"], f["element_id"], f["refused"]) for f in body["findings"]] == [
        ("launch.bpmn", "launch", True)
    ]
    assert not ProcessDefinition.objects.filter(key="refused_unknown_action").exists()


def test_deploy_refuses_a_broken_file_and_deploys_a_fixed_one(process_admin):
    client = api(process_admin)
    refused = client.post(
        URL + "deploy/", files(("launch.bpmn", UNKNOWN_ACTION)), format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["findings"][0]["element_id"] == "launch"
    assert not ProcessDefinition.objects.filter(key="refused_unknown_action").exists()

    done = client.post(URL + "deploy/", files(("launch.bpmn", FIXED_ACTION)), format="multipart")
    assert done.status_code == 201
    (created,) = done.json()["created"]
    assert (created["key"], created["version"], created["deployed_by"], created["origin"]) == (
        "refused_unknown_action",
        1,
        "paula",
        DeployOrigin.API,
    )
    again = client.post(URL + "deploy/", files(("launch.bpmn", FIXED_ACTION)), format="multipart")
    assert again.status_code == 201 and again.json()["created"] == []


def test_list_versions_and_download_any(process_admin, tmp_path):
    deploy_samples("approval.bpmn")
    client = api(process_admin)
    client.post(
        URL + "deploy/",
        files(("approval.bpmn", APPROVAL.replace("Send the offer", "Post it"))),
        format="multipart",
    )
    listed = client.get(URL, {"key": "offer_approval"}).json()["results"]
    assert [(v["version"], v["running_cases"]) for v in listed] == [(2, 0), (1, 0)]
    first = client.get(f"{URL}{listed[1]['id']}/download/")
    assert first.status_code == 200 and first["Content-Type"] == "application/xml"
    assert first.content.decode() == (DATA / "approval.bpmn").read_text()
    assert client.get(f"{URL}{listed[1]['id']}/download/", {"file": "x.dmn"}).status_code == 404


def test_bad_input_is_a_field_error(process_admin):
    client = api(process_admin)
    no_files = client.post(URL + "validate/", {}, format="multipart")
    assert no_files.status_code == 400 and "files" in no_files.json()
    wrong = client.post(URL + "validate/", files(("notes.txt", "x")), format="multipart")
    assert wrong.status_code == 400 and "files" in wrong.json()
    unknown = client.post(
        URL + "validate/",
        {**files(("launch.bpmn", FIXED_ACTION)), "solution": "nope"},
        format="multipart",
    )
    assert unknown.status_code == 400 and "solution" in unknown.json()


def test_others_may_not_use_the_definitions_api(org):
    client = api(org.sara)
    assert client.get(URL).status_code == 403
    assert (
        client.post(URL + "deploy/", files(("launch.bpmn", FIXED_ACTION)), format="multipart")
    ).status_code == 403
    assert not ProcessDefinition.objects.filter(key="refused_unknown_action").exists()


def test_the_schema_describes_the_definition_operations(client, db):
    # db: the schema lists the custom fields an administrator defined (api.custom_filters).
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "post" in paths["/api/engine/definitions/deploy/"]
    assert "post" in paths["/api/engine/definitions/validate/"]
    assert "application/xml" in str(paths["/api/engine/definitions/{id}/download/"])
