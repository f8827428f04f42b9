"""Offer lines from the catalogue: picked by code, values copied at that moment (the line
keeps its own), free-text lines beside them, withdrawn items, and the API."""

from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.catalogue import services as catalogue
from obieg.core.errors import ApplicationError
from obieg.sales import services
from obieg.sales.models import Offer, OfferLine
from tests.catalogue.helpers import add_item
from tests.factories import AccountFactory
from tests.web.test_offers import EMPTY_ROW, offer_form

BLANK = {**EMPTY_ROW, "product": "", "product_filled": ""}
FREE = {
    **BLANK,
    "description": "Dojazd",
    "quantity": "1",
    "unit": "usł.",
    "unit_price": "200,00",
    "vat_rate": "8",
}


def module(org):
    return add_item(
        org.manager,
        "PV-450",
        "Moduł fotowoltaiczny 450 W",
        unit_price=Decimal("1000.00"),
        unit_cost=Decimal("700.00"),
        vat_rate="23",
        unit="szt.",
    )


def new_offer_url(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    return f"{reverse('offer_create')}?account={account.pk}"


def test_a_line_naming_an_item_takes_its_values_without_javascript(client, org):
    item = module(org)
    url = new_offer_url(client, org)

    # The browser's suggestion puts the code in; nothing else of the row is filled.
    picked = {**BLANK, "product": "pv-450 · Moduł", "quantity": "10"}
    response = client.post(url, offer_form(picked, FREE))

    offer = Offer.objects.get()
    assert response["Location"] == reverse("offer_detail", args=[offer.pk])
    first, second = offer.lines.all()
    assert (first.product, first.description, first.unit) == (item, item.name, "szt.")
    assert (first.quantity, first.unit_price, first.unit_cost, first.vat_rate) == (
        Decimal("10"),
        Decimal("1000.00"),
        Decimal("700.00"),
        "23",
    )
    assert (second.product, second.description, second.unit_price) == (
        None,
        "Dojazd",
        Decimal("200.00"),
    )
    # 10 000 net at 23 % + 200 net at 8 %
    assert (offer.total_net, offer.total_vat, offer.total_gross, offer.total_cost) == (
        Decimal("10200.00"),
        Decimal("2316.00"),
        Decimal("12516.00"),
        Decimal("7000.00"),
    )


def test_a_picked_line_keeps_the_price_the_user_changed(client, org):
    module(org)
    url = new_offer_url(client, org)
    # The picker script copied the item's values and set product_filled; then a discount.
    picked = {
        **BLANK,
        "product": "PV-450",
        "product_filled": "PV-450",
        "description": "Moduł 450 W (promocja)",
        "quantity": "2",
        "unit_price": "900",
        "unit_cost": "700",
    }

    client.post(url, offer_form(picked))

    line = OfferLine.objects.get()
    assert (line.description, line.unit_price) == ("Moduł 450 W (promocja)", Decimal("900.00"))


def test_a_later_price_change_leaves_the_offer_as_it_was(client, org):
    item = module(org)
    url = new_offer_url(client, org)
    client.post(url, offer_form({**BLANK, "product": "PV-450", "quantity": "1"}))
    offer = Offer.objects.get()

    catalogue.product_update(
        actor=org.manager, product=item, data={"unit_price": Decimal("1500"), "name": "Nowy"}
    )
    # Saving the draft again with its lines as the form shows them changes nothing either.
    edit = reverse("offer_edit", args=[offer.pk])
    form = client.get(edit).context["lines"]
    row = {name: form.forms[0][name].value() for name in BLANK}
    assert (row["product"], row["product_filled"]) == ("PV-450", "PV-450")
    data = offer_form(
        {k: str(v) for k, v in row.items()}, revision=offer.revision, title=offer.title
    )
    data["lines-INITIAL_FORMS"] = "1"
    client.post(edit, data)

    offer.refresh_from_db()
    line = offer.lines.get()
    assert (line.description, line.unit_price, offer.total_net) == (
        "Moduł fotowoltaiczny 450 W",
        Decimal("1000.00"),
        Decimal("1000.00"),
    )


def test_an_unknown_code_is_shown_on_its_line_and_nothing_is_saved(client, org):
    module(org)
    url = new_offer_url(client, org)

    response = client.post(url, offer_form({**BLANK, "product": "NOPE-1", "quantity": "1"}))

    assert response.status_code == 200
    assert response.context["lines"].forms[0].errors["product"] == [
        "No catalogue item has the code NOPE-1."
    ]
    assert not Offer.objects.exists()


def test_a_row_with_an_error_is_shown_again_filled_from_the_item(client, org):
    module(org)
    url = new_offer_url(client, org)

    response = client.post(url, offer_form({**BLANK, "product": "PV-450", "quantity": "-1"}))

    row = response.context["lines"].forms[0]
    assert row.errors["quantity"]
    assert row["description"].value() == "Moduł fotowoltaiczny 450 W"
    assert row["product_filled"].value() == "PV-450"
    assert not Offer.objects.exists()


def test_a_withdrawn_item_stays_on_its_offer_but_cannot_be_picked_anew(client, org):
    item = module(org)
    account = AccountFactory(owner=org.sara)
    line = {"product": item, "description": item.name, "quantity": Decimal("1"),
            "unit": "szt.", "unit_cost": Decimal("700"), "unit_price": Decimal("1000"),
            "vat_rate": "23"}  # fmt: skip
    offer = services.offer_create(actor=org.sara, account=account, title="PV", lines=[line])
    catalogue.product_set_active(actor=org.manager, product=item, active=False)
    client.force_login(org.sara)

    # Editing the offer keeps its line with the withdrawn item.
    services.offer_replace_lines(actor=org.sara, offer=offer, lines=[{**line, "quantity": 2}])
    assert offer.lines.get().quantity == 2
    # A new offer cannot take it, on the page or through the service.
    url = f"{reverse('offer_create')}?account={account.pk}"
    response = client.post(url, offer_form({**BLANK, "product": "PV-450", "quantity": "1"}))
    assert response.context["lines"].forms[0].errors["product"] == [
        "PV-450 is withdrawn from the catalogue."
    ]
    with pytest.raises(ApplicationError) as refused:
        services.offer_create(actor=org.sara, account=account, title="PV", lines=[line])
    assert refused.value.field_errors == {
        "lines[1].product": ["PV-450 is withdrawn from the catalogue."]
    }
    assert Offer.objects.count() == 1


def test_a_revision_keeps_the_lines_items(org):
    item = module(org)
    account = AccountFactory(owner=org.sara)
    line = {"product": item, "description": item.name, "quantity": Decimal("1"),
            "unit_price": Decimal("1000"), "vat_rate": "23"}  # fmt: skip
    offer = services.offer_create(actor=org.sara, account=account, title="PV", lines=[line])

    revised = services.offer_revise(actor=org.sara, offer=offer)

    assert revised.lines.get().product == item


def test_the_offer_form_offers_the_catalogue_suggestions(client, org):
    module(org)
    url = new_offer_url(client, org)

    html = client.get(url).content.decode()

    assert 'id="catalogue-items"' in html
    assert 'value="PV-450"' in html
    assert "catalogue/line_picker.js" in html
    assert 'list="catalogue-items"' in html


def test_the_api_fills_a_line_from_its_item_and_shows_which(org):
    from rest_framework.test import APIClient

    item = module(org)
    account = AccountFactory(owner=org.sara)
    api = APIClient()
    api.force_authenticate(org.sara)

    response = api.post(
        "/api/offers/",
        {
            "account": account.pk,
            "title": "PV",
            "lines": [
                {"product": item.pk, "quantity": "3"},
                {"product": item.pk, "quantity": "1", "unit_price": "950.00"},
                {"description": "Dojazd", "quantity": "1", "unit_price": "200", "vat_rate": "8"},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    lines = response.json()["lines"]
    assert [(line["product"], line["description"], line["unit_price"]) for line in lines] == [
        (item.pk, "Moduł fotowoltaiczny 450 W", "1000.00"),
        (item.pk, "Moduł fotowoltaiczny 450 W", "950.00"),
        (None, "Dojazd", "200.00"),
    ]
    assert response.json()["total_net"] == "4150.00"


def test_the_api_refuses_a_line_without_an_item_or_a_description(org):
    from rest_framework.test import APIClient

    account = AccountFactory(owner=org.sara)
    api = APIClient()
    api.force_authenticate(org.sara)

    response = api.post(
        "/api/offers/",
        {"account": account.pk, "title": "PV", "lines": [{"quantity": "1"}]},
        format="json",
    )

    assert response.status_code == 400
    assert not Offer.objects.exists()
