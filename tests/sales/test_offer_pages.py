"""The salesperson's side: the PDF button, "Send to customer" with its preview, the detail page."""

import pytest
from django.urls import reverse

from obieg.mail.models import OutboxMessage
from obieg.sales.models import Offer
from tests.factories import AccountFactory
from tests.sales.offer_helpers import customer, draft, seller, send

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def offer(org):
    seller()
    return draft(org, customer(org, language="en"))


def test_the_pdf_button_files_a_version_and_downloads_it(client, org, offer):
    client.force_login(org.sara)
    response = client.post(reverse("offer_pdf", args=[offer.pk]))
    offer.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse(
        "document_version_download", args=[offer.pdf.document_id, offer.pdf.number]
    )
    download = client.get(response.url)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:4] == b"%PDF"
    assert 'id="offer-pdf"' in client.get(reverse("offer_detail", args=[offer.pk])).content.decode()
    # The 360° page lists it with the customer's documents.
    account_page = client.get(reverse("account_detail", args=[offer.account_id])).content.decode()
    assert f"Offer {offer.number}" in account_page


def test_the_send_page_offers_the_customers_addresses_and_a_preview(client, org, offer):
    client.force_login(org.sara)
    response = client.get(reverse("offer_send", args=[offer.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ewa@klient.pl" in html and "zakupy@klient.pl" in html
    assert f"Offer {offer.number}: Termomodernizacja biura" in html
    assert "You can read the offer, accept it or reject it here:" in html


def test_sending_from_the_page_queues_the_mail_and_marks_it_sent(client, org, offer):
    client.force_login(org.sara)
    response = client.post(
        reverse("offer_send", args=[offer.pk]),
        {"to": "ewa@klient.pl", "message": "Dzień dobry, oferta w załączniku.", "revision": 1},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    message = OutboxMessage.objects.get()
    assert message.body.startswith("Dzień dobry, oferta w załączniku.")
    detail = client.get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert 'id="offer-sending"' in detail and "ewa@klient.pl" in detail


def test_an_address_not_the_customers_or_a_stale_page_is_refused(client, org, offer):
    client.force_login(org.sara)
    url = reverse("offer_send", args=[offer.pk])
    refused = client.post(url, {"to": "someone@else.pl", "message": "x", "revision": 1})
    assert refused.status_code == 400
    stale = client.post(url, {"to": "ewa@klient.pl", "message": "x", "revision": 0})
    assert stale.status_code == 409
    assert not OutboxMessage.objects.exists()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DRAFT


def test_a_customer_without_an_address_is_told_where_to_add_one(client, org):
    seller()
    account = AccountFactory(owner=org.sara, email="")
    offer = draft(org, account)
    client.force_login(org.sara)
    html = client.get(reverse("offer_send", args=[offer.pk])).content.decode()
    assert 'id="no-recipients"' in html and 'id="send-form"' not in html


def test_an_answered_offer_shows_the_answer_and_who_cannot_change_it_cannot_send(
    client, org, offer
):
    from obieg.sales import offer_acceptance
    from obieg.sales.offer_acceptance import Answer

    sent = send(org, offer)
    answer = Answer(False, "Ewa", "Za drogo")
    offer_acceptance.offer_answer(offer=sent, answer=answer, ip="10.0.0.1")
    client.force_login(org.sara)
    html = client.get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert 'id="offer-answer"' in html and "Za drogo" in html and "10.0.0.1" in html
    assert 'id="offer-send"' not in html
    client.force_login(org.olga)
    assert client.get(reverse("offer_send", args=[offer.pk])).status_code == 404
    assert client.post(reverse("offer_pdf", args=[offer.pk])).status_code == 404
