"""Two workers deliver the same message at the same moment: it is sent once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from obieg.mail import services
from obieg.mail.models import OutboxMessage
from tests.mail import smtp

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections racing need PostgreSQL"
)

WORKERS = 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_message_send_it_once(settings, media_root):
    # The server takes its time, as a real one does: the second worker arrives mid-send.
    controller, server = smtp.start(settings, delay=0.5)
    try:
        message = services.queue_mail(to="jan@example.com", subject="Faktura", body="-")
        start = threading.Barrier(WORKERS)
        statuses: list[str] = []

        def worker():
            try:
                start.wait()
                statuses.append(services.deliver(message.pk).status)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        controller.stop()

    assert len(server.received) == 1
    assert len(statuses) == WORKERS
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
