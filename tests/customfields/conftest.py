"""Custom fields the tests define, as an administrator would."""

from __future__ import annotations

import pytest

from obieg.customfields import services

TIERS = [
    {"value": "gold", "label_pl": "Złoty", "label_en": "Gold"},
    {"value": "silver", "label_pl": "Srebrny", "label_en": "Silver"},
]


@pytest.fixture
def define(org):
    """`define(record_type, key, kind, **more)`: a field created through the service."""

    def make(record_type, key, kind, **more):
        data = {
            "record_type": record_type,
            "key": key,
            "kind": kind,
            "label_pl": more.pop("label_pl", key.replace("_", " ").capitalize()),
            "label_en": more.pop("label_en", ""),
            **more,
        }
        return services.field_create(actor=org.admin, data=data)

    return make


@pytest.fixture
def tier(define):
    return define(
        "account",
        "tier",
        "choice",
        label_pl="Segment",
        label_en="Tier",
        choices=TIERS,
        in_list=True,
    )


@pytest.fixture
def audit_date(define):
    return define(
        "account", "audit_date", "date", label_pl="Data audytu", label_en="Audit date", in_list=True
    )


@pytest.fixture
def turnover(define):
    return define(
        "account", "turnover", "number", label_pl="Obrót", label_en="Turnover", in_list=True
    )


@pytest.fixture
def api(org):
    """Sara, a salesperson, signed in to the API."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(org.sara)
    return client
