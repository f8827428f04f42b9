"""Issue #15's "Done when", walked as a new user would, in one browser session after another.

A process administrator draws a three-step purchase approval from scratch in
the browser (two forms in the form designer, a new decision table in the
table editor, the diagram from the context pad, every property in our
panel), deploys it; the salesperson and the sales manager run cases through
it on their task pages; the administrator lowers the threshold in the table
and adds a step, deploys version 2 and moves a waiting case after a dry run
that shows its number and steps, not its title. No file is uploaded or read.

The modeler is asked only where a connection runs on the screen (a sequence
flow has no box to click the middle of); everything else is clicked or typed.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from obieg.core import roles
from obieg.engine import spec_cache
from obieg.engine.models import Case, CaseStatus, ProcessDefinition, StudioDraft, WorkItem
from tests.browser.test_form_designer import add_field, open_group
from tests.conftest import make_user

PROCESS = "purchase_approval"


@pytest.fixture
def people(transactional_db):
    yield {
        "paula": make_user("paula", roles.PROCESS_ADMIN),
        "sara": make_user("sara", roles.SALESPERSON),
        "maria": make_user("maria", roles.SALES_MANAGER),
        "anna": make_user("anna", roles.ACCOUNTANT),
    }
    spec_cache.clear()


# --- the decision table (dmn-js) ---------------------------------------------------------------


def type_into(page, locator, text: str):
    locator.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def edit_column(page, which: str):
    """Open a column's editor (its pencil shows on hover, under the column's drag handle)."""
    page.locator(f'button[aria-label="Edit {which}"]').dispatch_event("click")
    expect(page.locator(f".context-menu .{which}-edit")).to_be_visible()


def set_type(page, type_ref: str):
    field = page.locator('.context-menu input[aria-label="Type"]')
    field.fill(type_ref)
    field.press("Enter")


def close_menu(page):
    page.locator("#tables-status").click()
    expect(page.locator(".context-menu")).to_have_count(0)


def rule_cell(page, row: int, column: str):
    return page.locator(f"#tables-canvas tbody tr:nth-child({row}) td.{column}-cell")


def add_rule(page, when: str, then: str):
    page.locator('#tables-canvas button[title="Add rule"]').click()
    row = page.locator("#tables-canvas tbody tr").count()
    page.keyboard.type(when)  # the new rule's first cell has the focus
    type_into(page, rule_cell(page, row, "output").locator(".content-editable"), then)


def save_table(page):
    page.click("#tables-save")
    expect(page.locator("#tables-status")).to_have_text("Draft saved.")


# --- the diagram (bpmn-js with our panel) ------------------------------------------------------


def shape(page, element_id: str):
    return page.locator(f'#studio-canvas [data-element-id="{element_id}"].djs-shape')


def select(page, element_id: str):
    """Click an element unless it is selected already (a second click deselects it)."""
    element = shape(page, element_id)
    if "selected" not in (element.get_attribute("class") or "").split():
        element.click()
    expect(element).to_have_class(re.compile(r"(^|\s)selected(\s|$)"))


def append(page, from_id: str, what: str, becomes: str | None = None):
    """Select an element, append `what` from its context pad, change its type if asked."""
    select(page, from_id)
    page.click(f'.djs-context-pad .entry[data-action="append.{what}"]')
    if becomes:
        page.click('.djs-context-pad .entry[data-action="replace"]')
        page.click(f'.djs-popup [data-id="replace-with-{becomes}"]')


def panel_text(page, label: str, value: str):
    field = page.locator("#studio-panel").get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def panel_pick(page, label: str, value: str):
    page.locator("#studio-panel").get_by_label(label, exact=True).select_option(value)


def name_it(page, element_id: str, name: str):
    panel_text(page, "Id", element_id)
    panel_text(page, "Name", name)
    expect(shape(page, element_id)).to_be_visible()


def click_flow(page, source: str, target: str):
    """Click the middle of the last segment of the flow from `source` to `target`."""
    point = page.evaluate(
        """([source, target]) => {
          const modeler = window.ObiegStudioEditor.modeler;
          const flow = modeler.get("elementRegistry").filter(function (element) {
            return element.type === "bpmn:SequenceFlow" && element.source.id === source
              && element.target.id === target;
          })[0];
          const [a, b] = flow.waypoints.slice(-2);
          const box = modeler.get("canvas").viewbox();
          const frame = document.getElementById("studio-canvas").getBoundingClientRect();
          return {
            x: frame.left + ((a.x + b.x) / 2 - box.x) * box.scale,
            y: frame.top + ((a.y + b.y) / 2 - box.y) * box.scale,
          };
        }""",
        [source, target],
    )
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#studio-panel")).to_contain_text("SequenceFlow")


def save_diagram(page):
    page.click("#editor-save")
    expect(page.locator("#editor-status")).to_have_text("Draft saved.")


def deploy(page, live_server):
    page.click("#editor-deploy")
    page.wait_for_url(f"{live_server.url}/work/processes/")
    expect(page.locator(".alert-success")).to_contain_text(PROCESS)


def new_form(page, key: str):
    page.click("#editor-forms")
    page.fill("#new-form input[name=key]", key)
    page.click("#new-form button[type=submit]")
    expect(page.locator("#form-designer")).to_have_attribute("data-state", "ready")


def save_form_and_go_back(page):
    page.click("#designer-save")
    expect(page.locator("#form-designer")).to_have_attribute("data-saved", "ok")
    page.click("text=Back to the diagram")
    expect(page.locator("#studio-editor")).to_have_attribute("data-state", "ready")


# --- the people who work on the cases ----------------------------------------------------------


def as_user(page, login, user):
    page.context.clear_cookies()
    return login(user)


def start_case(page, live_server, title: str):
    page.goto(f"{live_server.url}/work/cases/")
    page.click("#start-case")
    page.select_option("#id_process", PROCESS)
    page.fill("#id_title", title)
    page.click("#start-case-form button[type=submit]")


def open_task(page, live_server, case: Case, name: str):
    page.goto(f"{live_server.url}/work/")
    row = page.locator("tr", has=page.get_by_role("link", name=case.title, exact=True)).filter(
        has_text=name
    )
    row.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(r"/work/tasks/\d+/$"))
    expect(page.locator("#task-form")).to_be_visible()


def complete(page):
    page.click("#task-form [data-action=complete]")
    expect(page.locator(".alert-success").first).to_be_visible()


def request_purchase(page, live_server, title: str, item: str, amount: str) -> Case:
    start_case(page, live_server, title)
    # The starter lands on their first task: the request form.
    expect(page.locator("#task-form")).to_be_visible()
    page.get_by_label("Item").fill(item)
    page.get_by_label("Amount").fill(amount)
    complete(page)
    return Case.objects.get(title=title)


def open_elements(case: Case) -> set[str]:
    return set(
        WorkItem.objects.filter(case=case, status="open").values_list("element_id", flat=True)
    )


def test_draw_deploy_run_change_and_migrate_a_process(login, live_server, people):
    page = login(people["paula"])

    # 1. A new decision table: above 10 000 zł the manager approves.
    page.goto(f"{live_server.url}/work/processes/")
    page.click("#new-table")
    page.fill("#id_name", "Approval level")
    page.fill("#id_decision_id", "approval_level")
    page.click("#new-table-form button[type=submit]")
    expect(page.locator("#studio-tables")).to_have_attribute("data-state", "ready")
    expect(page.locator("#studio-tables .bjs-powered-by")).to_be_visible()
    edit_column(page, "input")
    type_into(page, page.locator('.context-menu [aria-label="Input label"]'), "Amount")
    type_into(page, page.locator('.context-menu [aria-label="Input expression"]'), "amount")
    set_type(page, "number")
    close_menu(page)
    edit_column(page, "output")
    type_into(page, page.locator('.context-menu [aria-label="Output label"]'), "Approval")
    page.locator('.context-menu input[aria-label="Output name"]').fill("approval")
    close_menu(page)
    add_rule(page, ">= 10000", '"manager"')
    add_rule(page, "< 10000", '"none"')
    save_table(page)
    page.click("#tables-check")
    expect(page.locator("#studio-tables")).to_have_attribute("data-checked", "ok")

    # 2. A new process, with its two forms designed first.
    page.goto(f"{live_server.url}/work/processes/")
    page.click("#new-process")
    page.fill("#id_name", "Purchase approval")
    page.fill("#id_process_id", PROCESS)
    page.click("#new-process-form button[type=submit]")
    expect(page.locator("#studio-editor")).to_have_attribute("data-state", "ready")
    new_form(page, "request")
    add_field(page, "textfield", "Text field", "Item", "item")
    open_group(page, "Validation")
    page.locator("#bio-properties-panel-required").check()
    add_field(page, "number", "Number", "Amount", "amount")
    open_group(page, "Validation")
    page.locator("#bio-properties-panel-required").check()
    save_form_and_go_back(page)
    new_form(page, "approval")
    add_field(page, "textfield", "Text field", "Comment", "comment")
    save_form_and_go_back(page)

    # 3. The diagram: request, decision, a gateway, the manager's approval, two ends.
    start = f"{PROCESS}_start"
    append(page, start, "append-task", becomes="user-task")
    name_it(page, "submit_request", "Submit the request")
    panel_pick(page, "Form", "schema:request")
    panel_pick(page, "Role", roles.SALESPERSON)
    append(page, "submit_request", "append-task", becomes="rule-task")
    name_it(page, "check_limit", "Check the approval limit")
    panel_pick(page, "Decision table", "approval_level")
    append(page, "check_limit", "gateway")
    name_it(page, "manager_needed", "Manager approval needed?")
    append(page, "manager_needed", "append-task", becomes="user-task")
    name_it(page, "approve", "Approve the purchase")
    panel_pick(page, "Form", "schema:approval")
    panel_pick(page, "Role", roles.SALES_MANAGER)
    append(page, "approve", "end-event")
    name_it(page, "approved", "Purchase approved")
    append(page, "manager_needed", "end-event")
    name_it(page, "approved_automatically", "Approved automatically")
    click_flow(page, "manager_needed", "approve")
    panel_text(page, "Taken when", '= approval = "manager"')
    click_flow(page, "manager_needed", "approved_automatically")
    panel_text(page, "Taken when", '= approval = "none"')
    save_diagram(page)
    page.click("#editor-check")
    expect(page.locator("#studio-editor")).to_have_attribute("data-checked", "ok")
    deploy(page, live_server)
    row = page.locator(f'#definition-table tr[data-process="{PROCESS}"]')
    expect(row).to_contain_text("v1")
    v1 = ProcessDefinition.objects.get(key=PROCESS)
    assert set(v1.sources) == {f"{PROCESS}.bpmn", "approval_level.dmn"}
    assert not StudioDraft.objects.exists()

    # 4. Cases run through it, each step done by the role the panel named.
    as_user(page, login, people["sara"])
    laptops = request_purchase(page, live_server, "Laptops for the designers", "Laptops", "12000")
    assert open_elements(laptops) == {"approve"}  # 12 000 ≥ 10 000: the manager approves
    monitors = request_purchase(page, live_server, "Monitors for the office", "Monitors", "7000")
    assert Case.objects.get(pk=monitors.pk).status == CaseStatus.COMPLETED  # approved by the table
    chairs = request_purchase(page, live_server, "Chairs for the warehouse", "Chairs", "15000")
    assert open_elements(chairs) == {"approve"}

    as_user(page, login, people["maria"])
    open_task(page, live_server, laptops, "Approve the purchase")
    page.get_by_label("Comment").fill("Fine, within the budget.")
    complete(page)
    laptops.refresh_from_db()
    assert laptops.status == CaseStatus.COMPLETED
    assert Decimal(laptops.data["amount"]) == 12000 and laptops.data["approval"] == "manager"

    # 5. Version 2: the threshold down to 5 000 zł, and an order step after the approval.
    as_user(page, login, people["paula"])
    page.goto(f"{live_server.url}/work/processes/{v1.pk}/")
    page.click('[data-edit-file="approval_level.dmn"]')
    expect(page.locator("#studio-tables")).to_have_attribute("data-state", "ready")
    type_into(page, rule_cell(page, 1, "input").locator(".content-editable"), ">= 5000")
    type_into(page, rule_cell(page, 2, "input").locator(".content-editable"), "< 5000")
    close_menu(page)
    save_table(page)

    page.goto(f"{live_server.url}/work/processes/{v1.pk}/")
    page.click("#edit-process")
    expect(page.locator("#studio-editor")).to_have_attribute("data-state", "ready")
    select(page, "approved")
    page.click('.djs-context-pad .entry[data-action="delete"]')
    expect(shape(page, "approved")).to_have_count(0)
    append(page, "approve", "append-task", becomes="user-task")
    name_it(page, "order_goods", "Order the goods")
    panel_pick(page, "Role", roles.ACCOUNTANT)
    append(page, "order_goods", "end-event")
    name_it(page, "ordered", "Goods ordered")
    save_diagram(page)
    deploy(page, live_server)
    expect(row).to_contain_text("v2")
    v2 = ProcessDefinition.objects.get(key=PROCESS, version=2)
    assert "&gt;= 5000" in v2.sources["approval_level.dmn"]

    # 6. Move the waiting case to v2: the dry run first, naming it by number and step.
    page.goto(f"{live_server.url}/work/processes/{v1.pk}/")
    page.click("#move-cases")
    page.select_option("#migration-target", str(v2.pk))
    page.click("#target-form button[type=submit]")
    expect(page.locator("#mapping-none")).to_be_visible()  # the case waits where v2 has it too
    page.click("#dry-run")
    dry = page.locator(f"#dry-run-result [data-case='{chairs.pk}']")
    expect(dry).to_have_attribute("data-movable", "true")
    expect(dry).to_contain_text(f"Case #{chairs.pk}")
    expect(dry).to_contain_text("Approve the purchase")
    expect(page.locator("#dry-run-result")).not_to_contain_text("Chairs for the warehouse")
    assert Case.objects.get(pk=chairs.pk).definition_id == v1.pk  # a dry run moves nothing
    page.click("#run-migration")
    expect(page.locator(f"#migration-result [data-case='{chairs.pk}']")).to_have_attribute(
        "data-moved", "true"
    )
    assert Case.objects.get(pk=chairs.pk).definition_id == v2.pk

    # 7. The moved case goes on by v2 (the new step), and the new threshold sends
    #    a 7 000 zł purchase to the manager, which v1 approved by itself.
    as_user(page, login, people["maria"])
    open_task(page, live_server, chairs, "Approve the purchase")
    complete(page)
    assert open_elements(chairs) == {"order_goods"}
    as_user(page, login, people["anna"])
    open_task(page, live_server, chairs, "Order the goods")
    complete(page)
    assert Case.objects.get(pk=chairs.pk).status == CaseStatus.COMPLETED

    as_user(page, login, people["sara"])
    screens = request_purchase(page, live_server, "Screens for the office", "Screens", "7000")
    assert screens.definition_id == v2.pk
    assert open_elements(screens) == {"approve"}
    as_user(page, login, people["maria"])
    page.goto(f"{live_server.url}/work/")
    expect(page.locator("#inbox, main")).to_contain_text("Screens for the office")
