"""An API client signed in as a persona."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
