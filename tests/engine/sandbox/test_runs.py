"""Test runs of a draft: run as deployed, reaching nobody, stepped through as any role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.engine import selectors, timers, unassigned
from obieg.engine.errors import StepFailed
from obieg.engine.models import (
    Case,
    CaseEvent,
    CaseStatus,
    CorrelationKey,
    ProcessDefinition,
    StudioDraft,
    WorkItem,
    WorkItemStatus,
)
from obieg.engine.runtime import services
from obieg.engine.sandbox import runs
from obieg.engine.sandbox import selectors as sandbox
from obieg.engine.studio import selectors as studio
from obieg.mail.models import OutboxAttachment, OutboxMessage
from tests.conftest import make_user
from tests.engine.conftest import at
from tests.engine.sandbox.conftest import BROKEN_GATEWAY, TRIAL, broken_action


def _open(case, element_id: str) -> WorkItem:
    return WorkItem.objects.get(case=case, element_id=element_id, status=WorkItemStatus.OPEN)


def _prepared_run(process_admin, draft) -> Case:
    case = runs.start_run(actor=process_admin, draft_id=draft.pk, data={"amount": 1200})
    item = _open(case, "prepare")
    runs.complete_as(actor=process_admin, work_item_id=item.pk, data={"margin": "0.20"})
    return Case.all_objects.get(pk=case.pk)


def test_a_test_run_runs_the_draft_without_deploying_it(process_admin, draft):
    case = runs.start_run(actor=process_admin, draft_id=draft.pk, data={"amount": 1200})

    assert case.sandbox and case.definition.sandbox and case.definition.version == 0
    assert case.status == CaseStatus.RUNNING and case.data["amount"] == 1200
    # Nothing deployed: the process has no version, and a real start cannot find it.
    assert not ProcessDefinition.objects.filter(key="trial").exists()
    with pytest.raises(ApplicationError, match="no process"):
        services.start_case(process="trial", actor=process_admin)
    assert StudioDraft.objects.filter(pk=draft.pk).exists()  # the draft stays a draft


def test_its_tasks_are_routed_to_nobody_and_the_route_is_noted(process_admin, draft, accountant):
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)

    item = _open(case, "prepare")
    assert (item.assignee_id, item.candidate_group, item.candidate_department_id) == (
        None,
        "",
        None,
    )
    [waiting] = sandbox.waiting_tasks(case)
    assert waiting.item == item and waiting.role == "accountant" and waiting.route == "accountant"


def test_a_test_run_is_in_no_list_inbox_count_or_api(process_admin, draft, accountant):
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)
    admin = make_user("root", is_superuser=True, is_staff=True)

    assert not Case.objects.exists() and Case.all_objects.filter(pk=case.pk).exists()
    for user in (accountant, process_admin, admin):
        assert not selectors.cases_for(user).exists()
        assert selectors.inbox(user) == [] or not any(
            i.case_id == case.pk for i in selectors.inbox(user)
        )
        counts = selectors.inbox_count(user)
        assert counts["mine"] == counts["queued"] == 0
    assert not selectors.failed_cases().exists()
    assert not unassigned.unassigned_items().exists()
    assert "trial" not in studio.processes()
    assert not CorrelationKey.objects.filter(case_id=case.pk).exists()
    for user in (accountant, admin):
        api = APIClient()
        api.force_authenticate(user)
        assert api.get("/api/engine/cases/").json()["results"] == []
        assert api.get(f"/api/engine/cases/{case.pk}/").status_code == 404
        assert api.get("/api/engine/work-items/").json()["results"] == []


def test_the_real_task_page_and_service_refuse_a_test_runs_task(
    client, process_admin, draft, accountant
):
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)
    item = _open(case, "prepare")

    client.force_login(accountant)
    assert client.get(f"/work/tasks/{item.pk}/").status_code == 404
    client.force_login(process_admin)
    assert client.get(f"/work/cases/{case.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.complete(work_item=item, actor=accountant, data={"margin": "0.2"})


def test_a_mail_action_sends_nothing_and_the_history_says_what_it_would_have(
    process_admin, draft, media_root
):
    case = _prepared_run(process_admin, draft)

    assert not OutboxMessage.objects.exists() and not OutboxAttachment.objects.exists()
    assert not DBTaskResult.objects.exists()
    # The attachment's file was written while rehearsing, and removed with its row.
    assert [path for path in media_root.rglob("*") if path.is_file()] == []
    rehearsed = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.REHEARSED)
    assert rehearsed.element_id == "mail_customer"
    assert rehearsed.data["sandbox_action"] == "tests.sandbox_mail"
    assert "customer@example.com: Your offer 0.20" in rehearsed.data["sandbox_would_create"]
    assert "offer.pdf" in rehearsed.data["sandbox_would_create"]
    # What the action returned is kept: the run takes the path the real case would.
    assert case.data["mailed"] is True
    assert _open(case, "approve")


def test_step_through_as_each_role_fire_the_timer_and_finish(process_admin, draft, board):
    case = _prepared_run(process_admin, draft)
    department, _member = board
    approve = [w for w in sandbox.waiting_tasks(case) if w.item.element_id == "approve"][0]
    assert approve.department == department.name

    runs.complete_as(actor=process_admin, work_item_id=approve.item.pk, data={})
    case = Case.all_objects.get(pk=case.pk)
    assert case.status == CaseStatus.WAITING and case.next_timer_at is not None

    runs.fire_timers_now(actor=process_admin, case_id=case.pk)
    close = [w for w in sandbox.waiting_tasks(case) if w.item.element_id == "close"][0]
    assert close.assignee == process_admin.username  # the owner of a test run is who started it
    runs.complete_as(actor=process_admin, work_item_id=close.item.pk, data={})

    case = Case.all_objects.get(pk=case.pk)
    assert case.status == CaseStatus.COMPLETED
    done = WorkItem.objects.filter(case=case, status=WorkItemStatus.COMPLETED)
    assert {item.completed_by_id for item in done} == {process_admin.pk}


def test_the_clock_fires_a_test_runs_timer_when_due(process_admin, draft, board, frozen):
    case = _prepared_run(process_admin, draft)
    runs.complete_as(actor=process_admin, work_item_id=_open(case, "approve").pk, data={})
    due = Case.all_objects.get(pk=case.pk).next_timer_at

    with frozen(due):
        assert timers.fire_due_timers() == 1
    assert _open(case, "close")


def test_an_action_that_cannot_run_in_a_test_run_is_noted_and_the_run_goes_on(process_admin, draft):
    from obieg.engine import registry

    registry.unregister("tests.sandbox_mail")
    registry.register_action("tests.sandbox_mail", broken_action)
    case = _prepared_run(process_admin, draft)

    rehearsed = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.REHEARSED)
    assert "no customer record to mail" in rehearsed.data["sandbox_failed"]
    assert case.status == CaseStatus.RUNNING
    assert _open(case, "not_mailed")  # no result: the default path


def test_a_failed_step_rolls_back_whole_and_stops_the_run(process_admin, draft):
    StudioDraft.objects.filter(pk=draft.pk).update(xml=BROKEN_GATEWAY)
    case = runs.start_run(actor=process_admin, draft_id=draft.pk)
    item = _open(case, "prepare")

    with pytest.raises(StepFailed):
        runs.complete_as(actor=process_admin, work_item_id=item.pk, data={"margin": "0.2"})

    case = Case.all_objects.get(pk=case.pk)
    assert case.status == CaseStatus.ERROR and case.error_element == "mailed"
    assert _open(case, "prepare").pk == item.pk  # the task is still open, nothing after it
    assert WorkItem.objects.filter(case=case).count() == 1
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REHEARSED).exists()
    assert not OutboxMessage.objects.exists()
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-1] == CaseEvent.Kind.STEP_FAILED


def test_a_failure_at_the_start_leaves_nothing(process_admin, draft):
    # The first task names a person who does not exist: the start fails, all rolled back.
    xml = TRIAL.replace(
        'obieg:role="accountant"><bpmn:incoming>f1',
        'obieg:assignee="= &quot;nobody_here&quot;"><bpmn:incoming>f1',
    )
    StudioDraft.objects.filter(pk=draft.pk).update(xml=xml)

    with pytest.raises(ApplicationError, match="stopped at its start, at prepare"):
        runs.start_run(actor=process_admin, draft_id=draft.pk)
    assert not Case.all_objects.exists()
    assert not ProcessDefinition.all_objects.filter(sandbox=True).exists()
    assert not WorkItem.objects.exists() and not CaseEvent.objects.exists()


def test_a_draft_with_problems_is_not_run(process_admin, draft):
    StudioDraft.objects.filter(pk=draft.pk).update(xml=TRIAL.replace("tests.offer", "tests.none"))

    with pytest.raises(ApplicationError, match="validate them"):
        runs.start_run(actor=process_admin, draft_id=draft.pk)
    assert not Case.all_objects.exists()


def test_discarding_removes_the_run_and_everything_it_recorded(process_admin, draft):
    case = _prepared_run(process_admin, draft)
    definition_id = case.definition_id

    runs.discard_run(actor=process_admin, case_id=case.pk)

    assert not Case.all_objects.filter(pk=case.pk).exists()
    assert not WorkItem.objects.filter(case_id=case.pk).exists()
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()
    assert not ProcessDefinition.all_objects.filter(pk=definition_id).exists()
    with pytest.raises(runs.NoSuchRun):
        runs.discard_run(actor=process_admin, case_id=case.pk)


def test_a_real_case_is_never_discarded_or_stepped_as_a_test_run(process_admin, draft, accountant):
    from tests.engine.conftest import deploy_samples

    deploy_samples("approval.bpmn")
    Group.objects.get_or_create(name="salesperson")
    real = services.start_case(process="offer_approval", actor=accountant)
    item = WorkItem.objects.get(case=real)

    with pytest.raises(runs.NoSuchRun):
        runs.discard_run(actor=process_admin, case_id=real.pk)
    with pytest.raises(runs.NoSuchRun):
        runs.complete_as(actor=process_admin, work_item_id=item.pk, data={"margin": "0.2"})
    assert Case.objects.filter(pk=real.pk).exists()


def test_only_process_administrators_run_tests(draft, accountant):
    with pytest.raises(PermissionDenied):
        runs.start_run(actor=accountant, draft_id=draft.pk)
    assert not Case.all_objects.exists()


@pytest.mark.parametrize("moment", [at(2026, 12, 7, 9)])
def test_counts_per_version_leave_test_runs_out(process_admin, draft, moment, frozen):
    from tests.engine.conftest import deploy_samples

    deploy_samples("approval.bpmn")
    with frozen(moment):
        runs.start_run(actor=process_admin, draft_id=draft.pk)
    [version] = studio.processes()["offer_approval"]
    assert version.case_count == 0 and version.running_count == 0
