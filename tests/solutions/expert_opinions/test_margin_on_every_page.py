"""Every page that shows an offer's margin shows enough of it to see why it went where it went."""

import re

import pytest
from django.urls import reverse

from obieg.solutions.expert_opinions.models import Inquiry
from tests.solutions.expert_opinions.helpers import case_of, do, item, prepared


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with `element_id` (tags dropped, spaces squeezed)."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    end = html.index(f"</{name}>", start)
    inner = html[html.index(">", start) + 1 : end]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner).replace("\xa0", " ")).strip()


# The engineer costs 150 zł an hour: 14 hours cost 2,100 zł.
@pytest.mark.parametrize(
    ("price", "shown", "next_step"),
    [
        ("2999.99", "29,9998%", "board_approval"),  # 899.99 / 2,999.99 = 29.99977 %
        ("3000.00", "30,00%", "record_answer"),  # exactly the minimum: the head decides
        ("5000.00", "58,00%", "record_answer"),
    ],
)
def test_the_margin_reads_against_the_minimum_on_every_page(client, firm, price, shown, next_step):
    inquiry = prepared(firm, price=price, cost_hours="14")
    expected = f"Margin {shown} (minimum 30,00%)"
    client.force_login(firm.head)

    # The head's task page and the case page: the inquiry's card beside the work.
    task = client.get(reverse("engine:task", args=[item(inquiry, "head_approval").pk]))
    assert expected in text_of(task.content.decode(), "case-subject")
    case_page = client.get(reverse("engine:case_detail", args=[case_of(inquiry).pk]))
    assert expected in text_of(case_page.content.decode(), "case-subject")
    # The data panel keeps the exact value the approval table compared.
    data = text_of(case_page.content.decode(), "case-data")
    exact = case_of(inquiry).data["margin"]
    assert f" Margin {exact} " in data and " Minimum margin 0.30 " in data
    assert len(exact) > 6 or exact in ("0.3", "0.58")

    # The inquiry page.
    page = client.get(reverse("expert_opinions:inquiry_detail", args=[inquiry.pk])).content
    assert text_of(page.decode(), "offer-margin") == shown

    do(inquiry, "head_approval", firm.head, head_decision="approve")
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    assert next_step in [w.element_id for w in inquiry.case.work_items.filter(status="open")]


def test_the_board_page_never_rounds_a_margin_up_to_the_minimum_it_missed(client, firm):
    inquiry = prepared(firm, price="2999.99", cost_hours="14")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    client.force_login(firm.board)
    html = client.get(reverse("expert_opinions:board")).content.decode()

    review = text_of(html, f"review-{inquiry.board_reviews.get().pk}")
    assert "29,9998%" in review and "30,00%" in review
    month = text_of(html, "board-months").split("Waiting", 1)[1]
    assert month.count("29,9998%") == 2  # the average and the lowest of the month
    assert "30,00%" not in month
    # The board's own task page shows it too.
    task = client.get(reverse("engine:task", args=[item(inquiry, "board_approval").pk]))
    assert "Margin 29,9998% (minimum 30,00%)" in text_of(task.content.decode(), "case-subject")
