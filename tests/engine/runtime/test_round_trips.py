"""A step's transaction on PostgreSQL: its BEGIN goes with the reads, its COMMIT with the writes.

Two round trips per task completion instead of four, and nothing lost
for it: a write that must change one row is checked by the server before
the COMMIT in the same query, so a lost race still rolls everything back;
hooks waiting for the commit still run; inside a caller's own transaction
(or a test's) the writes never commit it.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, models, transaction

from obieg.engine.models import Case, CaseEvent, CorrelationKey, WorkItem
from obieg.engine.runtime import live, rows
from obieg.engine.runtime import services as engine
from tests.conftest import Org
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item, reload

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-query transaction is PostgreSQL's"
)


@contextmanager
def sent_alone():
    """The commands psycopg sends in a round trip of their own (its BEGIN, its COMMIT)."""
    from psycopg._connection_base import BaseConnection

    commands: list[bytes] = []
    original = BaseConnection._exec_command

    def counted(self, command, *args, **kwargs):
        commands.append(bytes(command) if isinstance(command, bytes | bytearray) else command)
        return original(self, command, *args, **kwargs)

    BaseConnection._exec_command = counted
    try:
        yield commands
    finally:
        BaseConnection._exec_command = original


def queries(captured) -> list[str]:
    """The queries sent (Django also logs BEGIN and COMMIT that travel with them)."""
    return [q["sql"] for q in captured if q["sql"] not in ("BEGIN", "COMMIT", "ROLLBACK")]


def in_another_connection(work):
    """Run `work` in a thread of its own: another connection, committing on its own."""
    outcome: list = []

    def run():
        try:
            outcome.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return outcome[0]


@pytest.fixture
def ten_steps_case():
    live.clear()
    org = Org()
    deploy_samples("ten_steps.bpmn")
    case = engine.start_case(process="ten_steps", actor=org.sara)
    yield org, case
    live.clear()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_completion_is_two_round_trips_and_is_committed(ten_steps_case):
    from django.test.utils import CaptureQueriesContext

    org, case = ten_steps_case
    # The first completion reads Sara's roles (once per request, as her user is loaded).
    engine.complete(work_item=open_item(case, "t1"), actor=org.sara, data={"amount": 5000})
    case = reload(case)
    item = open_item(case, "t2")

    with CaptureQueriesContext(connection) as captured, sent_alone() as alone:
        engine.complete(work_item=item, actor=org.sara, data={})

    assert alone == []  # neither BEGIN nor COMMIT travelled on its own
    sent = queries(captured)
    assert len(sent) == 2
    assert sent[0].startswith("BEGIN;") and sent[1].endswith("COMMIT")
    # Committed for everyone, not only in this connection's view.
    seen = in_another_connection(
        lambda: (
            Case.objects.get(pk=case.pk).revision,
            WorkItem.objects.get(pk=item.pk).status,
            CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TASK_COMPLETED).count(),
        )
    )
    assert seen == (case.revision + 1, "completed", 2)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_completion_that_lost_to_a_committed_claim_writes_nothing(ten_steps_case, monkeypatch):
    org, case = ten_steps_case
    item = open_item(case, "t1")
    original = rows.lock_case_and_read_item

    def read_then_someone_claims(case_id, item_id):
        read = original(case_id, item_id)
        # Tomasz claims the task and commits, after this step read it under the case lock.
        in_another_connection(
            lambda: WorkItem.objects.filter(pk=item_id).update(
                assignee=org.tomasz, revision=models.F("revision") + 1
            )
        )
        return read

    monkeypatch.setattr(rows, "lock_case_and_read_item", read_then_someone_claims)

    with pytest.raises(engine.Conflict, match="Tomasz has it now"):
        engine.complete(work_item=item, actor=org.sara, data={"amount": 5000})

    item.refresh_from_db()
    assert (item.status, item.assignee, item.revision) == ("open", org.tomasz, 1)
    assert reload(case).revision == case.revision  # the case row, state and all, unchanged
    assert not case.events.filter(kind=CaseEvent.Kind.TASK_COMPLETED).exists()
    assert list(WorkItem.objects.filter(case=case).values_list("element_id", flat=True)) == ["t1"]
    # The step's workflow was not kept; the next step (Tomasz's) loads the row and goes on.
    monkeypatch.setattr(rows, "lock_case_and_read_item", original)
    engine.complete(work_item=item, actor=org.tomasz, data={"amount": 5000})
    assert reload(case).revision == case.revision + 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_hooks_waiting_for_the_commit_run_once_it_went_with_the_writes(ten_steps_case):
    _org, case = ten_steps_case
    ran: list[bool] = []

    with sent_alone() as alone, transaction.atomic(durable=True):
        transaction.on_commit(lambda: ran.append(CorrelationKey.objects.filter(case=case).exists()))
        key = CorrelationKey(case_id=case.pk, key="offer:1")
        rows.run_together(
            [rows.insert(CorrelationKey, [key], ("case", "key"), ignore_conflicts=True)],
            ends_transaction=True,
        )

    assert alone == []
    assert ran == [True]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_error_before_the_commit_rolls_back_every_write_of_the_query(ten_steps_case):
    _org, case = ten_steps_case
    key = CorrelationKey(case_id=case.pk, key="offer:1")
    broken = CorrelationKey(case_id=case.pk, key="offer:2")
    broken.case_id = 0  # no such case: the foreign key fails (at the COMMIT, it is deferred)

    with pytest.raises(Exception, match="foreign key"), transaction.atomic(durable=True):
        rows.run_together(
            [
                rows.insert(CorrelationKey, [key], ("case", "key")),
                rows.insert(CorrelationKey, [broken], ("case", "key")),
            ],
            ends_transaction=True,
        )

    assert not CorrelationKey.objects.exists()
    assert Case.objects.filter(pk=case.pk).exists()  # the connection is usable again


@pytest.mark.django_db(transaction=True)
def test_writes_inside_a_callers_transaction_never_commit_it(ten_steps_case):
    _org, case = ten_steps_case

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        with transaction.atomic():
            key = CorrelationKey(case_id=case.pk, key="offer:1")
            rows.run_together(
                [rows.insert(CorrelationKey, [key], ("case", "key"))], ends_transaction=True
            )
        raise Undone  # the caller's transaction fails after the step

    assert not CorrelationKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_write_changing_other_rows_than_expected_is_refused(ten_steps_case):
    _org, case = ten_steps_case
    item = WorkItem.objects.filter(case=case).get()
    stale = rows.update(WorkItem, item.pk, {"revision": item.revision + 5}, name="Renamed")
    event = CaseEvent(case_id=case.pk, kind=CaseEvent.Kind.RETRIED, name="should not stay")
    insert = rows.insert(CaseEvent, [event], ("case", "at", "kind", "element_id", "name", "data"))

    for ends_transaction in (True, False):
        with pytest.raises(rows.RowsChanged) as refused, transaction.atomic(durable=True):
            rows.run_together([insert, stale], expect={1: 1}, ends_transaction=ends_transaction)
        assert (refused.value.index, refused.value.expected, refused.value.changed) == (1, 1, 0)

    assert not CaseEvent.objects.filter(name="should not stay").exists()
    assert WorkItem.objects.get(pk=item.pk).name == item.name
