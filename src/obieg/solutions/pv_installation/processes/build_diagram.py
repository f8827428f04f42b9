"""Writes pv_installation.bpmn with its diagram (run: python processes/build_diagram.py).

The model is kept as data here so that the layout (diagram interchange for
bpmn.io and the case page) stays consistent when a step is added; the
generated .bpmn is what is deployed and may be edited in bpmn.io too.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from pv_model import EXECUTION, EXECUTION_FLOWS, FLOWS, FOLLOW_UPS, MAIN, SIZES, TAGS


def _flow_id(flow) -> str:
    return flow[2] if len(flow) > 2 else f"f_{flow[0]}__{flow[1]}"


class Layout:
    def __init__(self):
        self.bounds: dict[str, tuple[float, float, float, float]] = {}

    def place(self, node_id, kind, column, row):
        width, height = SIZES[TAGS[kind][1]]
        cx, cy = 120 + column * 140, 300 + row * 110
        self.bounds[node_id] = (cx - width / 2, cy - height / 2, width, height)

    def waypoints(self, source, target):
        sx, sy, sw, sh = self.bounds[source]
        tx, ty, tw, th = self.bounds[target]
        if source in BOUNDARIES:  # down from the timer, then right into its handler
            start, end = (sx + sw / 2, sy + sh), (tx, ty + th / 2)
            return [start, (start[0], end[1]), end]
        if tx >= sx + sw:  # forwards: right side to left side with one bend
            start, end = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
            # The sub-process is taller than a task: meet it on the main line.
            if source == "execution" or target == "execution":
                start, end = (start[0], MAIN_LINE), (end[0], MAIN_LINE)
            if start[1] == end[1]:
                return [start, end]
            if source in GATEWAYS:  # leave a gateway from its top or bottom
                start = (sx + sw / 2, sy if end[1] < start[1] else sy + sh)
                return [start, (start[0], end[1]), end]
            return [start, (end[0] - 20, start[1]), (end[0] - 20, end[1]), end]
        # backwards: loop below both shapes
        low = max(sy + sh, ty + th) + 40
        return [
            (sx + sw / 2, sy + sh),
            (sx + sw / 2, low),
            (tx + tw / 2, low),
            (tx + tw / 2, ty + th),
        ]


BOUNDARIES = {follow_up[0] for follow_up in FOLLOW_UPS}
MAIN_LINE = 300  # the y of row 0's centre
GATEWAYS = {node[0] for node in MAIN + EXECUTION if node[1] in ("xor", "and")}


def _attrs(obieg: dict) -> str:
    return "".join(f" obieg:{key}={quoteattr(value)}" for key, value in obieg.items())


def _node_xml(node, flows, indent="    ") -> str:
    node_id, kind, name, _c, _r, obieg, extra = node
    tag = TAGS[kind][0]
    attrs = _attrs(obieg)
    if extra.get("message"):
        attrs += f' messageRef="message_{extra["message"]}"'
    if extra.get("default"):
        attrs += f' default="{extra["default"]}"'
    body = [
        f"{indent}  <bpmn:incoming>{_flow_id(f)}</bpmn:incoming>" for f in flows if f[1] == node_id
    ]
    body += [
        f"{indent}  <bpmn:outgoing>{_flow_id(f)}</bpmn:outgoing>" for f in flows if f[0] == node_id
    ]
    inner = "\n".join(body)
    opening = f'{indent}<bpmn:{tag} id="{node_id}" name={quoteattr(name)}{attrs}>'
    return f"{opening}\n{inner}\n{indent}</bpmn:{tag}>"


def _flow_xml(flow, indent="    ") -> str:
    source, target = flow[0], flow[1]
    name = f" name={quoteattr(flow[4])}" if len(flow) > 4 else ""
    head = (
        f'{indent}<bpmn:sequenceFlow id="{_flow_id(flow)}" sourceRef="{source}" '
        f'targetRef="{target}"{name}'
    )
    if len(flow) > 3 and flow[3]:
        return (
            f'{head}>\n{indent}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
            f"{flow[3].replace('&', '&amp;').replace('<', '&lt;')}</bpmn:conditionExpression>\n"
            f"{indent}</bpmn:sequenceFlow>"
        )
    return head + "/>"


def build() -> str:
    layout = Layout()
    for node in MAIN + EXECUTION:
        if node[1] != "sub":
            layout.place(node[0], node[1], node[3], node[4])
    xs = [layout.bounds[n[0]] for n in EXECUTION]
    left = min(b[0] for b in xs) - 30
    top = min(b[1] for b in xs) - 40
    right = max(b[0] + b[2] for b in xs) + 30
    bottom = max(b[1] + b[3] for b in xs) + 30
    layout.bounds["execution"] = (left, top, right - left, bottom - top)
    follow_flows = []
    for boundary, attached, _n, _d, handler, kind, _hn, _a in FOLLOW_UPS:
        ax, ay, aw, ah = layout.bounds[attached]
        offset = 12 if "reminder" in boundary else 52
        layout.bounds[boundary] = (ax + offset, ay + ah - 18, 36, 36)
        row = 1.6 if "reminder" in boundary else 2.8
        column = (ax + aw / 2 - 120) / 140 + 0.6
        layout.place(handler, kind, column, row)
        layout.place(f"{handler}_end", "end", column + 0.85, row)
        follow_flows += [(boundary, handler), (handler, f"{handler}_end")]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
        'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
        'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:obieg="urn:obieg:bpmn:1" id="pv_installation_definitions" '
        'targetNamespace="urn:obieg:pv_installation">',
    ]
    # One message definition per message a receive task waits for.
    out += [
        f'  <bpmn:message id="message_{name}" name="{name}"/>'
        for name in dict.fromkeys(n[6]["message"] for n in MAIN if n[6].get("message"))
    ]
    out.append(
        '  <bpmn:process id="pv_installation" name="PV sale and installation" isExecutable="true">'
    )
    all_flows = FLOWS + follow_flows
    for node in MAIN:
        if node[1] == "sub":
            out.append('    <bpmn:subProcess id="execution" name="Execution">')
            out += [
                f"      <bpmn:incoming>{_flow_id(f)}</bpmn:incoming>"
                for f in FLOWS
                if f[1] == "execution"
            ]
            out += [
                f"      <bpmn:outgoing>{_flow_id(f)}</bpmn:outgoing>"
                for f in FLOWS
                if f[0] == "execution"
            ]
            out += [_node_xml(n, EXECUTION_FLOWS, "      ") for n in EXECUTION]
            out += [_flow_xml(f, "      ") for f in EXECUTION_FLOWS]
            out.append("    </bpmn:subProcess>")
        else:
            out.append(_node_xml(node, all_flows))
    for boundary, attached, name, duration, handler, kind, handler_name, attrs in FOLLOW_UPS:
        out.append(
            f'    <bpmn:boundaryEvent id="{boundary}" name="{name}" cancelActivity="false" '
            f'attachedToRef="{attached}">\n      <bpmn:outgoing>f_{boundary}__{handler}'
            f'</bpmn:outgoing>\n      <bpmn:timerEventDefinition id="{boundary}_timer">\n'
            f'        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{duration}'
            f"</bpmn:timeDuration>\n      </bpmn:timerEventDefinition>\n"
            f"    </bpmn:boundaryEvent>"
        )
        out.append(_node_xml((handler, kind, handler_name, 0, 0, attrs, {}), all_flows))
        out.append(_node_xml((f"{handler}_end", "end", "", 0, 0, {}, {}), all_flows))
    out += [_flow_xml(f) for f in all_flows]
    out.append("  </bpmn:process>")
    out.append('  <bpmndi:BPMNDiagram id="pv_installation_diagram">')
    out.append('    <bpmndi:BPMNPlane id="pv_installation_plane" bpmnElement="pv_installation">')
    for node_id, (x, y, w, h) in layout.bounds.items():
        expanded = ' isExpanded="true"' if node_id == "execution" else ""
        out.append(
            f'      <bpmndi:BPMNShape id="{node_id}_di" bpmnElement="{node_id}"{expanded}>'
            f'<dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}"/>'
            "</bpmndi:BPMNShape>"
        )
    for flow in all_flows + EXECUTION_FLOWS:
        points = "".join(
            f'<di:waypoint x="{x:.0f}" y="{y:.0f}"/>' for x, y in layout.waypoints(flow[0], flow[1])
        )
        out.append(
            f'      <bpmndi:BPMNEdge id="{_flow_id(flow)}_di" bpmnElement="{_flow_id(flow)}">'
            f"{points}</bpmndi:BPMNEdge>"
        )
    out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", ""]
    return "\n".join(out)


if __name__ == "__main__":
    target = Path(__file__).with_name("pv_installation.bpmn")
    target.write_text(build(), encoding="utf-8")
    print(f"wrote {target}")
