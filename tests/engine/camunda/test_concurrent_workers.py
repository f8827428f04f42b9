"""Two workers fetching the same topic at once never get the same task (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from obieg.engine.models import ExternalTask
from obieg.engine.runtime import external_tasks
from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import deploy_models

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_sync"
  targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.17.0"
  modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.20.0">
  <bpmn:process id="sync_customer" name="Sync customer" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="push" name="Push to ERP" camunda:type="external" camunda:topic="erp-sync">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="push" />
    <bpmn:sequenceFlow id="f2" sourceRef="push" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""
CASES = 30


def test_each_task_is_locked_by_exactly_one_of_two_workers(
    transactional_db, org, worker_account, tmp_path
):
    path = tmp_path / "sync_customer.bpmn"
    path.write_text(MODEL)
    assert not deploy_models(path).refused
    for _ in range(CASES):
        engine.start_case(process="sync_customer", actor=org.sara)
    barrier = threading.Barrier(2)
    taken: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(worker_id: str) -> None:
        try:
            barrier.wait()
            got: list[int] = []
            for _ in range(CASES):
                batch = external_tasks.fetch_and_lock(
                    worker_id=worker_id,
                    topics=[("erp-sync", 60_000)],
                    max_tasks=3,
                    actor=worker_account,
                )
                if not batch:
                    break
                got.extend(task.pk for task in batch)
            taken[worker_id] = got
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(name,)) for name in ("w1", "w2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    first, second = taken["w1"], taken["w2"]
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(ExternalTask.objects.values_list("pk", flat=True))
    assert len(first + second) == CASES


def test_two_workers_completing_one_task_complete_it_once(
    transactional_db, org, worker_account, tmp_path
):
    path = tmp_path / "sync_customer.bpmn"
    path.write_text(MODEL)
    deploy_models(path)
    case = engine.start_case(process="sync_customer", actor=org.sara)
    (task,) = external_tasks.fetch_and_lock(
        worker_id="w1", topics=[("erp-sync", 60_000)], max_tasks=1, actor=worker_account
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def finish() -> None:
        try:
            barrier.wait()
            external_tasks.complete(
                task_id=task.pk, worker_id="w1", variables={"erp": 1}, actor=worker_account
            )
            outcomes.append("done")
        except external_tasks.Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "done"]
    assert case.events.filter(kind="task_completed").count() == 1
