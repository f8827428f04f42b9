"""Keyset pagination: every row exactly once, in order, whatever the sort; capped counts."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from obieg.core import pagination
from obieg.core.pagination import keyset_page
from obieg.crm.models import Account, Activity, Opportunity
from tests.factories import AccountFactory, ActivityFactory, OpportunityFactory

CITIES = ["Kraków", "Tarnów", "Kraków", "Bochnia", "Tarnów", "Kraków", "Wieliczka"]


@pytest.fixture
def accounts(db):
    """23 accounts; cities repeat, so ordering by city alone has ties."""
    return [
        AccountFactory(name=f"Firma {index:02d}", city=CITIES[index % len(CITIES)])
        for index in range(23)
    ]


@pytest.fixture
def opportunities(db):
    """17 opportunities with repeating dates and values (ties) across two years."""
    accounts = [AccountFactory(name="B"), AccountFactory(name="A")]
    start = date(2025, 12, 30)
    return [
        OpportunityFactory(
            account=accounts[index % 2],
            expected_close=start + timedelta(days=index % 4),
            value=Decimal("1000.50") * (index % 3),
        )
        for index in range(17)
    ]


def walk(queryset, ordering, size):
    """All pages of `queryset`, following next_cursor; returns the rows in page order."""
    rows, cursor, pages = [], None, 0
    while True:
        page = keyset_page(queryset, ordering=ordering, cursor=cursor, size=size)
        assert len(page.rows) <= size
        rows.extend(page.rows)
        pages += 1
        assert pages < 100, "pagination does not end"
        if not page.has_next:
            return rows, pages
        assert len(page.rows) == size
        cursor = page.next_cursor


@pytest.mark.parametrize(
    "ordering",
    [
        ["id"],
        ["-id"],
        ["name", "id"],
        ["-name", "-id"],
        ["city", "id"],  # ties on the first field
        ["city", "-id"],
        ["-city", "id"],
        ["-city", "name", "-id"],
        ["-created_at", "-id"],
        ["created_at", "id"],
    ],
    ids=lambda o: ",".join(o),
)
@pytest.mark.parametrize("size", [1, 4, 7, 23, 50])
def test_walking_account_pages_yields_every_row_once_in_order(accounts, ordering, size):
    expected = list(Account.objects.order_by(*ordering))

    rows, pages = walk(Account.objects.all(), ordering, size)

    assert [r.pk for r in rows] == [r.pk for r in expected]
    assert len({r.pk for r in rows}) == len(accounts)
    assert pages == max(1, -(-len(accounts) // size))


@pytest.mark.parametrize(
    "ordering",
    [
        ["expected_close", "id"],
        ["-expected_close", "-id"],
        ["-expected_close", "id"],
        ["value", "expected_close", "id"],
        ["-value", "-expected_close", "-id"],
        ["account__name", "-expected_close", "id"],
        ["account", "-id"],  # a foreign key: the cursor holds its id
    ],
    ids=lambda o: ",".join(o),
)
@pytest.mark.parametrize("size", [1, 3, 5])
def test_walking_by_dates_and_amounts_yields_every_row_once_in_order(opportunities, ordering, size):
    expected = list(Opportunity.objects.order_by(*ordering))

    rows, _pages = walk(Opportunity.objects.all(), ordering, size)

    assert [r.pk for r in rows] == [r.pk for r in expected]


@pytest.mark.parametrize("ordering", [["-occurs_at", "-id"], ["occurs_at", "id"]])
def test_walking_by_datetimes_with_ties_and_microseconds(db, ordering):
    account = AccountFactory()
    base = timezone.now().replace(microsecond=123456)
    for index in range(11):
        ActivityFactory(account=account, occurs_at=base + timedelta(microseconds=index % 3))
    expected = list(Activity.objects.order_by(*ordering))

    rows, _pages = walk(Activity.objects.all(), ordering, 2)

    assert [r.pk for r in rows] == [r.pk for r in expected]


def test_a_filtered_queryset_pages_within_the_filter(accounts):
    queryset = Account.objects.filter(city="Kraków")

    rows, _pages = walk(queryset, ["name", "id"], 2)

    assert [r.pk for r in rows] == list(
        queryset.order_by("name", "id").values_list("pk", flat=True)
    )
    assert {r.city for r in rows} == {"Kraków"}


def test_count_is_exact_below_the_cap(accounts):
    page = keyset_page(Account.objects.all(), ordering=["id"], size=5)

    assert (page.count, page.count_capped) == (23, False)


def test_count_stops_at_the_cap(accounts, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)

    page = keyset_page(Account.objects.all(), ordering=["id"], size=5)

    assert (page.count, page.count_capped) == (11, True)
    assert len(page.rows) == 5


def test_count_can_be_skipped(accounts):
    page = keyset_page(Account.objects.all(), ordering=["id"], size=5, count=False)
    assert page.count == 0
    assert len(page.rows) == 5


def test_an_empty_list_has_one_empty_page(db):
    page = keyset_page(Account.objects.all(), ordering=["name", "id"])
    assert (page.rows, page.next_cursor, page.count, page.has_next) == ([], None, 0, False)


def _cursor(values) -> str:
    raw = json.dumps(values).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


GARBAGE = [
    "",
    "not-a-cursor",
    "!!!!",
    "%%%",
    "a",
    base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    _cursor({"id": 3}),
    _cursor([1]),  # wrong length for a two-field ordering
    _cursor([1, 2, 3]),
    _cursor(["Firma 03", "abc"]),  # not an id
    _cursor(["Firma 03", None]),
    _cursor(["Firma 03", {"t": "dt", "v": "yesterday"}]),
    _cursor(["Firma 03", {"t": "dec", "v": "x"}]),
    _cursor(["Firma 03", {"t": "what"}]),
    _cursor([["Firma 03"], 4]),
]


@pytest.mark.parametrize("cursor", GARBAGE)
def test_a_garbage_cursor_gives_the_first_page(accounts, cursor):
    first = keyset_page(Account.objects.all(), ordering=["name", "id"], size=5)

    page = keyset_page(Account.objects.all(), ordering=["name", "id"], size=5, cursor=cursor)

    assert [r.pk for r in page.rows] == [r.pk for r in first.rows]


@pytest.mark.parametrize("value", [10**30, -(10**30), 1.5e308, 2**63, -(2**63) - 1])
def test_a_cursor_beyond_any_id_gives_an_empty_page_not_an_error(accounts, value):
    page = keyset_page(Account.objects.all(), ordering=["id"], size=5, cursor=_cursor([value]))
    beyond = value > 0
    assert [r.pk for r in page.rows] == ([] if beyond else [a.pk for a in accounts[:5]])


def test_a_garbage_date_cursor_gives_the_first_page(opportunities):
    ordering = ["expected_close", "id"]
    first = keyset_page(Opportunity.objects.all(), ordering=ordering, size=3)
    for cursor in (_cursor(["2025-13-45", 1]), _cursor([{"t": "d", "v": "x"}, 1]), _cursor([5, 1])):
        page = keyset_page(Opportunity.objects.all(), ordering=ordering, size=3, cursor=cursor)
        assert [r.pk for r in page.rows] == [r.pk for r in first.rows]


def test_the_cursor_of_one_page_leads_to_the_next(accounts):
    ordering = ["city", "id"]
    first = keyset_page(Account.objects.all(), ordering=ordering, size=5)
    second = keyset_page(Account.objects.all(), ordering=ordering, size=5, cursor=first.next_cursor)

    expected = list(Account.objects.order_by(*ordering).values_list("pk", flat=True))
    assert [r.pk for r in first.rows + second.rows] == expected[:10]
