"""The embedded default e-mail backend: mail stays in the outbox page.

Obieg's own mail goes through `queue_mail` and never reaches a backend
unless SMTP is configured. This catches what Django sends by itself
(e.g. error reports) when there is no SMTP server, so it is readable in
the same outbox page, attachments included.
"""

from django.core.mail.backends.base import BaseEmailBackend

from obieg.mail.models import OutboxMessage
from obieg.mail.services import Attachment, store_message


def _attachment(attachment) -> Attachment:
    if isinstance(attachment, tuple):  # (name, content, mimetype), or Django's EmailAttachment
        name, content, mimetype = attachment
        return name or "attachment", content, mimetype or ""
    # A MIME part attached as it is.
    return (
        attachment.get_filename() or "attachment",
        attachment.get_payload(decode=True) or b"",
        attachment.get_content_type(),
    )


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            store_message(
                to=", ".join(message.to),
                reply_to=", ".join(message.reply_to),
                subject=message.subject,
                body=message.body,
                attachments=[_attachment(a) for a in message.attachments],
                status=OutboxMessage.Status.KEPT,
            )
        return len(email_messages)
