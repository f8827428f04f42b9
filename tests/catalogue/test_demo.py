"""The demo's catalogue, and its PV offers picked from it."""

from decimal import Decimal

from obieg.catalogue.models import Product
from obieg.demo.catalogue import ITEMS, ensure_catalogue
from obieg.demo.organisation import ensure_organisation
from obieg.demo.small_sales import pv_lines
from obieg.sales import services
from tests.factories import AccountFactory


def test_the_demo_catalogue_is_added_once_and_the_pv_offers_pick_from_it(db):
    org = ensure_organisation()
    ensure_catalogue(org)
    ensure_catalogue(org)  # a second run adds nothing

    assert Product.objects.filter(active=True).count() == len(ITEMS)
    assert Product.objects.filter(active=False).count() == 1
    seller = org.user("salesperson")
    account = AccountFactory(owner=seller)
    offer = services.offer_create(
        actor=seller, account=account, title="PV", lines=pv_lines(6.5, storage=True)
    )
    lines = list(offer.lines.select_related("product"))
    assert all(line.product is not None for line in lines)
    assert lines[0].product.code == "PV-MOD-455" and lines[0].quantity == 15
    discounted = pv_lines(6.5, storage=False, discount=Decimal("0.05"))
    assert discounted[0]["unit_price"] == Decimal("494.00")
