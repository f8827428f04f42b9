"""Event sub-processes: a cancellation message interrupts, a reminder cycle does not, a damaged
parcel's error is handled (Camunda 7 model)."""

from __future__ import annotations

from obieg.engine import selectors, timers
from obieg.engine.models import CaseStatus, ExternalTask
from obieg.engine.runtime import services as engine
from tests.engine.conftest import at
from tests.engine.constructs.conftest import calls_of, deployed
from tests.engine.helpers import open_elements, open_item, reload


def _start(org, frozen, **data):
    deployed("c7_order_handling.bpmn")
    with frozen(at(2026, 12, 21, 9)):
        return engine.start_case(
            process="c7_order_handling", actor=org.sara, keys=["order:77"], data=data
        )


def test_a_cancellation_interrupts_the_order_and_refunds_it(org, frozen):
    case = _start(org, frozen, damaged=False)
    states = selectors.case_diagram(reload(case)).element_states
    assert states["Event_cancelled"] == states["Event_everyFourHours"] == "waiting"
    assert open_elements(case) == ["packOrder"]

    engine.send_message(name="order_cancelled", key="order:77", payload={"reason": "too late"})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED
    assert open_item_count(case) == 0
    (refund,) = calls_of("refundCustomer")
    assert refund["data"]["reason"] == "too late" and refund["data"]["damaged"] is False
    states = selectors.case_diagram(case).element_states
    assert states["orderCancelled"] == "completed" and states["packOrder"] == "cancelled"


def test_reminders_run_beside_the_order_without_stopping_it(org, frozen, worker):
    case = _start(org, frozen, damaged=False)
    assert reload(case).next_timer_at == at(2026, 12, 21, 13)
    with frozen(at(2026, 12, 21, 13)):
        timers.fire_due_timers()
    (job,) = worker.fetch("remind-packer")
    assert worker.complete(job, reminded=1).status_code == 200
    assert open_elements(case) == ["packOrder"]  # the order goes on
    assert reload(case).next_timer_at == at(2026, 12, 21, 17)

    engine.complete(work_item=open_item(case, "packOrder"), actor=org.sara, data={})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED and case.next_timer_at is None
    assert case.data["reminded"] == 1  # what the reminder branch wrote stays with the case
    assert ExternalTask.objects.filter(case=case).count() == 1


def test_a_damaged_parcel_raises_an_error_the_event_sub_process_handles(org, frozen):
    case = _start(org, frozen, damaged=True)
    engine.complete(work_item=open_item(case, "packOrder"), actor=org.sara, data={})
    claim = open_item(case, "claimInsurance")
    assert claim.candidate_group == "accountant"
    assert reload(case).next_timer_at is None  # the reminders ended with the order
    engine.complete(work_item=claim, actor=org.accountant, data={"claim": "PZU/1"})
    assert reload(case).status == CaseStatus.COMPLETED


def open_item_count(case) -> int:
    return len(open_elements(case))


def test_each_new_address_updates_the_order_beside_it(org, frozen):
    case = _start(org, frozen, damaged=False)
    for street in ("Polna 1", "Leśna 2"):
        engine.send_message(
            name="delivery_address_changed", key="order:77", payload={"street": street}
        )
    # Not interrupting, and waiting again after each: both messages ran the handler.
    assert [call["data"]["street"] for call in calls_of("updateAddress")] == ["Polna 1", "Leśna 2"]
    assert open_elements(case) == ["packOrder"]
    assert "delivery_address_changed" in engine.waiting_messages(reload(case))
    engine.complete(work_item=open_item(case, "packOrder"), actor=org.sara, data={})
    case = reload(case)
    assert case.status == CaseStatus.COMPLETED and case.data["street"] == "Leśna 2"
