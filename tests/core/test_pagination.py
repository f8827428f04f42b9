"""Keyset pagination: every row exactly once, in order, whatever the sort; capped counts."""

from __future__ import annotations

import base64
import json
import string
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from obieg.core import pagination
from obieg.core.pagination import InvalidCursor, Keyset, keyset_page, with_tiebreaker
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


def _cursor(values, ordering=("name", "id"), **extra) -> str:
    """A cursor as a client could forge it: the ordering, the values, maybe a direction."""
    raw = json.dumps({"o": list(ordering), "v": values, **extra}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _raw(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


GARBAGE = [
    "",
    "not-a-cursor",
    "!!!!",
    "%%%",
    "a",
    "x" * 5000,
    base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),
    _raw({"id": 3}),
    _raw(["Firma 03", 4]),  # no ordering named
    _cursor(["Firma 03", 4], ordering=["city", "id"]),  # another ordering's cursor
    _cursor([1]),  # wrong length for a two-field ordering
    _cursor([1, 2, 3]),
    _cursor(["Firma 03", 4]),  # values are written as text
    _cursor(["Firma 03", "abc"]),  # not an id
    _cursor(["Firma 03", None]),  # NULL where there is never one
    _cursor([None, 4]),
    _cursor(["Firma 03", True]),
    _cursor(["Firma 03", "4.5"]),  # no id has a fraction
    _cursor(["Firma 03", {"t": "what"}]),
    _cursor([["Firma 03"], 4]),
    _cursor(["Firma 03", 4], r=2),  # no such direction
    _cursor(["Firma 03", 4], r="back"),
    _cursor("Firma 03"),
]


@pytest.mark.parametrize("cursor", GARBAGE)
def test_a_garbage_cursor_gives_the_first_page(accounts, cursor):
    first = keyset_page(Account.objects.all(), ordering=["name", "id"], size=5)

    page = keyset_page(Account.objects.all(), ordering=["name", "id"], size=5, cursor=cursor)

    assert [r.pk for r in page.rows] == [r.pk for r in first.rows]


@pytest.mark.parametrize("cursor", [c for c in GARBAGE if c])
def test_a_strict_page_refuses_a_garbage_cursor(accounts, cursor):
    with pytest.raises(InvalidCursor):
        keyset_page(Account.objects.all(), ordering=["name", "id"], cursor=cursor, strict=True)


@pytest.mark.parametrize("value", [10**30, -(10**30), 1.5e308, 2**63, -(2**63) - 1, "1e999"])
def test_a_cursor_beyond_any_id_is_none_of_ours_not_an_error(accounts, value):
    cursor = _cursor([str(value)], ordering=["id"])
    page = keyset_page(Account.objects.all(), ordering=["id"], size=5, cursor=cursor)
    assert [r.pk for r in page.rows] == [a.pk for a in accounts[:5]]


def test_a_garbage_date_or_amount_cursor_gives_the_first_page(opportunities):
    ordering = ["expected_close", "id"]
    first = keyset_page(Opportunity.objects.all(), ordering=ordering, size=3)
    for values in (["2025-13-45", "1"], ["x", "1"], ["5.5", "1"], ["NaN", "1"]):
        page = keyset_page(
            Opportunity.objects.all(), ordering=ordering, size=3, cursor=_cursor(values, ordering)
        )
        assert [r.pk for r in page.rows] == [r.pk for r in first.rows]
    by_value = ["value", "id"]
    first = keyset_page(Opportunity.objects.all(), ordering=by_value, size=3)
    for values in (["NaN", "1"], ["Infinity", "1"], ["sNaN", "1"], ["1e999999999", "1"]):
        cursor = _cursor(values, by_value)
        page = keyset_page(Opportunity.objects.all(), ordering=by_value, size=3, cursor=cursor)
        assert [r.pk for r in page.rows] == [r.pk for r in first.rows]


def test_a_moment_without_its_time_zone_is_no_cursor(db):
    ordering = ["-occurs_at", "-id"]
    cursor = _cursor(["2026-01-01 10:00:00", "5"], ordering)
    with pytest.raises(InvalidCursor):
        keyset_page(Activity.objects.all(), ordering=ordering, cursor=cursor, strict=True)


def test_the_cursor_of_one_page_leads_to_the_next(accounts):
    ordering = ["city", "id"]
    first = keyset_page(Account.objects.all(), ordering=ordering, size=5)
    second = keyset_page(Account.objects.all(), ordering=ordering, size=5, cursor=first.next_cursor)

    expected = list(Account.objects.order_by(*ordering).values_list("pk", flat=True))
    assert [r.pk for r in first.rows + second.rows] == expected[:10]


def test_cursors_are_stable_and_opaque(accounts):
    ordering = ["city", "-id"]
    again = keyset_page(Account.objects.all(), ordering=ordering, size=5)
    first = keyset_page(Account.objects.all(), ordering=ordering, size=5)
    second = keyset_page(Account.objects.all(), ordering=ordering, size=5, cursor=first.next_cursor)
    back = keyset_page(
        Account.objects.all(), ordering=ordering, size=5, cursor=second.previous_cursor
    )

    assert first.next_cursor == again.next_cursor  # the same row, the same cursor
    assert back.next_cursor == first.next_cursor  # and from whichever side it is reached
    assert first.previous_cursor is None and back.previous_cursor is None
    # URL-safe text, nothing a link needs to escape.
    assert set(first.next_cursor) <= set(string.ascii_letters + string.digits + "-_")


def walk_back(queryset, ordering, size):
    """Forward to the last page, then back to the first by previous_cursor: both lists of rows."""
    forward, cursor = [], None
    while True:
        page = keyset_page(queryset, ordering=ordering, cursor=cursor, size=size)
        forward.extend(page.rows)
        if not page.has_next:
            break
        cursor = page.next_cursor
    rows, pages = list(page.rows), 0
    while page.has_previous:
        page = keyset_page(queryset, ordering=ordering, size=size, cursor=page.previous_cursor)
        assert page.rows and page.has_next
        rows = page.rows + rows
        pages += 1
        assert pages < 100, "pagination does not end"
    return forward, rows


def test_past_the_last_row_the_way_back_leads_to_the_rows_before(accounts):
    keyset = Keyset(Account.objects.all(), ["city", "id"])
    expected = list(Account.objects.order_by("city", "id"))
    past_the_end = keyset.cursor(keyset.values_of(expected[-1]))

    page = keyset_page(Account.objects.all(), ordering=["city", "id"], size=5, cursor=past_the_end)
    assert (page.rows, page.next_cursor) == ([], None)

    back = keyset_page(
        Account.objects.all(), ordering=["city", "id"], size=5, cursor=page.previous_cursor
    )
    assert [r.pk for r in back.rows] == [r.pk for r in expected[-6:-1]]


@pytest.mark.parametrize(
    "ordering",
    [["id"], ["-id"], ["city", "id"], ["-city", "name", "-id"], ["-created_at", "-id"]],
    ids=lambda o: ",".join(o),
)
@pytest.mark.parametrize("size", [1, 4, 23])
def test_walking_back_gives_the_same_rows_as_walking_forward(accounts, ordering, size):
    forward, backward = walk_back(Account.objects.all(), ordering, size)
    assert [r.pk for r in backward] == [r.pk for r in forward]


@pytest.fixture
def undated(opportunities):
    """Some opportunities without an expected close date, so NULLs sit among the ties."""
    Opportunity.objects.filter(pk__in=[o.pk for o in opportunities[::3]]).update(
        expected_close=None
    )
    return opportunities


@pytest.mark.parametrize(
    "ordering",
    [
        ["expected_close", "id"],
        ["-expected_close", "-id"],
        ["expected_close", "-id"],
        ["-expected_close", "value", "id"],
    ],
    ids=lambda o: ",".join(o),
)
@pytest.mark.parametrize("size", [1, 2, 5])
def test_nulls_sort_last_going_up_and_first_going_down_both_ways(undated, ordering, size):
    def key(row):
        values = []
        for field in ordering:
            value = getattr(row, field.lstrip("-"))
            if field.lstrip("-") == "expected_close":
                # NULLs last going up, first going down (as PostgreSQL sorts them).
                value = (value is None, value or date.min)
            if field.startswith("-"):
                values.append(_Descending(value))
            else:
                values.append(value)
        return values

    expected = sorted(Opportunity.objects.all(), key=key)

    forward, backward = walk_back(Opportunity.objects.all(), ordering, size)

    assert [r.pk for r in forward] == [r.pk for r in expected]
    assert [r.pk for r in backward] == [r.pk for r in expected]


class _Descending:
    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        (["-id"], ["-id"]),  # alone, it stays descending
        (["id"], ["id"]),
        (["-pk"], ["-id"]),
        ([], ["id"]),
        (["name"], ["name", "id"]),
        (["-name"], ["-name", "-id"]),
        (["-name", "city"], ["-name", "city", "-id"]),
        (["city", "-id", "name"], ["city", "-id"]),  # nothing after a unique field matters
    ],
)
def test_an_ordering_ends_with_the_primary_key(ordering, expected):
    assert with_tiebreaker(ordering) == expected


def test_an_ordering_without_the_primary_key_is_refused(db):
    with pytest.raises(ValueError, match="primary key"):
        keyset_page(Account.objects.all(), ordering=["name"])
