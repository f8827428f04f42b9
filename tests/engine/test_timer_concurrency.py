"""Exactly-once timers: several workers fire the same due timers at once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from obieg.engine import timers
from obieg.engine.models import Case, CaseEvent
from obieg.engine.runtime import services as engine
from tests.conftest import Org
from tests.engine.conftest import at, deploy_samples

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks with SKIP LOCKED need PostgreSQL"
)

CASES = 40
WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_each_due_timer_fires_once_with_many_workers(frozen):
    org = Org()
    deploy_samples("timers.bpmn")
    with frozen(at(2026, 3, 2, 10)):
        for _ in range(CASES):
            engine.start_case(process="cooling_off", actor=org.sara)

    fired: list[int] = []
    start = threading.Barrier(WORKERS)

    def worker():
        try:
            start.wait()
            fired.append(timers.fire_due_timers())
        finally:
            connection.close()

    with frozen(at(2026, 3, 16, 10, 0, 1)):
        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert sum(fired) == CASES
    assert len([count for count in fired if count]) > 1, "the workers should have shared the work"
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.TIMER_FIRED)
    assert events.count() == CASES
    assert set(events.values_list("case_id", flat=True)) == set(
        Case.objects.values_list("pk", flat=True)
    )
    assert not Case.objects.exclude(status="running").exists()
