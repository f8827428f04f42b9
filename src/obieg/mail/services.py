"""Outgoing e-mail: each message is a row written in the caller's transaction, sent once.

The row and its delivery job commit (or roll back) with the change that
causes them. A worker claims the row (queued → sending, one conditional
UPDATE) before it sends: of two workers, or a job run again after a crash
or a retry, only the one whose UPDATE changed the row sends. A worker that
dies between the claim and the send leaves the message "sending" for an
administrator to look at: one e-mail too few rather than one too many.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.utils import timezone

from obieg.mail.models import OutboxAttachment, OutboxMessage

# (file name, content, MIME type), as EmailMessage.attach takes them.
Attachment = tuple[str, bytes, str]


def smtp_configured() -> bool:
    """Only an SMTP backend sends; the embedded default keeps mail in the outbox page."""
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def store_message(
    *,
    to: str,
    subject: str,
    body: str,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
    status: str = OutboxMessage.Status.QUEUED,
) -> OutboxMessage:
    """Write the message and its attachments to the outbox (no job: see queue_mail)."""
    message = OutboxMessage.objects.create(
        to=to[:300], reply_to=reply_to[:300], subject=subject[:300], body=body, status=status
    )
    for name, content, content_type in attachments:
        if isinstance(content, str):
            content = content.encode()
        name = name.rsplit("/", 1)[-1][:200] or "attachment"
        attachment = OutboxAttachment(
            message=message,
            name=name,
            content_type=(content_type or "application/octet-stream")[:100],
            size=len(content),
        )
        attachment.file.save(name, ContentFile(content), save=False)
        attachment.save()
    return message


def queue_mail(
    *,
    to: str,
    subject: str,
    body: str,
    reply_to: str = "",
    attachments: Iterable[Attachment] = (),
) -> OutboxMessage:
    """Queue an e-mail; a rolled-back change never sends it. The one way Obieg sends mail."""
    from obieg.mail.tasks import deliver_mail

    message = store_message(
        to=to, subject=subject, body=body, reply_to=reply_to, attachments=attachments
    )
    deliver_mail.enqueue(message.pk)
    return message


def _claim(message_id: int) -> bool:
    """queued → sending in one UPDATE; True only for the caller whose UPDATE changed the row."""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.QUEUED
    ).update(status=OutboxMessage.Status.SENDING)
    return claimed == 1


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage(
        message.subject,
        message.body,
        settings.DEFAULT_FROM_EMAIL,
        [message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
    )
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.name, handle.read(), attachment.content_type)
    return email


def _finish(message: OutboxMessage, status: str, **fields) -> OutboxMessage:
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=status, **fields
    )
    message.refresh_from_db()
    return message


def deliver(message_id: int) -> OutboxMessage:
    """Send one queued e-mail, or keep it in the outbox when there is no SMTP server."""
    claimed = _claim(message_id)
    message = OutboxMessage.objects.get(pk=message_id)
    if not claimed:
        return message  # sent, kept or being sent by another worker: never twice
    if not smtp_configured():
        return _finish(message, OutboxMessage.Status.KEPT)
    try:
        _email(message).send()
    except Exception as error:
        # A failed message is marked, not left claimed; smtplib's errors are OSErrors and
        # end here, anything else is a defect the job's result should show as well.
        _finish(message, OutboxMessage.Status.FAILED, error=str(error)[:2000])
        if not isinstance(error, OSError):
            raise
        return message
    return _finish(message, OutboxMessage.Status.SENT, sent_at=timezone.now())
