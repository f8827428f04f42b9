"""The board draws the first cards of each column; the rest come a screen at a time (htmx)."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.crm.models import Opportunity
from obieg.crm.selectors.board import FIRST_CARDS, MORE_CARDS
from tests.factories import AccountFactory

DAY_ONE = date(2026, 3, 1)
MORE_URL = re.compile(r'hx-get="([^"]*/opportunities/pipeline/[^"]+)"')


def add_cards(owner, count: int, *, stage="qualification", undated: int = 0, **extra) -> list:
    """`count` dated cards (two per day, so the id breaks ties) and `undated` ones."""
    account = AccountFactory(owner=owner)
    made = [
        Opportunity(
            account=account,
            owner=owner,
            stage=stage,
            name=f"PV {n}",
            value=Decimal("100"),
            expected_close=DAY_ONE + timedelta(days=n // 2),
            **extra,
        )
        for n in range(count)
    ]
    made += [
        Opportunity(account=account, owner=owner, stage=stage, name=f"Undated {n}", **extra)
        for n in range(undated)
    ]
    Opportunity.objects.bulk_create(made)
    return list(Opportunity.objects.filter(owner=owner, stage=stage))


def board_order(opportunities) -> list[int]:
    """Expected close first, undated last, then the id: the board's order."""
    key = lambda o: (o.expected_close is None, o.expected_close or date.min, o.pk)  # noqa: E731
    return [o.pk for o in sorted(opportunities, key=key)]


def card_ids(page_html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article [^>]*data-id="(\d+)"', page_html)]


def more_url(page_html: str, stage: str = "qualification") -> str | None:
    """The address the column's "more" button loads, or None when the column has no more."""
    found = [url for url in MORE_URL.findall(page_html) if f"/pipeline/{stage}/" in url]
    assert len(found) <= 1
    return html.unescape(found[0]) if found else None


def test_scrolling_a_column_pages_through_every_card_once_in_board_order(client, org):
    cards = add_cards(org.sara, FIRST_CARDS + MORE_CARDS + 1, undated=2)
    client.force_login(org.sara)

    board = client.get(reverse("opportunity_pipeline")).content.decode()
    first = card_ids(board)
    assert len(first) == FIRST_CARDS
    assert "and 23 more" in board
    second_page = client.get(more_url(board), HTTP_HX_REQUEST="true").content.decode()
    second = card_ids(second_page)
    assert len(second) == MORE_CARDS
    assert "<html" not in second_page
    third_page = client.get(more_url(second_page), HTTP_HX_REQUEST="true").content.decode()
    third = card_ids(third_page)

    assert first + second + third == board_order(cards)
    assert more_url(third_page) is None
    # The board's order, not the database's: a query without ORDER BY has none.
    names = Opportunity.objects.in_bulk(third[-2:])
    assert [names[pk].name for pk in third[-2:]] == ["Undated 0", "Undated 1"]


def test_a_column_that_fits_draws_no_more_button(client, org):
    add_cards(org.sara, FIRST_CARDS)
    client.force_login(org.sara)
    board = client.get(reverse("opportunity_pipeline")).content.decode()
    assert len(card_ids(board)) == FIRST_CARDS
    assert more_url(board) is None


def test_further_cards_are_only_those_the_reader_sees(client, org):
    mine = add_cards(org.sara, FIRST_CARDS + 3)
    add_cards(org.olga, 40)  # another team's
    client.force_login(org.sara)

    board = client.get(reverse("opportunity_pipeline")).content.decode()
    rest = card_ids(client.get(more_url(board)).content.decode())

    assert card_ids(board) + rest == board_order(mine)


def test_the_scope_holds_on_further_cards(client, org):
    add_cards(org.sara, FIRST_CARDS + 5)
    own = add_cards(org.manager, FIRST_CARDS + 2)
    client.force_login(org.manager)

    board = client.get(reverse("opportunity_pipeline"), {"scope": "mine"}).content.decode()
    assert "scope=mine" in more_url(board)
    rest = card_ids(client.get(more_url(board)).content.decode())

    assert card_ids(board) + rest == board_order(own)


def test_a_stranger_gets_no_cards_and_a_visitor_must_log_in(client, org):
    add_cards(org.sara, 5)
    url = reverse("opportunity_pipeline_cards", args=["qualification"])
    assert client.get(url).status_code == 302
    client.force_login(org.stranger)
    response = client.get(url)
    assert response.status_code == 200
    assert card_ids(response.content.decode()) == []


def test_the_board_sees_only_escalated_cards_further_down(client, org):
    add_cards(org.sara, 30)
    escalated = add_cards(org.tomasz, FIRST_CARDS + 4, escalated_to_board=True)
    client.force_login(org.board)
    board = client.get(reverse("opportunity_pipeline")).content.decode()
    rest = card_ids(client.get(more_url(board)).content.decode())
    assert card_ids(board) + rest == board_order(escalated)


def test_an_unknown_stage_is_not_found(client, org):
    client.force_login(org.sara)
    url = reverse("opportunity_pipeline_cards", args=["heaven"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("cursor", ["x", "2026-13-01.5", "2026-01-01.x", "-.", "2026-01-01"])
def test_a_forged_position_is_refused_plainly(client, org, cursor):
    add_cards(org.sara, 3)
    client.force_login(org.sara)
    url = reverse("opportunity_pipeline_cards", args=["qualification"])
    response = client.get(url, {"after": cursor})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def queries_of(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_board_and_its_further_cards_cost_the_same_queries_at_any_size(client, org):
    client.force_login(org.manager)
    board_url = reverse("opportunity_pipeline")
    add_cards(org.sara, 2 * MORE_CARDS + FIRST_CARDS, undated=1)
    for stage in Opportunity.Stage.values[1:]:
        add_cards(org.tomasz, FIRST_CARDS + 1, stage=stage)
    small_board = queries_of(client, board_url)
    board = client.get(board_url).content.decode()
    cards_url = more_url(board)
    small_cards = queries_of(client, cards_url)

    add_cards(org.sara, 300, undated=30)
    for stage in Opportunity.Stage.values[1:]:
        add_cards(org.tomasz, 50, stage=stage)

    assert queries_of(client, board_url) == small_board
    assert queries_of(client, cards_url) == small_cards
    # Session, user, roles, the team check, then one statement for the counts
    # and sums of every column and one for the first cards of every column.
    assert small_board <= 6
