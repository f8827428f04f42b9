"""Intermediate timers and boundary timers (reminder and escalation), on the engine clock."""

import pytest

from obieg.engine import timers
from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import at, deploy_samples
from tests.engine.helpers import open_elements, open_item, reload


def test_an_intermediate_timer_waits_then_the_clock_fires_it(org, frozen):
    deploy_samples("timers.bpmn")
    with frozen(at(2026, 3, 2, 10)):
        case = engine.start_case(process="cooling_off", actor=org.sara)
    case = reload(case)
    assert case.status == "waiting"
    assert case.next_timer_at == at(2026, 3, 16, 10)
    assert open_elements(case) == []

    with frozen(at(2026, 3, 16, 9, 59)):
        assert timers.fire_due_timers() == 0
    with frozen(at(2026, 3, 16, 10, 0, 1)):
        assert timers.fire_due_timers() == 1
        assert timers.fire_due_timers() == 0

    case = reload(case)
    assert (case.status, case.next_timer_at) == ("running", None)
    assert open_elements(case) == ["order_materials"]
    assert (
        case.events.filter(kind=CaseEvent.Kind.TIMER_FIRED, element_id="wait_14_days").count() == 1
    )


def test_a_non_interrupting_timer_reminds_and_the_task_stays(org, frozen, engine_registry):
    deploy_samples("boundary.bpmn")
    with frozen(at(2026, 3, 2, 9)):  # a Monday
        case = engine.start_case(process="offer_follow_up", actor=org.sara)
    assert reload(case).next_timer_at == at(2026, 3, 2, 13)

    with frozen(at(2026, 3, 2, 13, 1)):
        timers.fire_due_timers()

    assert [call["element"] for call in engine_registry.calls] == ["send_reminder"]
    assert open_elements(case) == ["call_customer"]
    case = reload(case)
    assert case.next_timer_at == at(2026, 3, 4, 9)  # the escalation: 2 business days on
    engine.complete(work_item=open_item(case, "call_customer"), actor=org.sara)
    case = reload(case)
    assert (case.status, case.next_timer_at) == ("completed", None)


def test_an_interrupting_timer_escalates_and_cancels_the_task(org, frozen):
    deploy_samples("boundary.bpmn")
    with frozen(at(2026, 12, 23, 9)):  # Wednesday before Christmas
        case = engine.start_case(process="offer_follow_up", actor=org.sara)
    call = open_item(case, "call_customer")
    # 24, 25, 26 December are holidays, 27 a Sunday: 2 business days end on Tuesday 29th.
    with frozen(at(2026, 12, 28, 9, 30)):
        timers.fire_due_timers()
        assert open_elements(case) == ["call_customer"]
    with frozen(at(2026, 12, 29, 9, 0, 1)):
        timers.fire_due_timers()

    assert open_elements(case) == ["manager_call"]
    call.refresh_from_db()
    assert call.status == "cancelled"
    kinds = set(reload(case).events.values_list("kind", "element_id"))
    assert {("timer_fired", "escalate"), ("task_cancelled", "call_customer")} <= kinds
    with pytest.raises(engine.Conflict, match="cancelled"):
        engine.complete(work_item=call, actor=org.sara)
