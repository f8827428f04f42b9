"""The board page: every offer that came to the board, and the figures per month."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obieg.core import clock
from obieg.solutions.expert_opinions.models import BoardReview
from obieg.solutions.expert_opinions.selectors import board_monthly_figures
from tests.solutions.expert_opinions.helpers import do, prepared

WARSAW = ZoneInfo("Europe/Warsaw")


def to_board(firm, price, moment, hours="2"):
    with clock.frozen(moment, all_threads=True):
        inquiry = prepared(firm, price=price, cost_hours=hours)
        do(inquiry, "head_approval", firm.head, head_decision="approve")
    return inquiry


@pytest.fixture
def reviews(firm):
    """Two offers at the board in February (one rejected), one in March, one above the minimum."""
    feb_low = to_board(firm, "375.00", datetime(2026, 2, 27, 23, 30, tzinfo=WARSAW))  # 20 %
    do(feb_low, "board_approval", firm.board, board_decision="reject", board_comment="Nie")
    to_board(firm, "250.00", datetime(2026, 2, 3, 10, tzinfo=WARSAW))  # −20 %
    march = to_board(firm, "400.00", datetime(2026, 3, 1, 0, 30, tzinfo=WARSAW))  # 25 %
    do(march, "board_approval", firm.board, board_decision="approve")
    to_board(firm, "1000.00", datetime(2026, 3, 2, 10, tzinfo=WARSAW))  # 70 %: not here
    return BoardReview.objects.all()


def test_the_monthly_figures_count_offers_and_average_their_margins(reviews):
    march, february = board_monthly_figures()
    assert (march["month"].year, march["month"].month) == (2026, 3)
    assert (march["count"], march["approved"], march["pending"]) == (1, 1, 0)
    assert Decimal(march["average_margin"]).quantize(Decimal("0.0001")) == Decimal("0.2500")
    assert (february["month"].month, february["count"]) == (2, 2)  # 23:30 Warsaw is February
    assert (february["rejected"], february["pending"]) == (1, 1)
    assert Decimal(february["average_margin"]).quantize(Decimal("0.0001")) == Decimal("0.0000")
    assert Decimal(february["lowest_margin"]) == Decimal("-0.2000")


def test_the_figures_are_one_query_however_many_reviews(reviews):
    with CaptureQueriesContext(connection) as queries:
        board_monthly_figures()
    assert len(queries) == 1


def test_the_board_page_lists_each_offer_with_its_margin_and_decision(client, firm, reviews):
    client.force_login(firm.board)
    page = client.get(reverse("expert_opinions:board"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('id="review-') == 3
    assert "-20,00%" in html and "30,00%" in html
    assert html.count("Rejected") == 2  # the column of the monthly figures and one decision
    assert "70,00%" not in html


def test_a_margin_a_hair_below_the_minimum_shows_enough_digits_to_see_why(client, firm):
    # 899.99 / 2,999.99: two decimals would read 30,00% beside a 30,00% minimum.
    inquiry = to_board(firm, "2999.99", datetime(2026, 3, 2, 10, tzinfo=WARSAW), hours="14")
    client.force_login(firm.board)

    html = client.get(reverse("expert_opinions:board")).content.decode()
    row = html[html.index(f'id="review-{inquiry.board_reviews.get().pk}"') :]
    row = row[: row.index("</tr>")]
    assert "29,9998%" in row and "30,00%" in row

    client.force_login(firm.head)
    html = client.get(reverse("expert_opinions:inquiry_detail", args=[inquiry.pk])).content
    assert '<span id="offer-margin">29,9998%</span>' in html.decode()
    assert "margin 29,9998% / minimum 30,00%" in html.decode()


def test_the_board_page_is_for_the_board(client, firm, reviews):
    client.force_login(firm.head)
    assert client.get(reverse("expert_opinions:board")).status_code == 403
