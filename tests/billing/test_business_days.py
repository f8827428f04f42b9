"""Invoice dates against the Polish calendar: deadlines moved off days off, holidays flagged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from obieg.billing import advances, dates, invoicing
from obieg.billing.models import Invoice

LINE = [{"description": "Audyt", "quantity": "1", "unit_price": "1000", "vat_rate": "23"}]


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        # 14 days later is 24 December 2026 (a holiday since 2025), then Christmas,
        # the second day of Christmas on a Saturday and a Sunday: Monday 28 December.
        (date(2026, 12, 10), date(2026, 12, 28)),
        # Easter Monday 2026 is 6 April: the deadline is Tuesday.
        (date(2026, 3, 23), date(2026, 4, 7)),
        # A Saturday: the deadline is the Monday after.
        (date(2026, 2, 21), date(2026, 3, 9)),
        # An ordinary Thursday stays.
        (date(2026, 2, 26), date(2026, 3, 12)),
    ],
)
def test_a_payment_term_ending_on_a_day_off_ends_on_the_next_business_day(
    org, profile, buyer, issued, due
):
    invoice = invoicing.invoice_issue(
        actor=org.accountant, buyer=buyer, lines=LINE, issue_date=issued
    )
    assert invoice.due_date == due


def test_the_advance_invoice_of_a_contract_gets_the_same_deadline_rule(org, profile, contract):
    invoice = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, percent=Decimal(30), issue_date=date(2026, 12, 10)
    )
    assert invoice.due_date == date(2026, 12, 28)


def test_a_term_given_in_days_by_the_caller_is_moved_too(org, profile, buyer):
    invoice = invoicing.invoice_issue(
        actor=org.accountant, buyer=buyer, lines=LINE, issue_date=date(2026, 3, 30), payment_days=7
    )
    assert invoice.due_date == date(2026, 4, 7)  # 6 April is Easter Monday


def test_a_due_date_a_person_chose_is_kept_and_pointed_out(org, profile, buyer):
    invoice = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=LINE,
        issue_date=date(2026, 3, 2),
        due_date=date(2026, 3, 7),  # a Saturday
    )
    assert invoice.due_date == date(2026, 3, 7)
    assert any("09.03.2026" in warning for warning in invoice.date_warnings)


def test_an_invoice_issued_on_24_december_is_allowed_but_flagged(org, profile, contract):
    invoice = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, percent=Decimal(30), issue_date=date(2026, 12, 24)
    )
    assert invoice.issue_date == date(2026, 12, 24)
    (warning,) = invoice.date_warnings
    assert "24.12.2026" in warning and "Wigilia" in warning


def test_an_ordinary_invoice_carries_no_warning(org, profile, buyer):
    invoice = invoicing.invoice_issue(
        actor=org.accountant, buyer=buyer, lines=LINE, issue_date=date(2026, 3, 2)
    )
    assert invoice.date_warnings == []


def test_an_advance_paid_at_issue_on_easter_monday_is_flagged_once(org, profile, contract):
    # Its due date is its issue date (nothing left to pay): only the holiday is worth a word.
    invoice = advances.advance_invoice_issue(
        actor=org.accountant,
        contract=contract,
        percent=Decimal(30),
        issue_date=date(2026, 4, 6),
        received_on=date(2026, 4, 6),
    )
    (warning,) = invoice.date_warnings
    assert "Poniedziałek Wielkanocny" in warning


def test_the_invoice_page_shows_the_holiday_warning(client, org, profile, contract):
    invoice = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, percent=Decimal(30), issue_date=date(2026, 12, 24)
    )
    client.force_login(org.accountant)
    page = client.get(reverse("billing:invoice_detail", args=[invoice.pk])).content.decode()
    assert 'class="alert alert-warning invoice-date-warning"' in page
    assert "Wigilia" in page


def test_issuing_on_a_holiday_warns_in_the_form_and_after_issuing(
    client, org, profile, contract, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 24))
    client.force_login(org.accountant)
    page = client.get(reverse("billing:contract_billing", args=[contract.pk])).content.decode()
    assert "issue-date-warning" in page and "Wigilia" in page

    response = client.post(
        reverse("billing:advance_create", args=[contract.pk]), {"percent": "30"}, follow=True
    )
    invoice = Invoice.objects.get(contract=contract)
    assert invoice.issue_date == date(2026, 12, 24)  # issued, not refused
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Wigilia" in warnings[0]


def test_the_api_response_of_an_issue_on_a_holiday_carries_the_warning(org, profile, buyer):
    client = APIClient()
    client.force_authenticate(org.accountant)
    response = client.post(
        "/api/billing/invoices/",
        {"buyer": buyer.pk, "lines": LINE, "issue_date": "2026-12-24"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["due_date"] == "2027-01-07"  # 7 January 2027 is a Thursday
    (warning,) = response.data["date_warnings"]
    assert "Wigilia" in warning
    again = client.get(f"/api/billing/invoices/{response.data['id']}/")
    assert again.data["date_warnings"] == response.data["date_warnings"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 24), date(2026, 12, 28)),
        (date(2026, 4, 6), date(2026, 4, 7)),
        (date(2026, 3, 7), date(2026, 3, 9)),
        (date(2026, 3, 9), date(2026, 3, 9)),
        (date(2027, 1, 1), date(2027, 1, 4)),  # New Year's Day on a Friday, then a weekend
    ],
)
def test_next_business_day(day, expected):
    assert dates.next_business_day(day) == expected


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (date(2026, 1, 12), 1, date(2026, 1, 9)),  # Monday - 1: the Friday before
        (date(2026, 1, 8), 2, date(2026, 1, 5)),  # over Epiphany (6 Jan)
        (date(2026, 12, 28), 1, date(2026, 12, 23)),  # over 24-26 Dec and the weekend
        (date(2026, 5, 4), 1, date(2026, 4, 30)),  # over 1 May and the weekend
        (date(2026, 5, 4), 0, date(2026, 5, 4)),
    ],
)
def test_counting_business_days_back(day, days, expected):
    from obieg.core.business_days import subtract_business_days

    assert subtract_business_days(day, days) == expected
