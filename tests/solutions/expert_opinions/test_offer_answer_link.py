"""The client answers the offer through the signed link in its e-mail, without logging in."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from obieg.engine.models import CaseStatus
from obieg.sales.models import Offer
from obieg.solutions.expert_opinions import links
from obieg.solutions.expert_opinions.models import Inquiry
from tests.solutions.expert_opinions.helpers import case_of, do, open_elements, prepared


def sent(firm):
    # The page speaks the client's language: English here, so the texts below are the msgids.
    firm.client.language = "en"
    firm.client.save()
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    return Inquiry.objects.get(pk=inquiry.pk)


def test_the_client_accepts_through_the_link_and_the_salespersons_task_goes(client, firm):
    inquiry = sent(firm)
    url = reverse("expert_opinions:offer_answer", args=[links.answer_token(inquiry)])
    page = client.get(url)
    assert page.status_code == 200
    assert inquiry.offer.number in page.content.decode()

    answered = client.post(url, {"answer": "accepted", "note": "Zgoda"})

    assert "accepted the offer" in answered.content.decode()
    inquiry.refresh_from_db()
    assert open_elements(inquiry) == ["commission_expert"]
    assert inquiry.offer.status == Offer.Status.ACCEPTED
    assert case_of(inquiry).data["answered_by_link"] is True
    # A second answer through the same link changes nothing.
    again = client.post(url, {"answer": "rejected"})
    assert "already been answered" in again.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.ACCEPTED


def test_the_client_rejects_through_the_link_and_the_case_ends(client, firm):
    inquiry = sent(firm)
    url = reverse("expert_opinions:offer_answer", args=[links.answer_token(inquiry)])
    client.post(url, {"answer": "rejected"})
    assert case_of(inquiry).status == CaseStatus.COMPLETED
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.REJECTED_BY_CLIENT


def test_a_forged_or_expired_link_is_refused(client, firm, monkeypatch):
    inquiry = sent(firm)
    forged = client.get(reverse("expert_opinions:offer_answer", args=["abc:def"]))
    assert forged.status_code == 404
    token = links.answer_token(inquiry)
    monkeypatch.setattr(links, "VALID_FOR", timedelta(seconds=-1))
    expired = client.post(
        reverse("expert_opinions:offer_answer", args=[token]), {"answer": "accepted"}
    )
    assert expired.status_code == 404
    assert open_elements(inquiry) == ["record_answer"]


def test_a_link_to_a_replaced_offer_no_longer_works(firm):
    inquiry = sent(firm)
    token = signing.dumps({"inquiry": inquiry.pk, "offer": inquiry.offer_id + 1}, salt=links.SALT)
    try:
        links.inquiry_for_token(token)
    except links.ApplicationError as error:
        assert "replaced" in error.message
    else:
        raise AssertionError("the link was accepted")
