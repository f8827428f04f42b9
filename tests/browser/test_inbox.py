"""A salesperson claims a task from the group queue, completes it, and sees the diagram move."""

import re

import pytest
from playwright.sync_api import expect

from obieg.engine import registry, spec_cache
from obieg.engine.runtime import services as engine
from tests.engine.conftest import OfferForm, deploy_samples


@pytest.fixture
def offer_process(transactional_db):
    """The two-step sample: "Prepare the offer" (salespeople's queue), then "Send the offer"."""
    registry.register_form("tests.offer", OfferForm)
    deploy_samples("approval.bpmn")
    yield
    registry.unregister("tests.offer")
    spec_cache.clear()


def marker(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){name}(\s|$)")


def diagram_element(page, element_id: str):
    return page.locator(f'#bpmn-diagram [data-element-id="{element_id}"]')


def open_case_diagram(page, url: str):
    page.goto(url)
    expect(page.locator("#bpmn-diagram")).to_have_attribute("data-state", "ready")
    # The licence asks for the bpmn.io mark to stay visible.
    expect(page.locator("#bpmn-diagram .bjs-powered-by")).to_be_visible()


def test_claim_complete_and_watch_the_diagram_move(org, login, live_server, offer_process):
    case = engine.start_case(process="offer_approval", actor=org.sara, title="Dach Kowalskich")
    case_url = f"{live_server.url}/work/cases/{case.pk}/"
    page = login(org.sara)

    open_case_diagram(page, case_url)
    expect(diagram_element(page, "prepare_offer")).to_have_class(marker("obieg-active"))
    expect(diagram_element(page, "start")).to_have_class(marker("obieg-completed"))

    page.goto(f"{live_server.url}/work/")
    expect(page.locator("#inbox-badge .badge")).to_have_text("1")
    row = page.locator('#inbox-table tr[data-element="prepare_offer"]')
    expect(row).to_contain_text("Dach Kowalskich")
    row.locator('[data-action="claim"]').click()

    expect(page.locator("#task-name")).to_have_text("Prepare the offer")
    page.fill("input[name=margin]", "123.45")  # more digits than the form allows
    page.click('[data-action="complete"]')
    expect(page.locator("#id_margin")).to_have_class(marker("is-invalid"))

    page.fill("input[name=margin]", "0.25")
    page.fill("input[name=note]", "Panele 450 W")
    page.click('[data-action="complete"]')

    expect(page.locator("#task-name")).to_have_text("Send the offer")
    expect(page.locator(".alert-success")).to_contain_text("“Prepare the offer” is done.")

    open_case_diagram(page, case_url)
    expect(diagram_element(page, "send_offer")).to_have_class(marker("obieg-active"))
    expect(diagram_element(page, "prepare_offer")).to_have_class(marker("obieg-completed"))
    expect(diagram_element(page, "prepare_offer")).not_to_have_class(marker("obieg-active"))
    expect(page.locator("#case-history")).to_contain_text("Task completed")


def test_a_manager_hands_a_task_over_on_the_team_page(org, login, live_server, offer_process):
    case = engine.start_case(process="offer_approval", actor=org.sara)
    item = engine.claim(work_item=case.work_items.get(), actor=org.tomasz)
    page = login(org.manager)

    page.locator("#nav-team a").click()  # the Team link arrives with the badge request
    expect(page.locator('#team-load [data-person="tomasz"] [data-count="open"]')).to_have_text("1")
    page.select_option(f"#to-{item.pk}", str(org.sara.pk))
    page.locator(f'#team-item-{item.pk} [data-action="reassign"]').click()

    expect(page.locator(".alert-success")).to_contain_text("now belongs to Sara")
    expect(page.locator('#team-load [data-person="sara"]')).to_be_visible()
