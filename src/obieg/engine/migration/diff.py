"""What changed between two versions of a process: elements added, removed and changed.

Read from the deployed files themselves (every `.bpmn` file of a version:
its process and the processes it calls), element by element, keyed by id.
An element "changed" when anything the engine acts on differs: its type
(and, for events, what it waits for), its name, the attributes Obieg,
Camunda and Zeebe read (assignee, role, department, form, action,
decision, due …), its lane, a flow's ends and condition, a timer's
expression, a message's name, a called process, multi-instance settings,
extension elements. Layout (the diagram's shapes and waypoints) is not a
change.

Each element's `name_display` is its name in the reader's language, read
from its own version's translations (engine/labels.py): a removed element's
by the older version, an added or changed one's by the newer (by the older
when only the older names it). A `name` change itself lists the model's own
names: it is what the administrator edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from lxml import etree

from obieg.engine import labels

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PREFIXES = {
    "urn:obieg:bpmn:1": "obieg",
    "http://camunda.org/schema/1.0/bpmn": "camunda",
    "http://camunda.org/schema/zeebe/1.0": "zeebe",
}
# Children that are part of an element's definition, read into its attributes, not elements.
_READ_INTO_PARENT = {
    "incoming", "outgoing", "documentation", "extensionElements", "conditionExpression",
    "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "ioSpecification",
    "dataInputAssociation", "dataOutputAssociation", "property", "script", "flowNodeRef",
    "childLaneSet", "completionCondition",
}  # fmt: skip
_EVENT_DEFINITIONS = {
    "timerEventDefinition": "timer",
    "messageEventDefinition": "message",
    "signalEventDefinition": "signal",
    "errorEventDefinition": "error",
    "escalationEventDefinition": "escalation",
    "conditionalEventDefinition": "conditional",
    "terminateEventDefinition": "terminate",
    "compensateEventDefinition": "compensation",
    "cancelEventDefinition": "cancel",
    "linkEventDefinition": "link",
}
_CONTAINERS = {"subProcess", "transaction", "adHocSubProcess"}


@dataclass(frozen=True)
class Element:
    id: str
    kind: str  # the BPMN tag, with what an event waits for: "boundaryEvent:timer"
    name: str
    attributes: dict[str, str]


@dataclass(frozen=True)
class Change:
    what: str  # "type", "name", or the attribute ("obieg:role", "condition", "timer" …)
    old: str
    new: str


@dataclass(frozen=True)
class ElementDiff:
    id: str
    name: str
    kind: str
    state: str  # "added" | "removed" | "changed"
    changes: tuple[Change, ...] = ()
    name_display: str = ""  # `name` in the reader's language, by its own version


@dataclass
class VersionDiff:
    added: list[ElementDiff] = field(default_factory=list)
    removed: list[ElementDiff] = field(default_factory=list)
    changed: list[ElementDiff] = field(default_factory=list)

    @property
    def all(self) -> list[ElementDiff]:
        return [*self.removed, *self.changed, *self.added]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def markers(self) -> dict[str, str]:
        """{element id: state} for the diagrams."""
        return {item.id: item.state for item in self.all}


def _local(node) -> str:
    return etree.QName(node).localname


def _is_bpmn(node) -> bool:
    return isinstance(node.tag, str) and etree.QName(node).namespace == BPMN


def _attribute_name(key: str) -> str:
    qname = etree.QName(key)
    if qname.namespace is None:
        return qname.localname
    return f"{PREFIXES.get(qname.namespace, qname.namespace)}:{qname.localname}"


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def _canonical(node) -> str:
    """An element's content as text, whitespace between tags ignored."""
    copy = etree.fromstring(etree.tostring(node))
    for item in copy.iter():
        if isinstance(item.tag, str):
            item.text = item.text.strip() if item.text else item.text
            item.tail = None
    return etree.tostring(copy, encoding="unicode")


def _attributes(node, root, lanes: dict[str, str]) -> tuple[str, dict[str, str]]:
    kind = _local(node)
    attributes = {
        _attribute_name(key): value
        for key, value in node.attrib.items()
        if _attribute_name(key) not in ("id", "name")
    }
    for child in node:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag in _EVENT_DEFINITIONS:
            what = _EVENT_DEFINITIONS[tag]
            kind = f"{kind}:{what}"
            if what == "timer":
                for moment in child:
                    if isinstance(moment.tag, str):
                        attributes["timer"] = f"{_local(moment)} {_text(moment)}"
            elif child.get("messageRef"):
                attributes["message"] = _message_name(root, child.get("messageRef"))
            for key, value in child.attrib.items():
                if _attribute_name(key) not in ("id", "messageRef"):
                    attributes[f"{what}:{_attribute_name(key)}"] = value
        elif tag == "conditionExpression":
            attributes["condition"] = _text(child)
        elif tag == "script":
            attributes["script"] = _text(child)
        elif tag in ("multiInstanceLoopCharacteristics", "standardLoopCharacteristics"):
            attributes["loop"] = _canonical(child)
        elif tag == "extensionElements" and len(child):
            attributes["extensions"] = _canonical(child)
    if node.get("messageRef"):
        attributes["message"] = _message_name(root, node.get("messageRef"))
    if node.get("id") in lanes:
        attributes["lane"] = lanes[node.get("id")]
    return kind, attributes


