"""Advance invoices then the final one: the order's value, to the grosz, per rate (ZAL → ROZ)."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obieg.billing import advances
from obieg.billing.models import Invoice, InvoiceKind
from obieg.core.errors import ApplicationError
from obieg.core.money import VatRate
from tests.billing.conftest import make_contract

NUMBERS = itertools.count(1)
LINE = st.tuples(
    st.sampled_from(VatRate.values),
    st.integers(min_value=1, max_value=50),  # quantity
    st.integers(min_value=1, max_value=5_000_000).map(lambda g: Decimal(g) / 100),  # price
)


def per_rate(invoices, field):
    sums: dict[str, Decimal] = {}
    for invoice in invoices:
        for total in invoice.rate_totals.all():
            sums[total.vat_rate] = sums.get(total.vat_rate, Decimal(0)) + getattr(total, field)
    return sums


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(LINE, min_size=1, max_size=4),
    percents=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=3),
)
def test_advances_and_final_reconcile_exactly(org, profile, buyer, lines, percents):
    contract = make_contract(
        buyer,
        [(f"Pozycja {i}", str(q), str(p), rate) for i, (rate, q, p) in enumerate(lines)],
        number=f"UM/P/{next(NUMBERS)}",
    )
    issued = []
    for percent in percents:
        remaining = advances.contract_billing(contract).remaining
        amount = min(
            remaining,
            max(Decimal("0.01"), (contract.value_gross * percent / 100).quantize(Decimal("0.01"))),
        )
        if amount <= 0:
            break
        issued.append(
            advances.advance_invoice_issue(actor=org.accountant, contract=contract, amount=amount)
        )
    order = advances.contract_billing(contract).order.totals
    if advances.contract_billing(contract).remaining == 0:
        # Art. 106f ust. 4: the last advance closes the order; no final invoice follows.
        everything = issued
        with pytest.raises(ApplicationError):
            advances.final_invoice_issue(actor=org.accountant, contract=contract)
    else:
        final = advances.final_invoice_issue(actor=org.accountant, contract=contract)
        everything = [*issued, final]
        assert final.kind == InvoiceKind.FINAL
        assert set(final.advances.all()) == set(issued)
        assert final.order_gross == contract.value_gross
        assert final.gross == final.net + final.vat

    assert sum(i.gross for i in everything) == contract.value_gross
    assert set(per_rate(everything, "net")) == {t.rate for t in order.per_rate}
    for total in order.per_rate:
        assert per_rate(everything, "net")[total.rate] == total.net
        assert per_rate(everything, "vat")[total.rate] == total.vat


def test_final_invoice_references_each_advance_and_bills_the_rest(org, profile, contract):
    first = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, percent=Decimal(30)
    )
    second = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("12345.67")
    )

    final = advances.final_invoice_issue(actor=org.accountant, contract=contract)

    assert first.gross == Decimal("18000.00")
    assert final.gross == Decimal("60000.00") - Decimal("18000.00") - Decimal("12345.67")
    assert list(final.advances.order_by("id")) == [first, second]
    assert [line.description for line in final.lines.all()] == [
        "Moduł fotowoltaiczny 450 W",
        "Falownik hybrydowy 10 kW",
        "Montaż instalacji na dachu",
    ]


def test_advance_vat_follows_the_contract_rates_proportionally(org, profile, contract):
    invoice = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("6000.00")
    )

    totals = {t.vat_rate: (t.net, t.vat) for t in invoice.rate_totals.all()}
    # 49 200 of 60 000 gross is at 23%, 10 800 at 8%: 4 920 and 1 080 of the advance.
    assert totals == {
        "23": (Decimal("4000.00"), Decimal("920.00")),
        "8": (Decimal("1000.00"), Decimal("80.00")),
    }
    assert invoice.order_gross == Decimal("60000.00")
    assert invoice.lines.count() == 3  # the order's lines, as FA(3) Zamowienie


def test_the_advance_that_completes_the_payment_names_the_earlier_ones(org, profile, contract):
    first = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, percent=Decimal(40)
    )
    last = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("36000.00")
    )

    assert list(last.advances.all()) == [first]
    with pytest.raises(ApplicationError, match="fully invoiced"):
        advances.final_invoice_issue(actor=org.accountant, contract=contract)
    assert Invoice.objects.filter(kind=InvoiceKind.FINAL).count() == 0


def test_contract_without_advances_closes_with_a_vat_invoice_of_the_order(org, profile, contract):
    invoice = advances.final_invoice_issue(actor=org.accountant, contract=contract)

    assert invoice.kind == InvoiceKind.VAT
    assert (invoice.net, invoice.vat, invoice.gross) == (
        Decimal("50000.00"),
        Decimal("10000.00"),
        Decimal("60000.00"),
    )
