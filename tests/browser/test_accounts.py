"""A salesperson in a real browser: creates an account, finds it, opens its 360° page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from obieg.crm.models import Activity
from tests.factories import AccountFactory

# The page's own form, not the log-out or language forms of the navigation bar.
SAVE = "main form[method=post] button[type=submit]"


def test_an_invalid_nip_is_corrected_and_the_account_found_and_opened(
    transactional_db, org, login, live_server
):
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/new/")
    page.fill("#id_name", "Zielona Energia Sp. z o.o.")
    page.fill("#id_nip", "123-456-32-19")
    page.fill("#id_postal_code", "31-000")
    page.fill("#id_city", "Kraków")
    page.click(SAVE)

    expect(page.locator("#id_nip")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_nip_errors")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Zielona Energia Sp. z o.o.")

    page.fill("#id_nip", "123-456-32-18")
    page.click(SAVE)
    page.wait_for_url(re.compile(r"/accounts/\d+/$"))

    page.goto(f"{live_server.url}/accounts/")
    page.fill("#id_q", "zielona")
    page.press("#id_q", "Enter")
    link = page.locator("#account-table a", has_text="Zielona Energia Sp. z o.o.")
    expect(link).to_have_count(1)
    link.click()

    expect(page.locator("h1")).to_contain_text("Zielona Energia Sp. z o.o.")
    expect(page.locator("#account-nip")).to_have_text("123-456-32-18")
    expect(page.locator("#history")).to_be_visible()


def test_the_timeline_loads_older_activities_and_marks_one_done_in_place(
    transactional_db, org, login, live_server
):
    account = AccountFactory(owner=org.sara)
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(
            account=account,
            kind=Activity.Kind.CALL,
            subject=f"Call {number}",
            occurs_at=now - timedelta(hours=number),
        )
        for number in range(25)
    )
    oldest = Activity.objects.get(subject="Call 24")
    page = login(org.sara)
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    # The first screen draws the newest ten; the rest come when the list's end is
    # scrolled into view (or its button pressed), in order, each once.
    items = page.locator("#timeline .timeline-item")
    expect(items.first).to_contain_text("Call 0")
    page.locator("#timeline .timeline-more").last.scroll_into_view_if_needed()
    expect(items).to_have_count(25)
    expect(items.last).to_contain_text("Call 24")

    item = page.locator(f"#activity-{oldest.pk}")
    item.locator("form button[type=submit]").click()
    expect(page.locator(f"#activity-{oldest.pk}")).to_have_class(re.compile(r"\btimeline-done\b"))
    oldest.refresh_from_db()
    assert oldest.status == Activity.Status.DONE
