"""What a new model starts from: a process with its start event, a decision table with no rules."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

BLANK = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" \
xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:di="http://www.omg.org/spec/DD/20100524/DI" \
xmlns:obieg="urn:obieg:bpmn:1" id="{key}_definitions" targetNamespace="urn:obieg:studio">
  <bpmn:process id="{key}" name={name} isExecutable="true">
    <bpmn:startEvent id="{key}_start" name={start} />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{key}_diagram">
    <bpmndi:BPMNPlane id="{key}_plane" bpmnElement="{key}">
      <bpmndi:BPMNShape id="{key}_start_di" bpmnElement="{key}_start">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def blank_process(*, key: str, name: str, start_name: str) -> str:
    """A new process's XML; `key` is checked by the caller (letters, digits, _ - .)."""
    return BLANK.format(key=key, name=quoteattr(name), start=quoteattr(start_name))


# A new decision table as dmn-js starts one: one input, one output, no rules yet. The
# administrator names the input's expression and the output in the table editor; deploy
# refuses the table until they have (an input with no expression decides nothing).
BLANK_TABLE = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" \
xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" \
xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="{key}_definitions" name={name} \
namespace="urn:obieg:studio">
  <decision id="{key}" name={name}>
    <decisionTable id="{key}_table" hitPolicy="UNIQUE">
      <input id="{key}_input" label={input_label}>
        <inputExpression id="{key}_input_expression" typeRef="string">
          <text></text>
        </inputExpression>
      </input>
      <output id="{key}_output" label={output_label} name="{key}" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="{key}_diagram">
      <dmndi:DMNShape id="{key}_di" dmnElementRef="{key}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
"""


def blank_table(*, key: str, name: str, input_label: str, output_label: str) -> str:
    """A new decision table's XML; `key` (the decision id) is checked by the caller."""
    return BLANK_TABLE.format(
        key=key,
        name=quoteattr(name),
        input_label=quoteattr(input_label),
        output_label=quoteattr(output_label),
    )
