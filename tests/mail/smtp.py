"""A real SMTP server (aiosmtpd) on a free local port, recording what it receives."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, delay: float = 0.0):
        self.received: list[EmailMessage] = []
        self.delay = delay  # seconds per message: widens the window a second sender could use

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def start(settings, delay: float = 0.0):
    handler = Recorder(delay)
    with socket.socket() as probe:  # a free port: aiosmtpd's self-check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    return controller, handler


@pytest.fixture
def smtp(settings):
    controller, handler = start(settings)
    yield handler
    controller.stop()
