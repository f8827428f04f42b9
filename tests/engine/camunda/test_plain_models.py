"""A model saved by bpmn.io: a plain task is the owner's manual step; an unnamed task waits."""

from __future__ import annotations

from obieg.engine.models import CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import deploy_models, model
from tests.engine.helpers import open_item, open_items, reload

EXECUTABLE = ('isExecutable="false"', 'isExecutable="true"')


def test_a_file_as_bpmn_io_saves_it_has_no_executable_process_and_says_so(db):
    report = deploy_models("bpmnio_callback.bpmn")
    (refusal,) = report.findings.refusals
    assert refusal.line().startswith("bpmnio_callback.bpmn: -: no executable process")
    assert report.definitions == []


def test_the_plain_task_goes_to_the_owner_and_the_unnamed_user_task_waits_unassigned(org, tmp_path):
    report = deploy_models(model(tmp_path, "bpmnio_callback.bpmn", EXECUTABLE))
    assert not report.refused
    (warning,) = report.findings.warnings
    assert warning.element_id == "Activity_note" and "unassigned work queue" in warning.message

    case = engine.start_case(process="customer_callback", actor=org.sara)
    call = open_item(case, "Activity_call")
    assert call.assignee == org.sara and call.form_key == ""
    engine.complete(work_item=call, actor=org.sara, data={"comment": "reached her"})

    (note,) = open_items(case)
    assert note.element_id == "Activity_note" and note.is_unassigned
    engine.reassign(work_item=note, actor=org.admin, to=org.tomasz)
    note.refresh_from_db()
    engine.complete(work_item=note, actor=org.tomasz, data={})
    assert reload(case).status == CaseStatus.COMPLETED


def test_a_plain_task_in_a_lane_named_after_a_role_goes_to_that_role(org, tmp_path):
    path = model(
        tmp_path,
        "bpmnio_callback.bpmn",
        EXECUTABLE,
        (
            '<bpmn:startEvent id="StartEvent_1"',
            '<bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_1" name="accountant">'
            "<bpmn:flowNodeRef>Activity_call</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
            '<bpmn:startEvent id="StartEvent_1"',
        ),
    )
    assert not deploy_models(path).refused
    case = engine.start_case(process="customer_callback", actor=org.sara)
    call = open_item(case, "Activity_call")
    assert call.candidate_group == "accountant" and call.assignee is None


def test_a_manual_step_of_a_case_without_owner_waits_unassigned(org, tmp_path):
    deploy_models(model(tmp_path, "bpmnio_callback.bpmn", EXECUTABLE))
    case = engine.start_case(process="customer_callback", actor=None)
    call = open_item(case, "Activity_call")
    assert call.is_unassigned and "owner" in call.unmatched
