"""Exclusive gateways with conditions and a default flow; parallel split and join."""

from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements, open_item, reload


def test_a_high_margin_offer_skips_the_board(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    engine.complete(
        work_item=open_item(case, "prepare_offer"), actor=org.sara, data={"margin": "0.15"}
    )
    assert open_elements(case) == ["send_offer"]
    gateway = case.events.get(kind=CaseEvent.Kind.GATEWAY)
    assert (gateway.element_id, gateway.data) == ("margin_check", {"taken": ["send_offer"]})


def test_a_low_margin_offer_takes_the_default_flow_to_the_board(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    engine.complete(
        work_item=open_item(case, "prepare_offer"), actor=org.sara, data={"margin": "0.1499"}
    )
    assert open_elements(case) == ["board_approval"]
    assert reload(case).data["margin"] == "0.1499"


def test_parallel_branches_both_open_and_the_join_waits_for_both(org):
    deploy_samples("parallel.bpmn")
    case = engine.start_case(process="installation_prep", actor=org.manager)
    assert open_elements(case) == ["advance_invoice", "order_panels"]

    engine.complete(work_item=open_item(case, "order_panels"), actor=org.sara, data={"panels": 12})
    assert open_elements(case) == ["advance_invoice"]
    engine.complete(
        work_item=open_item(case, "advance_invoice"), actor=org.accountant, data={"invoice": "FZ/1"}
    )

    assert open_elements(case) == ["schedule"]
    data = reload(case).data
    assert (data["panels"], data["invoice"]) == (12, "FZ/1")  # both branches' data joined
    engine.complete(work_item=open_item(case, "schedule"), actor=org.manager)
    assert reload(case).status == "completed"
