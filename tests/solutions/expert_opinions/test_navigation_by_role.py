"""Each role sees the menu entries and tabs it can open, and its own queue on the home page."""

import re

import pytest
from django.urls import reverse

from obieg.web.navigation import menu_for
from tests.solutions.expert_opinions.helpers import do, new_inquiry, prepared

PERSONAS = (
    "sara",  # salesperson
    "manager",
    "head",  # head of the construction department
    "kasia",  # construction department staff
    "secretariat_user",
    "board",
    "accountant",
    "designer",
    "admin",
    "stranger",
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_entry_and_tab_a_person_sees_opens_for_them(client, firm, persona):
    user = getattr(firm, persona)
    client.force_login(user)
    urls = [reverse(entry.url_name) for _title, entries in menu_for(user) for entry in entries]
    inquiries = client.get(reverse("expert_opinions:inquiry_list"))
    tabs = re.findall(r'class="nav-link[^"]*" href="([^"]+)" data-tab=', inquiries.content.decode())
    for url in [*urls, *tabs]:
        assert client.get(url).status_code == 200, f"{persona} is shown {url}, which refuses them"


def labels(client, user) -> tuple[set[str], set[str]]:
    client.force_login(user)
    menu = {entry.url_name for _title, entries in menu_for(user) for entry in entries}
    html = client.get(reverse("expert_opinions:inquiry_list")).content.decode()
    return menu, set(re.findall(r'data-tab="(\w+)"', html))


def test_sales_board_and_departments_see_only_their_entries(client, firm):
    menu, tabs = labels(client, firm.sara)
    assert "expert_opinions:expert_list" not in menu and "experts" not in tabs  # rates are costs
    assert "meetings" in tabs and "board" not in tabs
    menu, tabs = labels(client, firm.board)
    assert "meetings" not in tabs  # the board meets no clients
    assert {"inquiries", "experts", "board"} <= tabs
    assert "expert_opinions:board" in menu
    menu, tabs = labels(client, firm.kasia)
    assert tabs == {"inquiries", "experts"}
    menu, tabs = labels(client, firm.accountant)
    assert "expert_opinions:inquiry_list" not in menu


def test_the_secretariat_and_the_board_find_their_queues_at_home(client, firm):
    waiting = new_inquiry(firm, "Rekonstrukcja wypadku drogowego")
    at_board = prepared(firm, price="2999.99", cost_hours="14")
    do(at_board, "head_approval", firm.head, head_decision="approve")

    client.force_login(firm.secretariat_user)
    html = client.get(reverse("home")).content.decode()
    assert f'id="home-inquiry-{waiting.pk}"' in html and waiting.number in html
    assert 'id="home-board"' not in html and 'id="my-pipeline"' not in html

    client.force_login(firm.board)
    html = client.get(reverse("home")).content.decode()
    review = at_board.board_reviews.get()
    assert f'id="home-review-{review.pk}"' in html
    assert "29,9998%" in html and 'id="home-secretariat"' not in html
    assert 'id="my-pipeline"' not in html

    client.force_login(firm.sara)  # sales keeps its own dashboard
    html = client.get(reverse("home")).content.decode()
    assert 'id="my-pipeline"' in html and 'id="home-board"' not in html

    client.force_login(firm.stranger)  # nobody's panel: the sales one, never an empty page
    assert 'id="my-pipeline"' in client.get(reverse("home")).content.decode()
