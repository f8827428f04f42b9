from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail; kept after sending so an administrator can read what went out."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        # Claimed by one worker: no other worker or retried job sends it while that one lives.
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        KEPT = "kept", _("kept in the outbox (no SMTP server configured)")
        FAILED = "failed", _("failed")

    to = models.CharField(_("to"), max_length=300)
    reply_to = models.CharField(_("reply to"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Which worker claimed it for sending, and when (the database's clock): a claim whose
    # worker's lease expired is taken over by the next delivery (obieg.mail.services).
    claimed_by = models.CharField(_("claimed for sending by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed for sending"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Every clock looks for messages nobody is sending; the rest are most of the table.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="mail_outbox_unsent_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


def attachment_upload_to(instance: "OutboxAttachment", filename: str) -> str:
    return f"outbox/{instance.message_id}/{filename}"


class OutboxAttachment(models.Model):
    """A file sent with an e-mail, stored with it so the message can be read (and sent) later."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=300)
    size = models.PositiveBigIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
