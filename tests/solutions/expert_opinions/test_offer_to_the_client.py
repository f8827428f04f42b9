"""What the client receives: the e-mail with the PDF (kept in the outbox), the answer page."""

import re

from django.urls import reverse
from django.utils import translation

from obieg.mail.models import OutboxMessage
from obieg.solutions.expert_opinions import links
from obieg.solutions.expert_opinions.models import Inquiry
from tests.solutions.expert_opinions.helpers import do, prepared


def polish(text: str) -> str:
    with translation.override("pl"):
        return translation.gettext(text)


def sent(firm, language="pl") -> Inquiry:
    firm.client.language = language
    firm.client.save()
    inquiry = prepared(firm, price="1000.00")
    do(inquiry, "head_approval", firm.head, head_decision="approve")
    return Inquiry.objects.get(pk=inquiry.pk)


def test_the_outbox_attachment_opens_as_the_offer_pdf(client, firm):
    inquiry = sent(firm)
    message = OutboxMessage.objects.get(to="biuro@lex.example")
    (attachment,) = message.attachments.all()

    client.force_login(firm.admin)
    page = client.get(reverse("mail:message", args=[message.pk])).content.decode()
    url = reverse("mail:attachment", args=[message.pk, attachment.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert attachment.name in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with inquiry.offer_document.versions.get().file.open("rb") as filed:
        assert body == filed.read()  # the very PDF filed with the offer
    assert body.startswith(b"%PDF-")


def test_the_e_mail_speaks_the_clients_language(firm):
    inquiry = sent(firm, "en")
    message = OutboxMessage.objects.get(to="biuro@lex.example")
    assert message.subject == f"Offer for inquiry {inquiry.number}"
    assert message.body.startswith("Good morning,")
    assert message.attachments.get().name.startswith("offer-")


def test_a_polish_client_gets_the_polish_e_mail(firm):
    with translation.override("en"):  # whatever the approver's interface speaks
        inquiry = sent(firm, "pl")
    message = OutboxMessage.objects.get(to="biuro@lex.example")
    expected = polish("Offer for inquiry %(number)s") % {"number": inquiry.number}
    assert message.subject == expected


def test_the_answer_page_shows_the_scope_and_the_offer_pdf_in_the_clients_language(client, firm):
    inquiry = sent(firm, "en")
    url = reverse("expert_opinions:offer_answer", args=[links.answer_token(inquiry)])
    with translation.override("pl"):  # the visitor's browser may say anything
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="pl")
    html = page.content.decode()
    assert page["Content-Language"] == "en"
    assert "Oględziny budynku i analiza dokumentacji" in html  # the scope
    assert "The offer (PDF)" in html and "Your answer" in html
    pdf_url = re.search(r'id="answer-pdf" href="([^"]+)"', html).group(1)
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")

    polish_client = sent(firm, "pl")
    url = reverse("expert_opinions:offer_answer", args=[links.answer_token(polish_client)])
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "pl"


def test_the_pdf_behind_a_forged_link_is_not_found(client, firm):
    sent(firm)
    assert (
        client.get(reverse("expert_opinions:offer_answer_pdf", args=["abc:def"])).status_code == 404
    )
