"""Service tasks call registered actions; a failing action rolls the step back until retried."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from obieg.engine.models import CaseEvent, WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.selectors import failed_cases
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements, open_item, reload


def test_a_service_task_runs_its_action_and_keeps_its_result(org):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    engine.complete(
        work_item=open_item(case, "check_offer"), actor=org.sara, data={"checked": True}
    )
    assert open_elements(case) == ["follow_up"]
    assert reload(case).data["sent"] is True
    assert case.events.filter(
        kind=CaseEvent.Kind.ACTION, element_id="mail_offer", data={"sent": True}
    ).exists()


def test_a_failing_action_rolls_back_the_whole_step_and_an_admin_retries_it(org, engine_registry):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    check = open_item(case, "check_offer")
    engine_registry.fail = True

    with pytest.raises(engine.StepFailed, match="the mail server is down") as failure:
        engine.complete(work_item=check, actor=org.sara, data={"checked": True})

    assert failure.value.element_id == "mail_offer"
    case = reload(case)
    assert (case.status, case.error_element) == ("error", "mail_offer")
    assert "RuntimeError: the mail server is down" in case.error_message
    check.refresh_from_db()
    assert check.status == "open"  # the person's completion was rolled back with the step
    assert not case.events.filter(kind=CaseEvent.Kind.TASK_COMPLETED).exists()
    assert case.events.filter(kind=CaseEvent.Kind.STEP_FAILED, element_id="mail_offer").exists()
    assert list(failed_cases()) == [case]
    with pytest.raises(engine.Conflict, match="stopped by an error"):
        engine.complete(work_item=check, actor=org.sara, data={"checked": True})
    with pytest.raises(engine.PermissionDenied):
        engine.retry_case(case=case, actor=org.sara)

    engine_registry.fail = False
    engine.retry_case(case=case, actor=org.admin)

    case = reload(case)
    assert (case.status, case.error_message) == ("running", "")
    assert open_elements(case) == ["follow_up"]
    check.refresh_from_db()
    assert (check.status, check.completed_by) == ("completed", org.sara)
    assert case.data["checked"] is True
    retried = case.events.get(kind=CaseEvent.Kind.RETRIED)
    assert retried.actor == org.admin


def test_a_failed_start_keeps_the_case_for_a_retry(org):
    from obieg.engine import registry
    from obieg.engine.models import Case
    from tests.engine.conftest import notify_customer

    deploy_samples("message.bpmn")
    registry.unregister("tests.notify")  # as if the solution providing it were not installed

    with pytest.raises(engine.StepFailed, match="no action named 'tests.notify'") as failure:
        engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 5})

    case = Case.objects.get(pk=failure.value.case_id)
    assert (case.status, case.error_element, case.data) == ("error", "notify", {"offer_number": 5})
    registry.register_action("tests.notify", notify_customer)
    engine.retry_case(case=case, actor=org.admin)
    assert reload(case).status == "waiting"
    engine.send_message(name="offer_accepted", key="offer:5")
    assert open_elements(case) == ["prepare_contract"]


def test_outbound_work_is_enqueued_with_the_step_and_dropped_with_it(org):
    from obieg.engine import registry
    from tests.engine.conftest import notify_customer

    deploy_samples("message.bpmn")
    engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 1})
    assert DBTaskResult.objects.filter(task_path="tests.engine.tasks.send_note").count() == 1

    def notify_then_fail(ctx):
        notify_customer(ctx)
        raise RuntimeError("the template is broken")

    registry.unregister("tests.notify")
    registry.register_action("tests.notify", notify_then_fail)
    with pytest.raises(engine.StepFailed, match="the template is broken"):
        engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 2})
    assert DBTaskResult.objects.filter(task_path="tests.engine.tasks.send_note").count() == 1
    assert not WorkItem.objects.filter(case__data__offer_number=2).exists()


def test_engine_services_refuse_to_run_inside_a_callers_transaction(org):
    """A caller's rollback would undo the record of a failed step: the engine owns it."""
    deploy_samples("message.bpmn")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 2})
