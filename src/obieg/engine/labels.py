"""The names a process shows people, in the reader's language.

A model's `name` attributes are written in one language: the one its
`bpmn:definitions` (or DMN `definitions`) declares with `obieg:language`,
else the site's default (`LANGUAGE_CODE`, Polish). Its names in the other
languages are kept with the element, in its extension elements:

    <bpmn:userTask id="audit" name="Audit at the customer's site">
      <bpmn:extensionElements>
        <obieg:translation lang="pl" name="Audyt u klienta"/>
      </bpmn:extensionElements>
    </bpmn:userTask>

so a model carries its translations wherever it goes (the studio, Camunda
Modeler and bpmn.io keep foreign extension elements). Work items and
history lines keep a copy of the model's own name; every page shows them
through `element_label`, which looks the name up in a per-version dict
held in memory (parsed once per process and version, like the specs), so
an inbox page costs no query for its 25 names.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from lxml import etree

OBIEG = "urn:obieg:bpmn:1"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
TRANSLATION = f"{{{OBIEG}}}translation"
LANGUAGE = f"{{{OBIEG}}}language"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

# What people see of a BPMN model: the steps, events, gateways, lanes, pools and
# the labelled flows. Message, signal and error names are not here: they are keys
# the engine correlates by, never shown as words.
BPMN_NAMED = frozenset(
    {
        "process",
        "participant",
        "lane",
        "userTask",
        "manualTask",
        "task",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "businessRuleTask",
        "scriptTask",
        "callActivity",
        "subProcess",
        "transaction",
        "adHocSubProcess",
        "startEvent",
        "endEvent",
        "intermediateCatchEvent",
        "intermediateThrowEvent",
        "boundaryEvent",
        "exclusiveGateway",
        "inclusiveGateway",
        "parallelGateway",
        "eventBasedGateway",
        "complexGateway",
        "sequenceFlow",
    }
)
# What people see of a DMN model: the decisions (and knowledge models) by name
# and the outputs by label; an output's `name` is the variable it sets.
DMN_NAMED = frozenset({"decision", "businessKnowledgeModel"})
DMN_LABELLED = frozenset({"output"})


def _local(node) -> str:
    return etree.QName(node).localname


def _is_dmn(root) -> bool:
    return "dmn" in (etree.QName(root).namespace or "").lower()


def model_language(root) -> str:
    """The language the model's own names are written in."""
    return root.get(LANGUAGE) or settings.LANGUAGE_CODE


def translations_of(node) -> dict[str, str]:
    """{language: name} written in the element's extension elements."""
    found: dict[str, str] = {}
    for child in node:
        if _local(child) != "extensionElements":
            continue
        for item in child.iter(TRANSLATION):
            lang, text = (item.get("lang") or "").strip(), (item.get("name") or "").strip()
            if lang and text:
                found[lang] = text
    return found


@dataclass(frozen=True)
class NamedElement:
    """One element people see a name of, with that name in every language it has."""

    element_id: str
    kind: str
    name: str  # in the model's language
    translations: dict[str, str]


def named_elements(root) -> Iterable[NamedElement]:
    """The user-facing named elements of one BPMN or DMN file's root."""
    dmn = _is_dmn(root)
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        kind = _local(node)
        if dmn:
            attribute = "name" if kind in DMN_NAMED else "label" if kind in DMN_LABELLED else ""
        else:
            attribute = "name" if etree.QName(node).namespace == BPMN and kind in BPMN_NAMED else ""
        name = (node.get(attribute) or "").strip() if attribute else ""
        if name:
            yield NamedElement(node.get("id") or "", kind, name, translations_of(node))


@dataclass
class Labels:
    """The names of one process version, every file of it, in every language they have."""

    # element id -> {the model's name: {language: name}}; element ids may repeat across
    # the files of one version (a called process's "start"), the name tells them apart.
    by_element: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # the model's name -> {language: name}, for what is stored without its element id
    # (a work item's lane).
    by_name: dict[str, dict[str, str]] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    # file name -> (element id, the model's name) of the user tasks it holds, in file
    # order: the inbox's step filter offers those of the version's own file.
    user_tasks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, language: str, element: NamedElement) -> None:
        names = {**element.translations, language: element.name}
        self.languages.add(language)
        self.by_element.setdefault(element.element_id, {})[element.name] = names
        self.by_name.setdefault(element.name, names)

    def label(self, element_id: str, default: str, language: str) -> str:
        known = self.by_element.get(element_id)
        if known:
            names = known.get(default)
            if names is None and not default and len(known) == 1:
                names = next(iter(known.values()))
        else:
            names = self.by_name.get(default)
        if not names:
            return default
        return names.get(language) or names.get(language.split("-")[0]) or default or ""


EMPTY = Labels()


def parse(sources: Mapping[str, str]) -> Labels:
    """The names in every file of a version ({file name: XML text})."""
    labels = Labels()
    for file_name, text in sources.items():
        try:
            root = etree.fromstring(text.encode("utf-8"), _PARSER)
        except (etree.XMLSyntaxError, AttributeError):
            continue  # deploy refused such a file; nothing to show from it
        language = model_language(root)
        for element in named_elements(root):
            labels.add(language, element)
        labels.user_tasks[file_name] = [
            (node.get("id"), node.get("name") or "")
            for node in root.iter(f"{{{BPMN}}}userTask")
            if node.get("id")
        ]
    return labels


# --- the per-version cache ----------------------------------------------------

MAX_VERSIONS = 512
_lock = threading.Lock()
# Keyed by (row id, checksum): a version's files never change, and the checksum
# keeps a reused id (a test database rolled back) from reading another's names.
_labels: OrderedDict[tuple[int, str], Labels] = OrderedDict()


