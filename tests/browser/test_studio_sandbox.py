"""A process administrator tries a draft in a test run: does each task as its role, sees what the
mail action would have sent (nothing is sent), fires the timer, and discards the run."""

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.core.models import Department
from obieg.engine import registry, spec_cache
from obieg.engine.models import Case, StudioDraft
from obieg.mail.models import OutboxMessage
from tests.conftest import make_user
from tests.engine.conftest import OfferForm
from tests.engine.sandbox.conftest import TRIAL, mail_customer


@pytest.fixture
def studio(transactional_db):
    registry.register_form("tests.offer", OfferForm)
    registry.register_action("tests.sandbox_mail", mail_customer)
    Department.objects.create(code="board_dept", name="Board")
    admin = make_user("paula", roles.PROCESS_ADMIN)
    StudioDraft.objects.create(solution="", file_name="trial.bpmn", xml=TRIAL, updated_by=admin)
    yield admin
    registry.unregister("tests.offer")
    registry.unregister("tests.sandbox_mail")
    spec_cache.clear()


def test_try_a_draft_step_through_it_and_discard_it(login, live_server, studio):
    page = login(studio)
    page.goto(f"{live_server.url}/work/processes/drafts/?solution=")
    page.click("[data-action=test-run]")
    page.fill("#id_start_data", '{"amount": 1200}')
    page.click("[data-action=start-test-run]")

    expect(page.locator("#sandbox-badge")).to_be_visible()
    waiting = page.locator("#sandbox-waiting")
    expect(waiting).to_contain_text("would go to the role accountant")
    # (The sample has no diagram interchange, so the viewer says it cannot draw it.)

    # The accountant's task, done by the process administrator as the accountant.
    waiting.locator("[data-action=open-task]").click()
    expect(page.locator("#sandbox-acting-as")).to_contain_text("accountant")
    page.fill("#id_margin", "0.25")
    page.click("[data-action=complete]")

    # The mail action ran in rehearsal: the history says what it would have sent.
    expect(page.locator("#case-history")).to_contain_text("customer@example.com")
    expect(waiting).to_contain_text("would go to the department Board")
    assert not OutboxMessage.objects.exists()

    waiting.locator("[data-action=open-task]").click()
    page.click("[data-action=complete]")
    page.click("[data-action=fire-timer]")
    waiting.locator("[data-action=open-task]").click()
    page.click("[data-action=complete]")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "completed")

    page.click("[data-action=discard]")
    page.click("[data-action=confirm-discard]")
    expect(page.locator("#no-drafts, .studio-draft").first).to_be_visible()
    assert not Case.all_objects.exists()
