"""Every page, list, notification and API answer shows a model's names in the reader's language.

The model (tests/engine/labels/test_labels.py) is written in Polish and
carries English names; each test reads one place in both languages.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from obieg.core import clock
from obieg.engine import labels
from obieg.engine.models import Case, WorkItem
from obieg.engine.runtime import services as engine
from obieg.notifications import selectors as notification_selectors
from obieg.notifications.models import Kind, Notification, Source
from tests.engine.labels.test_labels import deployed

ORDER_PL, ORDER_EN = "Zamów towar", "Order the goods"


@pytest.fixture(autouse=True)
def fresh_labels():
    labels.clear()
    yield
    labels.clear()


@pytest.fixture
def order(org):
    """A purchase case with its open task "order" given to Sara, due yesterday."""
    definition = deployed()
    case = engine.start_case(process=definition.key, actor=org.sara, title="Kable")
    item = WorkItem.objects.get(case=case, element_id="order", status="open")
    WorkItem.objects.filter(pk=item.pk).update(
        assignee=org.sara, due_at=clock.now() - timedelta(days=1)
    )
    item.refresh_from_db()
    return item


def read(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_team_page_names_tasks_in_the_readers_language(client, org, order):
    client.force_login(org.manager)
    url = reverse("engine:team")
    assert ORDER_EN in read(client, url, "en") and ORDER_PL not in read(client, url, "en")
    assert ORDER_PL in read(client, url, "pl")


def test_the_unassigned_queue_names_task_and_process_in_the_readers_language(client, org, order):
    WorkItem.objects.filter(pk=order.pk).update(
        assignee=None, candidate_group="", candidate_department=None
    )
    client.force_login(org.admin)
    url = reverse("engine:unassigned")
    english = read(client, url, "en")
    assert ORDER_EN in english and "Purchase" in english and ORDER_PL not in english
    polish = read(client, url, "pl")
    assert ORDER_PL in polish and "Zakup" in polish


def test_the_process_list_and_page_name_the_process_in_the_readers_language(client, org, order):
    client.force_login(org.admin)
    definition = order.case.definition
    for url in (
        reverse("engine:definition_list"),
        reverse("engine:definition_detail", args=[definition.pk]),
    ):
        assert ">Purchase" in read(client, url, "en")
        assert ">Zakup" in read(client, url, "pl")


def test_the_diagram_is_served_with_the_readers_names(client, org, order):
    """bpmn-js draws the XML's `name`s: the server swaps them for the reader's language."""
    client.force_login(org.admin)
    for url in (
        reverse("engine:case_diagram", args=[order.case_id]),
        reverse("engine:definition_diagram", args=[order.case.definition_id]),
    ):
        english = json.loads(read(client, url, "en"))["xml"]
        assert 'name="Order the goods"' in english and 'name="Purchasing"' in english
        assert 'name="Zamów towar"' not in english
        polish = json.loads(read(client, url, "pl"))["xml"]
        assert polish == order.case.definition.bpmn  # the model's language: the file as it is


def test_the_localized_file_is_made_once_per_version_and_language(org, order):
    definition = order.case.definition
    first = labels.diagram_xml(definition, "en")
    assert labels.diagram_xml(definition, "en") is first
    assert labels.diagram_xml(definition, "pl") == definition.bpmn


def test_home_my_tasks_names_tasks_in_the_readers_language(client, org, order):
    client.force_login(org.sara)
    assert ORDER_EN in read(client, reverse("home"), "en")
    assert ORDER_PL in read(client, reverse("home"), "pl")


def test_notifications_keep_the_models_name_and_show_the_readers(client, org, order):
    note = Notification.objects.create(
        recipient=org.sara,
        kind=Kind.ASSIGNED,
        source=Source.WORK_ITEM,
        source_id=order.pk,
        key=f"assigned:work_item:{order.pk}",
        title=order.name,
        url=reverse("engine:task", args=[order.pk]),
    )
    assert note.title == ORDER_PL  # stored as the model gives it
    client.force_login(org.sara)
    for url in (reverse("notifications:list"), reverse("notifications:menu")):
        assert ORDER_EN in read(client, url, "en")
        assert ORDER_PL in read(client, url, "pl")


def test_a_notification_of_a_deleted_task_keeps_its_stored_name(org, order):
    Notification.objects.create(
        recipient=org.sara,
        kind=Kind.ASSIGNED,
        source=Source.WORK_ITEM,
        source_id=order.pk + 1000,
        key="assigned:work_item:gone",
        title="Stare zadanie",
        url="/",
    )
    (shown,) = notification_selectors.latest(org.sara)
    assert not getattr(shown, "shown_title", "") and shown.title == "Stare zadanie"


def test_the_digest_is_written_in_the_persons_language(org, order):
    from django.template.loader import render_to_string
    from django.utils import translation

    digest = notification_selectors.digest_for(org.sara, since=clock.now() - timedelta(days=1))
    assert [item.pk for item in digest.overdue_tasks.rows] == [order.pk]
    for language, name in (("en", ORDER_EN), ("pl", ORDER_PL)):
        with translation.override(language):
            body = render_to_string(
                "notifications/digest_email.txt",
                {"user": org.sara, "digest": digest, "site": "https://crm.example"},
            )
        assert f"- {name} ·" in body


def test_the_api_gives_the_readers_name_beside_the_models(org, order):
    api = APIClient()
    api.force_authenticate(org.sara)
    english = api.get(f"/api/engine/work-items/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["name"], english["name_display"]) == (ORDER_PL, ORDER_EN)
    polish = api.get(f"/api/engine/work-items/{order.pk}/", HTTP_ACCEPT_LANGUAGE="pl").json()
    assert polish["name_display"] == ORDER_PL
    listed = api.get("/api/engine/work-items/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [row["name_display"] for row in listed] == [ORDER_EN]
    case = api.get(f"/api/engine/cases/{order.case_id}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (case["process_name"], case["process_name_display"]) == ("Zakup", "Purchase")
    assert [row["name_display"] for row in case["work_items"]] == [ORDER_EN]
    started = [row for row in case["history"] if row["kind"] == "started"]
    assert [(row["name"], row["name_display"]) for row in started] == [("Zakup", "Purchase")]


def test_the_schema_documents_the_display_names(org):
    api = APIClient()
    api.force_authenticate(org.admin)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for field in ('"name_display"', '"process_name_display"'):
        assert field in schema
    assert "Accept-Language" in schema


def test_the_account_page_shows_a_cases_step_in_the_readers_language(client, org):
    from obieg.crm.models import Account

    definition = deployed()
    account = Account.objects.create(name="Hurtownia", owner=org.sara)
    case = engine.start_case(process=definition.key, actor=org.sara, subject=account)
    assert Case.objects.filter(pk=case.pk).exists()
    client.force_login(org.sara)
    url = reverse("account_detail", args=[account.pk])
    english = read(client, url, "en")
    assert ORDER_EN in english and ORDER_PL not in english
    assert ORDER_PL in read(client, url, "pl")


def test_the_inbox_names_tasks_and_processes_in_the_readers_language(client, org, order):
    client.force_login(org.sara)
    url = reverse("engine:inbox")
    english = read(client, url, "en")
    assert ORDER_EN in english and ORDER_PL not in english
    assert ORDER_PL in read(client, url, "pl")


@pytest.mark.parametrize(("language", "name"), [("pl", ORDER_PL), ("en", ORDER_EN)])
def test_the_inbox_step_filter_names_steps_in_the_readers_language(
    client, org, order, language, name
):
    # The steps are read from the file once per version, their names per reader.
    client.force_login(org.sara)
    for reader in ("en", "pl", language):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = reader
        response = client.get(reverse("engine:inbox"), {"process": order.case.definition.key})
    assert ("order", name) in response.context["steps"]
