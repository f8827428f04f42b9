from django.core.mail import EmailMessage

from obieg.mail.models import OutboxMessage


def test_mail_sent_without_smtp_lands_in_the_outbox_with_its_attachments(db, settings, media_root):
    settings.EMAIL_BACKEND = "obieg.mail.backends.OutboxBackend"
    message = EmailMessage(
        "Oferta OF/2026/00001", "Dzień dobry,", "biuro@example.pl", ["jan@example.pl"]
    )
    message.attach("oferta.pdf", b"%PDF-1.4", "application/pdf")

    assert message.send() == 1

    kept = OutboxMessage.objects.get()
    assert (kept.to, kept.subject, kept.body, kept.status) == (
        "jan@example.pl",
        "Oferta OF/2026/00001",
        "Dzień dobry,",
        OutboxMessage.Status.KEPT,
    )
    (attachment,) = kept.attachments.all()
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "oferta.pdf",
        "application/pdf",
        8,
    )
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4"
