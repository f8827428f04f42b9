"""The empty diagram a new process starts from: an executable process with its start event."""

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
