"""The designer's lines picked from the catalogue, as ordinary offer lines are
(catalogue.offer_lines): a code fills the line, the line keeps its own copy, free text
stays, and the offer line refers to the item."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse

from obieg.catalogue import services as catalogue
from obieg.catalogue.models import Product
from obieg.demo.catalogue import ITEMS
from obieg.engine.models import WorkItem
from obieg.solutions.pv_installation import services
from obieg.solutions.pv_installation.forms import DesignForm
from obieg.solutions.pv_installation.offer_lines import OfferLinesField
from tests.catalogue.helpers import add_item
from tests.solutions.pv_installation.helpers import (
    AUDIT,
    DESIGN,
    case_of,
    complete,
    new_project,
    open_items,
    reload,
)

ROW = ("product", "product_filled", "description", "quantity", "unit", "unit_cost", "unit_price")


def demo_catalogue(org) -> None:
    """The demo's PV items (demo/catalogue.py), added by the sales manager."""
    for code, name, kind, unit, cost, price, vat in ITEMS:
        if code.startswith("PV-"):
            add_item(
                org.manager,
                code,
                name,
                kind=kind,
                unit=unit,
                unit_cost=Decimal(cost),
                unit_price=Decimal(price),
                vat_rate=vat,
            )


def table(*rows) -> dict[str, str]:
    """The table's inputs as the page posts them, with the item and filled-from columns."""
    posted = {}
    for index, values in enumerate(rows):
        for name, value in zip(ROW, values, strict=True):
            posted[f"lines-{index}-{name}"] = value
    return posted


def design_item(project) -> WorkItem:
    return WorkItem.objects.get(case_id=project.case_id, element_id="design", status="open")


def at_design(org):
    project = new_project(org)
    complete(case_of(project), "audit", org.sara, AUDIT)
    demo_catalogue(org)
    return project


def submit(client, project, lines: dict[str, str]):
    item = design_item(project)
    fields = {name: value for name, value in DESIGN.items() if name != "lines"}
    return client.post(
        reverse("engine:task", args=[item.pk]), {"revision": item.revision, **fields, **lines}
    )


