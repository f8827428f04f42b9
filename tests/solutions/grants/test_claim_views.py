"""The claim pages: what an allowed user sees and does, and 404 for a stranger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from obieg.solutions.grants import claims, views_claims
from obieg.solutions.grants.models import EligibleExpense, PaymentClaim
from tests.solutions.grants.helpers import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(institution):
    project = make_project(institution, realisation=(date(2026, 1, 1), date(2026, 12, 31)))
    return claims.plan_claims(
        actor=institution.coordinator,
        project=project,
        advance_amount=Decimal("20000.00"),
        interim_months=6,
        days_to_file=30,
    )


FORM = {
    "document_number": "FV/7/2026",
    "supplier": "Piece Sp. z o.o.",
    "description": "Piec tunelowy",
    "category": "środki trwałe",
    "issued_on": "2026-02-01",
    "paid_on": "2026-02-10",
    "net": "1000.00",
    "gross": "1230.00",
    "eligible": "1000.00",
}


def test_the_coordinator_sees_the_claim_with_its_buttons(client, institution, planned):
    claim = planned[1]
    claims.expense_add(
        actor=institution.coordinator,
        claim=claim,
        data={**FORM, "issued_on": date(2026, 2, 1), "paid_on": date(2026, 2, 10),
              "net": Decimal("1000.00"), "gross": Decimal("1230.00"),
              "eligible": Decimal("1000.00")},
    )  # fmt: skip
    client.force_login(institution.coordinator)

    page = client.get(reverse("grants:claim", args=[claim.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "FV/7/2026" in html
    assert 'id="expense-add"' in html and 'id="expense-import"' in html
    assert reverse("grants:claim_submit", args=[claim.pk]) in html
    assert "700,00" in html  # 1 000 eligible × 70 %


def test_the_empty_claim_and_the_advance_claim_pages(client, institution, planned):
    client.force_login(institution.advisor)

    empty = client.get(reverse("grants:claim", args=[planned[1].pk])).content.decode()
    advance = client.get(reverse("grants:claim", args=[planned[0].pk])).content.decode()

    assert "No expenses in this claim yet." in empty
    assert "20\u00a0000,00" in advance
    assert 'id="expense-add"' not in advance


def test_the_advisors_manager_may_work_on_it_and_a_stranger_gets_404(client, institution, planned):
    claim = planned[1]
    client.force_login(institution.org.olga)  # another team's salesperson
    assert client.get(reverse("grants:claim", args=[claim.pk])).status_code == 404
    assert client.post(reverse("grants:claim_submit", args=[claim.pk])).status_code == 404
    assert (
        client.post(reverse("grants:claim_expense_add", args=[claim.pk]), FORM).status_code == 404
    )

    client.force_login(institution.accountant)
    assert client.get(reverse("grants:claim", args=[claim.pk])).status_code == 404

    client.force_login(institution.org.manager)  # manages the advisor's team
    page = client.get(reverse("grants:claim", args=[claim.pk])).content.decode()
    assert 'id="claim-sums"' in page and 'id="expense-add"' in page


def test_add_an_expense_and_a_refused_one_shows_the_field_error(client, institution, planned):
    claim = planned[1]
    client.force_login(institution.coordinator)
    url = reverse("grants:claim_expense_add", args=[claim.pk])

    added = client.post(url, FORM)
    refused = client.post(url, {**FORM, "paid_on": "2026-07-02", "document_number": "FV/8"})
    negative = client.post(url, {**FORM, "net": "-5", "document_number": "FV/9"})

    assert added.status_code == 302
    assert refused.status_code == 400
    assert "outside the claim" in refused.content.decode()
    assert negative.status_code == 400
    assert list(EligibleExpense.objects.values_list("document_number", flat=True)) == ["FV/7/2026"]


def test_change_and_remove_with_confirmation(client, institution, planned):
    claim = planned[1]
    client.force_login(institution.coordinator)
    client.post(reverse("grants:claim_expense_add", args=[claim.pk]), FORM)
    expense = EligibleExpense.objects.get()

    edit = client.get(reverse("grants:claim_expense_edit", args=[expense.pk]))
    assert edit.status_code == 200 and "FV/7/2026" in edit.content.decode()
    changed = client.post(
        reverse("grants:claim_expense_edit", args=[expense.pk]), {**FORM, "eligible": "900.00"}
    )
    assert changed.status_code == 302
    expense.refresh_from_db()
    assert expense.eligible == Decimal("900.00")

    confirm = client.get(reverse("grants:claim_expense_remove", args=[expense.pk]))
    assert confirm.status_code == 200 and "Remove the expense?" in confirm.content.decode()
    assert EligibleExpense.objects.exists()
    client.post(reverse("grants:claim_expense_remove", args=[expense.pk]))
    assert not EligibleExpense.objects.exists()


def test_another_coordinator_cannot_change_through_the_pages(client, institution, planned):
    claim = planned[1]
    client.force_login(institution.other_coordinator)

    assert client.get(reverse("grants:claim", args=[claim.pk])).status_code == 404
    assert (
        client.post(reverse("grants:claim_expense_add", args=[claim.pk]), FORM).status_code == 404
    )
    assert not EligibleExpense.objects.exists()


def test_import_submit_and_settle_through_the_pages(client, institution, planned):
    claim = planned[1]
    client.force_login(institution.coordinator)
    content = (
        "Nr dokumentu;Dostawca;Opis;Kategoria;Data wystawienia;Data zapłaty;Netto;Brutto;"
        "Kwalifikowalne\nFV/1;Piece;Piec;ST;01.02.2026;10.02.2026;1 000,00;1 230,00;1 000,00\n"
    ).encode()
    bad = SimpleUploadedFile("w.csv", content.replace(b"10.02.2026", b"10.08.2026"))
    refused = client.post(reverse("grants:claim_import", args=[claim.pk]), {"file": bad})
    assert refused.status_code == 400
    assert "row 2: paid on" in refused.content.decode()

    good = SimpleUploadedFile("w.csv", content)
    assert (
        client.post(reverse("grants:claim_import", args=[claim.pk]), {"file": good}).status_code
        == 302
    )
    assert claim.expenses.count() == 1

    client.post(reverse("grants:claim_submit", args=[claim.pk]), {"on": "2026-07-20"})
    client.post(reverse("grants:claim_settle", args=[claim.pk]), {"on": "2026-09-01"})
    claim.refresh_from_db()
    assert (claim.status, claim.submitted_on, claim.settled_on) == (
        PaymentClaim.Status.SETTLED,
        date(2026, 7, 20),
        date(2026, 9, 1),
    )


def test_the_project_section_lists_each_claim(institution, planned):
    request = RequestFactory().get("/")
    request.user = institution.coordinator

    context = views_claims.section_context(request, planned[0].project)
    html = render_to_string("grants/claims/_section.html", {"claims": context})

    assert [row["claim"].pk for row in context["rows"]] == [c.pk for c in planned]
    assert context["can_change"] is True
    for claim in planned:
        assert reverse("grants:claim", args=[claim.pk]) in html
    assert "20\u00a0000,00" in html


def test_the_section_of_a_project_without_a_grant_yet_is_empty(institution):
    project = make_project(institution)
    project.application.delete()
    project = type(project).objects.get(pk=project.pk)
    request = RequestFactory().get("/")
    request.user = institution.coordinator

    context = views_claims.section_context(request, project)
    html = render_to_string("grants/claims/_section.html", {"claims": context})

    assert context["rows"] == []
    assert "planned when the grant agreement is recorded" in html


def test_a_strangers_expense_pages_are_404_and_no_file_is_a_field_error(
    client, institution, planned
):
    claim = planned[1]
    client.force_login(institution.coordinator)
    client.post(reverse("grants:claim_expense_add", args=[claim.pk]), FORM)
    expense = EligibleExpense.objects.get()
    no_file = client.post(reverse("grants:claim_import", args=[claim.pk]))
    assert no_file.status_code == 400 and "Choose a file." in no_file.content.decode()

    client.force_login(institution.other_coordinator)
    for name in ("grants:claim_expense_edit", "grants:claim_expense_remove"):
        assert client.get(reverse(name, args=[expense.pk])).status_code == 404
        assert client.post(reverse(name, args=[expense.pk]), FORM).status_code == 404
    assert EligibleExpense.objects.get().eligible == Decimal("1000.00")
