"""External tasks through the API: locks, failures with back-off, incidents, permissions."""

from __future__ import annotations

from datetime import timedelta

from obieg.engine.models import ExternalTask
from obieg.engine.runtime import services as engine
from tests.engine.camunda.conftest import EXTERNAL, Worker, deploy_models
from tests.engine.conftest import at

TOPIC = "charge-card"


def order_case(org, **start):
    from django.contrib.auth.models import Group

    from obieg.core import roles
    from obieg.engine.models import NameMapping
    from tests.engine.helpers import open_item

    NameMapping.objects.create(name="sales", role=Group.objects.get(name=roles.SALESPERSON))
    report = deploy_models("c8_order.bpmn", "c8_shipping.bpmn")
    assert not report.refused, report.findings.items
    case = engine.start_case(
        process="c8_order",
        actor=org.sara,
        data={
            "order": {"total": "120.50", "customer": "Kowalski"},
            "reviewDue": "2026-12-31",
            **start,
        },
    )
    engine.complete(
        work_item=open_item(case, "reviewOrder"), actor=org.tomasz, data={"margin": "0.2"}
    )
    return case


def test_a_locked_task_is_not_fetched_again_until_its_lock_runs_out(org, worker, frozen):
    with frozen(at(2026, 12, 21, 9)):
        order_case(org)
        assert len(worker.fetch(TOPIC, lock_ms=60_000)) == 1
        other = Worker(worker.account, "worker-2")
        assert other.fetch(TOPIC) == []
    with frozen(at(2026, 12, 21, 9, 2)):
        (task,) = other.fetch(TOPIC)
        # The first worker lost its lock: it may no longer finish the task.
        assert worker.complete(task).status_code == 409
        assert other.complete(task, transactionId="T-1").status_code == 200


def test_a_failure_waits_out_its_back_off_then_no_retries_make_an_incident(
    org, worker, frozen, client_for
):
    with frozen(at(2026, 12, 21, 9)):
        case = order_case(org)
        (task,) = worker.fetch(TOPIC)
        assert task["retries"] == 3  # zeebe:taskDefinition retries
        failed = worker.post(
            task, "failure", error_message="card declined", retries=2, retry_timeout=300_000
        )
        assert failed.status_code == 200 and failed.data["retries"] == 2
        assert worker.fetch(TOPIC) == []  # waiting out the back-off
    with frozen(at(2026, 12, 21, 9, 5, 1)):
        (again,) = worker.fetch(TOPIC)
        worker.post(again, "failure", error_message="card declined", retries=0)
        row = ExternalTask.objects.get(pk=task["id"])
        assert row.incident and row.error_message == "card declined"
        assert worker.fetch(TOPIC) == []  # an incident is nobody's until an admin acts
        page = client_for(org.admin).get(f"/work/cases/{case.pk}/")
        assert b"card declined" in page.content and b"charge-card" in page.content
        retried = client_for(org.admin).post(
            f"{EXTERNAL}{task['id']}/retries/", {"retries": 1}, format="json"
        )
        assert retried.status_code == 200 and not retried.data["incident"]
        assert len(worker.fetch(TOPIC)) == 1
    kinds = list(case.events.values_list("kind", flat=True))
    assert "external_failed" in kinds and "incident" in kinds and "retries_set" in kinds


def test_only_worker_accounts_and_administrators_use_the_external_task_api(org, worker, client_for):
    order_case(org)
    body = {"worker_id": "w", "max_tasks": 1, "topics": [{"topic_name": TOPIC, "lock_duration": 1}]}
    for person in (org.sara, org.manager, org.stranger):
        response = client_for(person).post(f"{EXTERNAL}fetch-and-lock/", body, format="json")
        assert response.status_code == 403
    assert client_for(org.sara).get(EXTERNAL).status_code == 403
    assert client_for(org.admin).get(EXTERNAL, {"topic": TOPIC}).status_code == 200
    listed = worker.api.get(EXTERNAL, {"topic": TOPIC}).data
    assert [row["activity_id"] for row in listed] == ["chargeCard"]


def test_bad_requests_get_field_errors(org, worker):
    order_case(org)
    response = worker.api.post(
        f"{EXTERNAL}fetch-and-lock/",
        {"worker_id": "w", "max_tasks": 0, "topics": []},
        format="json",
    )
    assert response.status_code == 400
    (task,) = worker.fetch(TOPIC)
    assert worker.post(task, "failure", error_message="x", retries=-1).status_code == 400
    assert worker.api.post(f"{EXTERNAL}999999/complete/", {"worker_id": "w"}).status_code == 404


def test_a_registered_action_of_the_same_name_runs_inside_obieg(org, engine_registry):
    from obieg.engine import registry
    from tests.engine.conftest import record_call

    registry.register_action(TOPIC, record_call)
    try:
        case = order_case(org)
    finally:
        registry.unregister(TOPIC)
    assert not ExternalTask.objects.filter(case=case).exists()
    assert [call["element"] for call in engine_registry.calls] == ["chargeCard"]


def test_the_lock_is_shown_on_the_case_page(org, worker, client_for, frozen):
    with frozen(at(2026, 12, 21, 9)):
        case = order_case(org)
        worker.fetch(TOPIC, lock_ms=int(timedelta(minutes=5).total_seconds() * 1000))
        page = client_for(org.admin).get(f"/work/cases/{case.pk}/").content.decode()
    assert "worker-1" in page and "Charge credit card" in page


def test_a_cancelled_case_takes_its_external_tasks_with_it(org, worker):
    case = order_case(org)
    engine.cancel_case(case=case, actor=org.admin, reason="customer withdrew")
    assert worker.fetch(TOPIC) == []
    assert ExternalTask.objects.get(case=case).status == "cancelled"
