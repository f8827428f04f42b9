"""Catalogue items for the tests."""

from __future__ import annotations

from decimal import Decimal

from obieg.catalogue import services


def add_item(actor, code: str, name: str, **extra):
    data = {
        "code": code,
        "name": name,
        "kind": "product",
        "unit": "szt.",
        "unit_price": Decimal("100.00"),
        "unit_cost": Decimal("60.00"),
        "vat_rate": "23",
        **extra,
    }
    return services.product_create(actor=actor, data=data)
