"""E-mail: kept in the outbox by default, sent through SMTP (a local aiosmtpd) when set."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from django.urls import reverse

from obieg.mail import services, tasks
from obieg.mail.models import OutboxMessage


class Recorder(Sink):
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    handler = Recorder()
    with socket.socket() as probe:  # a free port: aiosmtpd's self-check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def test_without_smtp_the_mail_stays_in_the_outbox(org, client):
    message = services.queue_mail(to="jan@example.com", subject="Oferta", body="Link")
    tasks.deliver_mail.call(message.pk)
    assert OutboxMessage.objects.get().status == "kept"
    client.force_login(org.admin)
    assert "Oferta" in client.get(reverse("mail:outbox")).content.decode()
    assert client.get(reverse("mail:message", args=[message.pk])).status_code == 200
    client.force_login(org.sara)
    assert client.get(reverse("mail:outbox")).status_code == 404


def test_with_smtp_the_worker_sends_it_once(db, smtp):
    message = services.queue_mail(to="jan@example.com", subject="Umowa", body="Zażółć gęślą")
    tasks.deliver_mail.call(message.pk)
    tasks.deliver_mail.call(message.pk)
    assert OutboxMessage.objects.get().status == "sent"
    assert len(smtp.messages) == 1 and smtp.messages[0].rcpt_tos == ["jan@example.com"]
