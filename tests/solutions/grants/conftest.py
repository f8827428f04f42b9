"""Fixtures of the grants tests: the institution, its seller profile, its deployed process."""

import pytest

from obieg.billing.models import CompanyProfile
from obieg.engine import spec_cache
from tests.mail.smtp import smtp  # noqa: F401 (a fixture: the e-mails reach a real SMTP server)
from tests.solutions.grants.helpers import PROCESSES, deploy_solution, make_institution


@pytest.fixture
def institution(org, media_root):
    if any(PROCESSES.glob("*.bpmn")):
        deploy_solution()
    yield make_institution(org)
    spec_cache.clear()


@pytest.fixture
def seller(db) -> CompanyProfile:
    return CompanyProfile.objects.create(
        name="Fundacja Wspierania Przedsiębiorczości",
        nip="5260250274",
        street="ul. Rynek 1",
        postal_code="31-042",
        city="Kraków",
        bank_account="PL61109010140000071219812874",
        place_of_issue="Kraków",
        email="faktury@iob.example",
    )
