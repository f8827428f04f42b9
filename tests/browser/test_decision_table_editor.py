"""A process administrator changes a rule of a decision table in the browser (dmn-js) and
validates it; the draft keeps the change."""

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.engine import spec_cache
from obieg.engine.models import StudioDraft
from tests.conftest import make_user
from tests.engine.conftest import DATA

TABLE = DATA / "volume_discount.dmn"


@pytest.fixture
def paula(transactional_db):
    yield make_user("paula", roles.PROCESS_ADMIN)
    spec_cache.clear()


def test_change_a_threshold_in_the_table_and_save_it(login, live_server, paula):
    page = login(paula)
    page.goto(f"{live_server.url}/work/processes/")
    page.set_input_files("#upload-form input[type=file]", str(TABLE))
    page.click("#upload-form button[type=submit]")
    page.click(".studio-draft[data-file='volume_discount.dmn'] a:has-text('Edit')")
    editor = page.locator("#studio-tables")
    expect(editor).to_have_attribute("data-state", "ready")
    expect(page.locator("#tables-views .nav-link.active")).to_have_text(
        "Discount for the installed power"
    )

    uploaded = StudioDraft.objects.get(file_name="volume_discount.dmn").revision
    cell = page.locator('td[data-element-id="rule_large_power"] .content-editable')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(">= 40")
    page.locator("#tables-status").click()  # leave the cell
    expect(page.locator("#tables-status")).to_have_text("Changed; not saved yet.")
    page.click("#tables-check")  # saves first, then checks the solution's drafts
    expect(editor).to_have_attribute("data-checked", "ok")

    draft = StudioDraft.objects.get(file_name="volume_discount.dmn")
    assert "&gt;= 40" in draft.xml and "&gt;= 50" not in draft.xml
    assert draft.revision == uploaded + 1
