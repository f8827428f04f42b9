"""Escalations thrown in a sub-process, caught by boundary events on it (interrupting or not)."""

from __future__ import annotations

import pytest

from obieg.engine.models import CaseEvent, CaseStatus
from obieg.engine.runtime import services as engine
from tests.engine.constructs.conftest import deployed
from tests.engine.helpers import open_elements, open_item, reload


@pytest.mark.parametrize(
    ("roof", "after_inspection", "caught"),
    [
        ("unsafe", ["secureRoof"], "roofUnsafe"),  # an escalation end event, interrupting
        ("large", ["mountPanels", "sendSecondCrew"], "needsCrew"),  # thrown on, not interrupting
        ("fine", ["mountPanels"], None),
    ],
)
def test_the_crew_escalates_from_the_site(org, roof, after_inspection, caught):
    deployed("bpmnio_installation_escalation.bpmn")
    case = engine.start_case(process="installation_escalation", actor=org.sara)
    inspect = open_item(case, "inspectRoof")
    assert inspect.candidate_group == "designer"  # the lane
    engine.complete(work_item=inspect, actor=org.designer, data={"roof": roof})

    assert open_elements(case) == after_inspection
    escalations = case.events.filter(kind=CaseEvent.Kind.MESSAGE, data__has_key="escalation")
    assert [event.element_id for event in escalations] == ([caught] if caught else [])
    for element_id in after_inspection:
        engine.complete(work_item=open_item(case, element_id), actor=org.designer, data={})
    assert reload(case).status == CaseStatus.COMPLETED
