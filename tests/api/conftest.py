"""API test helpers: a client signed in as a persona, and records owned by personas."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import AccountFactory, OpportunityFactory


@pytest.fixture
def client_for():
    """`client_for(user)`: an APIClient authenticated as `user`."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def api(client_for, org) -> APIClient:
    """Sara, a salesperson, signed in."""
    return client_for(org.sara)


@pytest.fixture
def sara_account(org):
    return AccountFactory(owner=org.sara, name="Słoneczko Sp. z o.o.")


@pytest.fixture
def olga_account(org):
    """An account of a salesperson in another team: Sara must not see it."""
    return AccountFactory(owner=org.olga, name="Obca Firma S.A.")


@pytest.fixture
def sara_opportunity(org, sara_account):
    return OpportunityFactory(account=sara_account, owner=org.sara)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "schemathesis: the bounded schemathesis pass over the API (PostgreSQL only)"
    )
