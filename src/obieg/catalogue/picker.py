"""What an offer line's catalogue picker knows of an item, as the line's inputs take it."""

from __future__ import annotations

from obieg.catalogue.models import Product
from obieg.web.templatetags.sales_format import polish_number


def picker_label(product: Product) -> str:
    """The suggestion's text: the name and the net price per unit."""
    return f"{product.name} · {polish_number(product.unit_price)} zł / {product.unit}"


def picker_entry(product: Product) -> dict[str, str]:
    """The values an offer line copies from `product`, written as the line's inputs show them.

    Amounts the Polish way ("3 900,50"), which the line's inputs read in
    any interface language (core.numbers).
    """
    return {
        "code": product.code,
        "label": picker_label(product),
        "description": product.name,
        "unit": product.unit,
        "unit_price": polish_number(product.unit_price),
        "unit_cost": polish_number(product.unit_cost),
        "vat_rate": product.vat_rate,
    }
