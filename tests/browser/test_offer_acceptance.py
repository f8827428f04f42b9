"""An ordinary offer end to end: the salesperson sends it, the customer accepts it on a phone."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from obieg.mail.models import OutboxMessage
from obieg.sales.models import Offer
from tests.sales.offer_helpers import customer, draft, seller

pytestmark = pytest.mark.usefixtures("media_root")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def customer_link(live_server) -> str:
    body = OutboxMessage.objects.latest("id").body
    link = next(line for line in body.splitlines() if "/offer/" in line)
    return live_server.url + urlsplit(link.strip()).path


def test_sent_by_the_salesperson_accepted_by_the_customer(
    transactional_db, org, login, live_server, browser
):
    seller()
    offer = draft(org, customer(org, language="en"))
    page = login(org.sara)
    page.goto(f"{live_server.url}/offers/{offer.pk}/")
    page.locator("#offer-send").click()
    page.wait_for_url(re.compile(rf"/offers/{offer.pk}/send/$"))
    expect(page.locator("#mail-preview-body")).to_contain_text("You can read the offer")
    page.select_option("#id_to", "ewa@klient.pl")
    page.locator("#send-offer").click()
    page.wait_for_url(re.compile(rf"/offers/{offer.pk}/$"))
    expect(page.locator("#offer-status")).to_contain_text("Sent")
    expect(page.locator("#offer-sending")).to_contain_text("ewa@klient.pl")

    # The customer, not logged in, on a phone.
    phone = browser.new_context(**PHONE)
    visitor = phone.new_page()
    visitor.goto(customer_link(live_server))
    expect(visitor.locator("#offer-gross")).to_have_text("2\u00a0028\u00a0081,75\u00a0zł")
    expect(visitor.locator("#offer-pdf")).to_be_visible()
    visitor.locator("#accept").click()  # no name, no consent: told, nothing changes
    expect(visitor.locator("#accept-form .invalid-feedback").first).to_be_visible()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT
    visitor.fill("#id_accept-name", "Ewa Nowak")
    visitor.check("#id_accept-consent")
    visitor.locator("#accept").click()
    expect(visitor.locator("#answer-done")).to_contain_text("you have accepted the offer")
    expect(visitor.locator("#accept-form")).to_have_count(0)
    visitor.reload()  # the link now shows the answer, no buttons
    expect(visitor.locator("#offer-state")).to_contain_text("has been accepted")
    phone.close()

    # The salesperson's bell rings; the offer shows who accepted it and from where.
    page.goto(f"{live_server.url}/offers/{offer.pk}/")
    expect(page.locator("#notification-count .badge")).to_have_attribute("data-count", "1")
    expect(page.locator("#offer-status")).to_contain_text("Accepted")
    expect(page.locator("#offer-answer")).to_contain_text("Ewa Nowak")
    expect(page.locator("#offer-answer")).to_contain_text("127.0.0.1")


def test_the_customer_rejects_with_a_reason(transactional_db, org, live_server, browser):
    from tests.sales.offer_helpers import send, token

    seller()
    offer = send(org, draft(org, customer(org, language="pl")))
    context = browser.new_context(**PHONE)
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}/offer/{token(offer)}/")
    expect(visitor.locator("html")).to_have_attribute("lang", "pl")
    visitor.fill("#id_reject-name", "Ewa Nowak")
    visitor.locator("#reject").click()  # no reason
    expect(visitor.locator("#reject-form .invalid-feedback").first).to_be_visible()
    visitor.fill("#id_reject-reason", "Za drogo")
    visitor.locator("#reject").click()
    expect(visitor.locator("#answer-done")).to_be_visible()
    context.close()
    offer.refresh_from_db()
    assert (offer.status, offer.rejection_reason) == (Offer.Status.REJECTED, "Za drogo")
