"""E-mail whose sender died, or whose delivery job is gone, is sent by another worker, once."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from obieg.core import leases, worker
from obieg.core.models import WorkerLease
from obieg.mail import services
from obieg.mail.models import OutboxMessage

LONG_AGO = timedelta(minutes=5)  # well past the lease time-out (60 s)
pytestmark = pytest.mark.django_db(transaction=True)  # workers run the jobs: committed data


def queued_long_ago() -> OutboxMessage:
    message = services.queue_mail(to="jan@example.com", subject="Faktura FV/1", body="-")
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - LONG_AGO)
    return message


def delivery_job(message: OutboxMessage) -> DBTaskResult:
    return DBTaskResult.objects.get(
        task_path__endswith="deliver_mail", args_kwargs__args=[message.pk]
    )


def killed_mid_send(message: OutboxMessage, worker_id: str) -> DBTaskResult:
    """What a worker killed between claiming the message and the server's answer leaves."""
    job = delivery_job(message)
    job.claim(worker_id)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - LONG_AGO)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENDING,
        claimed_by=worker_id,
        claimed_at=leases.database_now() - LONG_AGO,
    )
    return job


def delivery_jobs() -> int:
    # Only the outbox's own: other solutions' clock jobs (a grants deadline scan, the
    # sales force's evening schedule build) queue theirs by the hour of the day.
    return DBTaskResult.objects.filter(task_path="obieg.mail.tasks.deliver_mail").count()


def run_workers() -> None:
    """Every worker's clock beats, then a worker runs what is queued; twice, as time goes on."""
    for _ in range(2):
        worker.tick()
        worker.build_worker(batch=True).run()


def test_a_message_left_sending_by_a_dead_sender_is_sent_again_once(smtp):
    message = queued_long_ago()
    killed_mid_send(message, "killed-worker")

    run_workers()

    assert len(smtp.received) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    job = delivery_job(message)
    assert job.status == "SUCCESSFUL" and message.claimed_by == job.worker_ids[-1]
    assert delivery_jobs() == 1  # its own job ran again: no other was needed


def test_a_message_left_sending_by_a_dead_sender_whose_job_is_gone_is_sent_once(smtp):
    message = queued_long_ago()
    killed_mid_send(message, "killed-worker").delete()

    run_workers()

    assert len(smtp.received) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_message_being_sent_by_a_living_worker_is_left_to_it(smtp):
    message = queued_long_ago()
    job = killed_mid_send(message, "slow-but-alive")
    now = leases.database_now()
    WorkerLease.objects.create(
        worker_id="slow-but-alive", host="elsewhere", pid=1, started_at=now, renewed_at=now
    )

    assert services.deliver(message.pk).status == OutboxMessage.Status.SENDING
    worker.tick()

    assert smtp.received == []
    job.refresh_from_db()
    assert job.status == "RUNNING"
    assert delivery_jobs() == 1


def test_a_stale_queued_message_with_no_job_is_sent_by_the_sweep(smtp):
    message = queued_long_ago()
    delivery_job(message).delete()  # say, pruned, or failed before it claimed the message

    run_workers()

    assert len(smtp.received) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert delivery_jobs() == 1  # one new job, not one per beat


def test_a_queued_message_whose_job_waits_gets_no_second_job():
    message = queued_long_ago()  # a long queue: its job has not been reached yet

    worker.tick()
    worker.tick()

    assert services.requeue_stranded_mail() == 0
    assert delivery_job(message).status == "READY"


def test_a_message_whose_job_failed_before_claiming_it_gets_one_new_job_a_time_out():
    message = queued_long_ago()
    DBTaskResult.objects.filter(pk=delivery_job(message).pk).update(
        status="FAILED", enqueued_at=timezone.now() - LONG_AGO
    )

    assert services.requeue_stranded_mail() == 1
    DBTaskResult.objects.filter(status="READY").update(status="FAILED")
    assert services.requeue_stranded_mail() == 0  # not one a beat
    DBTaskResult.objects.update(enqueued_at=timezone.now() - LONG_AGO)
    assert services.requeue_stranded_mail() == 1