def inputs(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(lines-\d+-\w+)"[^>]*value="([^"]*)"', page))


def test_the_design_task_has_the_catalogue_picker(client, org):
    project = at_design(org)
    client.force_login(org.designer)
    page = client.get(reverse("engine:task", args=[design_item(project).pk])).content.decode()
    assert 'name="lines-0-product"' in page and "data-catalogue-picker" in page
    assert 'name="lines-0-product_filled"' in page
    assert 'id="catalogue-items"' in page and 'data-matches-url="/catalogue/matches/"' in page
    assert 'src="/static/catalogue/line_picker.js"' in page
    # The page lists no prices itself: the picker asks the server, which checks the reader.
    assert "PV-MOD-455" not in page


def test_a_code_typed_without_a_script_fills_the_line_on_saving_and_free_text_stays(client, org):
    project = at_design(org)
    client.force_login(org.designer)
    response = submit(
        client,
        project,
        table(
            ("pv-mod-455", "", "", "14", "", "", ""),
            ("PV-MONIT", "", "", "", "", "", ""),  # 23 % in the catalogue
            ("", "", "Dojazd i transport", "1", "usł.", "100", "300"),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    project = reload(project)
    lines = list(project.offer.lines.order_by("position"))
    module, monitoring, free = lines
    assert module.product == Product.objects.get(code="PV-MOD-455")
    assert (module.description, module.quantity, module.unit) == (
        "Moduł fotowoltaiczny 455 Wp",
        Decimal(14),
        "szt.",
    )
    assert (module.unit_price, module.unit_cost) == (Decimal("520.00"), Decimal("390.00"))
    assert (monitoring.quantity, monitoring.unit_price) == (Decimal(1), Decimal("600.00"))
    # The case decides the installation's VAT rate, not the item.
    assert {line.vat_rate for line in lines} == {case_of(project).data["vat_rate"]}
    assert (free.product, free.description) == (None, "Dojazd i transport")

    stored = case_of(project).data["lines"]
    assert stored[0]["product"] == "PV-MOD-455" and stored[1]["product"] == "PV-MONIT"
    assert "product" not in stored[2]  # a free line keeps its old shape


def test_what_the_designer_changes_after_picking_is_kept(client, org):
    project = at_design(org)
    client.force_login(org.designer)
    response = submit(
        client,
        project,
        table(
            # Picked (filled from PV-MOD-455), then discounted and renamed.
            ("PV-MOD-455", "PV-MOD-455", "Moduł 455 Wp (rabat)", "14", "szt.", "390", "480"),
            # Filled from the optimiser, then the item changed to the inverter: filled anew.
            ("PV-INV-HYB10", "PV-OPT", "Optymalizator mocy", "1", "szt.", "180", "290"),
        ),
    )
    assert response.status_code == 302
    module, inverter = reload(project).offer.lines.order_by("position")
    assert (module.description, module.unit_price) == ("Moduł 455 Wp (rabat)", Decimal("480"))
    assert module.product.code == "PV-MOD-455"
    assert (inverter.description, inverter.unit_price) == (
        "Falownik hybrydowy 10 kW",
        Decimal("6900.00"),
    )


def test_an_unknown_or_withdrawn_code_is_its_lines_error_and_the_page_shows_what_was_filled(
    client, org
):
    project = at_design(org)
    withdrawn = Product.objects.get(code="PV-OPT")
    catalogue.product_set_active(actor=org.manager, product=withdrawn, active=False)
    client.force_login(org.designer)
    response = submit(
        client,
        project,
        table(
            ("PV-MOD-455", "", "", "14", "", "", ""),
            ("NIE-MA", "", "Coś", "1", "szt.", "0", "10"),
            ("PV-OPT", "", "", "1", "", "", ""),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No catalogue item has the code NIE-MA." in page
    assert "PV-OPT is withdrawn from the catalogue." in page
    shown = inputs(page)
    # The row that named an item shows its values, ready to save again.
    assert shown["lines-0-description"] == "Moduł fotowoltaiczny 455 Wp"
    assert (shown["lines-0-unit_price"], shown["lines-0-product_filled"]) == (
        "520,00",
        "PV-MOD-455",
    )
    assert open_items(case_of(project)) == ["design"] and reload(project).offer is None


def test_the_next_round_keeps_an_item_withdrawn_since(client, org):
    project = at_design(org)
    client.force_login(org.designer)
    submit(client, project, table(("PV-MOD-455", "", "", "14", "", "", "")))
    project = reload(project)
    services.customer_answer_offer(
        project=project, offer_id=project.offer_id, accept=False, comment="Taniej"
    )
    item = Product.objects.get(code="PV-MOD-455")
    catalogue.product_set_active(actor=org.manager, product=item, active=False)

    page = client.get(reverse("engine:task", args=[design_item(project).pk])).content.decode()
    shown = inputs(page)
    assert (shown["lines-0-product"], shown["lines-0-product_filled"]) == (
        "PV-MOD-455",
        "PV-MOD-455",
    )
    # The designer lowers the price; the withdrawn item stays on the line.
    response = submit(
        client,
        project,
        table(
            ("PV-MOD-455", "PV-MOD-455", shown["lines-0-description"], "14", "szt.", "390", "500")
        ),
    )
    assert response.status_code == 302
    (line,) = reload(project).offer.lines.all()
    assert (line.product, line.unit_price) == (item, Decimal("500"))


def test_the_api_names_items_in_objects_and_takes_only_what_they_leave_out(org):
    demo_catalogue(org)
    field = OfferLinesField()
    lines = field.clean(
        [
            {"product": "pv-mod-455", "quantity": 14},
            {"product": "PV-KONSTR", "quantity": 1, "unit_price": "5 000"},
            {"description": "Dojazd", "quantity": 1, "unit_price": "200"},
        ]
    )
    assert lines[0] == {
        "description": "Moduł fotowoltaiczny 455 Wp",
        "quantity": Decimal(14),
        "unit": "szt.",
        "unit_cost": Decimal("390.00"),
        "unit_price": Decimal("520.00"),
        "product": "PV-MOD-455",
    }
    assert (lines[1]["unit_price"], lines[1]["unit"]) == (Decimal("5000"), "kpl.")
    assert "product" not in lines[2]
    # The text form has no item column and works as before.
    assert "product" not in field.clean("Moduł | 14 | szt. | 420 | 610")[0]
    try:
        field.clean([{"product": "NIE-MA", "quantity": 1}])
    except ValidationError as error:
        assert "No catalogue item has the code NIE-MA." in str(error)
    else:
        raise AssertionError("an unknown code was taken")


def test_the_form_keeps_the_items_of_the_cases_lines():
    form = DesignForm(case_data={"lines": [{"product": "pv-old", "description": "x"}]})
    assert form.fields["lines"].kept == {"PV-OLD"}
    assert DesignForm().fields["lines"].kept == frozenset()
