"""A broken solution file never stops the server: it is reported, the previous version runs."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse

from obieg.engine import deploy
from obieg.engine.models import DeployOrigin, ProcessDefinition
from obieg.engine.runtime import services as engine
from obieg.engine.studio import health, workspace
from tests.engine.conftest import DATA
from tests.engine.studio.conftest import FIXED_ACTION, UNKNOWN_ACTION


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """Two solutions' folders: `good` (a parallel process), `broken` (the launch process)."""
    good, broken = tmp_path / "good", tmp_path / "broken"
    good.mkdir()
    broken.mkdir()
    shutil.copy(DATA / "parallel.bpmn", good / "parallel.bpmn")
    (broken / "launch.bpmn").write_text(FIXED_ACTION)
    monkeypatch.setattr(deploy, "solution_folders", lambda: [("broken", broken), ("good", good)])
    return good, broken


def test_a_refused_solution_file_keeps_the_previous_version_and_the_others_deploy(
    org, folders, caplog
):
    good, broken = folders
    first = {d.key: d for d in deploy.deploy_all()}
    (broken / "launch.bpmn").write_text(UNKNOWN_ACTION)
    shutil.copy(DATA / "parallel.bpmn", good / "parallel.bpmn")
    (good / "parallel.bpmn").write_text(
        (good / "parallel.bpmn").read_text().replace('name="', 'name="New ', 1)
    )

    started = deploy.deploy_all()  # what `obieg serve` does on start: it must not raise

    assert [d.key for d in started] == ["installation_prep"]
    assert started[0].version == 2
    assert "refused_unknown_action" in caplog.text or "launch" in caplog.text
    running = ProcessDefinition.objects.filter(key="refused_unknown_action")
    assert list(running.values_list("version", flat=True)) == [1]
    case = engine.start_case(process="refused_unknown_action", actor=org.sara)
    assert case.definition == first["refused_unknown_action"]


def test_the_processes_page_and_obieg_check_name_the_refused_file(client, org, folders, capsys):
    _good, broken = folders
    deploy.deploy_all()
    (broken / "launch.bpmn").write_text(UNKNOWN_ACTION)

    client.force_login(org.admin)
    page = client.get(reverse("engine:definition_list"))
    (finding,) = page.context["solution_problems"]["broken"]
    assert (finding.file, finding.element_id) == ("broken/launch.bpmn", "launch")
    assert "tests.no_such_action" in page.content.decode()

    call_command("check")
    err = capsys.readouterr().err
    assert "engine.W001" in err and "broken/launch.bpmn: launch (Launch)" in err

    (broken / "launch.bpmn").write_text(FIXED_ACTION)  # fixed: the report clears at once
    assert health.solution_problems() == {}


def test_a_studio_version_is_not_undone_when_the_server_starts_again(org, folders):
    _good, broken = folders
    deploy.deploy_all()
    studio = workspace.deploy_files(
        solution="broken",
        files={"launch.bpmn": FIXED_ACTION.replace('name="Launch"', 'name="Launch now"')},
        actor=org.admin,
    )
    assert [d.version for d in studio.created] == [2]

    deploy.deploy_all()  # the folder did not change since it was deployed
    latest = ProcessDefinition.objects.filter(key="refused_unknown_action").latest("version")
    assert (latest.version, latest.origin) == (2, DeployOrigin.STUDIO)

    # A new release of the solution changes the file: it becomes the next version.
    (broken / "launch.bpmn").write_text(FIXED_ACTION.replace('name="Launch"', 'name="Go"'))
    deploy.deploy_all()
    latest = ProcessDefinition.objects.filter(key="refused_unknown_action").latest("version")
    assert (latest.version, latest.origin) == (3, DeployOrigin.SOLUTION)
