"""The 360° page's invoices, payments, cases (with their current step) and inquiries.

Each is a section like the platform's own: a capped count, the first rows,
"show more" a page at a time, only what the reader may see, and the same
number of queries for a customer with one record or hundreds.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from obieg.billing import invoicing
from obieg.billing.models import Invoice, Payment
from obieg.crm.models import Account, Opportunity
from obieg.crm.selectors.account_sections import FIRST_ROWS, MORE_ROWS
from obieg.engine.models import Case, WorkItem
from obieg.solutions.expert_opinions.models import Inquiry
from tests.conftest import give_role
from tests.crm.merge_fixtures import _uuid, definition, seller_profile
from tests.factories import AccountFactory
from tests.web.test_account_sections import more_url, queries_of

NEW_KINDS = ("invoices", "payments", "cases", "inquiries")


def add_invoices(account, org, count: int, *, tag: str = "") -> Invoice:
    """`count` invoices of `account`, a day apart (one issued, the rest its copies)."""
    seller_profile()
    first = invoicing.invoice_issue(
        actor=org.accountant,
        buyer=account,
        lines=[{"description": "Serwis", "quantity": "1", "unit_price": "100", "vat_rate": "23"}],
        issue_date=date(2026, 1, 1),
    )
    copies = []
    for n in range(1, count):
        copy = Invoice.objects.get(pk=first.pk)
        copy.pk = None
        copy.number = f"{first.number}-{tag}{n:03d}"
        copy.issue_date = date(2026, 1, 1) + timedelta(days=n)
        copies.append(copy)
    Invoice.objects.bulk_create(copies)
    return first


def add_payments(invoice, count: int) -> None:
    Payment.objects.bulk_create(
        Payment(
            invoice=invoice,
            amount=Decimal("1.00"),
            paid_on=date(2026, 2, 1) + timedelta(days=n),
            reference=f"Przelew {n:03d}",
        )
        for n in range(count)
    )


def add_cases(subject, owner, count: int, *, step: str = "Approve the offer") -> list[Case]:
    start = timezone.now() - timedelta(days=30)
    subject_type = ContentType.objects.get_for_model(subject)
    cases = Case.objects.bulk_create(
        Case(
            definition=definition(),
            title=f"Case {n:03d} of {subject}",
            subject_type=subject_type,
            subject_id=subject.pk,
            owner=owner,
            status="waiting",
            started_at=start + timedelta(hours=n),
        )
        for n in range(count)
    )
    WorkItem.objects.bulk_create(
        WorkItem(case=case, task_id=_uuid(case.pk), element_id="approve", name=step, assignee=owner)
        for case in cases
    )
    return cases


def add_inquiries(account, owner, count: int, *, tag: str = "") -> None:
    start = timezone.now() - timedelta(days=30)
    Inquiry.objects.bulk_create(
        Inquiry(
            number=f"ZAP/{account.pk}/{tag}{n:03d}",
            account=account,
            subject=f"Opinia {n:03d}",
            owner=owner,
            created_at=start + timedelta(hours=n),
        )
        for n in range(count)
    )


def fill(account, org, count: int, tag: str = "") -> None:
    invoice = add_invoices(account, org, count, tag=tag)
    add_payments(invoice, count)
    add_cases(account, org.sara, count)
    add_inquiries(account, org.sara, count, tag=tag)


def detail(client, account):
    return client.get(reverse("account_detail", args=[account.pk]))


def test_each_new_list_shows_its_count_and_first_rows_and_pages_through_the_rest(client, org):
    account = AccountFactory(owner=org.sara)
    total = FIRST_ROWS + MORE_ROWS + 2
    fill(account, org, total)
    client.force_login(org.admin)

    page = detail(client, account)

    page_html = page.content.decode()
    sections = page.context["sections"]
    for kind in NEW_KINDS:
        assert sections[kind].count == total, kind
        assert f'id="{kind}"' in page_html, kind
        shown = list(sections[kind].page.rows)
        second = client.get(more_url(page_html, kind), HTTP_HX_REQUEST="true")
        assert "<html" not in second.content.decode()
        shown += second.context["page"].rows
        third = client.get(more_url(second.content.decode(), kind), HTTP_HX_REQUEST="true")
        shown += third.context["page"].rows
        assert more_url(third.content.decode(), kind) is None, kind
        assert len({row.pk for row in shown}) == total, kind
    newest_invoice = sections["invoices"].page.rows[0]
    assert newest_invoice.issue_date == date(2026, 1, 1) + timedelta(days=total - 1)
    assert sections["payments"].page.rows[0].reference == f"Przelew {total - 1:03d}"


def test_cases_show_their_current_step_and_those_of_the_accounts_records(client, org):
    account = AccountFactory(owner=org.sara)
    other = AccountFactory(owner=org.sara)
    opportunity = Opportunity.objects.create(account=account, name="PV", owner=org.sara)
    (own,) = add_cases(account, org.sara, 1, step="Call the customer")
    (of_opportunity,) = add_cases(opportunity, org.sara, 1, step="Prepare the offer")
    WorkItem.objects.create(
        case=of_opportunity,
        task_id=_uuid(10**6),
        element_id="design",
        name="Design",
        assignee=org.sara,
    )
    add_cases(other, org.sara, 2)
    done = add_cases(account, org.sara, 1)[0]
    WorkItem.objects.filter(case=done).update(status="completed")
    Case.objects.filter(pk=done.pk).update(status="completed")
    client.force_login(org.sara)

    page = detail(client, account)

    rows = {case.pk: case for case in page.context["sections"]["cases"].page.rows}
    assert set(rows) == {own.pk, of_opportunity.pk, done.pk}
    assert rows[own.pk].current_step == "Call the customer"
    assert rows[of_opportunity.pk].current_step == "Prepare the offer"
    assert rows[of_opportunity.pk].open_steps == 2
    assert rows[done.pk].current_step is None
    html = page.content.decode()
    assert "Prepare the offer" in html and "+1" in html


def test_each_reader_sees_only_their_own_part(client, org):
    account = AccountFactory(owner=org.sara)
    invoice = add_invoices(account, org, 2)
    add_payments(invoice, 1)
    add_cases(account, org.sara, 1)
    olgas = Opportunity.objects.create(account=account, name="Olga's", owner=org.olga)
    (hidden_case,) = add_cases(olgas, org.olga, 1)
    add_inquiries(account, org.olga, 2)

    client.force_login(org.sara)
    sections = detail(client, account).context["sections"]
    # Sara owns the customer: its invoices and payments, the case about it; not
    # Olga's opportunity's case, nor Olga's inquiries.
    assert [sections[k].count for k in NEW_KINDS] == [2, 1, 1, 0]
    assert 'id="inquiries"' not in detail(client, account).content.decode()

    client.force_login(org.olga)  # sees the customer through nothing of hers on the page
    assert detail(client, account).status_code == 404

    client.force_login(org.accountant)  # finance: every customer, invoice and payment
    sections = detail(client, account).context["sections"]
    assert [sections[k].count for k in ("invoices", "payments", "inquiries")] == [2, 1, 0]
    assert hidden_case.pk not in [c.pk for c in sections["cases"].page.rows]

    secretariat = org.stranger
    give_role(secretariat, "secretariat", "salesperson")
    Account.objects.filter(pk=account.pk).update(owner=secretariat)
    client.force_login(secretariat)  # the secretariat sees every inquiry
    assert detail(client, account).context["sections"]["inquiries"].count == 2


def test_the_page_and_the_new_lists_cost_the_same_queries_at_any_size(client, org):
    account = AccountFactory(owner=org.sara)
    fill(account, org, FIRST_ROWS + 1)
    client.force_login(org.manager)
    page_url = reverse("account_detail", args=[account.pk])
    lists = [reverse("account_section", args=[account.pk, kind]) for kind in NEW_KINDS]
    detail(client, account)  # content types and the like, read once per process
    small = [queries_of(client, url) for url in [page_url, *lists]]

    fill(account, org, 200, tag="B")

    assert [queries_of(client, url) for url in [page_url, *lists]] == small
