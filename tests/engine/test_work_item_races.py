"""Every work-item write is conditional: a lost race is a 409 naming who won, never a mix-up.

The races are made deterministic by letting "someone else" change the row
right after the service read it (as a concurrent request that committed
in between would). That change is rolled back with the refused write's
transaction here, so the tests check what the loser did not do; the
PostgreSQL test at the end races real threads and checks the winners.
"""

import threading

import pytest
from django.db import connection, models

from obieg.engine.models import CaseEvent, WorkItem
from obieg.engine.runtime import claims, rows
from obieg.engine.runtime import services as engine
from tests.conftest import Org
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item


@pytest.fixture
def queued(org, engine_registry):
    """A task waiting, unclaimed, in the salespeople's queue."""
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    return open_item(case, "check_offer")


def someone_else_after_the_read(monkeypatch, module, name, **changes):
    """After `module.name` reads the item, another request changes it (and commits)."""
    original = getattr(module, name)

    def read_then_race(*args, **kwargs):
        result = original(*args, **kwargs)
        item = result[1] if isinstance(result, tuple) else result
        WorkItem.objects.filter(pk=item.pk).update(revision=models.F("revision") + 1, **changes)
        monkeypatch.setattr(module, name, original)  # only the first read races
        return result

    monkeypatch.setattr(module, name, read_then_race)


def test_a_completion_that_lost_to_a_claim_is_refused_naming_who_won(org, queued, monkeypatch):
    someone_else_after_the_read(monkeypatch, rows, "lock_case_and_read_item", assignee=org.tomasz)

    with pytest.raises(engine.Conflict, match="Tomasz has it now"):
        engine.complete(work_item=queued, actor=org.sara, data={"checked": True})

    queued.refresh_from_db()
    assert (queued.status, queued.completed_by) == ("open", None)
    assert not queued.case.events.filter(kind=CaseEvent.Kind.TASK_COMPLETED).exists()


def test_a_claim_that_lost_to_a_completion_is_refused(org, queued, monkeypatch):
    someone_else_after_the_read(
        monkeypatch, claims, "_fresh", status="completed", completed_by=org.tomasz
    )

    with pytest.raises(engine.Conflict, match="already completed by Tomasz"):
        engine.claim(work_item=queued, actor=org.sara)

    assert not queued.case.events.filter(kind=CaseEvent.Kind.CLAIMED).exists()


def test_a_release_that_lost_to_a_completion_is_refused(org, queued, monkeypatch):
    engine.claim(work_item=queued, actor=org.sara)
    someone_else_after_the_read(
        monkeypatch, claims, "_fresh", status="completed", completed_by=org.sara
    )

    with pytest.raises(engine.Conflict, match="already completed by Sara"):
        engine.release(work_item=queued, actor=org.sara)

    assert not queued.case.events.filter(kind=CaseEvent.Kind.RELEASED).exists()


def test_a_reassignment_that_lost_to_another_is_refused(org, queued, monkeypatch):
    engine.claim(work_item=queued, actor=org.sara)
    someone_else_after_the_read(monkeypatch, claims, "_fresh", assignee=org.tomasz)

    with pytest.raises(engine.Conflict, match="Tomasz has it now"):
        engine.reassign(work_item=queued, actor=org.manager, to=org.sara)

    assert not queued.case.events.filter(kind=CaseEvent.Kind.REASSIGNED).exists()


def test_a_stale_revision_is_refused_on_every_write(org, queued):
    engine.claim(work_item=queued, actor=org.sara)  # revision 0 → 1
    with pytest.raises(engine.Conflict, match="Sara has it now"):
        engine.release(work_item=queued, actor=org.sara, revision=0)
    with pytest.raises(engine.Conflict, match="Sara has it now"):
        engine.reassign(work_item=queued, actor=org.manager, to=org.tomasz, revision=0)
    with pytest.raises(engine.Conflict, match="Sara has it now"):
        engine.complete(work_item=queued, actor=org.sara, data={}, revision=0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_claims_and_completions_racing_never_mix_people_up():
    org = Org()
    deploy_samples("service.bpmn")
    from obieg.engine import registry
    from tests.engine.conftest import ACTIONS, flaky

    registry.register_action("tests.flaky", flaky)
    ACTIONS.fail = ACTIONS.refuse = False
    items = [
        open_item(engine.start_case(process="offer_mailing", actor=org.sara), "check_offer")
        for _ in range(15)
    ]
    outcomes: list[str] = []

    def act(user, operation):
        barrier.wait()
        try:
            for item in items:
                try:
                    operation(item, user)
                    outcomes.append("won")
                except engine.Conflict:
                    outcomes.append("409")
        finally:
            connection.close()

    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(
            target=act,
            args=(org.sara, lambda item, user: engine.complete(work_item=item, actor=user)),
        ),
        threading.Thread(
            target=act,
            args=(org.tomasz, lambda item, user: engine.claim(work_item=item, actor=user)),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    registry.unregister("tests.flaky")

    assert len(outcomes) == 2 * len(items)
    for item in items:
        item.refresh_from_db()
        claimed = CaseEvent.objects.filter(case=item.case_id, kind=CaseEvent.Kind.CLAIMED)
        if item.status == "completed":
            # Completed by Sara: nobody else may appear to have claimed it before.
            assert item.completed_by == org.sara == item.assignee
            assert not claimed.exclude(actor=org.sara).exists()
        else:
            assert item.assignee == org.tomasz and claimed.get().actor == org.tomasz
