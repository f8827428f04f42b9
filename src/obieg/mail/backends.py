"""The embedded default e-mail backend: mail stays in the outbox page.

Someone trying the demo has no SMTP server; this keeps every message a
solution sends (directly through django.core.mail or through `queue_mail`)
where an administrator can read it and follow the customer's link.
"""

from django.core.mail.backends.base import BaseEmailBackend

from obieg.mail.models import OutboxMessage


def _attachment_name(attachment) -> str:
    if isinstance(attachment, tuple):
        return attachment[0] or ""
    return attachment.get_filename() or ""


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            names = [name for name in map(_attachment_name, message.attachments) if name]
            body = message.body
            if names:
                body += "\n\n[" + ", ".join(names) + "]"
            OutboxMessage.objects.create(
                to=", ".join(message.to)[:300],
                subject=message.subject[:300],
                body=body,
                status=OutboxMessage.Status.KEPT,
            )
        return len(email_messages)
