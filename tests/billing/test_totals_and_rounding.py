"""Totals and rounding: every split and every invoice adds up to the grosz (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from obieg.billing import amounts
from obieg.core.money import VatRate, document_totals

RATES = st.sampled_from(VatRate.values)
GROSZE = st.integers(min_value=1, max_value=10**11).map(lambda g: Decimal(g) / 100)
WEIGHTS = st.dictionaries(RATES, GROSZE, min_size=1, max_size=5)


@given(amount=GROSZE, rate=RATES)
def test_vat_from_gross_splits_the_gross_exactly(amount, rate):
    total = amounts.vat_from_gross(amount, rate)

    assert total.net + total.vat == amount
    assert total.vat == total.vat.quantize(Decimal("0.01"))
    if rate in ("0", "zw"):
        assert total.vat == 0


def test_vat_from_gross_uses_the_rate_over_100_plus_rate():
    assert amounts.vat_from_gross(Decimal("123.00"), "23").vat == Decimal("23.00")
    assert amounts.vat_from_gross(Decimal("10800.00"), "8").vat == Decimal("800.00")
    # 100 × 5/105 = 4.7619… → 4.76
    assert amounts.vat_from_gross(Decimal("100.00"), "5").vat == Decimal("4.76")


@given(weights=WEIGHTS, data=st.data())
def test_a_split_sums_exactly_and_never_exceeds_a_weight(weights, data):
    total = sum(weights.values())
    amount = data.draw(
        st.integers(min_value=1, max_value=int(total * 100)).map(lambda g: Decimal(g) / 100)
    )

    shares = amounts.split_by_weights(amount, weights)

    assert sum(shares.values()) == amount
    for rate, share in shares.items():
        assert Decimal(0) < share <= weights[rate]


@given(weights=WEIGHTS)
def test_splitting_the_whole_gives_back_every_weight(weights):
    assert amounts.split_by_weights(sum(weights.values()), weights) == weights


@given(lines=st.lists(st.tuples(RATES, GROSZE), min_size=1, max_size=20))
def test_document_totals_reconcile_per_rate_and_overall(lines):
    totals = document_totals(lines)

    assert totals.gross == totals.net + totals.vat
    assert totals.net == sum(net for _rate, net in lines)
    assert sum(t.vat for t in totals.per_rate) == totals.vat
    assert len({t.rate for t in totals.per_rate}) == len(totals.per_rate)


@given(
    weights=WEIGHTS,
    fractions=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6),
)
def test_advances_then_the_final_rebuild_the_order_per_rate(weights, fractions):
    """Pure arithmetic of ZAL…ZAL then ROZ over an order of any rates."""
    order = document_totals(weights.items()).per_rate
    billed = []
    for fraction in fractions:
        remaining = {t.rate: t.gross for t in amounts.subtract(order, billed) if t.gross > 0}
        left = sum(remaining.values(), Decimal(0))
        if left <= 0:
            break
        amount = max(Decimal("0.01"), (left * fraction / 100).quantize(Decimal("0.01")))
        advance = amounts.advance_rate_totals(min(amount, left), remaining)
        assert sum(t.gross for t in advance) == min(amount, left)
        billed.append(advance)

    final = amounts.subtract(order, billed)

    for rate_total in order:
        parts = [t for invoice in billed for t in invoice if t.rate == rate_total.rate]
        closing = next(t for t in final if t.rate == rate_total.rate)
        assert sum(t.net for t in parts) + closing.net == rate_total.net
        assert sum(t.vat for t in parts) + closing.vat == rate_total.vat
        assert closing.gross >= 0  # no rate is ever billed beyond its order value
