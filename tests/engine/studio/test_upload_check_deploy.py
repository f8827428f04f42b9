"""Upload a model, see every problem on its element, deploy a fixed one as a new version."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from obieg.core.models import AuditEntry
from obieg.engine.models import DeployOrigin, ProcessDefinition, StudioDraft
from tests.engine.conftest import DATA, deploy_samples
from tests.engine.studio.conftest import (
    APPROVAL,
    FIXED_ACTION,
    UNKNOWN_ACTION,
    deploy,
    drafts_page,
    upload,
)


def test_a_refused_file_shows_each_problem_on_its_element_and_deploys_nothing(
    client, process_admin
):
    client.force_login(process_admin)
    response = upload(client, ("launch.bpmn", UNKNOWN_ACTION))
    assert response.status_code == 302

    page = drafts_page(client)
    assert page.context["outcome"].refused
    (item,) = page.context["drafts"]
    assert [(f.element_id, f.refused) for f in item["findings"]] == [("launch", True)]
    assert "tests.no_such_action" in item["findings"][0].message
    # The diagram script marks the element from this list.
    assert page.context["findings_json"][str(item["draft"].pk)][0]["element_id"] == "launch"
    html = page.content.decode()
    assert 'data-element-id="launch"' in html and "disabled" in html

    refused = deploy(client, page)
    assert refused.status_code == 302
    assert not ProcessDefinition.objects.filter(key="refused_unknown_action").exists()
    assert StudioDraft.objects.count() == 1


def test_a_fixed_upload_deploys_a_new_version_naming_who_deployed_it(client, process_admin):
    client.force_login(process_admin)
    upload(client, ("launch.bpmn", UNKNOWN_ACTION))
    upload(client, ("launch.bpmn", FIXED_ACTION))  # replaces the draft of that name
    page = drafts_page(client)
    assert not page.context["outcome"].refused

    response = deploy(client, page)
    assert response.status_code == 302 and response.url == reverse("engine:definition_list")
    version = ProcessDefinition.objects.get(key="refused_unknown_action")
    assert (version.version, version.deployed_by, version.origin) == (
        1,
        process_admin,
        DeployOrigin.STUDIO,
    )
    assert not StudioDraft.objects.exists()
    assert AuditEntry.objects.filter(actor=process_admin, object_repr="launch.bpmn").exists()

    listing = client.get(reverse("engine:definition_list"))
    (latest,) = listing.context["processes"]["refused_unknown_action"]
    assert latest.deployed_by == process_admin and latest.running_count == 0


def test_a_changed_process_becomes_the_next_version_of_its_solution(
    client, process_admin, tmp_path
):
    v1 = deploy_samples("approval.bpmn")["offer_approval"]
    client.force_login(process_admin)
    changed = APPROVAL.replace("Send the offer", "Send it by post")
    upload(client, ("approval.bpmn", changed))
    draft = StudioDraft.objects.get()
    assert draft.solution == "tests"  # the solution whose process it redefines

    deploy(client, drafts_page(client, "tests"), "tests")
    v2 = ProcessDefinition.objects.filter(key="offer_approval").latest("version")
    assert (v2.version, v2.solution) == (v1.version + 1, "tests")
    assert set(v2.sources) == {"approval.bpmn"}  # replaces the file of the same name
    assert "Send it by post" in v2.bpmn


def test_deploying_what_is_deployed_already_makes_no_version(client, process_admin):
    deploy_samples("approval.bpmn")
    client.force_login(process_admin)
    upload(client, ("approval.bpmn", APPROVAL))
    response = deploy(client, drafts_page(client, "tests"), "tests")
    assert response.status_code == 302
    assert ProcessDefinition.objects.filter(key="offer_approval").count() == 1


def test_a_new_decision_table_alone_redeploys_the_processes_using_it(client, process_admin):
    deploy_samples("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn")
    client.force_login(process_admin)
    table = (
        (DATA / "volume_discount.dmn").read_text().replace("<text>0.10</text>", "<text>0.12</text>")
    )
    upload(client, ("volume_discount.dmn", table), solution="tests")
    deploy(client, drafts_page(client, "tests"), "tests")
    latest = ProcessDefinition.objects.filter(key="inquiry_routing").latest("version")
    assert latest.version == 2
    assert "0.12" in latest.sources["volume_discount.dmn"]


def test_several_files_at_once_are_checked_together(client, process_admin):
    client.force_login(process_admin)
    files = [(n, (DATA / n).read_text()) for n in ("decisions.bpmn", "volume_discount.dmn")]
    upload(client, *files, solution="")
    page = drafts_page(client)
    # The process uses a table none of the files has: refused on the task that names it.
    assert {d["draft"].file_name for d in page.context["drafts"]} == {
        "decisions.bpmn",
        "volume_discount.dmn",
    }
    assert page.context["outcome"].refused
    upload(
        client,
        ("inquiry_department.dmn", (DATA / "inquiry_department.dmn").read_text()),
        solution="",
    )
    deploy(client, drafts_page(client))
    assert ProcessDefinition.objects.get(key="inquiry_routing").version == 1
    assert not StudioDraft.objects.exists()


def test_drafts_changed_after_the_check_are_not_deployed(client, process_admin):
    client.force_login(process_admin)
    upload(client, ("launch.bpmn", FIXED_ACTION))
    page = drafts_page(client)
    upload(client, ("launch.bpmn", UNKNOWN_ACTION))  # someone uploads again meanwhile
    response = deploy(client, page)
    assert response.status_code == 302
    assert not ProcessDefinition.objects.filter(key="refused_unknown_action").exists()
    assert "changed since you checked" in str(list(client.get(response.url).context["messages"])[0])


def test_a_process_of_another_solution_is_refused(client, process_admin):
    deploy_samples("approval.bpmn", solution="tests")
    client.force_login(process_admin)
    upload(client, ("approval.bpmn", APPROVAL), solution="")
    page = drafts_page(client)
    assert page.context["outcome"].refused
    assert "already used in tests" in page.context["drafts"][0]["findings"][0].message


def test_bad_uploads_are_refused_with_a_field_error_and_change_nothing(client, process_admin):
    client.force_login(process_admin)
    bad = [
        ("notes.txt", APPROVAL.encode()),
        (".bpmn", APPROVAL.encode()),
        ("latin2.bpmn", "<a>zażółć</a>".encode("iso-8859-2")),
        ("huge.bpmn", b" " * (2 * 1024 * 1024 + 1)),
    ]
    for name, payload in bad:
        response = client.post(
            reverse("engine:studio_upload"), {"files": [SimpleUploadedFile(name, payload)]}
        )
        assert response.status_code == 400, name
        assert response.context["form"].errors, name
    assert client.post(reverse("engine:studio_upload"), {}).status_code == 400
    assert not StudioDraft.objects.exists()


def test_any_version_downloads_as_its_file(client, process_admin):
    v1 = deploy_samples("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn")[
        "inquiry_routing"
    ]
    client.force_login(process_admin)
    response = client.get(reverse("engine:definition_download", args=[v1.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="decisions.bpmn"'
    assert response.content.decode() == (DATA / "decisions.bpmn").read_text()
    table = client.get(
        reverse("engine:definition_download", args=[v1.pk]), {"file": "volume_discount.dmn"}
    )
    assert table.content.decode() == (DATA / "volume_discount.dmn").read_text()
    missing = client.get(
        reverse("engine:definition_download", args=[v1.pk]), {"file": "../settings.py"}
    )
    assert missing.status_code == 404
