"""Catalogue pages: the list (Polish search, sort, filters, keyset pages, empty state),
the form, withdrawal with confirmation, and who may see and change what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.catalogue.models import Product
from tests.catalogue.helpers import add_item

LIST = reverse("catalogue:product_list")


def names(response) -> list[str]:
    return [product.name for product in response.context["page"].rows]


def test_search_ignores_polish_letters_and_case_and_finds_codes(client, org):
    add_item(org.manager, "ZLW-1", "Żółw ogrodowy")
    add_item(org.manager, "LDZ-2", "Dostawa do Łodzi", kind="service")
    add_item(org.manager, "PV-450", "Moduł fotowoltaiczny 450 W")
    client.force_login(org.sara)

    assert names(client.get(LIST, {"q": "zolw"})) == ["Żółw ogrodowy"]
    assert names(client.get(LIST, {"q": "LODZI"})) == ["Dostawa do Łodzi"]
    assert names(client.get(LIST, {"q": "pv-45"})) == ["Moduł fotowoltaiczny 450 W"]


def test_the_list_sorts_by_polish_alphabet_and_filters_kind_and_state(client, org):
    add_item(org.manager, "A-1", "Drukarnia")
    add_item(org.manager, "A-2", "Dąbrowski montaż", kind="service")
    add_item(org.manager, "A-3", "Julia", unit_price=Decimal("5"))
    withdrawn = add_item(org.manager, "A-4", "Józef")
    withdrawn.active = False
    withdrawn.save()
    client.force_login(org.sara)

    assert names(client.get(LIST)) == ["Dąbrowski montaż", "Drukarnia", "Julia"]
    assert names(client.get(LIST, {"state": "all"})) == [
        "Dąbrowski montaż",
        "Drukarnia",
        "Józef",
        "Julia",
    ]
    assert names(client.get(LIST, {"state": "inactive"})) == ["Józef"]
    assert names(client.get(LIST, {"kind": "service"})) == ["Dąbrowski montaż"]
    assert names(client.get(LIST, {"sort": "price"}))[0] == "Julia"
    assert names(client.get(LIST, {"sort": "code"})) == ["Drukarnia", "Dąbrowski montaż", "Julia"]
    # A forged filter value is ignored, not an error page.
    assert client.get(LIST, {"kind": "x", "sort": "y", "cursor": "!!"}).status_code == 200


def test_pages_follow_each_other_without_gaps_or_repeats(client, org):
    for number in range(30):
        Product.objects.create(code=f"P-{number:02}", name=f"Pozycja {number:02}", unit_price=1)
    client.force_login(org.sara)

    first = client.get(LIST)
    page = first.context["page"]
    second = client.get(LIST, {"cursor": page.next_cursor})

    seen = names(first) + names(second)
    assert len(seen) == 30 and len(set(seen)) == 30
    assert seen == sorted(seen)
    assert page.count == 30


def test_empty_catalogue_and_no_match_say_so(client, org):
    client.force_login(org.manager)
    html = client.get(LIST).content.decode()
    assert "The catalogue is empty" in html
    assert reverse("catalogue:product_create") in html

    add_item(org.manager, "A-1", "Moduł")
    html = client.get(LIST, {"q": "nic takiego"}).content.decode()
    assert "No item matches these filters." in html


def test_a_salesperson_reads_but_does_not_change_the_catalogue(client, org):
    item = add_item(org.manager, "A-1", "Moduł")
    client.force_login(org.sara)

    assert client.get(LIST).status_code == 200
    detail = client.get(reverse("catalogue:product_detail", args=[item.pk]))
    assert detail.status_code == 200
    assert reverse("catalogue:product_edit", args=[item.pk]) not in detail.content.decode()
    for url in (
        reverse("catalogue:product_create"),
        reverse("catalogue:product_edit", args=[item.pk]),
        reverse("catalogue:product_deactivate", args=[item.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"code": "X", "name": "X"}).status_code == 403
    assert Product.objects.get().active


def test_someone_outside_sales_cannot_open_the_catalogue(client, org):
    item = add_item(org.manager, "A-1", "Moduł")
    client.force_login(org.stranger)

    assert client.get(LIST).status_code == 403
    assert client.get(reverse("catalogue:product_detail", args=[item.pk])).status_code == 403
    assert client.get(reverse("catalogue:product_matches"), {"q": "mod"}).status_code == 403


def test_a_manager_adds_an_item_with_polish_amounts(client, org):
    client.force_login(org.manager)

    response = client.post(
        reverse("catalogue:product_create"),
        {
            "code": "INV-10",
            "name": "Falownik 10 kW",
            "kind": "product",
            "unit": "szt.",
            "unit_price": "150 000,50",
            "unit_cost": "4 200",
            "vat_rate": "8",
            "description": "",
        },
    )

    item = Product.objects.get()
    assert response["Location"] == reverse("catalogue:product_detail", args=[item.pk])
    assert (item.unit_price, item.unit_cost, item.vat_rate) == (
        Decimal("150000.50"),
        Decimal("4200.00"),
        "8",
    )


def test_a_taken_code_is_shown_beside_the_field_and_nothing_is_saved(client, org):
    add_item(org.manager, "INV-10", "Falownik")
    client.force_login(org.manager)

    response = client.post(
        reverse("catalogue:product_create"),
        {"code": "inv-10", "name": "Inny", "kind": "product", "unit": "szt.",
         "unit_price": "1", "unit_cost": "0", "vat_rate": "23"},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["An item with this code already exists."]
    assert Product.objects.count() == 1


def test_a_stale_edit_is_refused_with_409(client, org):
    item = add_item(org.manager, "A-1", "Moduł")
    client.force_login(org.manager)
    url = reverse("catalogue:product_edit", args=[item.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"unit_price": "120", "unit_cost": "60", "description": ""})
    Product.objects.filter(pk=item.pk).update(revision=2)

    response = client.post(url, data)

    assert response.status_code == 409
    assert Product.objects.get().unit_price == Decimal("100.00")


def test_withdrawing_asks_first_and_then_takes_the_item_off_new_offers(client, org):
    item = add_item(org.manager, "A-1", "Moduł")
    client.force_login(org.manager)
    url = reverse("catalogue:product_deactivate", args=[item.pk])

    confirm = client.get(url)
    assert "Yes, withdraw" in confirm.content.decode()
    assert Product.objects.get().active

    client.post(url, {"revision": "1"})
    assert not Product.objects.get().active
    assert names(client.get(LIST)) == []

    client.post(reverse("catalogue:product_activate", args=[item.pk]), {"revision": "2"})
    assert Product.objects.get().active


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_an_unknown_item_is_404(client, org, pk):
    client.force_login(org.sara)
    assert client.get(f"{LIST}{pk}/").status_code == 404


def test_the_menu_lists_the_catalogue_for_sales_only(client, org):
    client.force_login(org.sara)
    assert LIST in client.get(reverse("home")).content.decode()
    client.force_login(org.stranger)
    assert LIST not in client.get(reverse("home")).content.decode()


def test_the_picker_answers_matches_as_the_line_takes_them(client, org):
    add_item(org.manager, "ZLW-1", "Żółw ogrodowy", unit_price=Decimal("1234.5"), unit="kpl.")
    gone = add_item(org.manager, "ZLW-2", "Żółw stary")
    gone.active = False
    gone.save()
    client.force_login(org.sara)

    items = client.get(reverse("catalogue:product_matches"), {"q": "zolw"}).json()["items"]

    assert items == [
        {
            "code": "ZLW-1",
            "label": "Żółw ogrodowy · 1\xa0234,50 zł / kpl.",
            "description": "Żółw ogrodowy",
            "unit": "kpl.",
            "unit_price": "1\xa0234,50",
            "unit_cost": "60,00",
            "vat_rate": "23",
        }
    ]
