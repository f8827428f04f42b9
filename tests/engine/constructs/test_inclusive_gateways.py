"""An inclusive gateway takes every flow whose condition holds; its join waits for those only."""

from __future__ import annotations

import pytest

from obieg.engine.models import CaseEvent, CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import deployed
from tests.engine.helpers import open_elements, open_item, reload


@pytest.mark.parametrize(
    ("wishes", "designs"),
    [
        ({"battery": True, "heat_pump": True}, ["designBattery", "designHeatPump"]),
        ({"battery": True, "heat_pump": False}, ["designBattery"]),
        ({"battery": False, "heat_pump": False}, ["designPanels"]),  # the default flow
    ],
)
def test_the_gateway_forks_to_each_wish_and_the_join_waits_for_them_all(org, wishes, designs):
    deployed("bpmnio_survey_scope.bpmn")
    case = engine.start_case(process="survey_scope", actor=org.sara, data=wishes)
    assert open_elements(case) == designs
    gateway = case.events.get(kind=CaseEvent.Kind.GATEWAY, element_id="Gateway_scope")
    assert sorted(gateway.data["taken"]) == designs

    for done, element_id in enumerate(designs, start=1):
        engine.complete(work_item=open_item(case, element_id), actor=org.sara, data={})
        waiting = open_elements(case)
        assert waiting == (["priceOffer"] if done == len(designs) else designs[done:])
    engine.complete(work_item=open_item(case, "priceOffer"), actor=org.sara, data={})
    assert reload(case).status == CaseStatus.COMPLETED
