"""A sales manager in a real browser: adds a catalogue item with a Polish price, then makes
an offer with one line picked from the catalogue (found by typing without Polish letters)
and one line written by hand; the totals add up."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from obieg.catalogue.models import Product
from obieg.sales.models import Offer
from tests.factories import AccountFactory

SAVE = "main form[method=post] button[type=submit]"


def test_an_item_is_added_and_an_offer_mixes_a_catalogue_line_with_a_free_one(
    transactional_db, org, login, live_server
):
    account = AccountFactory(owner=org.sara, name="Ogrody Żółwia Sp. z o.o.")
    page = login(org.manager)

    # The catalogue starts empty and says so.
    page.goto(f"{live_server.url}/catalogue/")
    expect(page.locator("#empty-state")).to_contain_text("The catalogue is empty")
    page.click("#empty-state a")
    page.fill("#id_code", "ZLW-KIT")
    page.fill("#id_name", "Żółwik montażowy")
    page.select_option("#id_kind", "product")
    page.fill("#id_unit", "kpl.")
    page.fill("#id_unit_price", "1 250,50")
    page.fill("#id_unit_cost", "900")
    page.select_option("#id_vat_rate", "23")
    page.click(SAVE)
    page.wait_for_url(re.compile(r"/catalogue/\d+/$"))
    expect(page.locator("#product-values")).to_contain_text("1\xa0250,50\xa0zł")
    item = Product.objects.get()

    page.goto(f"{live_server.url}/offers/new/?account={account.pk}")
    page.fill("#id_title", "Ogród z instalacją")
    # Typing without Polish letters finds the item; picking it fills the line.
    page.locator("#id_lines-0-product").press_sequentially("zolwik")
    option = page.locator("#catalogue-picker-menu [role=option]", has_text="ZLW-KIT")
    expect(option).to_be_visible()
    option.click()
    expect(page.locator("#id_lines-0-description")).to_have_value("Żółwik montażowy")
    expect(page.locator("#id_lines-0-unit")).to_have_value("kpl.")
    expect(page.locator("#id_lines-0-unit_price")).to_have_value("1\xa0250,50")
    expect(page.locator("#id_lines-0-quantity")).to_have_value("1")
    page.fill("#id_lines-0-quantity", "2")
    # A line written by hand beside it.
    page.fill("#id_lines-1-description", "Dojazd do klienta")
    page.fill("#id_lines-1-quantity", "1")
    page.fill("#id_lines-1-unit", "usł.")
    page.fill("#id_lines-1-unit_price", "200")
    page.select_option("#id_lines-1-vat_rate", "8")
    page.click(SAVE)
    page.wait_for_url(re.compile(r"/offers/\d+/$"))

    offer = Offer.objects.get()
    catalogue_line, free_line = offer.lines.all()
    assert (catalogue_line.product, catalogue_line.quantity) == (item, Decimal("2"))
    assert (catalogue_line.unit_price, catalogue_line.unit_cost) == (
        Decimal("1250.50"),
        Decimal("900.00"),
    )
    assert (free_line.product, free_line.description) == (None, "Dojazd do klienta")
    # 2 × 1 250,50 = 2 501,00 at 23 % (575,23) + 200,00 at 8 % (16,00)
    assert (offer.total_net, offer.total_vat, offer.total_gross) == (
        Decimal("2701.00"),
        Decimal("591.23"),
        Decimal("3292.23"),
    )
    expect(page.locator("#offer-totals")).to_contain_text("3\xa0292,23\xa0zł")
