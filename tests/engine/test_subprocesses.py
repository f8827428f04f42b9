"""Embedded sub-processes and call activities."""

from obieg.engine.runtime import services as engine
from obieg.engine.selectors import case_diagram
from tests.conftest import give_role
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_elements, open_item, reload


def test_an_embedded_sub_process_runs_its_tasks_and_returns(org, engine_registry):
    deploy_samples("subprocess.bpmn")
    case = engine.start_case(process="site_audit", actor=org.sara)
    assert open_elements(case) == ["measure_roof"]
    assert case_diagram(case).element_states["visit"] == "active"

    engine.complete(work_item=open_item(case, "measure_roof"), actor=org.sara, data={"roof_m2": 48})

    assert [call["element"] for call in engine_registry.calls] == ["file_report"]
    assert engine_registry.calls[0]["data"]["roof_m2"] == 48
    assert open_elements(case) == ["review"]
    assert reload(case).data["recorded"] is True  # the action's result left the sub-process
    states = case_diagram(reload(case)).element_states
    assert states["visit"] == "completed" and states["review"] == "active"


def test_a_call_activity_runs_the_called_process_from_another_file(org):
    deploy_samples("call_activity.bpmn", "measurement.bpmn")
    field_agent = org.tomasz
    give_role(field_agent, "field_sales")
    case = engine.start_case(process="pv_sale", actor=org.sara, data={"address": "Łódź"})

    measure = open_item(case, "measure")
    assert measure.candidate_group == "field_sales"
    engine.complete(work_item=measure, actor=field_agent, data={"consumption_kwh": 5400})

    assert open_elements(case) == ["price_offer"]
    data = reload(case).data
    assert (data["address"], data["consumption_kwh"]) == ("Łódź", 5400)
