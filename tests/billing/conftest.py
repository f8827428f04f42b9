"""Billing fixtures: the seller's profile, buyers, and contracts with one or more VAT rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from obieg.billing.identifiers import ksef_accepts_nip
from obieg.billing.models import CompanyProfile
from obieg.crm.models import Account
from obieg.sales.models import Contract, Offer, OfferLine
from tests.factories import AccountFactory, valid_nip

SELLER_NIP = "5260250274"  # a real-looking NIP that KSeF accepts
SELLER_IBAN = "PL61109010140000071219812874"


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English, the source language; Polish has its own test."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def ksef_nip(seed: int) -> str:
    """A NIP with a valid checksum that KSeF's pattern also accepts."""
    while not ksef_accepts_nip(nip := valid_nip(seed)):
        seed += 7919
    return nip


@pytest.fixture
def profile(db) -> CompanyProfile:
    return CompanyProfile.objects.create(
        name="Słoneczna Energia Sp. z o.o.",
        nip=SELLER_NIP,
        regon="146321453",
        krs="0000123456",
        street="ul. Żółkiewskiego 12/4",
        postal_code="31-539",
        city="Kraków",
        email="faktury@sloneczna.example",
        phone="+48 12 345 67 89",
        bank_account=SELLER_IBAN,
        bank_name="Bank Przykładowy S.A.",
        place_of_issue="Kraków",
        payment_days=14,
        vat_exemption_basis="art. 43 ust. 1 pkt 37 ustawy o VAT",
    )


@pytest.fixture
def buyer(org) -> Account:
    return AccountFactory(
        owner=org.sara,
        name="Przedsiębiorstwo Łąkowe Sp. z o.o.",
        nip=ksef_nip(11),
        street="ul. Ogrodowa 5",
        postal_code="30-001",
        city="Kraków",
        email="ksiegowosc@lakowe.example",
    )


@pytest.fixture
def person(org) -> Account:
    return AccountFactory(
        owner=org.sara, kind=Account.Kind.PERSON, name="Jan Kowalski", nip="", city="Tarnów"
    )


def make_contract(
    account: Account, lines: list[tuple[str, str, str, str]], number="UM/1"
) -> Contract:
    """A signed contract from an offer with (description, quantity, unit price, rate) lines."""
    offer = Offer.objects.create(number=f"OF-{number}", account=account, title="Instalacja PV")
    for position, (description, quantity, price, rate) in enumerate(lines, start=1):
        OfferLine.objects.create(
            offer=offer,
            position=position,
            description=description,
            quantity=Decimal(quantity),
            unit_price=Decimal(price),
            vat_rate=rate,
        )
    totals = offer.totals()
    return Contract.objects.create(
        number=number,
        account=account,
        offer=offer,
        title="Instalacja fotowoltaiczna 9,9 kWp",
        status=Contract.Status.SIGNED,
        value_net=totals.net,
        value_gross=totals.gross,
        signed_on=date(2026, 10, 1),
    )


@pytest.fixture
def contract(buyer) -> Contract:
    """Panels at 23% and installation at 8%: 40 000 + 10 000 net."""
    return make_contract(
        buyer,
        [
            ("Moduł fotowoltaiczny 450 W", "22", "1000.00", "23"),
            ("Falownik hybrydowy 10 kW", "1", "18000.00", "23"),
            ("Montaż instalacji na dachu", "1", "10000.00", "8"),
        ],
    )
