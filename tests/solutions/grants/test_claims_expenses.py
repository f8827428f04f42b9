"""A claim's expenses: its sums (property-based), refusals with field errors, submit and settle."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.solutions.grants import claims, permissions
from obieg.solutions.grants.models import (
    EligibleExpense,
    GrantApplication,
    Obligation,
    PaymentClaim,
)
from tests.solutions.grants.helpers import make_project

pytestmark = pytest.mark.django_db

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))


def _planned(inst, advance="20000.00", **kwargs):
    project = make_project(inst, realisation=(date(2026, 1, 1), date(2026, 12, 31)), **kwargs)
    planned = claims.plan_claims(
        actor=inst.coordinator,
        project=project,
        advance_amount=Decimal(advance),
        interim_months=6,
        days_to_file=30,
    )
    return project, planned


def expense(**overrides):
    data = {
        "document_number": "FV/1/2026",
        "supplier": "Piece Sp. z o.o.",
        "description": "Piec tunelowy",
        "category": "środki trwałe",
        "issued_on": date(2026, 2, 1),
        "paid_on": date(2026, 2, 10),
        "net": Decimal("1000.00"),
        "gross": Decimal("1230.00"),
        "eligible": Decimal("1000.00"),
    }
    return data | overrides


def _half_up_grosze(eligible_grosze: int, rate_hundredths: int) -> Decimal:
    """eligible × rate / 100 in whole grosze, rounded half-up by integer arithmetic."""
    numerator, denominator = eligible_grosze * rate_hundredths, 10_000
    return Decimal((2 * numerator + denominator) // (2 * denominator)) / 100


GROSZE = st.integers(min_value=0, max_value=3_000_000)  # up to 30 000 zł
EXPENSES = st.lists(
    st.tuples(GROSZE, GROSZE, GROSZE, st.integers(min_value=0, max_value=180)),
    min_size=0,
    max_size=8,
)
BAD = st.sampled_from(["negative_net", "eligible_over_gross", "net_over_gross", "paid_outside"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=EXPENSES,
    rate_hundredths=st.integers(min_value=1, max_value=10_000),
    bad=BAD,
)
def test_claim_totals_are_exact_sums_and_refusals_change_nothing(
    institution, rows, rate_hundredths, bad
):
    with transaction.atomic():  # each example rolls its project back
        project, planned = _planned(institution)
        claim = planned[1]
        GrantApplication.objects.filter(project=project).update(
            co_financing_rate=Decimal(rate_hundredths) / 100
        )
        project.application.refresh_from_db()
        data = []
        for a, b, c, offset in rows:
            eligible, net, gross = sorted((a, b, c))  # eligible ≤ net ≤ gross, in grosze
            data.append(
                expense(
                    paid_on=PERIOD[0] + timedelta(days=offset),
                    net=Decimal(net) / 100,
                    gross=Decimal(gross) / 100,
                    eligible=Decimal(eligible) / 100,
                )
            )
        for row in data:
            claims.expense_add(actor=institution.coordinator, claim=claim, data=row)

        totals = claims.claim_totals(PaymentClaim.objects.get(pk=claim.pk))
        assert totals.count == len(data)
        assert totals.gross == sum((r["gross"] for r in data), Decimal(0))
        assert totals.net == sum((r["net"] for r in data), Decimal(0))
        eligible_grosze = sum(int(r["eligible"] * 100) for r in data)
        assert totals.eligible == Decimal(eligible_grosze) / 100
        assert totals.amount_claimed == _half_up_grosze(eligible_grosze, rate_hundredths)

        wrong = {
            "negative_net": expense(net=Decimal("-0.01")),
            "eligible_over_gross": expense(eligible=Decimal("1230.01")),
            "net_over_gross": expense(net=Decimal("1230.01")),
            "paid_outside": expense(paid_on=PERIOD[1] + timedelta(days=1)),
        }[bad]
        with pytest.raises(ApplicationError) as refused:
            claims.expense_add(actor=institution.coordinator, claim=claim, data=wrong)
        assert refused.value.field_errors
        assert claims.claim_totals(PaymentClaim.objects.get(pk=claim.pk)) == totals
        transaction.set_rollback(True)


def test_the_amount_claimed_is_rounded_once_on_the_total(institution):
    project, planned = _planned(institution, rate=Decimal("85.00"))
    claim = planned[1]
    for n in range(3):
        claims.expense_add(
            actor=institution.coordinator,
            claim=claim,
            data=expense(document_number=f"FV/{n}", net=Decimal("0.03"), gross=Decimal("0.03"),
                         eligible=Decimal("0.03")),
        )  # fmt: skip

    totals = claims.claim_totals(claim)

    # Per expense 0.03 × 85% = 0.0255 → 0.03 each, 0.09 together; on the total 0.09 × 85% = 0.0765.
    assert totals.amount_claimed == Decimal("0.08")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"net": Decimal("-1.00")}, "net"),
        ({"gross": Decimal("-1.00"), "net": Decimal("0"), "eligible": Decimal("0")}, "gross"),
        ({"eligible": Decimal("-0.01")}, "eligible"),
        ({"net": Decimal("1230.01")}, "net"),
        ({"eligible": Decimal("1230.01")}, "eligible"),
        ({"paid_on": date(2025, 12, 31)}, "paid_on"),  # before the realisation
        ({"paid_on": date(2026, 7, 1)}, "paid_on"),  # after the claim's period
        ({"net": Decimal("1.001")}, "net"),
        ({"document_number": ""}, "document_number"),
    ],
)
def test_a_bad_expense_is_refused_with_a_field_error(institution, overrides, field):
    _project, planned = _planned(institution)

    with pytest.raises(ApplicationError) as refused:
        claims.expense_add(
            actor=institution.coordinator, claim=planned[1], data=expense(**overrides)
        )

    assert field in refused.value.field_errors
    assert not EligibleExpense.objects.exists()


def test_claims_together_may_not_exceed_the_awarded_grant(institution):
    # Awarded 350 000 at 70 %: 400 000 eligible ask 280 000, 100 001 more ask 70 000.70.
    _project, planned = _planned(institution)
    first, final = planned[1], planned[2]
    big = {"net": Decimal("400000.00"), "gross": Decimal("400000.00")}
    claims.expense_add(
        actor=institution.coordinator, claim=first, data=expense(**big, eligible=big["net"])
    )

    with pytest.raises(ApplicationError) as refused:
        claims.expense_add(
            actor=institution.coordinator,
            claim=final,
            data=expense(paid_on=date(2026, 8, 1), net=Decimal("100001.00"),
                         gross=Decimal("100001.00"), eligible=Decimal("100001.00")),
        )  # fmt: skip

    assert "eligible" in refused.value.field_errors
    assert not final.expenses.exists()
    claims.expense_add(
        actor=institution.coordinator,
        claim=final,
        data=expense(paid_on=date(2026, 8, 1), net=Decimal("100000.00"),
                     gross=Decimal("100000.00"), eligible=Decimal("100000.00")),
    )  # fmt: skip
    assert claims.cumulative_claimed(final.project) == Decimal("350000.00")


def test_an_advance_claim_and_a_submitted_claim_take_no_expenses(institution):
    _project, planned = _planned(institution)
    advance, interim = planned[0], planned[1]
    with pytest.raises(ApplicationError) as refused:
        claims.expense_add(actor=institution.coordinator, claim=advance, data=expense())
    assert "claim" in refused.value.field_errors

    added = claims.expense_add(actor=institution.coordinator, claim=interim, data=expense())
    claims.claim_submit(actor=institution.coordinator, claim=interim, on=date(2026, 7, 20))

    for attempt in (
        lambda: claims.expense_add(actor=institution.coordinator, claim=interim, data=expense()),
        lambda: claims.expense_change(
            actor=institution.coordinator, expense=added, data={"net": Decimal("1.00")}
        ),
        lambda: claims.expense_remove(actor=institution.coordinator, expense=added),
    ):
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert "claim" in refused.value.field_errors
    added.refresh_from_db()
    assert added.net == Decimal("1000.00")


def test_change_and_remove_an_expense_are_audited(institution):
    _project, planned = _planned(institution)
    added = claims.expense_add(actor=institution.coordinator, claim=planned[1], data=expense())

    with pytest.raises(ApplicationError) as refused:
        claims.expense_change(
            actor=institution.coordinator, expense=added, data={"eligible": Decimal("2000.00")}
        )
    assert "eligible" in refused.value.field_errors
    claims.expense_change(
        actor=institution.coordinator, expense=added, data={"eligible": Decimal("900.00")}
    )
    added.refresh_from_db()
    assert added.eligible == Decimal("900.00")

    claims.expense_remove(actor=institution.coordinator, expense=added)

    assert not EligibleExpense.objects.filter(pk=added.pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=added.pk, content_type__model="eligibleexpense")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_submit_closes_the_obligation_and_settle_follows(institution):
    _project, planned = _planned(institution)
    claim = planned[1]

    claims.claim_submit(actor=institution.coordinator, claim=claim, on=date(2026, 7, 20))

    claim.refresh_from_db()
    assert (claim.status, claim.submitted_on) == ("submitted", date(2026, 7, 20))
    obligation = Obligation.objects.get(claim=claim)
    assert (obligation.state, obligation.done_on) == ("done", date(2026, 7, 20))
    with pytest.raises(ApplicationError) as twice:
        claims.claim_submit(actor=institution.coordinator, claim=claim)
    assert "status" in twice.value.field_errors
    with pytest.raises(ApplicationError) as early:
        claims.claim_settle(actor=institution.coordinator, claim=claim, on=date(2026, 7, 19))
    assert "settled_on" in early.value.field_errors

    claims.claim_settle(actor=institution.coordinator, claim=claim, on=date(2026, 9, 1))

    claim.refresh_from_db()
    assert (claim.status, claim.settled_on) == ("settled", date(2026, 9, 1))


def test_settling_a_planned_claim_is_refused(institution):
    _project, planned = _planned(institution)

    with pytest.raises(ApplicationError) as refused:
        claims.claim_settle(actor=institution.coordinator, claim=planned[1])

    assert "status" in refused.value.field_errors


def test_another_coordinator_may_not_change_the_claims(institution):
    _project, planned = _planned(institution)

    with pytest.raises(PermissionDenied):
        claims.expense_add(actor=institution.other_coordinator, claim=planned[1], data=expense())
    with pytest.raises(PermissionDenied):
        claims.claim_submit(actor=institution.other_coordinator, claim=planned[1])

    assert not EligibleExpense.objects.exists()
    assert permissions.may_work_on(institution.advisor, planned[1].project)
    assert permissions.may_work_on(institution.coordinator, planned[1].project)
    assert not permissions.may_work_on(institution.accountant, planned[1].project)


def _race(*calls):
    """Run the calls at the same moment in their own threads; their errors, by call."""
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=10)
            call()
            outcomes[index] = "ok"
        except Exception as error:  # collected and asserted by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_cannot_pass_the_award_together(institution):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    _project, planned = _planned(institution)
    # Each alone fits the 350 000 award at 70 % (280 000); together they ask 560 000.
    big = {
        "net": Decimal("400000.00"),
        "gross": Decimal("400000.00"),
        "eligible": Decimal("400000.00"),
    }

    outcomes = _race(
        lambda: claims.expense_add(
            actor=institution.coordinator, claim=planned[1], data=expense(**big)
        ),
        lambda: claims.expense_add(
            actor=institution.advisor,
            claim=planned[2],
            data=expense(**big, paid_on=date(2026, 8, 1)),
        ),
    )

    assert sorted(o == "ok" for o in outcomes) == [False, True]
    refused = next(o for o in outcomes if o != "ok")
    assert isinstance(refused, ApplicationError) and "eligible" in refused.field_errors
    assert EligibleExpense.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_planning_at_the_same_moment_plans_once(institution):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them")
    project = make_project(institution)

    def plan():
        claims.plan_claims(
            actor=institution.coordinator,
            project=project,
            advance_amount=Decimal("100.00"),
            interim_months=6,
            days_to_file=30,
        )

    assert _race(plan, plan) == ["ok", "ok"]
    assert PaymentClaim.objects.filter(project=project).count() == 4
    assert Obligation.objects.filter(project=project).count() == 4
