"""A mention in a note rings the bell of the person mentioned; opening it reads it."""

import re

from playwright.sync_api import expect

from obieg.notifications.models import Kind, Notification
from tests.factories import AccountFactory

# The page's own form, not the log-out or language forms of the navigation bar.
SAVE = "main form[method=post] button[type=submit]"


def test_a_mention_rings_the_bell_and_opening_it_marks_it_read(
    transactional_db, org, login, live_server
):
    account = AccountFactory(owner=org.sara, name="Dach Kowalskich")
    # The manager writes a note on Sara's customer, naming her.
    page = login(org.manager)
    page.goto(f"{live_server.url}/accounts/{account.pk}/activities/new/")
    page.select_option("#id_kind", "note")
    page.select_option("#id_status", "done")
    page.fill("#id_subject", "Rabat dla Kowalskich")
    page.fill("#id_occurs_at", "2026-12-01T10:00")
    page.fill("#id_body", "@sara zgoda na 5%, zadzwoń do klienta.")
    page.click(SAVE)
    page.wait_for_url(re.compile(rf"/accounts/{account.pk}/"))
    expect(page.locator("#notification-bell")).to_be_visible()
    expect(page.locator("#notification-count .badge")).to_have_count(0)  # nothing for Maria
    page.locator("nav form[action='/logout/'] button").click()

    page = login(org.sara)
    badge = page.locator("#notification-count .badge")
    expect(badge).to_have_attribute("data-count", "1")

    page.locator("#notification-toggle").click()
    item = page.locator("#notification-menu [data-notification]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Maria mentioned you in “Rabat dla Kowalskich”")
    item.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(rf"/accounts/{account.pk}/#activity-\d+$"))
    expect(page.locator("#timeline")).to_contain_text("Rabat dla Kowalskich")
    expect(page.locator("#notification-bell")).to_be_visible()
    expect(page.locator("#notification-count .badge")).to_have_count(0)
    [notification] = Notification.objects.filter(recipient=org.sara)
    assert notification.kind == Kind.MENTION
    assert notification.read_at is not None


def test_the_list_page_marks_one_read_in_place(transactional_db, org, login, live_server):
    for n in range(2):
        Notification.objects.create(
            recipient=org.sara,
            kind=Kind.MENTION,
            source="activity",
            source_id=n,
            key=f"mention:activity:{n}",
            title=f"Notatka {n}",
            url="/accounts/",
        )
    page = login(org.sara)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("#notification-count .badge")).to_have_attribute("data-count", "2")

    first = page.locator("#notification-page [data-notification]").first
    first.locator("[data-action=mark-read]").click()

    expect(page.locator("#notification-page .notification-read")).to_have_count(1)
    expect(page.locator("#notification-count .badge")).to_have_attribute("data-count", "1")
