"""Fixtures of the CRM tests."""

import pytest

from tests.crm import merge_models


@pytest.fixture
def external_reference(transactional_db):
    """A record type added "later" (tests.crm.merge_models), with its table, for one test."""
    with merge_models.registered() as model:
        yield model
