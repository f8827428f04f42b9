"""An installer's day in Chromium, on a phone and a desktop: the job, the report, the signature."""

# The PV fixtures are imported from their conftest and then asked for by name.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from obieg.documents.models import Document
from obieg.engine.models import Case, WorkItem
from tests.solutions.pv_installation.conftest import (  # noqa: F401 (fixtures)
    electrical_crew,
    electrician,
    installer,
    profile,
    pv_setup,
    roof_crew,
)
from tests.solutions.pv_installation.helpers import case_of, complete
from tests.solutions.pv_installation.test_installer_task_page import at_execution

pytestmark = pytest.mark.usefixtures("transactional_db")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ROOF = {"panel_serials": "JA001\nJA002", "roof_mounting_checked": "on", "roof_sealed": "on"}


def open_task(page, live_server, project, element):
    item = WorkItem.objects.get(case_id=project.case_id, element_id=element, status="open")
    page.goto(f"{live_server.url}/work/tasks/{item.pk}/")
    return item


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_roof_crew_finds_the_job_and_reports_it(
    org, login, live_server, installer, roof_crew, electrical_crew, viewport
):
    project = at_execution(org, roof_crew, electrical_crew)
    page = login(installer)
    page.set_viewport_size(viewport)
    item = open_task(page, live_server, project, "roof_work")

    brief = page.locator("#work-brief")
    expect(brief).to_be_visible()
    expect(page.locator("#work-address")).to_contain_text("ul. Słoneczna 5, 30-001 Kraków")
    navigate = page.locator("#work-navigate")
    expect(navigate).to_be_visible()
    assert navigate.get_attribute("href").startswith("https://www.google.com/maps/dir/?api=1")
    expect(page.locator("#work-phone")).to_have_attribute("href", "tel:+48600100200")
    expect(page.locator("#work-planned")).to_contain_text("Ekipa Dach")
    expect(page.locator("#work-components")).to_contain_text("JA Solar JAM54S30 450")
    assert fits(page)
    if viewport is PHONE:
        # On a phone the job comes first: above the form, in the first screenful.
        assert navigate.bounding_box()["y"] < PHONE["height"]
        assert brief.bounding_box()["y"] < page.locator("#task-form").bounding_box()["y"]
    html = page.content()
    assert "/pv/c/" not in html and "PRZELEW" not in html and "unit_cost" not in html

    page.fill("[name=panel_serials]", "JA001\nJA002")
    page.check("[name=roof_mounting_checked]")
    page.check("[name=roof_sealed]")
    page.click('[data-action="complete"]')
    # Planned two weeks ahead: the form asks whether it really is done already.
    expect(page.locator("#id_roof_confirm_early_errors")).to_be_visible()
    assert WorkItem.objects.get(pk=item.pk).status == "open"
    page.check("[name=roof_confirm_early]")
    page.click('[data-action="complete"]')
    expect(page.locator(".alert-success")).to_be_visible()
    assert WorkItem.objects.get(pk=item.pk).status == "completed"


def draw_signature(page):
    pad = page.locator("canvas[id$=_pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x, y = box["x"], box["y"] + box["height"] / 2
    page.mouse.move(x + 20, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + 20 + step * box["width"] / 14, y + (-1) ** step * box["height"] / 4)
    page.mouse.up()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_customer_signs_on_the_phone_and_the_protocol_carries_it(
    org, login, live_server, installer, electrician, roof_crew, electrical_crew, viewport
):
    project = at_execution(org, roof_crew, electrical_crew)
    complete(case_of(project), "roof_work", installer, {**ROOF, "roof_confirm_early": "on"})
    page = login(electrician)
    page.set_viewport_size(viewport)
    open_task(page, live_server, project, "electrical_work")

    page.fill("[name=inverter_serial]", "FR-123")
    for name in ("dc_tests_done", "grounding_checked", "commissioned", "electrical_confirm_early"):
        page.check(f"[name={name}]")
    expect(page.locator("[data-signature-pad]")).to_have_attribute("data-ready", "true")
    assert fits(page)
    page.click('[data-action="complete"]')
    expect(page.locator("#id_customer_signature_errors")).to_be_visible()  # not signed yet

    draw_signature(page)
    expect(page.locator("[data-signature-pad]")).to_have_attribute("data-signed", "true")
    assert page.input_value("[name=customer_signature]").startswith("data:image/png;base64,")
    page.fill("[name=signed_by]", "Jan Kowalski")
    page.click('[data-action="complete"]')
    expect(page.locator(".alert-success")).to_be_visible()

    case = Case.objects.get(pk=project.case_id)
    assert case.data["works_completed_on"]
    protocol = Document.objects.get(kind="protocol", subject_id=project.pk)
    assert protocol.versions.count() == 1


def test_clearing_the_pad_empties_the_signature(
    org, login, live_server, installer, electrician, roof_crew, electrical_crew
):
    project = at_execution(org, roof_crew, electrical_crew)
    complete(case_of(project), "roof_work", installer, {**ROOF, "roof_confirm_early": "on"})
    page = login(electrician)
    page.set_viewport_size(PHONE)
    open_task(page, live_server, project, "electrical_work")
    expect(page.locator("[data-signature-pad]")).to_have_attribute("data-ready", "true")
    draw_signature(page)
    assert page.input_value("[name=customer_signature]")
    page.click("[data-signature-clear]")
    assert page.input_value("[name=customer_signature]") == ""
    expect(page.locator("[data-signature-pad]")).to_have_attribute("data-signed", "false")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_my_calendar_shows_the_crews_next_jobs_with_a_way_there(
    org, login, live_server, installer, roof_crew, electrical_crew, viewport
):
    at_execution(org, roof_crew, electrical_crew)
    page = login(installer)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/scheduling/me/")
    job = page.locator(".my-event", has_text="część dachowa")
    expect(job).to_be_visible()
    expect(job).to_contain_text("Ekipa Dach")
    expect(job).to_contain_text("ul. Słoneczna 5, 30-001 Kraków")
    link = job.get_by_role("link", name="Navigate")
    assert link.get_attribute("href").startswith("https://www.google.com/maps/dir/?api=1")
    # The electrical crew's job is not this installer's.
    expect(page.locator(".my-event", has_text="część elektryczna")).to_have_count(0)
    assert fits(page)
    if viewport is PHONE:  # the day's work before the calendar settings
        assert job.bounding_box()["y"] < page.locator("#feed").bounding_box()["y"]
