"""A PV case read in Polish and in English: the task names switch with the header's language."""

import re

import pytest
from playwright.sync_api import expect

from tests.solutions.pv_installation.conftest import profile, pv_setup  # noqa: F401 (fixtures)
from tests.solutions.pv_installation.helpers import new_project

pytestmark = pytest.mark.usefixtures("transactional_db", "pv_setup", "profile")

AUDIT_EN = "Audit at the customer's site"
AUDIT_PL = "Audyt u klienta"


@pytest.fixture
def browser_context_args(browser_context_args):
    """A Polish person's browser: it asks for Polish first (Accept-Language)."""
    return {**browser_context_args, "locale": "pl-PL"}


def switch_language(page, code: str) -> None:
    """The header's language switch, as a person uses it (it submits on change)."""
    with page.expect_navigation():
        page.select_option("select[name=language]", code)


def test_the_case_and_task_pages_name_the_step_in_the_chosen_language(
    page, live_server, login, org, settings
):
    settings.LANGUAGE_CODE = "pl"  # the site's language
    project = new_project(org)
    case = project.case
    audit = case.work_items.get(element_id="audit")
    login(org.sara)

    page.goto(f"{live_server.url}/work/cases/{case.pk}/")
    tasks = page.locator("main")
    expect(tasks).to_contain_text(AUDIT_PL)
    expect(tasks).not_to_contain_text(AUDIT_EN)

    switch_language(page, "en")
    expect(page).to_have_url(re.compile(rf"/work/cases/{case.pk}/$"))
    expect(tasks).to_contain_text(AUDIT_EN)
    expect(tasks).not_to_contain_text(AUDIT_PL)
    # The drawing too: the server hands bpmn-js the file with the reader's names.
    diagram = page.locator("[data-diagram-url]")
    expect(diagram).to_have_attribute("data-state", "ready")
    expect(diagram.locator('[data-element-id="audit"]')).to_contain_text("Audit at the")

    page.goto(f"{live_server.url}/work/tasks/{audit.pk}/")
    expect(page.locator("#task-name")).to_have_text(AUDIT_EN)

    switch_language(page, "pl")
    expect(page.locator("#task-name")).to_have_text(AUDIT_PL)
    page.goto(f"{live_server.url}/work/cases/{case.pk}/")
    expect(tasks).to_contain_text(AUDIT_PL)
    expect(diagram).to_have_attribute("data-state", "ready")
    expect(diagram.locator('[data-element-id="audit"]')).to_contain_text("Audyt u klienta")


def test_the_form_designer_takes_a_fields_label_in_each_language(page, live_server, login, org):
    """The designer's "Words in each language" panel writes `label:pl` into the schema."""
    from obieg.core import roles
    from obieg.engine.form_schema import embedded
    from obieg.engine.models import StudioDraft
    from tests.browser.test_form_designer import REQUEST, add_field, open_group
    from tests.conftest import make_user

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    login(make_user("paula", roles.PROCESS_ADMIN))
    page.goto(f"{live_server.url}/work/processes/")
    page.set_input_files("#upload-form input[type=file]", str(REQUEST))
    page.click("#upload-form button[type=submit]")
    page.click(".studio-draft a:has-text('Edit')")
    page.click("#editor-forms")
    page.fill("#new-form input[name=key]", "request")
    page.click("#new-form button[type=submit]")
    designer = page.locator("#form-designer")
    expect(designer).to_have_attribute("data-state", "ready")
    panel = page.locator("#designer-translations")
    expect(panel).to_contain_text("Select a field")

    add_field(page, "textfield", "Text field", "Supplier", "supplier")
    panel.get_by_label("Label (Polish)").fill("Dostawca")
    panel.get_by_label("Label (Polish)").press("Tab")
    # form-js's own "Custom properties" group shows the same entry.
    open_group(page, "Custom properties")
    expect(page.locator(".fjs-properties-container")).to_contain_text("label:pl")
    page.click("#designer-save")
    expect(designer).to_have_attribute("data-saved", "ok")
    draft = StudioDraft.objects.get()
    (field,) = [c for c in embedded.schemas_in(draft.xml)["request"]["components"]]
    assert field["properties"] == {"label:pl": "Dostawca"}
