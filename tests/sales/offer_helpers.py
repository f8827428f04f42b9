"""An offer ready to send: a customer with an e-mail, a contact, lines, a company profile."""

from __future__ import annotations

import subprocess
from decimal import Decimal

from obieg.billing.models import CompanyProfile
from obieg.crm.models import Opportunity
from obieg.sales import offer_acceptance, offer_sending
from obieg.sales import services as sales
from obieg.sales.models import Offer
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory

D = Decimal

LINES = [
    {
        "description": "Audyt energetyczny budynku",
        "quantity": D("1"),
        "unit": "usł.",
        "unit_cost": D("900.00"),
        "unit_price": D("2500.00"),
        "vat_rate": "23",
    },
    {
        "description": "Termomodernizacja — projekt",
        "quantity": D("12.5"),
        "unit": "h",
        "unit_price": D("150000.50"),
        "vat_rate": "8",
    },
]
# 23 %: 2500.00 + 575.00; 8 %: 12.5 × 150000.50 = 1875006.25 + 150000.50 → gross 2027581.75


def seller() -> CompanyProfile:
    return CompanyProfile.objects.create(
        name="Ciepły Dom Sp. z o.o.",
        nip="5260250274",
        street="ul. Prosta 1",
        postal_code="00-001",
        city="Warszawa",
        email="biuro@cieplydom.pl",
    )


def customer(org, *, language: str = "pl", email: str = "zakupy@klient.pl"):
    account = AccountFactory(
        owner=org.sara, name="Żółw Łódź Sp. z o.o.", email=email, language=language
    )
    ContactFactory(account=account, first_name="Ewa", last_name="Nowak", email="ewa@klient.pl")
    return account


def draft(org, account, **extra) -> Offer:
    opportunity = OpportunityFactory(
        account=account, owner=org.sara, stage=Opportunity.Stage.NEEDS_ANALYSIS
    )
    return sales.offer_create(
        actor=org.sara,
        account=account,
        opportunity=opportunity,
        title="Termomodernizacja biura",
        lines=LINES,
        **extra,
    )


def send(org, offer: Offer, to: str = "ewa@klient.pl") -> Offer:
    return offer_sending.offer_send(actor=org.sara, offer=offer, to=to, message="")


def token(offer: Offer) -> str:
    return offer_acceptance.token_for(offer)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().replace("\u00a0", " ").split())
