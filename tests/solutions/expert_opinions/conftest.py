"""Fixtures of the expert-opinions tests: the firm, its deployed process, a seller for invoices."""

import pytest

from obieg.billing.models import CompanyProfile
from obieg.engine import spec_cache
from tests.mail.smtp import smtp  # noqa: F401 (a fixture: the e-mails reach a real SMTP server)
from tests.solutions.expert_opinions.helpers import deploy_solution, make_firm


@pytest.fixture
def firm(org, media_root):
    deploy_solution()
    yield make_firm(org)
    spec_cache.clear()


@pytest.fixture
def seller(db) -> CompanyProfile:
    return CompanyProfile.objects.create(
        name="Biuro Ekspertyz Sp. z o.o.",
        nip="5260250274",
        street="ul. Sądowa 5",
        postal_code="31-100",
        city="Kraków",
        bank_account="PL61109010140000071219812874",
        place_of_issue="Kraków",
    )
