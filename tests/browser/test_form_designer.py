"""A process administrator designs a two-field task form, attaches it to a task and deploys;
the assigned role fills it in, and the server refuses a bad value beside its field."""

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.engine import spec_cache
from obieg.engine.models import ProcessDefinition, WorkItem, WorkItemStatus
from obieg.engine.runtime import services as engine
from tests.conftest import make_user
from tests.engine.forms_schema.conftest import DATA

REQUEST = DATA / "request.bpmn"


@pytest.fixture
def people(transactional_db):
    yield make_user("paula", roles.PROCESS_ADMIN), make_user("sara", roles.SALESPERSON)
    spec_cache.clear()


def add_field(page, field_type: str, type_name: str, label: str, key: str):
    """Drag a field from the palette onto the form, then name it in the properties panel."""
    source = page.locator(f'.fjs-palette-field[data-field-type="{field_type}"]')
    # The form's drop area: its last row, or the empty form's card.
    target = page.locator(".fjs-editor-container .fjs-children.fjs-drop-container-vertical").first
    source.hover()
    page.mouse.down()
    box = target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 10, steps=12)
    page.mouse.up()
    # The panel shows the new field before anything is typed into it.
    expect(page.locator(".bio-properties-panel-header-type")).to_have_text(type_name)
    open_group(page, "General")
    page.locator("#bio-properties-panel-label").fill(label)
    page.locator("#bio-properties-panel-label").press("Tab")
    expect(page.locator(".bio-properties-panel-header-label")).to_have_text(label)
    page.locator("#bio-properties-panel-key").fill(key)
    page.locator("#bio-properties-panel-key").press("Tab")


def open_group(page, title: str):
    header = page.locator(".bio-properties-panel-group-header", has_text=title).first
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def test_design_attach_deploy_and_fill_in_a_form(login, live_server, people):
    paula, sara = people
    page = login(paula)
    page.goto(f"{live_server.url}/work/processes/")
    page.set_input_files("#upload-form input[type=file]", str(REQUEST))
    page.click("#upload-form button[type=submit]")
    page.click(".studio-draft a:has-text('Edit')")
    expect(page.locator("#studio-editor")).to_have_attribute("data-state", "ready")

    # A new form, designed with the form-js editor: a required text and a bounded number.
    page.click("#editor-forms")
    page.fill("#new-form input[name=key]", "request")
    page.click("#new-form button[type=submit]")
    designer = page.locator("#form-designer")
    expect(designer).to_have_attribute("data-state", "ready")
    add_field(page, "textfield", "Text field", "Supplier", "supplier")
    open_group(page, "Validation")
    page.locator("#bio-properties-panel-required").check()
    add_field(page, "number", "Number", "Amount", "amount")
    open_group(page, "Validation")
    page.locator("#bio-properties-panel-max").fill("5000")
    page.locator("#bio-properties-panel-max").press("Tab")
    page.click("#designer-save")
    expect(designer).to_have_attribute("data-saved", "ok")

    # Back in the diagram, the task picks the form from the list; deploy.
    page.click("text=Back to the diagram")
    expect(page.locator("#studio-editor")).to_have_attribute("data-state", "ready")
    page.locator('#studio-canvas [data-element-id="fill_request"].djs-element').click()
    page.get_by_label("Form").select_option("schema:request")
    page.click("#editor-save")
    expect(page.locator("#editor-status")).to_have_text("Draft saved.")
    page.click("#editor-deploy")
    page.wait_for_url(f"{live_server.url}/work/processes/")
    version = ProcessDefinition.objects.get(key="purchase_request")
    assert 'obieg:form="schema:request"' in version.bpmn

    # The salesperson fills it in: a bad amount comes back beside its field, nothing is done.
    case = engine.start_case(process="purchase_request", actor=sara, title="Inverters")
    item = WorkItem.objects.get(case=case, element_id="fill_request")
    page.context.clear_cookies()
    login(sara)
    page.goto(f"{live_server.url}/work/tasks/{item.pk}/")
    page.get_by_label("Supplier").fill("Hurtownia Solar")
    page.get_by_label("Amount").fill("9000")
    page.click("#task-form [data-action=complete]")
    expect(page.locator("#id_amount_errors")).to_contain_text("less than or equal to 5000")
    item.refresh_from_db()
    assert item.status == WorkItemStatus.OPEN

    page.get_by_label("Amount").fill("1200")
    page.click("#task-form [data-action=complete]")
    expect(page.locator(".alert-success, .alert").first).to_be_visible()
    item.refresh_from_db()
    assert item.status == WorkItemStatus.COMPLETED
    case.refresh_from_db()
    assert case.data["supplier"] == "Hurtownia Solar"
