"""The deployed models: every element drawn (bpmn.io, the case page), the VAT table."""

from pathlib import Path

from lxml import etree

import obieg.solutions.pv_installation as solution
from obieg.engine.models import ProcessDefinition

PROCESSES = Path(solution.__file__).parent / "processes"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
DRAWN = (
    *("startEvent", "endEvent", "userTask", "serviceTask", "businessRuleTask", "receiveTask"),
    *("exclusiveGateway", "parallelGateway", "subProcess", "boundaryEvent", "sequenceFlow"),
)


def test_every_element_of_the_process_has_a_shape_or_an_edge():
    tree = etree.parse(str(PROCESSES / "pv_installation.bpmn"))
    ids = {node.get("id") for tag in DRAWN for node in tree.iter(f"{BPMN}{tag}")}
    drawn = {node.get("bpmnElement") for node in tree.iter() if node.get("bpmnElement")}
    assert ids and ids <= drawn


def test_the_process_and_its_table_are_deployed(db):
    definition = ProcessDefinition.objects.filter(key="pv_installation").latest("version")
    assert definition.solution == "pv_installation"
    assert any(name.endswith("vat_rate.dmn") for name in definition.sources)
