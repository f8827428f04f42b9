"""Outgoing e-mail: each message is a row written in the caller's transaction, sent once.

The row and its delivery job commit (or roll back) with the change that
causes them. A worker claims the row (queued → sending, one conditional
UPDATE, recording its worker id) before it sends: of two workers, or a job
run again after a retry, only the one whose UPDATE changed the row sends.

A sender that dies (its worker killed, its machine lost) stops renewing its
worker lease (obieg.core.leases). Its job is handed back to the queue and
runs again, and a claim whose worker's lease expired can be claimed again:
the message is sent by the job's next run. Every clock also gives a new job
to a message whose job is gone (`requeue_stranded_mail`), claimed the same
way, so it is never sent twice by two live workers.

Delivery is at least once, not exactly once: SMTP has no idempotency key,
so a sender that dies after the server accepted the message and before
its "sent" commits leaves it claimed, and it goes out a second time. That
window (one SMTP reply and one UPDATE) is the only one; a message is never
lost for a dead sender.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from obieg.core import leases
from obieg.mail.models import OutboxAttachment, OutboxMessage

logger = logging.getLogger(__name__)

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


def _claimable(expiry: datetime) -> Q:
    """Queued, or claimed before `expiry` by a worker whose lease has expired since."""
    abandoned = Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=expiry) & ~Q(
        claimed_by__in=leases.live_worker_ids(expiry)
    )
    return Q(status=OutboxMessage.Status.QUEUED) | abandoned


def _claim(message_id: int) -> bool:
    """Claim for sending in one UPDATE; True only for the caller whose UPDATE changed the row."""
    now = leases.database_now()
    claimed = OutboxMessage.objects.filter(
        _claimable(now - leases.timeout()), pk=message_id
    ).update(
        status=OutboxMessage.Status.SENDING, claimed_by=leases.current_worker_id(), claimed_at=now
    )
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
        return message  # sent, kept or being sent by a live worker: never twice
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


def requeue_stranded_mail(*, limit: int = 100) -> int:
    """Give a delivery job to each message that nobody will send any more (a clock job).

    Its job failed before claiming it, or was deleted; or its sender died
    and the job ended without it. A message whose job is waiting, running,
    or was queued within a lease time-out is left to that job: a message
    that keeps failing gets one new job a time-out, not one a beat.
    """
    from obieg.mail.tasks import deliver_mail

    expiry = leases.expiry()
    stranded = list(
        OutboxMessage.objects.filter(_claimable(expiry), created_at__lt=expiry)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not stranded:
        return 0
    awaited = set(
        DBTaskResult.objects.filter(
            Q(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
            | Q(enqueued_at__gte=expiry),
            task_path=deliver_mail.module_path,
            args_kwargs__args__0__in=stranded,
        ).values_list("args_kwargs__args__0", flat=True)
    )
    requeued = [pk for pk in stranded if pk not in awaited]
    for pk in requeued:
        deliver_mail.enqueue(pk)
    if requeued:
        logger.warning("E-mail without a delivery job queued again: %s", requeued)
    return len(requeued)
