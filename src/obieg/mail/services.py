"""Queueing e-mail: the row and its delivery job are written in the caller's transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from obieg.mail.models import OutboxMessage


def smtp_configured() -> bool:
    """Only an SMTP backend sends; the embedded default keeps mail in the outbox page."""
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def queue_mail(*, to: str, subject: str, body: str) -> OutboxMessage:
    """Queue an e-mail; a rolled-back change never sends it."""
    from obieg.mail.tasks import deliver_mail

    message = OutboxMessage.objects.create(to=to, subject=subject[:300], body=body)
    deliver_mail.enqueue(message.pk)
    return message


def deliver(message_id: int) -> OutboxMessage:
    """Send one queued e-mail, or keep it in the outbox when there is no SMTP server."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status != OutboxMessage.Status.QUEUED:
            return message  # a job run twice sends once
        if not smtp_configured():
            message.status = OutboxMessage.Status.KEPT
            message.save(update_fields=["status"])
            return message
    try:
        EmailMessage(
            message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]
        ).send()
    except OSError as error:  # smtplib errors are OSErrors; the job may be retried by hand
        message.status, message.error = OutboxMessage.Status.FAILED, str(error)[:2000]
    else:
        message.status, message.sent_at = OutboxMessage.Status.SENT, timezone.now()
    message.save(update_fields=["status", "error", "sent_at"])
    return message
