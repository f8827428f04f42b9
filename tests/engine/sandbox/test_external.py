"""A test run's external task: no worker fetches it; the administrator completes it as one."""

from __future__ import annotations

import pytest

from obieg.core.errors import PermissionDenied
from obieg.engine.models import Case, CaseStatus, ExternalTask, ExternalTaskStatus, StudioDraft
from obieg.engine.runtime import external_tasks
from obieg.engine.sandbox import runs
from tests.conftest import make_user

EXTERNAL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="push_definitions" targetNamespace="urn:obieg:tests">
  <bpmn:process id="push_trial" name="Push to the ERP" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="push" name="Push to ERP" camunda:type="external"
        camunda:topic="erp-sync"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="push"/>
    <bpmn:sequenceFlow id="f2" sourceRef="push" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


@pytest.fixture
def external_draft(process_admin):
    return StudioDraft.objects.create(
        solution="", file_name="push.bpmn", xml=EXTERNAL, updated_by=process_admin
    )


def test_no_worker_fetches_a_test_runs_task_and_the_administrator_completes_it(
    process_admin, external_draft
):
    case = runs.start_run(actor=process_admin, draft_id=external_draft.pk)
    [task] = ExternalTask.objects.filter(case_id=case.pk)
    assert task.status == ExternalTaskStatus.OPEN

    worker = make_user("erp_worker", is_superuser=True)
    fetched = external_tasks.fetch_and_lock(
        worker_id="erp-1", topics=[("erp-sync", 60_000)], max_tasks=10, actor=worker
    )
    assert fetched == []

    stranger = make_user("stefan")
    with pytest.raises(PermissionDenied):
        runs.complete_external(actor=stranger, external_task_id=task.pk, variables={})

    runs.complete_external(
        actor=process_admin, external_task_id=task.pk, variables={"erp_id": "X-17"}
    )
    case = Case.all_objects.get(pk=case.pk)
    assert case.status == CaseStatus.COMPLETED and case.data["erp_id"] == "X-17"
    assert ExternalTask.objects.get(pk=task.pk).status == ExternalTaskStatus.COMPLETED
