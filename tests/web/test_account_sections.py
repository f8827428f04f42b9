"""The 360° page's lists: a count and the first rows, the rest a page at a time on scroll (htmx)."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from obieg.crm.models import ContactPerson, Lead, Opportunity
from obieg.crm.selectors.account_sections import FIRST_ROWS, MORE_ROWS
from obieg.sales.models import Contract, Offer
from tests.factories import AccountFactory


def more_url(page_html: str, kind: str) -> str | None:
    """The address a section's "more" row loads, or None when the section shows all."""
    found = re.findall(rf'hx-get="([^"]*/more/{kind}/[^"]*)"', page_html)
    assert len(found) <= 1
    return html.unescape(found[0]) if found else None


def fill(account, count: int, owner, tag: str = "") -> None:
    """`count` records of every kind on `account`, created one hour apart."""
    start = timezone.now() - timedelta(days=30)
    ContactPerson.objects.bulk_create(
        ContactPerson(account=account, first_name="Jan", last_name=f"Kowalski {n:03d}")
        for n in range(count)
    )
    for model, extra in (
        (Opportunity, lambda n: {"name": f"PV {n:03d}", "owner": owner}),
        (Offer, lambda n: {"number": f"OF{tag}/{n:03d}", "title": f"Offer {n:03d}"}),
        (Contract, lambda n: {"number": f"UM{tag}/{n:03d}", "title": f"Contract {n:03d}"}),
        (Lead, lambda n: {"company_name": f"Lead {n:03d}", "owner": owner}),
    ):
        model.objects.bulk_create(
            model(account=account, created_at=start + timedelta(hours=n), **extra(n))
            for n in range(count)
        )


def detail(client, account):
    return client.get(reverse("account_detail", args=[account.pk]))


def test_each_list_shows_its_count_and_first_rows_and_pages_through_the_rest(client, org):
    account = AccountFactory(owner=org.sara)
    total = FIRST_ROWS + MORE_ROWS + 2
    fill(account, total, org.sara)
    client.force_login(org.sara)

    page = detail(client, account)

    page_html = page.content.decode()
    sections = page.context["sections"]
    for kind, newest_first in (
        ("opportunities", [f"PV {n:03d}" for n in reversed(range(total))]),
        ("offers", [f"OF/{n:03d}" for n in reversed(range(total))]),
        ("contracts", [f"UM/{n:03d}" for n in reversed(range(total))]),
        ("leads", [f"Lead {n:03d}" for n in reversed(range(total))]),
        ("contacts", [f"Kowalski {n:03d}" for n in range(total)]),
    ):
        assert sections[kind].count == total
        shown = [str(row) for row in sections[kind].page.rows]
        second = client.get(more_url(page_html, kind), HTTP_HX_REQUEST="true")
        assert "<html" not in second.content.decode()
        shown += [str(row) for row in second.context["page"].rows]
        third = client.get(more_url(second.content.decode(), kind), HTTP_HX_REQUEST="true")
        shown += [str(row) for row in third.context["page"].rows]
        assert more_url(third.content.decode(), kind) is None
        assert [label for label in newest_first if any(label in row for row in shown)] == (
            newest_first
        ), kind
        assert len(shown) == total, kind


def test_a_short_list_has_no_more_row(client, org):
    account = AccountFactory(owner=org.sara)
    fill(account, FIRST_ROWS, org.sara)
    client.force_login(org.sara)
    page_html = detail(client, account).content.decode()
    for kind in ("contacts", "opportunities", "offers", "contracts", "leads"):
        assert more_url(page_html, kind) is None, kind


def test_lists_count_and_page_only_what_the_reader_sees(client, org):
    account = AccountFactory(owner=org.sara)
    fill(account, FIRST_ROWS + 3, org.sara)
    Opportunity.objects.bulk_create(
        Opportunity(account=account, owner=org.olga, name=f"Olga {n}") for n in range(4)
    )
    escalated = Opportunity.objects.create(
        account=account, owner=org.olga, name="Escalated", escalated_to_board=True
    )
    client.force_login(org.board)

    page = detail(client, account)

    # The board sees the customer through the escalated opportunity, and only that one.
    assert page.context["sections"]["opportunities"].count == 1
    assert [o.pk for o in page.context["sections"]["opportunities"].page.rows] == [escalated.pk]
    url = reverse("account_section", args=[account.pk, "opportunities"])
    assert [o.pk for o in client.get(url).context["page"].rows] == [escalated.pk]


def test_a_customer_one_may_not_see_has_no_lists_either(client, org):
    account = AccountFactory(owner=org.sara)
    fill(account, FIRST_ROWS + 3, org.sara)
    url = reverse("account_section", args=[account.pk, "contacts"])
    assert client.get(url).status_code == 302  # to the log-in
    for user in (org.olga, org.stranger):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_an_unknown_list_is_not_found(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)
    assert client.get(reverse("account_section", args=[account.pk, "secrets"])).status_code == 404


@pytest.mark.parametrize("cursor", ["x", "W10", "WyJhIl0", "eyJhIjogMX0"])
def test_a_forged_cursor_gives_the_first_page_not_an_error(client, org, cursor):
    account = AccountFactory(owner=org.sara)
    fill(account, 3, org.sara)
    client.force_login(org.sara)
    url = reverse("account_section", args=[account.pk, "offers"])
    response = client.get(url, {"cursor": cursor})
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 3


def test_only_contact_rows_carry_edit_buttons_for_whoever_may_change(client, org):
    account = AccountFactory(owner=org.sara)
    fill(account, FIRST_ROWS + 1, org.sara)
    url = reverse("account_section", args=[account.pk, "contacts"])
    client.force_login(org.sara)
    contact = ContactPerson.objects.order_by("last_name").last()
    assert reverse("contact_edit", args=[contact.pk]) in client.get(url).content.decode()
    client.force_login(org.accountant)  # reads every customer, changes none
    assert reverse("contact_edit", args=[contact.pk]) not in client.get(url).content.decode()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_and_each_list_cost_the_same_queries_at_any_size(client, org):
    account = AccountFactory(owner=org.sara)
    fill(account, FIRST_ROWS + 1, org.sara)
    client.force_login(org.manager)
    page_url = reverse("account_detail", args=[account.pk])
    lists = [reverse("account_section", args=[account.pk, kind]) for kind in ("contacts", "offers")]
    small = [queries_of(client, url) for url in [page_url, *lists]]

    fill(account, 200, org.sara, tag="B")

    assert [queries_of(client, url) for url in [page_url, *lists]] == small
    counts = detail(client, account).context["sections"]
    assert counts["contacts"].count == 201 + FIRST_ROWS
