"""Offer lines filled from the catalogue: which item a line names, and the values it copies.

A line names an item by its code, typed or picked from the suggestions
("PV-MOD-450", or "PV-MOD-450 · Moduł …" as a suggestion reads). When the
item a line names is not the one its values were last copied from (the
hidden `product_filled` input), the line takes the item's name, unit, price,
cost and VAT rate; the line then keeps its own copy, so the user may change
the price for this offer, and a later change in the catalogue never alters
an offer. The picker script copies the values as soon as an item is picked
and sets `product_filled`; without JavaScript the server copies them on save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext as _

from obieg.catalogue.models import Product
from obieg.catalogue.picker import picker_entry
from obieg.catalogue.selectors import products_by_code

COPIED = ("description", "unit", "unit_price", "unit_cost", "vat_rate")
# A formset is never read past this many rows (Django's own absolute maximum).
MAX_ROWS = 1000


def code_of(text: str | None) -> str:
    """The code a line's item input names: its first word ("PV-1 · Moduł" → "PV-1")."""
    words = (text or "").split()
    return words[0] if words else ""


def _row_count(data: Mapping, prefix: str) -> int:
    value = str(data.get(f"{prefix}-TOTAL_FORMS", ""))
    return min(int(value), MAX_ROWS) if value.isdigit() and len(value) < 6 else 0


def named_items(data: Mapping | None, prefix: str, initial: Iterable[Mapping] = ()) -> dict:
    """The items the submitted rows and the saved lines name, by upper-case code (one query)."""
    codes = {code_of(row.get("product")) for row in initial}
    if data is not None:
        codes |= {
            code_of(data.get(f"{prefix}-{index}-product"))
            for index in range(_row_count(data, prefix))
        }
    return products_by_code(code for code in codes if code)


def fill_row(row: Mapping, items: Mapping[str, Product]) -> dict[str, str]:
    """What a line's row takes from the active item it newly names (nothing if none).

    `row` holds the row's `product`, `product_filled` and `quantity` inputs;
    the answer holds the inputs to overwrite, written as the inputs show them.
    Ordinary offers' formsets and the PV design's lines table both fill this way.
    """
    code = code_of(row.get("product"))
    product = items.get(code.upper()) if code else None
    if product is None or not product.active:
        return {}  # the form says what is wrong with the code
    if code_of(row.get("product_filled")).upper() == product.code.upper():
        return {}  # copied before (maybe changed since by the user): kept as it is
    entry = picker_entry(product)
    taken = {name: entry[name] for name in COPIED}
    taken["product"] = taken["product_filled"] = product.code
    if not str(row.get("quantity") or "").strip():
        taken["quantity"] = "1"
    return taken


def fill_rows(data: Mapping, prefix: str, items: Mapping[str, Product]):
    """A copy of the submitted `data` with rows that newly name an active item filled from it."""
    filled = data.copy()
    for index in range(_row_count(data, prefix)):
        key = f"{prefix}-{index}-"
        row = {name: data.get(f"{key}{name}") for name in ("product", "product_filled", "quantity")}
        for name, value in fill_row(row, items).items():
            filled[f"{key}{name}"] = value
    return filled


def resolve(text: str, items: Mapping[str, Product], kept: set[str]) -> Product | None:
    """The item a line's input names, or a ValidationError saying why it cannot be used.

    A withdrawn item stays on the lines that had it (`kept`: codes on the
    saved offer) but cannot be picked anew.
    """
    code = code_of(text)
    if not code:
        return None
    product = items.get(code.upper())
    if product is None:
        raise forms.ValidationError(
            _("No catalogue item has the code %(code)s."), params={"code": code}, code="unknown"
        )
    if not product.active and product.code.upper() not in kept:
        raise forms.ValidationError(
            _("%(code)s is withdrawn from the catalogue."),
            params={"code": product.code},
            code="withdrawn",
        )
    return product


def copy_from_catalogue(values: dict) -> dict:
    """`values` of a line (the API's) with what they leave out copied from their item, if any."""
    product = values.get("product")
    if not isinstance(product, Product):
        return values
    copied = {
        "description": product.name,
        "unit": product.unit,
        "unit_price": product.unit_price,
        "unit_cost": product.unit_cost,
        "vat_rate": product.vat_rate,
    }
    merged = dict(values)
    for name, value in copied.items():
        if merged.get(name) in (None, ""):
            merged[name] = value
    return merged
