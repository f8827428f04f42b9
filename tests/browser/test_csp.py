"""The main pages work under the Content-Security-Policy: no script, style, font
or frame is refused (Chromium reports each refusal in the console)."""

import pytest
from playwright.sync_api import expect

from obieg.engine import registry, spec_cache
from obieg.engine.runtime import services as engine
from obieg.scheduling import crews, events
from tests.engine.conftest import OfferForm, deploy_samples
from tests.factories import OpportunityFactory
from tests.scheduling.conftest import at


@pytest.fixture
def violations(page):
    """Console messages and page errors that mention the policy, as they come."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(f"{page.url}: {message.text}")
        if "Content Security Policy" in message.text
        else None,
    )
    page.on("pageerror", lambda error: seen.append(f"{page.url}: {error}"))
    return seen


@pytest.fixture
def offer_case(transactional_db, org):
    registry.register_form("tests.offer", OfferForm)
    deploy_samples("approval.bpmn")
    yield engine.start_case(process="offer_approval", actor=org.manager, title="Dach Kowalskich")
    registry.unregister("tests.offer")
    spec_cache.clear()


def test_the_main_pages_raise_no_policy_violation(org, login, live_server, violations, offer_case):
    OpportunityFactory(owner=org.manager, account__owner=org.manager, name="Dach Nowaków")
    crew = crews.crew_create(actor=org.manager, data={"name": "Ekipa Dach"})
    events.event_create(
        actor=org.manager,
        crew=crew,
        title="Montaż Kowalski",
        start=at(2026, 12, 21, 8),
        end=at(2026, 12, 21, 16),
    )
    url = live_server.url
    org.manager.is_staff = org.manager.is_superuser = True  # for the admin's pages
    org.manager.save()

    page = login(org.manager)
    expect(page.locator("nav.navbar")).to_be_visible()

    page.goto(f"{url}/opportunities/pipeline/")
    expect(page.locator(".kanban-card", has_text="Dach Nowaków")).to_be_visible()

    page.goto(f"{url}/work/cases/{offer_case.pk}/")
    expect(page.locator("#bpmn-diagram")).to_have_attribute("data-state", "ready")

    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{url}/scheduling/?date=2026-12-21")
    expect(page.locator(".ec-event", has_text="Montaż Kowalski")).to_be_visible()

    page.goto(f"{url}/work/")
    # htmx loads the Team link after the page: htmx works under the policy.
    expect(page.locator("#nav-team a")).to_be_visible()

    page.goto(f"{url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Obieg API")

    page.goto(f"{url}/no-such-page/")
    expect(page.locator("#error-page")).to_be_visible()

    # Where an administrator unlocks a log-in, and a form with the admin's scripts.
    page.goto(f"{url}/admin/axes/accessattempt/")
    expect(page.locator("#changelist")).to_be_visible()
    page.goto(f"{url}/admin/core/user/{org.sara.pk}/change/")
    expect(page.locator("#user_form")).to_be_visible()

    page.goto(f"{url}/pv/lead/")
    expect(page.locator("form")).to_be_visible()

    assert violations == []


def test_the_language_menu_works_without_an_inline_handler(org, login, live_server, violations):
    page = login(org.sara)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.select_option('select[name="language"]', "pl")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    assert violations == []


def test_the_inbox_process_filter_sends_itself_and_forgets_the_old_step(
    org, login, live_server, violations, offer_case
):
    page = login(org.sara)
    page.goto(f"{live_server.url}/work/?process=offer_approval&step=prepare_offer")
    expect(page.locator("#id_step")).to_have_value("prepare_offer")
    with page.expect_navigation():
        page.select_option("#id_process", "")
    assert "step=prepare_offer" not in page.url
    with page.expect_navigation():
        page.select_option("#id_process", "offer_approval")
    assert "process=offer_approval" in page.url
    expect(page.locator("#id_step")).to_have_value("")
    assert violations == []
