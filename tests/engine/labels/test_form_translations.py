"""A designed form's words in every language: `label:<lang>` and kin in its custom properties."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from obieg.engine.form_schema import django_form, schema
from obieg.engine.runtime import services as engine
from tests.engine.forms_schema.conftest import SCHEMA, deploy_request, request_xml
from tests.engine.helpers import open_item


def translated() -> dict:
    """The purchase request's schema with Polish words beside its English ones."""
    found = copy.deepcopy(SCHEMA)
    components = {c.get("key") or c["type"]: c for c in found["components"]}
    components["text"]["properties"] = {"text:pl": "Zapotrzebowanie na zakup"}
    components["supplier"]["description"] = "Who sells"
    components["supplier"]["properties"] = {
        "label:pl": "Dostawca",
        "description:pl": "Kto sprzedaje",
        "note": "another tool's property, left alone",
    }
    components["urgency"]["properties"] = {"label:pl": "Pilność", "option:high:pl": "Wysoka"}
    return found


@pytest.fixture
def polish_form_case(org):
    report = deploy_request(request_xml(translated()))
    assert not report.refused, [f.line() for f in report.findings.refusals]
    return engine.start_case(process="purchase_request", actor=org.sara, title="Inverters")


def test_the_form_class_is_built_once_and_speaks_the_readers_language():
    form = django_form.form_class(translated())()
    with translation.override("pl"):
        assert str(form["supplier"].label) == "Dostawca"
        assert str(form.fields["supplier"].help_text) == "Kto sprzedaje"
        assert dict(form.fields["urgency"].choices)["high"] == "Wysoka"
        assert dict(form.fields["urgency"].choices)["low"] == "Low"  # no Polish: the model's
        assert [str(text) for text in form.brief] == ["Zapotrzebowanie na zakup"]
    with translation.override("en"):
        assert str(form["supplier"].label) == "Supplier"
        assert str(form.fields["supplier"].help_text) == "Who sells"
        assert dict(form.fields["urgency"].choices)["high"] == "High"
        assert [str(text) for text in form.brief] == ["Purchase request"]


def test_the_task_page_renders_the_form_in_the_readers_language(client, org, polish_form_case):
    item = open_item(polish_form_case, "fill_request")
    client.force_login(org.sara)
    url = reverse("engine:task", args=[item.pk])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
    polish = client.get(url).content.decode()
    assert "Dostawca" in polish and "Kto sprzedaje" in polish and "Wysoka" in polish
    assert "Zapotrzebowanie na zakup" in polish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Supplier" in english and "Dostawca" not in english and "High" in english


def test_the_api_describes_the_form_fields_in_the_requests_language(org, polish_form_case):
    item = open_item(polish_form_case, "fill_request")
    api = APIClient()
    api.force_authenticate(org.sara)
    url = f"/api/engine/work-items/{item.pk}/"
    fields = {f["name"]: f for f in api.get(url, HTTP_ACCEPT_LANGUAGE="pl").json()["form_fields"]}
    assert fields["supplier"]["label"] == "Dostawca"
    assert ["high", "Wysoka"] in fields["urgency"]["choices"]
    fields = {f["name"]: f for f in api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["form_fields"]}
    assert fields["supplier"]["label"] == "Supplier"


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        ({"label:de": "Lieferant"}, "names the language 'de'; this site's are pl, en"),
        ({"label:pl": "  "}, "'label:pl' is empty"),
        ({"label:pl": "=supplier_name"}, "an expression as 'label:pl' is not supported"),
        ({"option:urgent:pl": "Pilne"}, "'option:urgent:pl' names an option the field does not"),
    ],
)
def test_a_translation_that_cannot_be_shown_is_refused_with_its_reason(properties, reason):
    broken = translated()
    urgency = next(c for c in broken["components"] if c.get("key") == "urgency")
    urgency["properties"] = properties
    found = schema.problems(broken)
    assert any(reason in problem for problem in found), found


def test_other_custom_properties_are_left_alone():
    assert schema.problems(translated()) == []
