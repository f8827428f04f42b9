"""The customer's page behind the signed link: read, accept or reject, once; no log-in."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from obieg.core import clock
from obieg.core.audit import history_for
from obieg.core.errors import ApplicationError
from obieg.crm.models import Opportunity
from obieg.notifications.models import Kind, Notification
from obieg.sales import offer_acceptance
from obieg.sales import services as sales
from obieg.sales.models import Offer
from obieg.sales.offer_acceptance import Answer
from tests.sales.offer_helpers import customer, draft, pdf_text, seller, send, token

pytestmark = pytest.mark.usefixtures("media_root")

ACCEPT = {"action": "accept", "accept-name": "Ewa Nowak", "accept-consent": "on"}
REJECT = {"action": "reject", "reject-name": "Ewa Nowak", "reject-reason": "Za drogo"}


@pytest.fixture
def offer(org):
    seller()
    return send(org, draft(org, customer(org, language="en")))


def page(offer):
    return reverse("offer_customer", args=[token(offer)])


def test_the_customer_reads_the_offer_without_logging_in(client, offer):
    response = client.get(page(offer))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Termomodernizacja — projekt" in html and "2\u00a0028\u00a0081,75\u00a0zł" in html
    assert 'id="accept-form"' in html and 'id="reject-form"' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    pdf = client.get(reverse("offer_customer_pdf", args=[token(offer)]))
    assert pdf.status_code == 200
    assert "Termomodernizacja biura" in pdf_text(b"".join(pdf.streaming_content))


def test_the_page_speaks_the_customers_language(client, org):
    seller()
    polish = send(org, draft(org, customer(org, language="pl")))
    response = client.get(page(polish))
    assert response["Content-Language"] == "pl"
    assert "Opis" in response.content.decode()


def test_accepting_records_who_when_and_from_where_and_tells_the_salesperson(client, org, offer):
    response = client.post(page(offer), ACCEPT, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert 'id="answer-done"' in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED
    assert (offer.answered_by_name, offer.answered_from) == ("Ewa Nowak", "203.0.113.7")
    assert offer.answered_at is not None
    entry = history_for(offer)[0]
    assert entry.actor is None  # the customer, not a user
    assert entry.changes["status"] == ["sent", "accepted"]
    assert entry.changes["answered_by_name"] == ["", "Ewa Nowak"]
    assert entry.changes["answered_from"] == [None, "203.0.113.7"]
    note = Notification.objects.get(recipient=org.sara)
    assert note.kind == Kind.OFFER_ACCEPTED
    assert note.url == reverse("offer_detail", args=[offer.pk])
    opportunity = Opportunity.objects.get(pk=offer.opportunity_id)
    assert opportunity.stage == Opportunity.Stage.NEGOTIATION


def test_rejecting_needs_a_reason_and_keeps_it(client, org, offer):
    refused = client.post(page(offer), {**REJECT, "reject-reason": " "})
    assert refused.status_code == 400
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT
    assert client.post(page(offer), REJECT).status_code == 200
    offer.refresh_from_db()
    assert (offer.status, offer.rejection_reason) == (Offer.Status.REJECTED, "Za drogo")
    assert Notification.objects.get(recipient=org.sara).kind == Kind.OFFER_REJECTED
    # A rejection does not move the sale on; the salesperson decides what follows.
    assert Opportunity.objects.get(pk=offer.opportunity_id).stage == Opportunity.Stage.PROPOSAL


def test_accepting_needs_a_name_and_the_consent(client, offer):
    assert client.post(page(offer), {**ACCEPT, "accept-consent": ""}).status_code == 400
    assert client.post(page(offer), {**ACCEPT, "accept-name": ""}).status_code == 400
    assert client.post(page(offer), {"action": "other"}).status_code == 400
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_the_second_answer_is_refused_and_changes_nothing(client, org, offer):
    client.post(page(offer), ACCEPT)
    second = client.post(page(offer), REJECT)
    assert second.status_code == 409
    assert 'id="offer-state"' in second.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED and offer.rejection_reason == ""
    assert Notification.objects.filter(recipient=org.sara).count() == 1
    with pytest.raises(ApplicationError, match="already been accepted"):
        offer_acceptance.offer_answer(offer=offer, answer=Answer(True, "X"), ip=None)


def test_a_superseded_revision_says_a_newer_one_exists(client, org, offer):
    link = page(offer)
    sales.offer_revise(actor=org.sara, offer=offer)
    response = client.get(link)
    html = response.content.decode()
    assert "A newer revision of this offer exists" in html
    assert 'id="accept-form"' not in html
    assert client.post(link, ACCEPT).status_code == 409
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SUPERSEDED


def test_an_offer_past_its_validity_cannot_be_accepted(client, offer):
    Offer.objects.filter(pk=offer.pk).update(valid_until=clock.today() - timedelta(days=1))
    assert "This offer has expired" in client.get(page(offer)).content.decode()
    assert client.post(page(offer), ACCEPT).status_code == 409
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_an_old_link_is_gone_and_a_forged_one_not_found(client, offer, settings):
    link = page(offer)
    assert client.get(link.replace(":", ";", 1)).status_code == 404
    assert client.get(reverse("offer_customer", args=["abc"])).status_code == 404
    settings.OFFER_LINK_MAX_AGE = -1
    gone = client.get(link)
    assert gone.status_code == 410 and 'id="link-dead"' in gone.content.decode()
    assert client.post(link, ACCEPT).status_code == 410
    assert client.get(reverse("offer_customer_pdf", args=[token(offer)])).status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_a_link_of_another_kind_does_not_open_an_offer(client, offer):
    from obieg.solutions.grants import links as grants_links

    forged = grants_links.MEASUREMENT_LINK.token({"offer": offer.pk})
    assert client.get(reverse("offer_customer", args=[forged])).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_accept_and_reject_racing_exactly_one_wins(org):
    seller()
    offer = send(org, draft(org, customer(org)))
    start = threading.Barrier(4)
    results: list = []

    def answer(accept: bool, name: str):
        try:
            start.wait()
            offer_acceptance.offer_answer(offer=offer, answer=Answer(accept, name, "x"), ip=None)
            results.append(name)
        except ApplicationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(index % 2 == 0, f"person {index}"))
        for index in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [r for r in results if isinstance(r, str)]
    assert len(results) == 4 and len(winners) == 1, results
    offer.refresh_from_db()
    assert offer.answered_by_name == winners[0]
    assert [e for e in history_for(offer) if "answered_at" in e.changes][0].changes["status"] == [
        "sent",
        offer.status,
    ]
    assert len([e for e in history_for(offer) if "answered_at" in e.changes]) == 1
    assert Notification.objects.filter(recipient=org.sara).count() == 1
