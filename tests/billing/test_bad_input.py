"""Bad input: a clear error, nothing issued, no number consumed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from obieg.billing import advances, invoicing
from obieg.billing.models import CompanyProfile, Invoice, SeriesCounter
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.crm.models import Account
from tests.factories import AccountFactory


def nothing_issued():
    assert Invoice.objects.count() == 0
    assert not SeriesCounter.objects.filter(last_number__gt=0).exists()


def test_an_advance_above_the_unpaid_contract_value(org, profile, contract):
    advances.advance_invoice_issue(actor=org.accountant, contract=contract, amount=Decimal(50000))

    with pytest.raises(ApplicationError) as raised:
        advances.advance_invoice_issue(
            actor=org.accountant, contract=contract, amount=Decimal("10000.01")
        )

    assert "exceeds" in raised.value.message and "10000.00" in raised.value.message
    assert raised.value.field_errors["amount"]
    assert Invoice.objects.count() == 1
    assert SeriesCounter.objects.get().last_number == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"amount": Decimal(1), "percent": Decimal(1)},
        {"percent": Decimal(101)},
        {"amount": Decimal("-1")},
        {"amount": Decimal("0.001")},
    ],
)
def test_an_advance_needs_one_sensible_amount(org, profile, contract, kwargs):
    with pytest.raises(ApplicationError):
        advances.advance_invoice_issue(actor=org.accountant, contract=contract, **kwargs)
    nothing_issued()


def test_a_final_invoice_without_a_contract(org, profile):
    with pytest.raises(ApplicationError) as raised:
        advances.final_invoice_issue(actor=org.accountant, contract=None)

    assert raised.value.field_errors == {"contract": ["This invoice needs a contract."]}
    nothing_issued()


@pytest.mark.parametrize("rate", ["7", "22", "np", "", "0 KR"])
def test_a_vat_rate_not_allowed(org, profile, buyer, rate):
    with pytest.raises(ApplicationError, match="not allowed") as raised:
        invoicing.invoice_issue(
            actor=org.accountant,
            buyer=buyer,
            lines=[{"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": rate}],
        )
    assert "lines" in raised.value.field_errors
    nothing_issued()


def test_a_company_buyer_without_nip(org, profile):
    company = AccountFactory(owner=org.sara, kind=Account.Kind.COMPANY, nip="")

    with pytest.raises(ApplicationError, match="without a NIP") as raised:
        invoicing.invoice_issue(
            actor=org.accountant,
            buyer=company,
            lines=[{"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": "23"}],
        )
    assert "buyer" in raised.value.field_errors
    nothing_issued()


def test_exempt_lines_need_the_legal_basis(org, profile, buyer):
    CompanyProfile.objects.update(vat_exemption_basis="")

    with pytest.raises(ApplicationError, match="legal basis"):
        invoicing.invoice_issue(
            actor=org.accountant,
            buyer=buyer,
            lines=[{"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": "zw"}],
        )
    nothing_issued()


def test_no_seller_profile(org, buyer):
    with pytest.raises(ApplicationError, match="company profile"):
        invoicing.invoice_issue(
            actor=org.accountant,
            buyer=buyer,
            lines=[{"description": "X", "quantity": "1", "unit_price": "1", "vat_rate": "23"}],
        )
    nothing_issued()


def test_a_contract_whose_value_fits_no_rate(org, profile, buyer, contract):
    contract.offer = None
    contract.value_net, contract.value_gross = Decimal("100.00"), Decimal("117.00")
    contract.save()

    with pytest.raises(ApplicationError, match="fit no single VAT rate"):
        advances.advance_invoice_issue(actor=org.accountant, contract=contract, amount=Decimal(10))
    nothing_issued()


def test_a_contract_without_an_offer_uses_its_own_rate(org, profile, contract):
    contract.offer = None
    contract.value_net, contract.value_gross = Decimal("1000.00"), Decimal("1080.00")
    contract.save()

    invoice = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("540.00")
    )

    assert [(t.vat_rate, t.net, t.vat) for t in invoice.rate_totals.all()] == [
        ("8", Decimal("500.00"), Decimal("40.00"))
    ]


def test_issuing_is_for_accounting(org, profile, buyer, contract):
    for actor in (org.sara, org.manager, org.board, org.stranger):
        with pytest.raises(PermissionDenied):
            advances.advance_invoice_issue(actor=actor, contract=contract, amount=Decimal(1))
    nothing_issued()


def test_instalments_and_advances_do_not_mix(org, profile, contract):
    advances.instalment_invoice_issue(actor=org.accountant, contract=contract, amount=Decimal(100))

    with pytest.raises(ApplicationError, match="instalment"):
        advances.advance_invoice_issue(actor=org.accountant, contract=contract, amount=Decimal(1))
    assert Invoice.objects.count() == 1
