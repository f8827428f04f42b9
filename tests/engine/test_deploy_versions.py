"""Deploying models: versions, idempotence, the spec cache, discovery of solution folders."""

import shutil

import pytest

from obieg.engine import deploy, spec_cache
from obieg.engine.models import ProcessDefinition, WorkItem
from obieg.engine.runtime import rows
from obieg.engine.runtime import services as engine
from tests.engine.conftest import DATA, deploy_samples


def test_an_unchanged_file_is_not_redeployed(db):
    first = deploy_samples("approval.bpmn")["offer_approval"]
    again = deploy_samples("approval.bpmn")["offer_approval"]
    assert again.pk == first.pk
    assert ProcessDefinition.objects.filter(key="offer_approval").count() == 1


def test_a_changed_file_becomes_a_new_version_and_running_cases_keep_theirs(org, tmp_path):
    model = tmp_path / "approval.bpmn"
    shutil.copy(DATA / "approval.bpmn", model)
    v1 = deploy.deploy_files([model])[0]
    old_case = engine.start_case(process="offer_approval", actor=org.sara)

    model.write_text(
        model.read_text().replace('name="Prepare the offer"', 'name="Price the offer"')
    )
    v2 = deploy.deploy_files([model])[0]
    new_case = engine.start_case(process="offer_approval", actor=org.sara)

    assert (v1.version, v2.version) == (1, 2)
    assert old_case.definition == v1 and new_case.definition == v2
    assert WorkItem.objects.get(case=old_case).name == "Prepare the offer"
    assert WorkItem.objects.get(case=new_case).name == "Price the offer"
    # The old case still runs on version 1 after the new deploy.
    engine.complete(
        work_item=WorkItem.objects.get(case=old_case), actor=org.sara, data={"margin": "0.2"}
    )
    assert WorkItem.objects.get(case=old_case, status="open").element_id == "send_offer"


def test_a_changed_decision_table_redeploys_the_processes_using_it(db, tmp_path):
    for name in ("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn"):
        shutil.copy(DATA / name, tmp_path / name)
    files = sorted(tmp_path.iterdir())
    first = deploy.deploy_files(files)[0]
    table = tmp_path / "volume_discount.dmn"
    table.write_text(table.read_text().replace("<text>0.10</text>", "<text>0.12</text>"))
    second = deploy.deploy_files(sorted(tmp_path.iterdir()))[0]
    assert second.version == first.version + 1
    assert set(second.sources) == {
        "decisions.bpmn",
        "inquiry_department.dmn",
        "volume_discount.dmn",
    }


def test_a_case_saves_its_state_without_the_spec(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    case.refresh_from_db()
    assert "task_specs" not in case.state
    assert "Prepare the offer" not in case.state  # names live in the spec, parsed once per version


def test_the_parsed_spec_is_reused_for_every_case_of_a_version(org, monkeypatch):
    deploy_samples("approval.bpmn")
    parsed = []
    original = spec_cache.build_parser

    def counted(sources, **options):
        parsed.append(1)
        return original(sources, **options)

    monkeypatch.setattr(spec_cache, "build_parser", counted)
    spec_cache.clear()
    for _ in range(3):
        engine.start_case(process="offer_approval", actor=org.sara)
    assert len(parsed) == 1


def test_deploy_all_reads_each_solution_processes_folder(db, tmp_path, monkeypatch):
    folder = tmp_path / "processes"
    folder.mkdir()
    shutil.copy(DATA / "parallel.bpmn", folder / "parallel.bpmn")
    monkeypatch.setattr(deploy, "solution_folders", lambda: [("pv_installation", folder)])
    definitions = deploy.deploy_all()
    assert [(d.key, d.solution, d.source_name) for d in definitions] == [
        ("installation_prep", "pv_installation", "pv_installation/parallel.bpmn")
    ]
    assert deploy.deploy_all()[0].pk == definitions[0].pk


def test_starting_an_unknown_process_is_refused(org):
    with pytest.raises(engine.ApplicationError, match="no process"):
        engine.start_case(process="nope", actor=org.sara)


def test_a_locked_case_carries_its_own_versions_checksum(org, tmp_path):
    """The spec cache is keyed by checksum: a wrong one would run a case on another version."""
    model = tmp_path / "approval.bpmn"
    shutil.copy(DATA / "approval.bpmn", model)
    v1 = deploy.deploy_files([model])[0]
    case = engine.start_case(process="offer_approval", actor=org.sara)
    model.write_text(model.read_text().replace('name="Prepare the offer"', 'name="Price it"'))
    deploy.deploy_files([model])

    locked = rows.lock_case(case.pk)

    assert (locked.definition.key, locked.definition.checksum) == (v1.key, v1.checksum)
    assert locked.definition.source_name == v1.source_name
