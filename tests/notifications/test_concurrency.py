"""Two workers at the same moment: one digest a person a day, one notification a thing (PostgreSQL).

Each thread has its own connection, as two `obieg worker` processes would;
a barrier lets them go at once.
"""

import threading

import pytest
from django.db import connection

from obieg.mail.models import OutboxMessage
from obieg.notifications import digests, reminders, services
from obieg.notifications.models import DigestSent, Kind, Notification, Source
from tests.factories import ActivityFactory
from tests.notifications.conftest import at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two connections racing need PostgreSQL"
)

WORKERS = 2


def race(work) -> list:
    """Run `work()` in WORKERS threads released together; their results (or errors)."""
    start = threading.Barrier(WORKERS)
    results: list = []

    def worker():
        try:
            start.wait()
            results.append(work())
        except Exception as error:  # reported by the test, not lost in the thread
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_workers_write_one_digest_for_a_person_and_day(org, sara_account, frozen):
    org.sara.email = "sara@example.com"
    org.sara.save()
    ActivityFactory(
        account=sara_account, owner=org.sara, status="planned", occurs_at=at(2026, 12, 1, 15)
    )

    with frozen(at(2026, 12, 1, 8)):
        results = race(lambda: digests.digest_send(user=org.sara, day=at(2026, 12, 1, 8).date()))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r is None for r in results) == [False, True]  # one wrote it, one found it done
    assert DigestSent.objects.count() == 1
    assert OutboxMessage.objects.filter(to="sara@example.com").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clocks_sending_digests_send_each_once(org, sara_account, frozen):
    for user in (org.sara, org.manager):
        user.email = f"{user.username}@example.com"
        user.save()
        ActivityFactory(
            account=sara_account, owner=user, status="planned", occurs_at=at(2026, 12, 1, 15)
        )

    with frozen(at(2026, 12, 1, 8)):
        results = race(digests.send_due_digests)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert OutboxMessage.objects.count() == 2
    assert DigestSent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_adding_the_same_notification_add_it_once(org):
    def add():
        return services.notifications_add(
            [
                Notification(
                    recipient=org.sara,
                    kind=Kind.OVERDUE,
                    source=Source.WORK_ITEM,
                    source_id=5,
                    key="overdue:work_item:5",
                    title="Call the customer back",
                    url="/work/tasks/5/",
                )
            ]
        )

    results = race(add)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Notification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clocks_running_a_reminder_job_tell_once(org, sara_account, frozen):
    ActivityFactory(
        account=sara_account, owner=org.sara, status="planned", occurs_at=at(2026, 12, 1, 15)
    )

    with frozen(at(2026, 12, 1, 8)):
        results = race(reminders.due_today)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Notification.objects.filter(recipient=org.sara, kind=Kind.DUE_TODAY).count() == 1
