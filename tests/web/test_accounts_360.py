"""The customer 360° page: everything about one account, in a bounded number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from obieg.core.access import visible
from obieg.core.pagination import keyset_page
from obieg.crm import services
from obieg.crm.models import Activity
from obieg.crm.selectors import accounts as account_selectors
from obieg.documents.models import Document
from obieg.sales.models import Contract, Offer
from obieg.web.views.accounts import FIRST_ACTIVITIES
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    ContactFactory,
    LeadFactory,
    OpportunityFactory,
)


def detail(client, account):
    return client.get(reverse("account_detail", args=[account.pk]))


def add_activities(account, count: int) -> None:
    start = timezone.now()
    Activity.objects.bulk_create(
        Activity(
            account=account,
            kind=Activity.Kind.CALL,
            subject=f"Call {number}",
            occurs_at=start - timedelta(hours=number),
        )
        for number in range(count)
    )


def add_documents(account, count: int) -> None:
    kinds = Document.Kind.values
    Document.objects.bulk_create(
        Document(account=account, title=f"Doc {number}", kind=kinds[number % len(kinds)])
        for number in range(count)
    )


def test_the_page_gathers_contacts_sales_documents_and_history(client, org):
    account = AccountFactory(name="Słoneczny Dom", nip="1234563218", owner=org.sara)
    services.account_update(actor=org.sara, account=account, data={"city": "Tarnów"})
    ContactFactory(account=account, first_name="Ewa", last_name="Nowak", is_primary=True)
    ActivityFactory(account=account, subject="First meeting", kind=Activity.Kind.MEETING)
    LeadFactory(account=account, company_name="Słoneczny lead", owner=org.sara)
    opportunity = OpportunityFactory(account=account, name="PV 10 kWp", owner=org.sara)
    old = Offer.objects.create(
        number="OF/1",
        account=account,
        opportunity=opportunity,
        title="Old offer",
        status=Offer.Status.SUPERSEDED,
    )
    Offer.objects.create(
        number="OF/1",
        revision_number=2,
        supersedes=old,
        account=account,
        opportunity=opportunity,
        title="New offer",
        total_gross="12345.67",
    )
    Contract.objects.create(number="UM/2026/1", account=account, title="Installation")
    Document.objects.create(account=account, title="Roof photo", kind=Document.Kind.PHOTO)
    client.force_login(org.sara)

    response = detail(client, account)

    html = response.content.decode()
    for text in (
        "123-456-32-18",
        "Ewa Nowak",
        "First meeting",
        "Słoneczny lead",
        "PV 10 kWp",
        "R2",
        "12\u00a0345,67\u00a0zł",
        "offer-superseded",
        "UM/2026/1",
        "Roof photo",
        "Tarnów",
    ):
        assert text in html, text
    assert [group.kind for group in response.context["document_groups"]] == ["photo"]
    assert response.context["history"][0].changes["city"] == ["Kraków", "Tarnów"]


def test_the_query_count_does_not_grow_with_activities_and_documents(
    client, org, django_assert_max_num_queries
):
    account = AccountFactory(owner=org.sara)
    OpportunityFactory(account=account, owner=org.sara)
    add_activities(account, 1)
    add_documents(account, 1)
    client.force_login(org.manager)
    with CaptureQueriesContext(connection) as small:
        assert detail(client, account).status_code == 200
    assert len(small) <= 16
    add_activities(account, 200)
    add_documents(account, 100)
    with django_assert_max_num_queries(len(small)):
        response = detail(client, account)
    assert len(response.context["timeline"].rows) == FIRST_ACTIVITIES
    groups = response.context["document_groups"]
    assert sum(group.count for group in groups) == 101
    assert all(len(group.newest) <= 5 for group in groups)


def test_older_activities_come_one_page_at_a_time_through_htmx(client, org):
    account = AccountFactory(owner=org.sara)
    add_activities(account, 25)
    client.force_login(org.sara)
    first = detail(client, account).context["timeline"]
    assert [a.subject for a in first.rows] == [f"Call {n}" for n in range(FIRST_ACTIVITIES)]
    response = client.get(
        reverse("account_activities", args=[account.pk]),
        {"cursor": first.next_cursor},
        HTTP_HX_REQUEST="true",
    )
    assert [a.subject for a in response.context["timeline"].rows] == [
        f"Call {n}" for n in range(FIRST_ACTIVITIES, 25)
    ]
    assert "<html" not in response.content.decode()
    assert "Show older" not in response.content.decode()


def test_documents_show_per_kind_the_count_the_newest_five_and_a_link_to_all(client, org):
    account = AccountFactory(owner=org.sara)
    Document.objects.bulk_create(
        Document(account=account, title=f"Scan {n}", kind=Document.Kind.PROTOCOL) for n in range(8)
    )
    client.force_login(org.sara)
    response = detail(client, account)
    (group,) = response.context["document_groups"]
    assert (group.kind, group.count, len(group.newest)) == ("protocol", 8, 5)
    assert f"?kind=protocol&amp;account={account.pk}" in response.content.decode()


def test_a_manager_sees_a_team_members_customer(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.manager)
    assert detail(client, account).status_code == 200


def test_another_salesperson_and_a_stranger_get_404(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.sara)  # her kind of reader's statements compiled with her ids
    assert detail(client, account).status_code == 200
    for user in (org.olga, org.stranger):
        client.force_login(user)
        assert detail(client, account).status_code == 404
        assert client.get(reverse("account_activities", args=[account.pk])).status_code == 404


def test_read_only_viewers_get_no_change_buttons(client, org):
    account = AccountFactory(owner=org.sara)
    client.force_login(org.accountant)
    response = detail(client, account)
    assert response.status_code == 200
    assert reverse("account_edit", args=[account.pk]) not in response.content.decode()


def test_an_account_key_that_names_no_account_gets_404_not_an_error(client, org):
    client.force_login(org.sara)
    assert client.get("/accounts/99999999999999999999/").status_code == 404
    assert client.get(reverse("document_list") + "?account=99999999999999999999").status_code == 404
    with pytest.raises(Http404):
        account_selectors.account_get(org.sara, "x")


@pytest.mark.parametrize("persona", ["sara", "tomasz", "manager", "designer", "board", "admin"])
def test_each_reader_gets_the_timeline_their_own_scope_gives(org, persona):
    """The first page is compiled once per kind of reader; the pages after are built."""
    account = AccountFactory(owner=org.sara)
    OpportunityFactory(account=account, department=org.design, owner=org.sara)
    add_activities(account, 5)
    ActivityFactory(account=account, owner=org.tomasz, subject="Tomasz's call")
    for other in ("tomasz", "olga", "admin", "manager"):  # compiled with someone else
        account_selectors.account_activity_page(getattr(org, other), account, size=3)
    user = getattr(org, persona)

    first = account_selectors.account_activity_page(user, account, size=3)
    built = keyset_page(
        visible(Activity.objects.filter(account=account), user),
        ordering=account_selectors.ACTIVITY_ORDERING,
        size=3,
        count=False,
    )
    assert [row.pk for row in first.rows] == [row.pk for row in built.rows], persona
    assert first.next_cursor == built.next_cursor
    if first.rows:
        after = account_selectors.account_activity_page(user, account, cursor=first.next_cursor)
        assert (
            len(first.rows) + len(after.rows)
            == visible(Activity.objects.filter(account=account), user).count()
        )
