"""The places test_pages.py does not read: filters, choices, messages, search, decisions (#17).

The model (tests/engine/labels/test_labels.py) is written in Polish and
carries English names; each test reads one place in both languages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from obieg.engine import labels
from obieg.engine.models import WorkItem
from obieg.engine.runtime import services as engine
from obieg.engine.studio.selectors import decisions_in
from obieg.engine.web.views_case_start import StartCaseForm
from obieg.solutions import pv_installation
from obieg.web import global_search
from tests.engine.labels.test_labels import deployed

ORDER_PL, ORDER_EN = "Zamów towar", "Order the goods"


@pytest.fixture(autouse=True)
def fresh_labels():
    labels.clear()
    yield
    labels.clear()


@pytest.fixture
def order(org):
    definition = deployed()
    case = engine.start_case(process=definition.key, actor=org.sara, title="Kable")
    return WorkItem.objects.get(case=case, element_id="order", status="open")


def read(client, url: str, language: str, data=None) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url, data)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _options(html: str, select_id: str) -> str:
    return html.split(f'id="{select_id}"')[1].split("</select>")[0]


def test_the_inbox_filters_name_process_and_steps_in_the_readers_language(client, org, order):
    client.force_login(org.sara)
    url = reverse("engine:inbox")
    english = read(client, url, "en", {"process": "purchase"})
    assert "Purchase" in _options(english, "id_process")
    assert ORDER_EN in _options(english, "id_step") and ORDER_PL not in english
    polish = read(client, url, "pl", {"process": "purchase"})
    assert "Zakup" in _options(polish, "id_process")
    assert ORDER_PL in _options(polish, "id_step") and ORDER_EN not in polish


def test_the_start_form_offers_processes_by_their_name_in_the_readers_language(order):
    definition = order.case.definition
    with translation.override("en"):
        form = StartCaseForm(definitions=[definition])
        assert list(form.fields["process"].choices) == [("purchase", "Purchase")]
    with translation.override("pl"):
        form = StartCaseForm(definitions=[definition])
        assert list(form.fields["process"].choices) == [("purchase", "Zakup")]


def test_a_hand_over_message_names_the_task_in_the_readers_language(client, org, order):
    WorkItem.objects.filter(pk=order.pk).update(
        assignee=None, candidate_group="", candidate_department=None
    )
    client.force_login(org.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("engine:unassigned_assign", args=[order.pk])
    answer = client.post(url, {"to": org.sara.pk})
    assert answer.status_code == 302
    [message] = [str(m) for m in get_messages(answer.wsgi_request)]
    assert ORDER_EN in message and ORDER_PL not in message


def test_the_global_search_names_a_cases_process_in_the_readers_language(org, order):
    query = f"#{order.case_id}"
    with translation.override("en"):
        [group] = global_search.search(org.admin, query)
        assert group.hits[0].detail == f"#{order.case_id} · Purchase"
    with translation.override("pl"):
        [group] = global_search.search(org.admin, query)
        assert group.hits[0].detail == f"#{order.case_id} · Zakup"


def test_the_decision_list_names_a_shipped_decision_in_the_readers_language():
    dmn = (Path(pv_installation.__file__).parent / "processes" / "vat_rate.dmn").read_text()
    with translation.override("pl"):
        assert decisions_in(dmn) == [("vat_rate", "Stawka VAT według rodzaju budynku")]
    with translation.override("en"):
        assert decisions_in(dmn) == [("vat_rate", "VAT rate by building type")]
