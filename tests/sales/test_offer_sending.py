"""Sending an offer: PDF attached, the answer link, the outbox, status "sent" once."""

import pytest

from obieg.core.errors import ApplicationError, Conflict, PermissionDenied
from obieg.core.models import AuditEntry
from obieg.crm.models import Opportunity
from obieg.mail.models import OutboxMessage
from obieg.sales import offer_acceptance, offer_sending
from obieg.sales import services as sales
from obieg.sales.models import Offer
from tests.sales.offer_helpers import customer, draft, pdf_text, seller, send

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def offer(org):
    seller()
    return draft(org, customer(org, language="en"))


def test_the_customer_gets_the_pdf_and_a_link_through_the_outbox(org, offer):
    sent = send(org, offer)
    assert sent.status == Offer.Status.SENT
    assert (sent.sent_to, sent.sent_by) == ("ewa@klient.pl", org.sara)
    message = OutboxMessage.objects.get()
    assert message.to == "ewa@klient.pl"
    assert message.subject == f"Offer {offer.number}: Termomodernizacja biura"
    assert "2\u00a0028\u00a0081,75\u00a0zł gross" in message.body
    link = next(line for line in message.body.splitlines() if "/offer/" in line)
    token = link.rsplit("/offer/", 1)[1].strip("/")
    assert offer_acceptance.offer_for_token(token).pk == offer.pk
    (attachment,) = message.attachments.all()
    assert attachment.name == f"offer-{offer.number.replace('/', '-')}-R1.pdf"
    assert "Termomodernizacja biura" in pdf_text(attachment.file.read())
    # The PDF sent is the one filed with the customer.
    assert sent.pdf.document.account_id == offer.account_id


def test_sending_moves_the_opportunity_to_proposal_at_the_offers_value(org, offer):
    send(org, offer)
    opportunity = Opportunity.objects.get(pk=offer.opportunity_id)
    assert opportunity.stage == Opportunity.Stage.PROPOSAL
    assert opportunity.value == offer.total_net


def test_sending_is_audited_with_who_and_to_whom(org, offer):
    send(org, offer)
    entry = AuditEntry.objects.filter(
        object_id=offer.pk, action="update", changes__has_key="sent_to"
    ).get()
    assert entry.actor == org.sara
    assert entry.changes["status"] == ["draft", "sent"]
    assert entry.changes["sent_to"] == ["", "ewa@klient.pl"]


def test_a_polish_customer_gets_polish_mail(org):
    seller()
    offer = draft(org, customer(org, language="pl"))
    send(org, offer)
    message = OutboxMessage.objects.get()
    (attachment,) = message.attachments.all()
    assert attachment.name.startswith("oferta-")


def test_a_sent_offer_can_be_sent_again_with_the_same_pdf(org, offer):
    first = send(org, offer)
    again = send(org, first, to="zakupy@klient.pl")
    assert again.pdf_id == first.pdf_id and again.sent_to == "zakupy@klient.pl"
    assert OutboxMessage.objects.count() == 2


def test_a_stale_page_is_refused_and_nothing_goes_out(org, offer):
    stale = offer.revision
    sales.offer_update(actor=org.sara, offer=offer, data={"title": "Nowy tytuł"})
    with pytest.raises(Conflict):
        offer_sending.offer_send(
            actor=org.sara, offer=offer, to="ewa@klient.pl", message="", revision=stale
        )
    assert not OutboxMessage.objects.exists()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.DRAFT


@pytest.mark.parametrize(
    "to, field", [("not-an-address", "to"), ("", "to")], ids=["bad address", "no address"]
)
def test_a_bad_address_is_a_field_error(org, offer, to, field):
    with pytest.raises(ApplicationError) as refused:
        offer_sending.offer_send(actor=org.sara, offer=offer, to=to, message="")
    assert field in refused.value.field_errors
    assert not OutboxMessage.objects.exists()


def test_an_answered_or_expired_offer_is_not_sent(org, offer):
    import datetime

    sales.offer_update(actor=org.sara, offer=offer, data={"valid_until": datetime.date(2020, 1, 1)})
    with pytest.raises(ApplicationError) as refused:
        send(org, offer)
    assert "valid_until" in refused.value.field_errors
    sales.offer_update(actor=org.sara, offer=offer, data={"valid_until": None})
    sales.offer_set_status(actor=org.sara, offer=send(org, offer), status="accepted")
    with pytest.raises(ApplicationError):
        send(org, offer)
    assert OutboxMessage.objects.count() == 1


def test_only_who_may_change_the_offer_sends_it(org, offer):
    with pytest.raises(PermissionDenied):
        offer_sending.offer_send(actor=org.olga, offer=offer, to="ewa@klient.pl", message="")
    assert not OutboxMessage.objects.exists()


def test_the_addresses_offered_are_the_accounts_and_its_contacts(org, offer):
    assert [r.email for r in offer_sending.recipients(offer)] == [
        "zakupy@klient.pl",
        "ewa@klient.pl",
    ]
