"""Billing pages: invoice list and filters, invoice page with PDF and XML, contracts, payments."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from obieg.billing import advances, invoicing, ksef
from obieg.billing.models import Invoice, ScheduleItem
from tests.factories import AccountFactory

TODAY = date.today()


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def invoices(org, profile, buyer, contract):
    line = [{"description": "Serwis", "quantity": "1", "unit_price": "100", "vat_rate": "23"}]
    old = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=buyer,
        lines=line,
        issue_date=TODAY - timedelta(days=40),
        due_date=TODAY - timedelta(days=30),
    )
    other = AccountFactory(owner=org.olga, name="Obca Firma S.A.", nip="7792433421")
    foreign = invoicing.invoice_issue(actor=org.accountant, buyer=other, lines=line)
    advance = advances.advance_invoice_issue(
        actor=org.accountant, contract=contract, amount=Decimal("6000.00")
    )
    return old, foreign, advance


def rows(response) -> list[str]:
    return [invoice.number for invoice in response.context["page"].rows]


def test_accounting_sees_every_invoice_and_filters_them(signed_in, org, invoices):
    old, foreign, advance = invoices
    client = signed_in(org.accountant)
    url = reverse("billing:invoice_list")

    assert set(rows(client.get(url))) == {old.number, foreign.number, advance.number}
    assert rows(client.get(url, {"kind": "ZAL"})) == [advance.number]
    assert rows(client.get(url, {"status": "overdue"})) == [old.number]
    assert rows(client.get(url, {"buyer": "obca"})) == [foreign.number]
    assert rows(client.get(url, {"buyer": "779-243-34-21"})) == [foreign.number]
    period = {
        "date_from": (TODAY - timedelta(days=50)).isoformat(),
        "date_to": (TODAY - timedelta(days=35)).isoformat(),
    }
    assert rows(client.get(url, period)) == [old.number]
    assert rows(client.get(url, {"date_from": "not-a-date", "kind": "nope"})) != []


def test_salespeople_see_only_their_customers_invoices(signed_in, org, invoices):
    old, _foreign, advance = invoices

    response = signed_in(org.sara).get(reverse("billing:invoice_list"))

    assert set(rows(response)) == {old.number, advance.number}
    assert (
        signed_in(org.stranger).get(reverse("billing:invoice_detail", args=[old.pk])).status_code
        == 404
    )


def test_invoice_page_previews_the_pdf_and_offers_the_xml(signed_in, org, invoices):
    _old, _foreign, advance = invoices
    client = signed_in(org.accountant)

    page = client.get(reverse("billing:invoice_detail", args=[advance.pk]))
    pdf = client.get(reverse("billing:invoice_pdf", args=[advance.pk]))
    xml = client.get(reverse("billing:invoice_xml", args=[advance.pk]))

    assert page.status_code == 200
    assert reverse("billing:invoice_pdf", args=[advance.pk]) in page.content.decode()
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert "attachment" in xml["Content-Disposition"] and ".xml" in xml["Content-Disposition"]
    ksef.validate(xml.content)


def test_issue_an_advance_and_the_final_invoice_from_the_contract_page(
    signed_in, org, profile, contract
):
    client = signed_in(org.accountant)
    page = reverse("billing:contract_billing", args=[contract.pk])

    assert client.get(page).status_code == 200
    response = client.post(
        reverse("billing:advance_create", args=[contract.pk]), {"percent": "50", "annex_15": "on"}
    )
    assert response.status_code == 302
    response = client.post(reverse("billing:final_create", args=[contract.pk]), {})
    assert response.status_code == 302

    kinds = list(Invoice.objects.order_by("id").values_list("kind", "gross", "split_payment"))
    assert kinds == [("ZAL", Decimal("30000.00"), True), ("ROZ", Decimal("30000.00"), False)]


def test_a_refused_advance_shows_why_and_issues_nothing(signed_in, org, profile, contract):
    response = signed_in(org.accountant).post(
        reverse("billing:advance_create", args=[contract.pk]), {"amount": "60000.01"}
    )

    assert response.status_code == 400
    assert "exceeds" in response.content.decode()
    assert Invoice.objects.count() == 0


def test_salespeople_cannot_issue_from_the_contract_page(signed_in, org, profile, contract):
    client = signed_in(org.sara)

    page = client.get(reverse("billing:contract_billing", args=[contract.pk]))
    response = client.post(reverse("billing:advance_create", args=[contract.pk]), {"amount": "10"})

    assert page.status_code == 200 and "advance-form" not in page.content.decode()
    assert response.status_code == 403
    assert Invoice.objects.count() == 0


def test_plan_and_issue_a_scheduled_payment(signed_in, org, profile, contract):
    client = signed_in(org.accountant)

    client.post(
        reverse("billing:schedule_item_create", args=[contract.pk]),
        {"due_date": TODAY.isoformat(), "amount": "1000.00", "kind": "advance"},
    )
    client.post(reverse("billing:issue_due"))
    client.post(reverse("billing:issue_due"))

    item = ScheduleItem.objects.get()
    assert item.invoice is not None and Invoice.objects.count() == 1
    page = client.get(reverse("billing:contract_billing", args=[contract.pk]))
    assert item.invoice.number in page.content.decode()


def test_record_a_payment(signed_in, org, invoices):
    old, _foreign, _advance = invoices
    client = signed_in(org.accountant)
    url = reverse("billing:payment_create", args=[old.pk])

    assert client.get(url).status_code == 200
    refused = client.post(url, {"amount": "500", "paid_on": TODAY.isoformat(), "method": "6"})
    done = client.post(url, {"amount": "123.00", "paid_on": TODAY.isoformat(), "method": "6"})

    assert refused.status_code == 200 and "exceeds" in refused.content.decode()
    assert done.status_code == 302
    old.refresh_from_db()
    assert old.status == Invoice.Status.PAID


def test_salespeople_cannot_record_payments(signed_in, org, invoices):
    old, _foreign, _advance = invoices
    response = signed_in(org.sara).post(
        reverse("billing:payment_create", args=[old.pk]),
        {"amount": "1", "paid_on": TODAY.isoformat(), "method": "6"},
    )

    assert response.status_code == 403
    assert old.payments.count() == 0


def test_pages_and_refusals_speak_polish(signed_in, org, invoices, settings):
    settings.LANGUAGE_CODE = "pl"
    old, _foreign, _advance = invoices
    client = signed_in(org.accountant)

    listing = client.get(reverse("billing:invoice_list"), HTTP_ACCEPT_LANGUAGE="pl")
    refused = client.post(
        reverse("billing:payment_create", args=[old.pk]),
        {"amount": "500", "paid_on": TODAY.isoformat(), "method": "6"},
        HTTP_ACCEPT_LANGUAGE="pl",
    )

    assert "Faktury" in listing.content.decode() and "przeterminowana" in listing.content.decode()
    assert "przekracza kwotę" in refused.content.decode()
