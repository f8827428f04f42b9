"""The studio's editors draw their icons under the Content-Security-Policy.

bpmn-js and dmn-js ship their icon fonts inlined as data: URIs; font-src
'self' refuses those, and the palette and the table editor's buttons came
out as empty boxes. Their fonts are now files served by Obieg.
"""

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.engine import spec_cache
from tests.conftest import make_user
from tests.engine.conftest import DATA

LOADED = "name => document.fonts.load(`16px ${name}`).then(faces => faces.length)"


@pytest.fixture
def paula(transactional_db):
    yield make_user("paula", roles.PROCESS_ADMIN)
    spec_cache.clear()


def _refusals(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return seen


def _open_editor(page, url: str, path, editor: str) -> None:
    page.goto(f"{url}/work/processes/")
    page.set_input_files("#upload-form input[type=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.click(f".studio-draft[data-file='{path.name}'] a:has-text('Edit')")
    expect(page.locator(editor)).to_have_attribute("data-state", "ready")


def test_the_diagram_palette_and_the_table_editor_have_their_icons(login, live_server, paula):
    page = login(paula)
    refusals = _refusals(page)

    _open_editor(page, live_server.url, DATA / "approval.bpmn", "#studio-editor")
    expect(page.locator(".djs-palette .entry.bpmn-icon-task")).to_be_visible()
    assert page.evaluate(LOADED, "bpmn") > 0

    _open_editor(page, live_server.url, DATA / "volume_discount.dmn", "#studio-tables")
    assert page.evaluate(LOADED, "dmn") > 0

    assert refusals == []
