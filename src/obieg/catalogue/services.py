"""Writes of the catalogue: one transaction each, audited, conditional on the revision read."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from obieg.catalogue import rules
from obieg.catalogue.models import Product
from obieg.core import records
from obieg.core.errors import ApplicationError

EDITABLE_FIELDS = (
    "code",
    "name",
    "description",
    "kind",
    "unit",
    "unit_price",
    "unit_cost",
    "vat_rate",
)


def _code_taken() -> ApplicationError:
    message = _("An item with this code already exists.")
    return ApplicationError(message, field_errors={"code": [message]})


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    if isinstance(values.get("code"), str):
        values["code"] = values["code"].strip()
    return values


def product_create(*, actor, data: dict[str, Any]) -> Product:
    """Add an item to the catalogue (active)."""
    rules.ensure_may_edit(actor)
    values = _fields(data)
    # full_clean refuses a taken code beside the field (Product.validate_constraints);
    # the unique index on UPPER(code) decides when two people save one code at once.
    try:
        with transaction.atomic():
            return records.record_create(Product, actor=actor, data=values)
    except IntegrityError as error:
        raise _code_taken() from error


def product_update(
    *, actor, product: Product, data: dict[str, Any], revision: int | None = None
) -> Product:
    """Change an item; offers already made keep the values their lines copied."""
    rules.ensure_may_edit(actor)
    values = _fields(data)
    try:
        with transaction.atomic():
            return records.record_update(product, actor=actor, data=values, revision=revision)
    except IntegrityError as error:
        raise _code_taken() from error


def product_set_active(
    *, actor, product: Product, active: bool, revision: int | None = None
) -> Product:
    """Withdraw an item from new offers (or bring it back); lines that use it keep it.

    Items are never deleted: offer lines refer to them (PROTECT), and the
    history of what was sold must stay readable.
    """
    rules.ensure_may_edit(actor)
    return records.record_update(product, actor=actor, data={"active": active}, revision=revision)
