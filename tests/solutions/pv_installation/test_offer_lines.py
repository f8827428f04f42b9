"""The designer's lines: an editable table prefilled with the last round's, Polish numbers."""

import re
from decimal import Decimal

from django.urls import reverse

from obieg.engine.models import WorkItem
from obieg.solutions.pv_installation import services
from tests.solutions.pv_installation.helpers import (
    AUDIT,
    DESIGN,
    case_of,
    complete,
    new_project,
    open_items,
    reload,
    to_offer,
)


def design_item(project) -> WorkItem:
    return WorkItem.objects.get(case_id=project.case_id, element_id="design", status="open")


def table(**rows) -> dict[str, str]:
    """Posted inputs of the table: table(l0=("Moduł", "14", "szt.", "420", "610"), …)."""
    columns = ("description", "quantity", "unit", "unit_cost", "unit_price")
    posted = {}
    for key, values in rows.items():
        for column, value in zip(columns, values, strict=True):
            posted[f"lines-{key[1:]}-{column}"] = value
    return posted


def submit_design(client, project, lines: dict[str, str]):
    item = design_item(project)
    fields = {name: value for name, value in DESIGN.items() if name != "lines"}
    data = {"revision": item.revision, **fields, **lines}
    return client.post(reverse("engine:task", args=[item.pk]), data)


def inputs(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(lines-\d+-\w+)"[^>]*value="([^"]*)"', page))


def test_the_next_round_shows_the_last_lines_ready_to_edit(client, org):
    project = to_offer(org, new_project(org))
    services.customer_answer_offer(
        project=project, offer_id=project.offer_id, accept=False, comment="Taniej"
    )
    client.force_login(org.designer)
    page = client.get(reverse("engine:task", args=[design_item(project).pk])).content.decode()
    form = page[page.index('id="task-form"') : page.index("</form>", page.index('id="task-form"'))]
    assert "[{" not in form and "'description'" not in form and 'name="lines"' not in form
    shown = inputs(page)
    assert shown["lines-0-description"] == "Moduł JA Solar 450 Wp"
    assert (shown["lines-0-quantity"], shown["lines-0-unit"]) == ("14", "szt.")
    assert shown["lines-1-unit_price"] == "6\u00a0900,00"  # as the pages write amounts
    assert shown["lines-3-description"] == ""  # blank rows to add a line without a script
    assert 'src="/static/pv_installation/offer_lines.js"' in page


def test_polish_amounts_are_taken_as_typed_and_a_cleared_line_is_dropped(client, org):
    project = new_project(org)
    complete(case_of(project), "audit", org.sara, AUDIT)
    client.force_login(org.designer)
    response = submit_design(
        client,
        project,
        table(
            l0=("Moduł 440 Wp", "14", "szt.", "420", "610"),
            l1=("Falownik", "1", "", "3 100", "3 900,50"),
            l2=("", "", "", "", ""),
            l5=("Magazyn energii", "1", "szt.", "9\u00a0000", "10 500"),
        ),
    )
    assert response.status_code == 302
    offer = reload(project).offer
    lines = list(offer.lines.order_by("position").values_list("description", "unit", "unit_price"))
    assert lines == [
        ("Moduł 440 Wp", "szt.", Decimal("610.00")),
        ("Falownik", "szt.", Decimal("3900.50")),
        ("Magazyn energii", "szt.", Decimal("10500.00")),
    ]
    assert offer.total_cost == 14 * 420 + 3100 + 9000


def test_a_wrong_number_names_its_line_and_changes_nothing(client, org):
    project = new_project(org)
    complete(case_of(project), "audit", org.sara, AUDIT)
    client.force_login(org.designer)
    response = submit_design(
        client,
        project,
        table(
            l0=("Moduł", "14", "szt.", "420", "610"),
            l1=("Falownik", "1", "szt.", "0", "3.900,50"),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r"(Line|Pozycja) 2, ", page)  # the line, whatever the catalogue holds
    assert inputs(page)["lines-1-unit_price"] == "3.900,50"  # what was typed stays to correct
    assert open_items(case_of(project)) == ["design"] and reload(project).offer is None


def test_no_line_at_all_is_refused():
    from obieg.solutions.pv_installation.offer_lines import OfferLinesField

    field = OfferLinesField()
    assert not _valid(field, None) and not _valid(field, [{"description": ""}])


def test_the_api_may_send_lines_as_objects_or_text():
    from obieg.solutions.pv_installation.offer_lines import OfferLinesField

    field = OfferLinesField()
    objects = field.clean([{"description": "Moduł", "quantity": 14, "unit_price": "610,5"}])
    text = field.clean("Moduł | 14 | szt. | 420 | 3 900,50")
    assert objects == [
        {
            "description": "Moduł",
            "quantity": Decimal(14),
            "unit": "szt.",
            "unit_cost": Decimal(0),
            "unit_price": Decimal("610.5"),
        }
    ]
    assert text[0]["unit_price"] == Decimal("3900.50")
    assert not _valid(field, "Moduł | 14 | szt.")  # a column missing
    assert not _valid(field, [{"description": "Moduł", "quantity": "-1", "unit_price": "1"}])
    assert not _valid(field, {"description": "Moduł"})  # not a list


def _valid(field, value) -> bool:
    from django.core.exceptions import ValidationError

    try:
        field.clean(value)
    except ValidationError:
        return False
    return True
