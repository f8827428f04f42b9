"""Money and VAT: Decimal PLN, VAT per rate over the whole document, half-up to the grosz."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obieg.core.errors import ApplicationError
from obieg.core.money import (
    VatRate,
    document_totals,
    line_net,
    margin,
    to_grosz,
    vat_fraction,
)
from obieg.sales import services as sales
from obieg.sales.models import Offer
from tests.factories import AccountFactory

D = Decimal


def round_half_up(amount: Decimal) -> Decimal:
    """An independent half-up rounding to the grosz, to check the module against."""
    from decimal import ROUND_HALF_UP

    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# --- rounding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # half-even would give 0.02
        ("2.675", "2.68"),
        ("10", "10.00"),
        ("-0.005", "-0.01"),
    ],
)
def test_amounts_round_half_up_to_the_grosz(amount, expected):
    assert to_grosz(D(amount)) == D(expected)
    assert str(to_grosz(D(amount))) == expected


def test_line_net_is_quantity_times_price_rounded_half_up():
    # 1.005 × 1.00 = 1.005 → 1.01; 0.333 × 10.01 = 3.33333 → 3.33
    assert line_net(D("1.005"), D("1.00")) == D("1.01")
    assert line_net(D("0.333"), D("10.01")) == D("3.33")


# --- VAT per rate over the document ----------------------------------------------------------


def test_vat_is_computed_once_per_rate_on_the_summed_nets_not_per_line():
    # Three lines of 0.05 at 23%: per line VAT would be 0.0115 → 0.01 each, 0.03 in all;
    # per rate it is 0.15 × 23% = 0.0345 → 0.03. Make the difference visible with 0.10:
    # per line 0.023 → 0.02 × 3 = 0.06; per rate 0.30 × 23% = 0.069 → 0.07.
    totals = document_totals([("23", D("0.10"))] * 3)
    assert totals.net == D("0.30")
    assert totals.vat == D("0.07")
    assert totals.gross == D("0.37")


def test_vat_half_grosz_rounds_up():
    # 0.50 × 5% = 0.025 → 0.03 (half-up), not 0.02 (half-even).
    totals = document_totals([("5", D("0.50"))])
    assert totals.vat == D("0.03")


def test_each_rate_gets_its_own_total_in_a_fixed_order():
    totals = document_totals(
        [
            ("8", D("100.00")),
            ("23", D("1000.00")),
            ("zw", D("50.00")),
            ("23", D("0.99")),
            ("0", D("10.00")),
        ]
    )
    assert [(r.rate, r.net, r.vat) for r in totals.per_rate] == [
        ("23", D("1000.99"), D("230.23")),  # 230.2277 → 230.23
        ("8", D("100.00"), D("8.00")),
        ("0", D("10.00"), D("0.00")),
        ("zw", D("50.00"), D("0.00")),
    ]
    assert totals.net == D("1160.99")
    assert totals.vat == D("238.23")
    assert totals.gross == D("1399.22")


def test_exempt_rate_has_no_vat():
    assert vat_fraction(VatRate.ZW) == 0
    totals = document_totals([("zw", D("1234.56"))])
    assert totals.vat == D("0.00")
    assert totals.gross == D("1234.56")


@pytest.mark.parametrize("rate", ["7", "22", "ZW", "", "23%", 23])
def test_unknown_vat_rate_is_refused(rate):
    with pytest.raises(ValueError, match="Unknown VAT rate"):
        vat_fraction(rate)
    with pytest.raises(ValueError, match="Unknown VAT rate"):
        document_totals([("23", D("1.00")), (rate, D("1.00"))])


def test_an_empty_document_totals_zero():
    totals = document_totals([])
    assert (totals.net, totals.vat, totals.gross, totals.per_rate) == (0, 0, 0, ())


# --- margin ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("net", "cost", "expected"),
    [
        ("1000.00", "750.00", D("0.25")),
        ("300.00", "200.00", D(1) / 3),
        ("300.00", "100.00", D(2) / 3),
        ("100.00", "120.00", D("-0.2")),
        ("100.00", "0.00", D(1)),
    ],
)
def test_margin_is_net_minus_cost_over_net(net, cost, expected):
    assert margin(D(net), D(cost)) == expected


def test_margin_is_not_rounded_so_a_hair_below_a_minimum_stays_below():
    # 899.99 / 2,999.99 = 29.9998 %: rounded to 4 places it would equal 30 %.
    assert margin(D("2999.99"), D("2100.00")) < D("0.30")
    assert margin(D("3000.00"), D("2100.00")) == D("0.30")


@pytest.mark.parametrize("cost", ["0.00", "10.00"])
def test_margin_is_none_when_net_is_zero(cost):
    assert margin(D("0.00"), D(cost)) is None


# --- properties ------------------------------------------------------------------------------

RATES = st.sampled_from(VatRate.values)
QUANTITIES = st.decimals(
    min_value=D("0.001"), max_value=D("9999.999"), places=3, allow_nan=False, allow_infinity=False
)
PRICES = st.decimals(
    min_value=D("0.00"), max_value=D("99999.99"), places=2, allow_nan=False, allow_infinity=False
)
LINES = st.lists(st.tuples(QUANTITIES, PRICES, RATES), min_size=1, max_size=12)


@given(lines=LINES)
def test_document_totals_reconcile_with_per_rate_totals(lines):
    nets = [(rate, line_net(q, p)) for q, p, rate in lines]
    totals = document_totals(nets)

    assert totals.net == sum((r.net for r in totals.per_rate), D(0))
    assert totals.vat == sum((r.vat for r in totals.per_rate), D(0))
    assert totals.gross == totals.net + totals.vat
    assert len({r.rate for r in totals.per_rate}) == len(totals.per_rate)
    for rate_total in totals.per_rate:
        expected_net = sum((net for rate, net in nets if rate == rate_total.rate), D(0))
        assert rate_total.net == expected_net
        fraction = D(0) if rate_total.rate == "zw" else D(rate_total.rate) / 100
        assert rate_total.vat == round_half_up(rate_total.net * fraction)
        assert rate_total.vat.as_tuple().exponent == -2
    assert {r.rate for r in totals.per_rate} == {rate for _q, _p, rate in lines}


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(lines=LINES)
def test_offer_stored_totals_equal_the_totals_of_its_lines(org, lines):
    account = AccountFactory(owner=org.sara)
    offer = sales.offer_create(
        actor=org.sara,
        account=account,
        title="PV 10 kWp",
        lines=[
            {
                "description": f"Pozycja {i}",
                "quantity": q,
                "unit_price": p,
                "unit_cost": to_grosz(p / 2),
                "vat_rate": rate,
            }
            for i, (q, p, rate) in enumerate(lines)
        ],
    )
    stored = Offer.objects.get(pk=offer.pk)
    expected = document_totals((rate, line_net(q, p)) for q, p, rate in lines)
    assert stored.total_net == expected.net
    assert stored.total_vat == expected.vat
    assert stored.total_gross == expected.gross
    assert stored.total_cost == sum((line_net(q, to_grosz(p / 2)) for q, p, _ in lines), D(0))
    assert stored.totals() == expected
    assert stored.margin == margin(expected.net, stored.total_cost)


@pytest.mark.django_db
def test_an_offer_whose_totals_do_not_fit_the_money_column_is_refused(org):
    account = AccountFactory(owner=org.sara)
    huge = {
        "description": "Farma PV",
        "quantity": D("999999999.999"),
        "unit_price": D("999999999999.99"),
        "vat_rate": "23",
    }
    with pytest.raises(ApplicationError) as raised:
        sales.offer_create(actor=org.sara, account=account, title="Too big", lines=[huge])
    assert raised.value.field_errors
    assert not Offer.objects.exists()
