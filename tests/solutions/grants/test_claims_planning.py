"""Planning a project's payment claims from its realisation period and grant agreement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from obieg.core.errors import ApplicationError
from obieg.core.models import AuditEntry
from obieg.solutions.grants import claims
from obieg.solutions.grants.models import GrantApplication, Obligation, PaymentClaim
from tests.solutions.grants.helpers import make_project

pytestmark = pytest.mark.django_db


def _plan(inst, project, advance="0", months=6, days=30):
    return claims.plan_claims(
        actor=inst.coordinator,
        project=project,
        advance_amount=Decimal(advance),
        interim_months=months,
        days_to_file=days,
    )


def _shape(planned):
    return [(c.number, c.kind, c.period_from, c.period_to, c.due_date) for c in planned]


def test_advance_interim_and_final_claims_cover_the_realisation(institution):
    project = make_project(institution, realisation=(date(2026, 1, 1), date(2027, 6, 30)))
    GrantApplication.objects.filter(project=project).update(agreement_signed_on=date(2025, 12, 15))

    planned = _plan(institution, project, advance="50000.00")

    assert _shape(planned) == [
        (1, "advance", date(2026, 1, 1), date(2026, 6, 30), date(2026, 1, 14)),
        (2, "interim", date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 30)),
        # 31.12 + 30 days is Saturday 30.01.2027: due on Monday.
        (3, "interim", date(2026, 7, 1), date(2026, 12, 31), date(2027, 2, 1)),
        (4, "final", date(2027, 1, 1), date(2027, 6, 30), date(2027, 7, 30)),
    ]
    assert planned[0].advance_requested == Decimal("50000.00")
    assert all(c.advance_requested == 0 for c in planned[1:])
    timeline = Obligation.objects.filter(project=project, kind="claim").order_by("due_date")
    assert [(o.claim_id, o.due_date, o.state) for o in timeline] == [
        (c.pk, c.due_date, "open") for c in planned
    ]
    assert "Wniosek o płatność" in timeline[0].title or "Payment claim" in timeline[0].title
    assert AuditEntry.objects.filter(object_id__in=[c.pk for c in planned]).count() >= 4


def test_no_advance_and_a_short_last_period_ending_on_the_realisation_end(institution):
    project = make_project(institution, realisation=(date(2026, 3, 1), date(2026, 10, 15)))

    planned = _plan(institution, project, months=3, days=0)

    assert [(c.kind, c.period_from, c.period_to) for c in planned] == [
        ("interim", date(2026, 3, 1), date(2026, 5, 31)),
        ("interim", date(2026, 6, 1), date(2026, 8, 31)),
        ("final", date(2026, 9, 1), date(2026, 10, 15)),
    ]


def test_a_period_ends_on_february_29_in_a_leap_year(institution):
    project = make_project(institution, realisation=(date(2027, 12, 1), date(2028, 5, 31)))

    planned = _plan(institution, project, months=3, days=0)

    assert planned[0].period_to == date(2028, 2, 29)
    assert planned[0].due_date == date(2028, 2, 29)  # a Tuesday
    assert planned[1].period_from == date(2028, 3, 1)


def test_a_period_starting_on_the_31st_keeps_its_month_ends(institution):
    project = make_project(institution, realisation=(date(2028, 1, 31), date(2028, 4, 29)))

    planned = _plan(institution, project, months=1, days=0)

    assert [(c.period_from, c.period_to) for c in planned] == [
        (date(2028, 1, 31), date(2028, 2, 28)),
        (date(2028, 2, 29), date(2028, 3, 30)),
        (date(2028, 3, 31), date(2028, 4, 29)),
    ]


@pytest.mark.parametrize(
    ("ends", "days", "due"),
    [
        (date(2026, 10, 31), 11, date(2026, 11, 12)),  # 11.11, Independence Day
        (date(2026, 11, 30), 24, date(2026, 12, 28)),  # 24.12 (from 2025), 25.12, weekend
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year, then a weekend
    ],
)
def test_a_due_date_on_a_holiday_moves_to_the_next_business_day(institution, ends, days, due):
    project = make_project(institution, realisation=(date(2026, 1, 1), ends))

    planned = _plan(institution, project, months=12, days=days)

    assert planned[-1].kind == "final"
    assert planned[-1].due_date == due


def test_planning_twice_changes_nothing(institution):
    project = make_project(institution)
    first = _plan(institution, project, advance="1000.00")

    again = _plan(institution, project, advance="9999.00", months=1)

    assert [c.pk for c in again] == [c.pk for c in first]
    assert PaymentClaim.objects.filter(project=project).count() == len(first)
    assert Obligation.objects.filter(project=project).count() == len(first)


@pytest.mark.parametrize(
    ("advance", "months", "days", "field"),
    [
        ("0", 0, 30, "interim_months"),
        ("0", 6, -1, "days_to_file"),
        ("0", 10**6, 30, "interim_months"),
        ("0", 6, 10**9, "days_to_file"),
        ("-0.01", 6, 30, "advance_amount"),
        ("350000.01", 6, 30, "advance_amount"),
        ("10.001", 6, 30, "advance_amount"),
    ],
)
def test_bad_planning_input_is_refused_with_a_field_error(
    institution, advance, months, days, field
):
    project = make_project(institution)

    with pytest.raises(ApplicationError) as refused:
        _plan(institution, project, advance=advance, months=months, days=days)

    assert field in refused.value.field_errors
    assert not PaymentClaim.objects.filter(project=project).exists()
    assert not Obligation.objects.filter(project=project).exists()


def test_a_project_without_an_award_or_a_realisation_period_is_refused(institution):
    project = make_project(institution, awarded=None, realisation=(None, None))

    with pytest.raises(ApplicationError) as refused:
        _plan(institution, project)

    assert {"awarded_amount", "realisation_starts_on"} <= set(refused.value.field_errors)
