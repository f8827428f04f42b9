"""A process administrator uploads a model with a problem, sees it on the diagram, fixes it in
the editor, deploys it and downloads the new version."""

import re

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.engine import registry, spec_cache
from obieg.engine.models import ProcessDefinition
from tests.conftest import make_user
from tests.engine.conftest import DATA, record_call

UNKNOWN_ACTION = DATA / "refused" / "unknown_action.bpmn"


@pytest.fixture
def studio(transactional_db):
    registry.register_action("tests.record", record_call)
    yield make_user("paula", roles.PROCESS_ADMIN)
    registry.unregister("tests.record")
    spec_cache.clear()


def marker(name: str) -> re.Pattern:
    return re.compile(rf"(^|\s){name}(\s|$)")


def test_upload_see_the_problem_fix_it_deploy_and_download(login, live_server, studio):
    page = login(studio)
    page.goto(f"{live_server.url}/work/processes/")
    page.set_input_files("#upload-form input[type=file]", str(UNKNOWN_ACTION))
    page.click("#upload-form button[type=submit]")

    # Every problem is listed and marked on its element; nothing can be deployed.
    expect(page.locator("#check-result")).to_have_attribute("data-refused", "true")
    expect(page.locator(".studio-findings")).to_contain_text("tests.no_such_action")
    diagram = page.locator(".studio-diagram")
    expect(diagram).to_have_attribute("data-state", "ready")
    expect(diagram.locator('[data-element-id="launch"].djs-element')).to_have_class(
        marker("studio-refused")
    )
    expect(diagram.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io mark (licence)
    expect(page.locator("#deploy-form button[type=submit]")).to_be_disabled()

    # Fix it in the editor: pick a registered action from the panel's list.
    page.click(".studio-draft a:has-text('Edit')")
    editor = page.locator("#studio-editor")
    expect(editor).to_have_attribute("data-state", "ready")
    expect(page.locator("#studio-canvas .bjs-powered-by")).to_be_visible()
    page.click("#editor-check")
    expect(editor).to_have_attribute("data-checked", "refused")
    expect(page.locator('#studio-canvas [data-element-id="launch"].djs-element')).to_have_class(
        marker("studio-refused")
    )
    page.locator('#studio-canvas [data-element-id="launch"].djs-element').click()
    action = page.get_by_label("Action")
    expect(action).to_have_value("tests.no_such_action")
    action.select_option("tests.record")
    page.click("#editor-save")
    expect(page.locator("#editor-status")).to_have_text("Draft saved.")
    page.click("#editor-check")
    expect(editor).to_have_attribute("data-checked", "ok")
    expect(page.locator("#studio-canvas .studio-refused")).to_have_count(0)

    page.click("#editor-deploy")
    page.wait_for_url(f"{live_server.url}/work/processes/")
    row = page.locator('#definition-table tr[data-process="refused_unknown_action"]')
    expect(row).to_contain_text("v1")
    expect(row).to_contain_text("Paula")

    version = ProcessDefinition.objects.get(key="refused_unknown_action")
    assert 'obieg:action="tests.record"' in version.bpmn
    page.goto(f"{live_server.url}/work/processes/{version.pk}/")
    with page.expect_download() as download_info:
        page.click("#download-process")
    download = download_info.value
    assert download.suggested_filename == "unknown_action.bpmn"
    assert 'obieg:action="tests.record"' in open(download.path(), encoding="utf-8").read()
