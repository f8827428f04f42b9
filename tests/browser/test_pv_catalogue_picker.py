"""The PV designer in Chromium picks catalogue items for the priced lines of the design task
(the catalogue's own picker, as on ordinary offers): typing without Polish letters finds an
item, picking it fills the line, a line added by the script picks too, a free line stays."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from obieg.catalogue.models import Product
from obieg.engine.models import WorkItem
from tests.browser.test_pv_installation import DESIGN
from tests.solutions.pv_installation.conftest import profile, pv_setup  # noqa: F401 (fixtures)
from tests.solutions.pv_installation.helpers import AUDIT, case_of, complete, new_project, reload
from tests.solutions.pv_installation.test_catalogue_lines import demo_catalogue

pytestmark = pytest.mark.usefixtures("transactional_db")
COMPONENTS = {name: value for name, value in DESIGN.items() if not name.startswith("lines-")}


def pick(page, row: int, typed: str, code: str) -> None:
    page.locator(f"#id_lines-{row}-product").press_sequentially(typed)
    option = page.locator("#catalogue-picker-menu [role=option]", has_text=code)
    expect(option).to_be_visible()
    option.click()


def test_the_designer_picks_lines_from_the_catalogue(org, login, live_server):
    project = new_project(org)
    complete(case_of(project), "audit", org.sara, AUDIT)
    demo_catalogue(org)
    item = WorkItem.objects.get(case_id=project.case_id, element_id="design", status="open")

    page = login(org.designer)
    page.goto(f"{live_server.url}/work/tasks/{item.pk}/")
    claim = page.locator('[data-action="claim"]')
    if claim.count():
        claim.click()
    for name, value in COMPONENTS.items():
        page.fill(f"[name={name}]", value)

    # "modul" finds Moduł; picking it fills the line (quantity 1 until changed).
    pick(page, 0, "modul", "PV-MOD-455")
    expect(page.locator("#id_lines-0-description")).to_have_value("Moduł fotowoltaiczny 455 Wp")
    expect(page.locator("#id_lines-0-unit")).to_have_value("szt.")
    expect(page.locator("#id_lines-0-unit_price")).to_have_value("520,00")
    expect(page.locator("#id_lines-0-unit_cost")).to_have_value("390,00")
    expect(page.locator("#id_lines-0-quantity")).to_have_value("1")
    page.fill("#id_lines-0-quantity", "14")
    page.fill("#id_lines-0-unit_price", "499,99")  # a discount for this customer

    # A free line, and a line added by the table's script picking the inverter.
    page.fill("#id_lines-1-description", "Dojazd i transport")
    page.fill("#id_lines-1-quantity", "1")
    page.fill("#id_lines-1-unit_price", "300")
    page.click("[data-add-line]")
    pick(page, 2, "falownik", "PV-INV-HYB10")
    expect(page.locator("#id_lines-2-unit_price")).to_have_value("6\xa0900,00")

    page.click('[data-action="complete"]')
    page.wait_for_url(re.compile(r"/work/"))
    page.wait_for_load_state()

    offer = reload(project).offer
    assert offer is not None
    module, travel, inverter = offer.lines.order_by("position")
    assert (module.product, module.quantity, module.unit_price, module.unit_cost) == (
        Product.objects.get(code="PV-MOD-455"),
        Decimal(14),
        Decimal("499.99"),
        Decimal("390.00"),
    )
    assert (travel.product, travel.description) == (None, "Dojazd i transport")
    assert (inverter.product.code, inverter.unit_price) == ("PV-INV-HYB10", Decimal("6900.00"))
