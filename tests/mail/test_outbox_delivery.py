"""The outbox: queued with the change, claimed before sending, sent once, attachments kept."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from obieg.mail import services
from obieg.mail.models import OutboxMessage
from obieg.mail.tasks import deliver_mail

PDF = b"%PDF-1.4\n% oferta\n%%EOF\n"


def queue_offer():
    return services.queue_mail(
        to="jan@example.com",
        subject="Oferta OF/2026/00001",
        body="Dzień dobry, w załączeniu oferta.",
        reply_to="sara@example.com",
        attachments=[("oferta.pdf", PDF, "application/pdf")],
    )


def test_queueing_writes_the_message_and_its_job_in_the_callers_transaction(db, media_root):
    message = queue_offer()
    assert message.status == OutboxMessage.Status.QUEUED
    (job,) = DBTaskResult.objects.filter(task_path__endswith="deliver_mail")
    assert job.args_kwargs["args"] == [message.pk]


def test_the_worker_sends_it_with_its_attachment_and_reply_address(db, media_root, smtp):
    message = queue_offer()

    deliver_mail.call(message.pk)

    (sent,) = smtp.received
    assert (sent["To"], sent["Reply-To"], sent["Subject"]) == (
        "jan@example.com",
        "sara@example.com",
        "Oferta OF/2026/00001",
    )
    (part,) = [part for part in sent.walk() if part.get_filename()]
    assert (part.get_filename(), part.get_payload(decode=True)) == ("oferta.pdf", PDF)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.sent_at


def test_a_job_run_again_sends_nothing_more(db, media_root, smtp):
    message = queue_offer()
    deliver_mail.call(message.pk)
    deliver_mail.call(message.pk)
    assert len(smtp.received) == 1


def test_a_message_claimed_by_another_worker_is_left_to_it(db, media_root, smtp):
    message = queue_offer()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.SENDING)

    assert services.deliver(message.pk).status == OutboxMessage.Status.SENDING
    assert smtp.received == []


def test_an_smtp_refusal_marks_the_message_failed(db, media_root, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    message = queue_offer()

    delivered = services.deliver(message.pk)

    assert delivered.status == OutboxMessage.Status.FAILED and delivered.error


def test_without_smtp_the_message_and_its_attachment_stay_readable_in_the_outbox(
    org, client, media_root
):
    message = queue_offer()
    deliver_mail.call(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.KEPT

    client.force_login(org.admin)
    page = client.get(reverse("mail:message", args=[message.pk])).content.decode()
    attachment = message.attachments.get()
    link = reverse("mail:attachment", args=[message.pk, attachment.pk])
    assert f'href="{link}"' in page
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="oferta.pdf"' == response["Content-Disposition"]

    other = services.queue_mail(to="x@example.com", subject="Inna", body="-")
    assert client.get(reverse("mail:attachment", args=[other.pk, attachment.pk])).status_code == 404

    client.force_login(org.sara)
    assert client.get(link).status_code == 404


@pytest.mark.parametrize("status", ["sent", "kept", "failed"])
def test_a_finished_message_is_never_sent_again(db, media_root, smtp, status):
    message = queue_offer()
    OutboxMessage.objects.filter(pk=message.pk).update(status=status)
    assert services.deliver(message.pk).status == status
    assert smtp.received == []