def _message_name(root, ref: str) -> str:
    for message in root.iter(f"{{{BPMN}}}message"):
        if message.get("id") == ref:
            return message.get("name") or ref
    return ref


def _lanes(process) -> dict[str, str]:
    """{flow node id: lane id}, the innermost lane naming it."""
    found = {}
    for lane in process.iter(f"{{{BPMN}}}lane"):
        for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
            found[(ref.text or "").strip()] = lane.get("id")
    return found


def _walk(container, root, lanes, out: dict[str, Element]) -> None:
    for child in container:
        if not _is_bpmn(child):
            continue
        tag = _local(child)
        if tag in ("laneSet", "childLaneSet"):
            _walk(child, root, lanes, out)
            continue
        if tag in _READ_INTO_PARENT or tag in _EVENT_DEFINITIONS or not child.get("id"):
            continue
        kind, attributes = _attributes(child, root, lanes)
        out[child.get("id")] = Element(child.get("id"), kind, child.get("name") or "", attributes)
        if tag in _CONTAINERS or tag == "lane":
            _walk(child, root, lanes, out)


def elements_of(sources: dict[str, str]) -> dict[str, Element]:
    """Every element of every process in a version's `.bpmn` files, by id."""
    out: dict[str, Element] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for name in sorted(sources):
        if not name.endswith(".bpmn"):
            continue
        root = etree.fromstring(sources[name].encode("utf-8"), parser)
        for process in root.iter(f"{{{BPMN}}}process"):
            kind, attributes = _attributes(process, root, {})
            out[process.get("id")] = Element(
                process.get("id"), kind, process.get("name") or "", attributes
            )
            _walk(process, root, _lanes(process), out)
    return out


def compare(
    old_sources: dict[str, str],
    new_sources: dict[str, str],
    old_labels: labels.Labels = labels.EMPTY,
    new_labels: labels.Labels = labels.EMPTY,
    language: str = "",
) -> VersionDiff:
    """The diff of two versions' files (see the module's docstring for what counts).

    `old_labels` and `new_labels` are the versions' translations, `language` the
    reader's: without them `name_display` is the model's own name.
    """
    old, new = elements_of(old_sources), elements_of(new_sources)

    def shown(names: labels.Labels, element: Element) -> str:
        if not language or not element.name:
            return element.name
        return names.label(element.id, element.name, language)

    diff = VersionDiff()
    for element_id in sorted(old.keys() - new.keys()):
        element = old[element_id]
        diff.removed.append(
            ElementDiff(
                element.id,
                element.name,
                element.kind,
                "removed",
                name_display=shown(old_labels, element),
            )
        )
    for element_id in sorted(new.keys() - old.keys()):
        element = new[element_id]
        diff.added.append(
            ElementDiff(
                element.id,
                element.name,
                element.kind,
                "added",
                name_display=shown(new_labels, element),
            )
        )
    for element_id in sorted(old.keys() & new.keys()):
        before, after = old[element_id], new[element_id]
        changes = []
        if before.kind != after.kind:
            changes.append(Change("type", before.kind, after.kind))
        if before.name != after.name:
            changes.append(Change("name", before.name, after.name))
        for key in sorted(before.attributes.keys() | after.attributes.keys()):
            was, now = before.attributes.get(key, ""), after.attributes.get(key, "")
            if was != now:
                changes.append(Change(key, was, now))
        if changes:
            named = shown(new_labels, after) if after.name else shown(old_labels, before)
            diff.changed.append(
                ElementDiff(
                    after.id,
                    after.name or before.name,
                    after.kind,
                    "changed",
                    tuple(changes),
                    name_display=named,
                )
            )
    return diff


def diff_versions(old, new, language: str | None = None) -> VersionDiff:
    """The diff of two ProcessDefinition versions, names in `language` (the active one)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return compare(
        old.sources, new.sources, labels.labels_for(old), labels.labels_for(new), language
    )
