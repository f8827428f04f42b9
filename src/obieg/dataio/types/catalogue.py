"""Catalogue items: checked by the item form, written by `product_create` / `product_update`.

The catalogue is the company's price list, not a customer record: it has no
owner, so whoever may read the catalogue exports all of it, and only its
editors (an administrator or a sales manager, `catalogue.rules`) import. A row
without an ID whose code is an item's (in any case) updates that item, as a
NIP finds an account. Withdrawing and bringing back go through
`product_set_active`, as the item page's buttons do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from obieg.catalogue import rules, services
from obieg.catalogue.forms import ProductFilterForm, ProductForm
from obieg.catalogue.models import Product
from obieg.catalogue.selectors import product_page, products_by_code
from obieg.core.money import VatRate
from obieg.dataio.columns import BOOLEAN, CHOICE, DECIMAL, Column
from obieg.dataio.types.accounts import EXPORT_BATCH
from obieg.dataio.types.base import RecordType, RowCheck, chunks, record_id
from obieg.dataio.types.common import ID


class ProductImportForm(ProductForm):
    """The item form, and whether the item is on sale (the item page's withdraw button)."""

    class Meta(ProductForm.Meta):
        fields = [*ProductForm.Meta.fields, "active"]


def product_columns() -> tuple[Column, ...]:
    return (
        ID,
        Column(
            "code",
            gettext_lazy("Code"),
            ("kod", "sku", "indeks", "symbol", "kod produktu", "product code"),
            value=lambda p: p.code,
        ),
        Column(
            "name",
            gettext_lazy("Name"),
            ("nazwa", "nazwa produktu", "towar", "usługa", "product", "item"),
            value=lambda p: p.name,
        ),
        Column(
            "kind",
            gettext_lazy("Kind"),
            ("rodzaj", "typ"),
            CHOICE,
            tuple(Product.Kind.choices),
            value=lambda p: p.kind,
            choice_aliases=(("towar", Product.Kind.PRODUCT), ("usługa", Product.Kind.SERVICE)),
        ),
        Column(
            "unit",
            gettext_lazy("Unit"),
            ("jednostka", "jm", "j.m.", "uom"),
            value=lambda p: p.unit,
        ),
        Column(
            "unit_price",
            gettext_lazy("Unit price (net)"),
            ("cena", "cena netto", "cena jednostkowa netto", "price", "net price"),
            DECIMAL,
            value=lambda p: p.unit_price,
        ),
        Column(
            "unit_cost",
            gettext_lazy("Unit cost"),
            ("koszt", "koszt jednostkowy", "cena zakupu", "cost"),
            DECIMAL,
            value=lambda p: p.unit_cost,
        ),
        Column(
            "vat_rate",
            gettext_lazy("VAT rate"),
            ("vat", "stawka vat", "stawka", "vat %"),
            CHOICE,
            tuple(VatRate.choices),
            value=lambda p: p.vat_rate,
            # "23%" in a CSV opened by Excel becomes the number 0.23.
            choice_aliases=(
                ("0.23", VatRate.R23),
                ("0.08", VatRate.R8),
                ("0.05", VatRate.R5),
                ("zwolniony", VatRate.ZW),
            ),
        ),
        Column(
            "active",
            gettext_lazy("Active"),
            ("aktywny", "w sprzedaży", "active"),
            BOOLEAN,
            value=lambda p: p.active,
        ),
        Column(
            "description",
            gettext_lazy("Description"),
            ("opis", "uwagi", "notatki", "notes"),
            value=lambda p: p.description,
        ),
    )


class ProductType(RecordType):
    key = "catalogue"
    label = gettext_lazy("Catalogue items")
    model = Product
    list_url = "catalogue:product_list"
    required = (("code", "id"),)
    # An item from a file is on sale unless its row says otherwise.
    create_defaults = {"active": True}
    import_refusal = gettext_lazy(
        "Only an administrator or a sales manager may change the catalogue."
    )
    export_refusal = gettext_lazy("Your roles do not include the catalogue.")

    def __init__(self):
        self.fixed_columns = product_columns()

    def may_import(self, user) -> bool:
        return rules.may_edit(user)

    def may_export(self, user) -> bool:
        return rules.may_read(user)

    def create_form(self, user, data):
        return ProductImportForm(data)

    def update_form(self, user, instance, data):
        return ProductImportForm(data, instance=instance)

    def create(self, user, check: RowCheck):
        product = services.product_create(actor=user, data=check.data)
        if check.data.get("active") is False:
            product = services.product_set_active(
                actor=user, product=product, active=False, revision=product.revision
            )
        return product

    def update(self, user, check: RowCheck, revision):
        product = services.product_update(
            actor=user, product=check.instance, data=check.data, revision=revision
        )
        active = check.data.get("active")
        if active is not None and active != product.active:
            product = services.product_set_active(
                actor=user, product=product, active=active, revision=product.revision
            )
        return product

    def row_label(self, check: RowCheck, values: dict[str, Any]) -> str:
        code, name = values.get("code"), values.get("name")
        if check.instance is not None:
            code, name = code or check.instance.code, name or check.instance.name
        return " · ".join(part for part in (code, name) if part)

    def lookups(self, user, rows):
        # No owner or department: an editor sees and changes every item (catalogue.rules).
        ids = {record_id(row.get("id", "")) for row in rows} - {None}
        targets = {}
        for part in chunks(ids):
            targets.update(Product.objects.in_bulk(part))
        by_code = {}
        for part in chunks({row["code"] for row in rows if row.get("code")}):
            by_code.update(products_by_code(part))
        return {
            "columns": {column.key: column for column in self.columns},
            "targets": targets,
            "changeable": set(targets) if rules.may_edit(user) else set(),
            "by_code": by_code,
        }

    def match(self, context, check: RowCheck, values, headers):
        """A row without an ID updates the item with its code."""
        code = (values.get("code") or "").strip()
        if check.instance is None and code:
            check.instance = context["by_code"].get(code.upper())
        if check.instance is not None and code.upper() == check.instance.code.upper():
            # "pv-mod-455" is the code PV-MOD-455 (one code in any case): not a change.
            values["code"] = check.instance.code

    def new_identity(self, check: RowCheck):
        return ("code", check.data["code"].upper())

    def export_pages(self, request) -> Iterator[list]:
        filters = ProductFilterForm(request.GET).filters()
        cursor = None
        while True:
            page = product_page(request.user, filters, cursor=cursor, size=EXPORT_BATCH)
            yield page.rows
            if not page.has_next:
                return
            cursor = page.next_cursor
