"""Lanes route tasks to roles and departments; an assignee expression to a person."""

from obieg.engine import selectors
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item


def test_a_lane_with_obieg_role_routes_to_that_role(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    item = open_item(case, "prepare_offer")
    assert (item.candidate_group, item.assignee, item.lane) == ("salesperson", None, "Sales")
    assert item in selectors.inbox(org.tomasz)
    assert item not in selectors.inbox(org.designer)


def test_lanes_named_for_a_department_a_role_or_marked_with_obieg_department(org):
    deploy_samples("routing.bpmn")
    case = engine.start_case(process="expert_opinion", actor=org.head)

    assess = open_item(case, "assess")  # lane "department:construction"
    assert assess.candidate_department == org.construction
    assert selectors.inbox(org.head) == [assess]
    assert selectors.inbox(org.designer) == []
    engine.complete(work_item=assess, actor=org.head)

    draw = open_item(case, "draw")  # lane "Design office" with obieg:department="design"
    assert draw.candidate_department == org.design
    assert selectors.inbox(org.designer) == [draw]
    engine.complete(work_item=draw, actor=org.designer)

    invoice = open_item(case, "invoice")  # lane named after the role "accountant"
    assert invoice.candidate_group == "accountant"
    assert selectors.inbox(org.accountant) == [invoice]


def test_an_assignee_expression_gives_the_task_to_the_case_owner(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.manager, owner=org.sara)
    engine.complete(
        work_item=open_item(case, "prepare_offer"), actor=org.tomasz, data={"margin": "0.30"}
    )
    send = open_item(case, "send_offer")
    assert send.assignee == org.sara
    assert send.claimed_at is not None
    assert send in selectors.inbox(org.sara)
    assert send not in selectors.inbox(org.tomasz)


def test_a_missing_department_stops_the_case_with_a_clear_error(org):
    org.construction.delete()
    deploy_samples("routing.bpmn")
    try:
        engine.start_case(process="expert_opinion", actor=org.head)
    except engine.StepFailed as failure:
        assert "no department with code 'construction'" in failure.message
        assert failure.element_id == "assess"
    else:
        raise AssertionError("the start should have failed")
