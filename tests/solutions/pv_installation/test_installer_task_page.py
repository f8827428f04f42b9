"""The installer's task page: the job at hand (address, phone, navigation, day, parts), no money."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from obieg.engine.models import WorkItem
from obieg.scheduling.models import CalendarEvent
from obieg.solutions.pv_installation import services
from tests.solutions.pv_installation.conftest import WORK_START
from tests.solutions.pv_installation.helpers import (
    case_of,
    complete,
    new_project,
    plan,
    reload,
    to_contract_sent,
)

PAID = {"paid_on": timezone.localdate().isoformat(), "payment_reference": "PRZELEW-ZAL-7781"}
ADDRESS = "ul. Słoneczna 5, 30-001 Kraków"


def at_execution(org, roof_crew, electrical_crew, start=WORK_START):
    """A signed, paid and planned project whose crews have their tasks."""
    project = to_contract_sent(org, new_project(org))
    services.customer_accept_contract(project=project, contract_id=project.contract_id)
    project = reload(project)
    complete(case_of(project), "record_advance_payment", org.accountant, PAID)
    plan(org, project, roof_crew, electrical_crew, start)
    return reload(project)


def task(project, element) -> WorkItem:
    return WorkItem.objects.get(case_id=project.case_id, element_id=element, status="open")


@pytest.fixture
def project(org, roof_crew, electrical_crew):
    return at_execution(org, roof_crew, electrical_crew)


def test_the_roof_task_shows_where_whom_when_and_what(client, installer, project):
    client.force_login(installer)
    page = client.get(reverse("engine:task", args=[task(project, "roof_work").pk])).content.decode()

    assert 'id="work-brief"' in page
    assert ADDRESS in page  # the street and its town
    assert 'href="tel:+48600100200"' in page
    assert (
        'href="https://www.google.com/maps/dir/?api=1&amp;destination='
        "ul.%20S%C5%82oneczna%205%2C%2030-001%20Krak%C3%B3w" in page
    )
    assert 'href="geo:0,0?q=ul.%20S%C5%82oneczna%205%2C%2030-001%20Krak%C3%B3w"' in page
    planned = page[page.index('id="work-planned"') :][:400]
    assert str(WORK_START.day) in planned and str(WORK_START.year) in planned
    assert "Ekipa Dach" in planned
    assert "JA Solar JAM54S30 450" in page and "K2 Systems" in page  # the part's components
    components = page[page.index('id="work-components"') :][:2000]
    assert "ceramic tile" in components and ">tile<" not in components  # words, not codes
    assert "Konstrukcja i montaż" in page  # the materials, from the offer's lines
    assert f'action="/pv/projects/{project.pk}/upload/"' in page  # photos from the site


def test_the_installer_sees_no_costs_payments_or_customer_link(client, installer, project):
    offer_cost_line = "420"  # a module's purchase cost in the design
    client.force_login(installer)
    page = client.get(reverse("engine:task", args=[task(project, "roof_work").pk])).content.decode()

    assert "/pv/c/" not in page and "customer_link" not in page
    assert "PRZELEW-ZAL-7781" not in page and "payment_reference" not in page
    assert "unit_cost" not in page and f'"unit_cost": "{offer_cost_line}' not in page
    assert "Faktura" not in page and "Umowa " not in page and "Oferta " not in page
    # The office reads it all on the same case.
    client.force_login(project.owner)
    office = client.get(reverse("engine:case_detail", args=[project.case_id])).content.decode()
    assert "/pv/c/" in office and "PRZELEW-ZAL-7781" in office and "unit_cost" in office


def test_the_case_page_and_the_project_page_hide_the_same_from_the_installer(
    client, installer, project
):
    client.force_login(installer)
    case_page = client.get(reverse("engine:case_detail", args=[project.case_id])).content.decode()
    assert "/pv/c/" not in case_page and "PRZELEW-ZAL-7781" not in case_page
    assert "unit_cost" not in case_page and "Faktura" not in case_page
    assert "JA Solar JAM54S30 450" in case_page  # the design is theirs to read

    project_page = client.get(reverse("pv:project", args=[project.pk])).content.decode()
    assert "pv-customer-link" not in project_page and "/pv/c/" not in project_page
    assert project.advance_invoice.number not in project_page
    assert "signed_contract" not in project_page
    client.force_login(project.owner)
    assert (
        project.advance_invoice.number
        in client.get(reverse("pv:project", args=[project.pk])).content.decode()
    )


def test_the_api_gives_the_installer_the_same_narrowed_case(installer, project, org):
    api = APIClient()
    api.force_authenticate(installer)
    body = api.get(f"/api/engine/cases/{project.case_id}/").json()
    text = json.dumps(body, ensure_ascii=False)
    assert "customer_link" not in body["data"] and "lines" not in body["data"]
    assert "/pv/c/" not in text and "PRZELEW-ZAL-7781" not in text and "unit_cost" not in text
    assert body["data"]["panel_model"] == "JA Solar JAM54S30 450"
    api.force_authenticate(project.owner)
    owner = api.get(f"/api/engine/cases/{project.case_id}/").json()
    assert owner["data"]["customer_link"] and owner["data"]["lines"]


def test_both_parts_fall_due_on_their_planned_days(project):
    roof, electrical = task(project, "roof_work"), task(project, "electrical_work")
    end_of = lambda day: timezone.make_aware(datetime.combine(day, time(23, 59, 59)))  # noqa: E731
    assert roof.due_at == end_of(WORK_START)
    assert electrical.due_at == end_of(WORK_START + timedelta(days=1))


def test_my_calendar_shows_the_installers_crew_job_with_the_town(client, installer, project):
    client.force_login(installer)
    page = client.get(reverse("scheduling:my_calendar")).content.decode()
    event = CalendarEvent.objects.get(crew__members=installer)
    assert f'data-event="{event.pk}"' in page
    assert event.location == ADDRESS and ADDRESS in page


def test_a_drag_and_the_plan_form_refuse_a_holiday_in_the_same_words(
    client, org, roof_crew, electrical_crew, project
):
    event = CalendarEvent.objects.get(crew=roof_crew)
    client.force_login(org.manager)
    christmas_eve = "2026-12-24"
    dragged = client.post(
        reverse("scheduling:event_move", args=[event.pk]),
        {"start": f"{christmas_eve}T08:00:00", "end": f"{christmas_eve}T16:00:00"},
    )
    other = to_contract_sent(org, new_project(org, email="ewa@example.com"))
    services.customer_accept_contract(project=other, contract_id=other.contract_id)
    planned = client.post(
        reverse("engine:task", args=[task(other, "plan_works").pk]),
        {
            "revision": task(other, "plan_works").revision,
            "start_date": christmas_eve,
            "roof_days": "1",
            "electrical_days": "1",
            "roof_crew": roof_crew.pk,
            "electrical_crew": electrical_crew.pk,
        },
    )
    assert dragged.status_code == 400 and planned.status_code == 400
    assert dragged.json()["error"] in planned.content.decode()
