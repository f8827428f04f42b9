"""A sales manager merges a duplicate customer in a real browser, on a desktop and a phone."""

import re

import pytest
from playwright.sync_api import expect

from obieg.crm.models import Account, ContactPerson
from obieg.sales.models import Offer
from tests.factories import AccountFactory, valid_nip


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_a_duplicate_is_found_compared_confirmed_and_merged(
    transactional_db, org, login, live_server, viewport
):
    survivor = AccountFactory(
        owner=org.sara, name="Zakład Stolarski Żuraw", nip=valid_nip(21), phone=""
    )
    duplicate = AccountFactory(
        owner=org.tomasz, name="Stolarnia Zuraw s.c.", nip=valid_nip(22), phone="600 100 200"
    )
    ContactPerson.objects.create(account=duplicate, first_name="Ewa", last_name="Nowak")
    Offer.objects.create(number="OF/77", account=duplicate, title="Meble kuchenne")

    page = login(org.manager)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/{survivor.pk}/")
    page.click("#account-merge")

    page.fill("#id_q", "zuraw")
    page.press("#id_q", "Enter")
    page.locator("#merge-candidates a", has_text="Stolarnia Zuraw s.c.").click()

    comparison = page.locator("#merge-comparison")
    expect(comparison.locator('tr[data-field="phone"]')).to_contain_text(
        "filled from the duplicate"
    )
    expect(page.locator("#merge-moving")).to_contain_text("Contact persons")
    expect(page.locator("#merge-moving")).to_contain_text("Offers")
    # The radio buttons are visible and take a click on their label.
    choice = page.locator("#id_keep_name_duplicate")
    expect(choice).to_be_visible()
    page.locator('label[for="id_keep_name_duplicate"]').click()
    expect(choice).to_be_checked()
    page.click("button[value=review]")

    expect(page.locator("#merge-warning")).to_contain_text("cannot be undone")
    expect(page.locator("#merge-result-values")).to_contain_text("Stolarnia Zuraw s.c.")
    assert Account.objects.filter(pk=duplicate.pk).exists()
    page.click("#merge-confirm")

    page.wait_for_url(re.compile(rf"/accounts/{survivor.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Stolarnia Zuraw s.c.")
    expect(page.locator(".alert-success, .alert")).to_contain_text("2 related records moved")
    expect(page.locator("#offers")).to_contain_text("OF/77")
    expect(page.locator("#contacts")).to_contain_text("Nowak")
    expect(page.locator("#history .merge-entry")).to_contain_text("Stolarnia Zuraw s.c.")
    assert not Account.objects.filter(pk=duplicate.pk).exists()


def test_a_merge_confirmed_on_a_stale_page_changes_nothing(
    transactional_db, org, login, live_server
):
    survivor = AccountFactory(owner=org.sara, name="Stay")
    duplicate = AccountFactory(owner=org.sara, name="Gone")
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/{survivor.pk}/merge/{duplicate.pk}/")
    page.click("button[value=review]")
    Account.objects.filter(pk=duplicate.pk).update(name="Gone, renamed", revision=2)
    page.click("#merge-confirm")
    expect(page.locator(".alert-warning")).to_contain_text("Compare them again")
    assert Account.objects.filter(pk=duplicate.pk).exists()
