"""The business-support institution for tests: its people, a client and projects at any state.

`make_project` builds the records directly (no case), so tests of claims,
durability, the scan and the pages need not walk the whole process first;
the process tests start real cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from obieg.core import roles
from obieg.core.models import Department
from obieg.crm.models import Account, Opportunity
from obieg.engine import deploy
from obieg.solutions import grants
from obieg.solutions.grants.models import GrantApplication, GrantProject
from tests.conftest import Org, make_user
from tests.factories import valid_nip

PROCESSES = Path(grants.__file__).parent / "processes"
SOLUTION = "grants"


def deploy_solution(folder: Path = PROCESSES):
    """Deploy the solution's models as `obieg migrate` does (same file names, so idempotent)."""
    sources = deploy.read_folder(folder, prefix=f"{SOLUTION}/")
    return deploy.deploy_groups([(SOLUTION, sources)])


@dataclass
class Institution:
    org: Org
    advisor: object  # a salesperson of the institution
    coordinator: object
    other_coordinator: object
    manager: object
    accountant: object
    client: Account


def make_institution(org: Org) -> Institution:
    grants = Department.objects.create(name="Projekty dotacyjne", code="grants")
    client = Account.objects.create(
        name="Piekarnia Kłos Sp. z o.o.",
        nip=valid_nip(301),
        street="ul. Zbożowa 4",
        postal_code="30-001",
        city="Kraków",
        email="biuro@klos.example",
        owner=org.sara,
    )
    return Institution(
        org=org,
        advisor=org.sara,
        coordinator=make_user(
            "celina", roles.COORDINATOR, email="celina@iob.example", department=grants
        ),
        other_coordinator=make_user("cezary", roles.COORDINATOR, email="cezary@iob.example"),
        manager=org.manager,
        accountant=org.accountant,
        client=client,
    )


_numbers = iter(range(1, 10**6))


def make_project(
    inst: Institution,
    *,
    status: str = GrantProject.Status.REALISATION,
    requested: Decimal = Decimal("400000.00"),
    awarded: Decimal | None = Decimal("350000.00"),
    rate: Decimal = Decimal("70.00"),
    realisation: tuple[date, date] = (date(2026, 1, 1), date(2027, 6, 30)),
    coordinator=None,
    application_status: str = GrantApplication.Status.AGREEMENT_SIGNED,
) -> GrantProject:
    opportunity = Opportunity.objects.create(
        account=inst.client, name="Dotacja na linię produkcyjną", owner=inst.advisor
    )
    project = GrantProject.objects.create(
        number=f"IOB/T/{next(_numbers):05}",
        title="Nowa linia wypieku",
        account=inst.client,
        opportunity=opportunity,
        advisor=inst.advisor,
        coordinator=coordinator or inst.coordinator,
        status=status,
        success_fee_percent=Decimal("3.00"),
    )
    GrantApplication.objects.create(
        project=project,
        programme="FENG 2021-2027",
        call="FENG.01.01-IP.02-001/26",
        application_number="FENG.01.01-IP.02-0042/26",
        requested_amount=requested,
        awarded_amount=awarded,
        co_financing_rate=rate,
        status=application_status,
        realisation_starts_on=realisation[0],
        realisation_ends_on=realisation[1],
    )
    return project
