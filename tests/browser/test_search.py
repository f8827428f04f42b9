"""Finding things with Polish letters typed or not: the header's search and the account list."""

import re

from playwright.sync_api import expect

from tests.factories import AccountFactory, ContactFactory, LeadFactory


def test_slash_opens_the_search_and_lodz_finds_lodz(transactional_db, org, login, live_server):
    customer = AccountFactory(name="Łódzka Spółdzielnia Mleczarska", city="Łódź", owner=org.sara)
    ContactFactory(account=customer, first_name="Żaneta", last_name="Łódzka")
    LeadFactory(company_name="Łódzki Browar", owner=org.sara)
    AccountFactory(name="Łódzkie Okna", owner=org.olga)  # another team's: never shown to Sara
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/")

    page.keyboard.press("/")
    box = page.locator("#global-search")
    expect(box).to_be_focused()
    box.type("lodzk")
    results = page.locator("#global-search-results")
    expect(results.locator("[data-search-group=accounts]")).to_have_count(1)
    expect(results.get_by_role("option", name=re.compile("^Łódzka Spółdzielnia"))).to_be_visible()
    expect(results.get_by_role("option", name=re.compile("^Żaneta Łódzka"))).to_be_visible()
    expect(results.get_by_role("option", name=re.compile("^Łódzki Browar"))).to_be_visible()
    expect(results).not_to_contain_text("Łódzkie Okna")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/accounts/{customer.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Łódzka Spółdzielnia Mleczarska")


def test_ctrl_k_searches_from_anywhere_and_escape_closes(transactional_db, org, login, live_server):
    AccountFactory(name="Żółw i Spółka", owner=org.sara)
    page = login(org.sara)
    page.goto(f"{live_server.url}/leads/")
    page.keyboard.press("Control+k")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type("ZOLW")
    results = page.locator("#global-search-results")
    expect(results.get_by_role("option", name=re.compile("Żółw i Spółka"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(results.get_by_role("option")).to_have_count(0)


def test_the_account_list_finds_without_accents_and_sorts_in_polish_order(
    transactional_db, org, login, live_server
):
    for name in ("Drukarnia Łęczyca", "Dąbrowski Łęczyca", "Zenon Łęczyca", "Żabka Łęczyca"):
        AccountFactory(name=name, owner=org.sara)
    AccountFactory(name="Gdzie indziej", owner=org.sara)
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/?sort=name")
    page.fill("#id_q", "leczyca")
    page.press("#id_q", "Enter")
    links = page.locator("#account-table tbody a")
    expect(links).to_have_text(
        ["Dąbrowski Łęczyca", "Drukarnia Łęczyca", "Zenon Łęczyca", "Żabka Łęczyca"]
    )