def labels_for(definition) -> Labels:
    """The version's names, parsed the first time this process needs them.

    `definition` may come with its `sources` deferred (the inbox does): they
    are read only on the first use of that version.
    """
    if definition is None or definition.pk is None:
        return EMPTY
    key = (definition.pk, definition.checksum)
    with _lock:
        found = _labels.get(key)
        if found is not None:
            _labels.move_to_end(key)
            return found
    if "sources" in definition.get_deferred_fields():
        # The base manager: a test run's version (`engine.sandbox`) is hidden from `objects`.
        rows = type(definition)._base_manager.filter(pk=definition.pk)
        sources = rows.values_list("sources", flat=True).first() or {}
    else:
        sources = definition.sources or {}
    found = parse(sources)
    with _lock:
        _labels[key] = found
        while len(_labels) > MAX_VERSIONS:
            _labels.popitem(last=False)
    return found


def clear() -> None:
    with _lock:
        _labels.clear()
        _diagrams.clear()


def element_label(definition, element_id: str, default: str, language: str | None = None) -> str:
    """The name of a version's element in `language` (the active one by default).

    `default` is the name the model gives (what work items and history lines
    keep); it is what shows when the model has no name in that language.
    """
    if not default and not element_id:
        return default
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return labels_for(definition).label(element_id, default, language)


def item_label(item, language: str | None = None) -> str:
    """A work item's (or external task's) name; read `item.case.definition` with it."""
    return element_label(item.case.definition, item.element_id, item.name, language)


def process_label(definition, language: str | None = None) -> str:
    """The process's name (a definition's `name` is its BPMN process's) in `language`."""
    if definition is None:
        return ""
    return element_label(definition, definition.key, definition.name, language)


def case_label(case, language: str | None = None) -> str:
    """A case's title; one that is only its process's name (no subject) in `language`.

    Reads `case.definition`: load it with the case (select_related) in lists.
    """
    return case_title(case.title, case.pk, case.definition, language)


def case_title(title: str, pk: int, definition, language: str | None = None) -> str:
    """`case_label` from a case's title, id and definition (a list that reads no cases)."""
    if title and title != definition.name:
        return title
    name = process_label(definition, language)
    return name if title else f"{name} #{pk}"


def lane_label(definition, lane: str, language: str | None = None) -> str:
    """A lane's name as a work item keeps it (without the lane's id)."""
    if not lane:
        return lane
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return labels_for(definition).by_name.get(lane, {}).get(language) or lane


# --- the diagram in the reader's language --------------------------------------

# (row id, checksum, language) -> the process file with its names in that language.
_diagrams: OrderedDict[tuple[int, str, str], str] = OrderedDict()


def localized(xml: str, language: str) -> str:
    """A BPMN file with every shown name in `language` (the model's own where it has none).

    What the diagram viewer draws: bpmn-js shows each element's `name`, so the
    names are swapped here, from the same translations `element_label` reads,
    rather than taught to the viewer a second way.
    """
    try:
        root = etree.fromstring(xml.encode("utf-8"), _PARSER)
    except (etree.XMLSyntaxError, AttributeError):
        return xml
    if _is_dmn(root) or language == model_language(root):
        return xml
    base = language.split("-")[0]
    changed = False
    for node in root.iter():
        if not isinstance(node.tag, str) or etree.QName(node).namespace != BPMN:
            continue
        if _local(node) not in BPMN_NAMED or not node.get("name"):
            continue
        names = translations_of(node)
        name = names.get(language) or names.get(base)
        if name and name != node.get("name"):
            node.set("name", name)
            changed = True
    if not changed:
        return xml
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def diagram_xml(definition, language: str | None = None) -> str:
    """The version's process file as the reader should see it drawn (cached per language)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = (definition.pk, definition.checksum, language)
    with _lock:
        found = _diagrams.get(key)
        if found is not None:
            _diagrams.move_to_end(key)
            return found
    found = localized(definition.bpmn, language)
    with _lock:
        _diagrams[key] = found
        while len(_diagrams) > MAX_VERSIONS:
            _diagrams.popitem(last=False)
    return found


# --- the deploy check ---------------------------------------------------------


def missing_translations(root) -> list[tuple[NamedElement, list[str]]]:
    """Each named element of a file lacking its name in one of the site's languages."""
    own = model_language(root)
    wanted = [code for code, _name in settings.LANGUAGES if code != own]
    missing = []
    for element in named_elements(root):
        lacking = [code for code in wanted if not element.translations.get(code)]
        if lacking:
            missing.append((element, lacking))
    return missing


def check_translations(root, filename: str, findings) -> None:
    """One warning per file naming the elements people would see untranslated.

    One line, not one per element: thirty lines would bury the warnings that
    matter. Only for a model that is translated at all (it declares its
    language or names one element in another): there a missing name is a gap.
    """
    if root.get(LANGUAGE) is None and not any(root.iter(TRANSLATION)):
        # A model with no translation and no declared language is a one-language model
        # (a firm that works in Polish only): its names show as written, nothing to warn.
        return
    missing = missing_translations(root)
    if not missing:
        return
    languages = sorted({code for _element, lacking in missing for code in lacking})
    shown = ", ".join(element.element_id or element.kind for element, _lacking in missing[:8])
    more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
    findings.warn(
        filename,
        "-",
        f"{len(missing)} name(s) without a translation into {', '.join(languages)} "
        f"({shown}{more}): people reading in that language see the model's own; add "
        f'<obieg:translation lang="{languages[0]}" name="…"/> to each element\'s extension '
        "elements (the studio's properties panel has a field for it)",
    )
