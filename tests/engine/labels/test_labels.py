"""A model's names in the reader's language: kept with each element, read through one resolver."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from obieg.engine import deploy, labels
from obieg.engine.models import ProcessDefinition, WorkItem
from obieg.engine.runtime import services as engine

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:obieg="urn:obieg:bpmn:1" id="d" targetNamespace="urn:t"{language}>
  <bpmn:process id="{key}" name="Zakup" isExecutable="true">
    <bpmn:extensionElements><obieg:translation lang="en" name="Purchase"/></bpmn:extensionElements>
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="lane_buyers" name="Zakupy" obieg:role="salesperson">
        <bpmn:extensionElements>
          <obieg:translation lang="en" name="Purchasing"/>
        </bpmn:extensionElements>
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>order</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>end</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Potrzeba zgłoszona">
      <bpmn:extensionElements>
        <obieg:translation lang="en" name="Need reported"/>
      </bpmn:extensionElements>
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="order" name="Zamów towar" obieg:form="tests.offer">
      {task_translation}
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="Zamówione">
      <bpmn:extensionElements><obieg:translation lang="en" name="Ordered"/></bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="order"/>
    <bpmn:sequenceFlow id="f2" sourceRef="order" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""
ORDER_EN = (
    '<bpmn:extensionElements><obieg:translation lang="en" name="Order the goods"/>'
    "</bpmn:extensionElements>"
)


def model(*, key="purchase", translated=True, language="pl"):
    return BPMN.format(
        key=key,
        language=f' obieg:language="{language}"' if language else "",
        task_translation=ORDER_EN if translated else "",
    )


def deployed(**kwargs) -> ProcessDefinition:
    report = deploy.deploy_sources({"purchase.bpmn": model(**kwargs)}, solution="tests")
    assert not report.refused, [f.line() for f in report.findings.items]
    return report.definitions[0]


@pytest.fixture(autouse=True)
def fresh_labels():
    labels.clear()
    yield
    labels.clear()


def test_every_name_resolves_in_the_readers_language_and_falls_back_to_the_models(db):
    definition = deployed()
    assert labels.element_label(definition, "order", "Zamów towar", "en") == "Order the goods"
    assert labels.element_label(definition, "order", "Zamów towar", "pl") == "Zamów towar"
    assert labels.process_label(definition, "en") == "Purchase"
    assert labels.process_label(definition, "pl") == "Zakup"
    assert labels.element_label(definition, "end", "Zamówione", "en-gb") == "Ordered"
    # A language the model has no name in: the model's own.
    assert labels.element_label(definition, "order", "Zamów towar", "de") == "Zamów towar"
    # A lane is kept by name on a work item, without its id.
    assert labels.lane_label(definition, "Zakupy", "en") == "Purchasing"


def test_a_name_copied_before_the_model_changed_stays_as_it_was(db):
    """An item keeps the name its version gave; another name at that id is not its name."""
    definition = deployed()
    assert labels.element_label(definition, "order", "Zamów coś innego", "en") == (
        "Zamów coś innego"
    )


def test_the_active_language_is_the_default(db):
    from django.utils import translation

    definition = deployed()
    with translation.override("en"):
        assert labels.element_label(definition, "order", "Zamów towar") == "Order the goods"
    with translation.override("pl"):
        assert labels.element_label(definition, "order", "Zamów towar") == "Zamów towar"


def test_a_version_is_parsed_once_and_its_sources_read_only_then(db):
    definition = deployed()
    light = ProcessDefinition.objects.defer("sources").get(pk=definition.pk)
    with CaptureQueriesContext(connection) as first:
        assert labels.element_label(light, "order", "Zamów towar", "en") == "Order the goods"
    assert len(first) == 1  # the deferred sources, once
    again = ProcessDefinition.objects.defer("sources").get(pk=definition.pk)
    with CaptureQueriesContext(connection) as second:
        for _ in range(25):
            labels.element_label(again, "order", "Zamów towar", "en")
    assert len(second) == 0


def test_a_new_version_brings_its_own_names(db):
    first = deployed()
    changed = model().replace('name="Order the goods"', 'name="Place the order"')
    second = deploy.deploy_sources({"purchase.bpmn": changed}, solution="tests").definitions[0]
    assert second.version == first.version + 1
    assert labels.element_label(first, "order", "Zamów towar", "en") == "Order the goods"
    assert labels.element_label(second, "order", "Zamów towar", "en") == "Place the order"


def test_the_same_id_in_a_called_process_is_told_apart_by_its_name():
    called = (
        model(key="called")
        .replace('name="Zamów towar"', 'name="Zamów część"')
        .replace("Order the goods", "Order the part")
    )
    parsed = labels.parse({"main.bpmn": model(), "called.bpmn": called})
    assert parsed.label("order", "Zamów towar", "en") == "Order the goods"
    assert parsed.label("order", "Zamów część", "en") == "Order the part"


def test_a_model_in_english_declares_it_and_gets_polish_names():
    english = (
        model(language="en")
        .replace('name="Zamów towar"', 'name="Order the goods"')
        .replace(
            ORDER_EN,
            '<bpmn:extensionElements><obieg:translation lang="pl" '
            'name="Zamów towar"/></bpmn:extensionElements>',
        )
    )
    parsed = labels.parse({"purchase.bpmn": english})
    assert parsed.label("order", "Order the goods", "pl") == "Zamów towar"
    assert parsed.label("order", "Order the goods", "en") == "Order the goods"


def test_deploy_warns_once_per_file_about_names_without_a_translation(db):
    report = deploy.deploy_sources(
        {"purchase.bpmn": model(translated=False)}, solution="tests", check_only=True
    )
    assert not report.refused
    (warning,) = [f for f in report.findings.warnings if "translation" in f.message]
    assert warning.file == "purchase.bpmn"
    assert "1 name(s) without a translation into en (order)" in warning.message
    translated = deploy.deploy_sources({"purchase.bpmn": model()}, check_only=True)
    assert not [f for f in translated.findings.items if "translation" in f.message]


def test_an_english_model_lacking_polish_names_is_warned_about_polish():
    root = etree.fromstring(model(language="en").encode())
    lacking = {element.element_id: langs for element, langs in labels.missing_translations(root)}
    assert lacking == dict.fromkeys(["purchase", "lane_buyers", "start", "order", "end"], ["pl"])


def test_a_model_without_a_language_is_in_the_sites(settings):
    settings.LANGUAGE_CODE = "pl"
    unmarked = model(language="")
    assert labels.parse({"p.bpmn": unmarked}).label("order", "Zamów towar", "en") == (
        "Order the goods"
    )
    settings.LANGUAGE_CODE = "en"
    assert labels.missing_translations(etree.fromstring(unmarked.encode()))


def test_messages_and_signals_are_keys_not_words():
    xml = model().replace(
        '<bpmn:process id="purchase"',
        '<bpmn:message id="m" name="order_answered"/><bpmn:signal id="s" name="stop"/>'
        '<bpmn:process id="purchase"',
    )
    root = etree.fromstring(xml.encode())
    assert not labels.missing_translations(root)


def test_dmn_decisions_and_output_labels_are_names_people_see():
    dmn = """<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"
        xmlns:obieg="urn:obieg:bpmn:1" id="d" name="x" namespace="urn:t" obieg:language="pl">
      <decision id="rate" name="Stawka">
        <extensionElements><obieg:translation lang="en" name="Rate"/></extensionElements>
        <decisionTable id="t">
          <input id="i" label="Typ">
            <inputExpression id="ie"><text>kind</text></inputExpression>
          </input>
          <output id="o" name="rate" label="Stawka (%)"/>
        </decisionTable>
      </decision>
    </definitions>"""
    root = etree.fromstring(dmn.encode())
    assert [(e.element_id, langs) for e, langs in labels.missing_translations(root)] == [
        ("o", ["en"])
    ]
    assert labels.parse({"r.dmn": dmn}).label("rate", "Stawka", "en") == "Rate"


def test_an_unknown_obieg_attribute_is_still_refused_but_the_language_is_known(db):
    bad = model().replace('obieg:form="tests.offer"', 'obieg:form="tests.offer" obieg:lang="en"')
    assert deploy.deploy_sources({"p.bpmn": bad}, check_only=True).refused
    assert not deploy.deploy_sources({"p.bpmn": model()}, check_only=True).refused


def test_work_items_keep_the_models_name_and_pages_read_it_in_the_readers_language(db, org):
    from django.utils import translation

    from obieg.engine.templatetags.process_labels import case_title, task_label

    definition = deployed()
    case = engine.start_case(process=definition.key, actor=org.sara)
    item = WorkItem.objects.select_related("case__definition").get(case=case, status="open")
    assert item.name == "Zamów towar" and item.case.title == "Zakup"
    with translation.override("en"):
        assert (task_label(item), case_title(item.case)) == ("Order the goods", "Purchase")
    with translation.override("pl"):
        assert (task_label(item), case_title(item.case)) == ("Zamów towar", "Zakup")


def test_a_model_with_no_translation_at_all_is_a_one_language_model(db):
    untranslated = re.sub(
        r"<bpmn:extensionElements>.*?</bpmn:extensionElements>", "", model(language=""), flags=re.S
    )
    report = deploy.deploy_sources({"p.bpmn": untranslated}, check_only=True)
    assert not report.refused
    assert not [f for f in report.findings.items if "translation" in f.message]
