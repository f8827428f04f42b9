"""No case is ever stuck: refusals go back to the person, an administrator repairs the rest."""

import pytest

from obieg.core.errors import ApplicationError
from obieg.engine.models import CaseEvent, WorkItem
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements, open_item, reload


@pytest.fixture
def mailing(org, engine_registry):
    deploy_samples("service.bpmn")
    return engine.start_case(process="offer_mailing", actor=org.sara)


def test_a_business_refusal_is_the_persons_form_error_and_the_case_goes_on(
    org, mailing, engine_registry
):
    engine_registry.refuse = True
    check = open_item(mailing, "check_offer")

    with pytest.raises(ApplicationError) as refusal:
        engine.complete(work_item=check, actor=org.sara, data={"checked": False})

    assert not isinstance(refusal.value, engine.StepFailed)
    assert refusal.value.status_code == 400
    assert refusal.value.field_errors == {"checked": ["Tick the box once the offer is checked."]}
    case = reload(mailing)
    assert (case.status, case.error_message, case.pending_step) == ("running", "", None)
    check.refresh_from_db()
    assert (check.status, check.completed_by) == ("open", None)
    assert not case.events.filter(
        kind__in=[CaseEvent.Kind.STEP_FAILED, CaseEvent.Kind.TASK_COMPLETED]
    ).exists()

    engine.complete(work_item=check, actor=org.sara, data={"checked": True})
    assert open_elements(mailing) == ["follow_up"]


def test_a_refusal_where_nobody_typed_anything_stops_the_case(org, engine_registry):
    """A start, a message or a timer has no form to show an error on: an admin repairs it."""
    from obieg.engine import registry

    def refuse(ctx):
        raise ApplicationError("The customer has no e-mail address.")

    deploy_samples("message.bpmn")
    registry.unregister("tests.notify")
    registry.register_action("tests.notify", refuse)
    with pytest.raises(engine.StepFailed, match="no e-mail address") as failure:
        engine.start_case(process="offer_acceptance", actor=org.sara, data={"offer_number": 3})
    assert failure.value.element_id == "notify"


def test_an_admin_corrects_the_failed_steps_data_and_retries(org, mailing, engine_registry):
    engine_registry.fail = True
    check = open_item(mailing, "check_offer")
    with pytest.raises(engine.StepFailed):
        engine.complete(work_item=check, actor=org.sara, data={"checked": False, "note": "x"})
    case = reload(mailing)
    assert engine.pending_data(case) == {"checked": False, "note": "x"}

    engine_registry.fail, engine_registry.refuse = False, True
    # The corrected data is checked like the person's: a refusal comes back, nothing changes.
    with pytest.raises(ApplicationError, match="Tick the box") as refusal:
        engine.retry_case(case=case, actor=org.admin, data={"checked": False})
    assert not isinstance(refusal.value, engine.StepFailed)
    assert reload(case).status == "error"
    assert not case.events.filter(kind=CaseEvent.Kind.RETRIED).exists()

    engine.retry_case(case=case, actor=org.admin, data={"checked": True})

    case = reload(case)
    assert (case.status, case.data["checked"]) == ("running", True)
    check.refresh_from_db()
    assert (check.status, check.completed_by) == ("completed", org.sara)
    retried = case.events.get(kind=CaseEvent.Kind.RETRIED)
    assert (retried.actor, retried.data["corrected"]) == (org.admin, {"checked": True})


def test_only_an_admin_repairs_a_case(org, mailing):
    with pytest.raises(engine.PermissionDenied):
        engine.move_case_back(case=mailing, actor=org.manager, task_id="x", reason="oops")
    with pytest.raises(engine.PermissionDenied):
        engine.retry_case(case=mailing, actor=org.manager, data={})


def test_an_admin_moves_a_stopped_case_back_to_a_task_it_passed(org, mailing, engine_registry):
    engine.complete(
        work_item=open_item(mailing, "check_offer"), actor=org.sara, data={"checked": True}
    )
    follow_up = open_item(mailing, "follow_up")
    points = engine.return_points(reload(mailing))
    assert [point["element_id"] for point in points] == ["follow_up", "check_offer"]
    check_point = next(point for point in points if point["element_id"] == "check_offer")

    with pytest.raises(ApplicationError, match="Say why"):
        engine.move_case_back(case=mailing, actor=org.admin, task_id=check_point["id"], reason=" ")
    with pytest.raises(ApplicationError, match="Choose one of the tasks"):
        engine.move_case_back(case=mailing, actor=org.admin, task_id="nope", reason="typo")

    engine.move_case_back(
        case=mailing, actor=org.admin, task_id=check_point["id"], reason="wrong offer checked"
    )

    case = reload(mailing)
    assert (case.status, open_elements(case)) == ("running", ["check_offer"])
    follow_up.refresh_from_db()
    assert follow_up.status == "cancelled"
    reopened = open_item(case, "check_offer")
    assert str(reopened.task_id) == check_point["id"]
    assert WorkItem.objects.filter(case=case, element_id="check_offer").count() == 2
    moved = case.events.get(kind=CaseEvent.Kind.MOVED_BACK)
    assert (moved.actor, moved.element_id, moved.data["reason"]) == (
        org.admin,
        "check_offer",
        "wrong offer checked",
    )
    # And the case runs on from there.
    engine.complete(work_item=reopened, actor=org.sara, data={"checked": True})
    assert open_elements(case) == ["follow_up"]


def test_a_case_stopped_by_an_error_can_be_moved_back_and_runs_on(org, mailing, engine_registry):
    engine_registry.fail = True
    check = open_item(mailing, "check_offer")
    with pytest.raises(engine.StepFailed):
        engine.complete(work_item=check, actor=org.sara, data={"checked": True})
    case = reload(mailing)
    assert case.status == "error"
    point = engine.return_points(case)[0]

    engine.move_case_back(case=case, actor=org.admin, task_id=point["id"], reason="redo")

    case = reload(case)
    assert (case.status, case.error_message, case.pending_step) == ("running", "", None)
    assert open_elements(case) == ["check_offer"]
    engine_registry.fail = False
    engine.complete(work_item=open_item(case, "check_offer"), actor=org.sara, data={})
    assert open_elements(case) == ["follow_up"]
