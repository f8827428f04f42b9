"""A worker waits out a database outage instead of dying (`obieg worker` and `obieg serve`'s)."""

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from obieg.core import worker
from tests.engine.tasks import send_note


@pytest.mark.django_db(transaction=True)
def test_a_worker_waits_out_a_database_outage_and_runs_the_queue(monkeypatch):
    monkeypatch.setattr(worker, "RETRY_FIRST", 0.01)
    queued = send_note.enqueue(1, "after the outage")
    outage = [OperationalError("connection failed: server closed the connection")] * 3
    take_job = DBTaskResultQuerySet.get_locked

    def database_away_for_a_while(queryset):
        if outage:
            raise outage.pop()
        return take_job(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", database_away_for_a_while)

    call_command("worker", "--batch")  # runs what is queued, then exits

    assert outage == []
    assert DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL"
