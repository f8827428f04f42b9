"""A case's workflow is kept in memory between its steps, and never stands in for another state.

The next step of a case takes the workflow its last step ended with, instead
of loading the saved state, only while the case row holds exactly the state
that workflow was saved as. A case moved on by another process (or a
transaction this process did not see commit), and a step that failed, must
always be loaded from the row.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from obieg.engine.errors import StepFailed
from obieg.engine.migration import cases as migration
from obieg.engine.models import WorkItem
from obieg.engine.runtime import live
from obieg.engine.runtime import services as engine
from obieg.engine.spiff import instance as spiff_instance
from tests.conftest import Org
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import event_kinds, open_elements, open_item, reload


@pytest.fixture
def loads(monkeypatch) -> list[int]:
    """Every load of a saved state from a case row (a step that could not reuse a workflow)."""
    calls: list[int] = []
    original = spiff_instance.load_state

    def counted(state, spec, subprocess_specs):
        calls.append(len(state))
        return original(state, spec, subprocess_specs)

    monkeypatch.setattr(spiff_instance, "load_state", counted)
    return calls


@pytest.fixture
def ten_steps(org):
    live.clear()
    deploy_samples("ten_steps.bpmn")
    yield engine.start_case(process="ten_steps", actor=org.sara)
    live.clear()


def complete(org, case, element_id: str, **data):
    return engine.complete(work_item=open_item(case, element_id), actor=org.sara, data=data)


def test_the_next_step_takes_the_workflow_the_last_one_kept(org, ten_steps, loads):
    complete(org, ten_steps, "t1", amount=5000)
    complete(org, ten_steps, "t2")
    complete(org, ten_steps, "t3")

    assert loads == []  # each step after the start took its workflow from memory
    assert open_elements(ten_steps) == ["t4", "t5"]
    assert live.size() >= 1


def test_a_case_another_process_moved_on_is_loaded_from_its_row(org, ten_steps, loads):
    complete(org, ten_steps, "t1", amount=5000)
    as_we_left_it = reload(ten_steps)
    ours = live.take(as_we_left_it)
    assert ours is not None
    # Another process (with nothing kept) completes "t2" and commits; this process still
    # holds the workflow from before, waiting at t2.
    complete(org, ten_steps, "t2")
    assert len(loads) == 1
    live.forget(ten_steps.pk)
    live.keep(
        as_we_left_it,
        ours.workflow,
        open_tasks=ours.open_tasks,
        external_ids=set(ours.external_ids),
    )

    complete(org, ten_steps, "t3")

    assert len(loads) == 2  # the stale workflow was not used
    assert open_elements(ten_steps) == ["t4", "t5"]
    completed = [element for kind, element in event_kinds(ten_steps) if kind == "task_completed"]
    assert completed == ["t1", "t2", "t3"]


def test_a_kept_workflow_whose_state_differs_is_not_used_even_at_the_same_revision(
    org, ten_steps, loads
):
    complete(org, ten_steps, "t1", amount=5000)
    as_we_left_it = reload(ten_steps)
    ours = live.take(as_we_left_it)
    assert ours is not None
    complete(org, ten_steps, "t2")
    now = reload(ten_steps)
    # A writer that changed the state without moving the revision on (it must not exist,
    # but the check does not rely on it): same revision, another state.
    as_we_left_it.revision = now.revision
    live.keep(
        as_we_left_it,
        ours.workflow,
        open_tasks=ours.open_tasks,
        external_ids=set(ours.external_ids),
    )

    complete(org, ten_steps, "t3")

    assert len(loads) == 2
    assert open_elements(ten_steps) == ["t4", "t5"]


def test_a_failed_step_leaves_no_workflow_behind(org, engine_registry, loads):
    live.clear()
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    engine_registry.fail = True

    with pytest.raises(StepFailed):
        engine.complete(work_item=open_item(case, "check_offer"), actor=org.sara, data={})

    # The step completed "check_offer" in memory before its action failed: that workflow
    # is gone with the rolled-back transaction.
    assert live.take(reload(case)) is None
    engine_registry.fail = False
    engine.retry_case(case=reload(case), actor=org.admin)
    assert open_elements(case) == ["follow_up"]


def test_a_refused_step_is_retried_on_the_state_as_saved(org, engine_registry, loads):
    live.clear()
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    engine_registry.refuse = True
    item = open_item(case, "check_offer")

    with pytest.raises(engine.ApplicationError):
        engine.complete(work_item=item, actor=org.sara, data={})

    loads_before = len(loads)
    engine.complete(work_item=item, actor=org.sara, data={"checked": True})

    assert len(loads) == loads_before + 1  # loaded again: the refused step kept nothing
    assert open_elements(case) == ["follow_up"]
    assert [e for k, e in event_kinds(case) if k == "task_completed"] == ["check_offer"]


def test_a_case_another_process_moved_to_a_new_version_is_loaded_from_its_row(org, loads):
    from tests.engine.migration.conftest import deploy_version, renamed, sample

    live.clear()
    v1 = deploy_version({"ten_steps.bpmn": sample("ten_steps.bpmn")})
    case = engine.start_case(process="ten_steps", actor=org.sara)
    complete(org, case, "t1", amount=5000)
    as_we_left_it = reload(case)
    ours = live.take(as_we_left_it)  # version 1's workflow, waiting at t2
    assert ours is not None
    v2 = deploy_version({"ten_steps.bpmn": renamed(sample("ten_steps.bpmn"), "t2", "t2b")})
    mapping = {"t2": "t2b"}
    dry = migration.dry_run(actor=org.admin, source=v1, target=v2, mapping=mapping)
    # An administrator's process moves the case to version 2 and commits.
    moved = migration.migrate_cases(
        actor=org.admin,
        source=v1,
        target=v2,
        mapping=mapping,
        cases={o.case_id: o.revision for o in dry.movable},
    )
    assert [o.moved for o in moved] == [True]
    # This process still holds version 1's workflow.
    live.forget(case.pk)
    live.keep(as_we_left_it, ours.workflow, open_tasks=ours.open_tasks, external_ids=set())
    loads_before = len(loads)

    complete(org, case, "t2b")

    assert len(loads) == loads_before + 1  # version 2's state, read from the row
    assert reload(case).definition_id == v2.pk
    assert open_elements(case) == ["t3", "t5"]
    live.clear()


def test_the_workflow_a_migration_kept_is_version_2s(org):
    from tests.engine.migration.conftest import deploy_version, renamed, sample

    live.clear()
    v1 = deploy_version({"ten_steps.bpmn": sample("ten_steps.bpmn")})
    case = engine.start_case(process="ten_steps", actor=org.sara)
    complete(org, case, "t1", amount=5000)
    v2 = deploy_version({"ten_steps.bpmn": renamed(sample("ten_steps.bpmn"), "t2", "t2b")})
    dry = migration.dry_run(actor=org.admin, source=v1, target=v2, mapping={"t2": "t2b"})
    migration.migrate_cases(
        actor=org.admin,
        source=v1,
        target=v2,
        mapping={"t2": "t2b"},
        cases={o.case_id: o.revision for o in dry.movable},
    )

    complete(org, case, "t2b")  # in this process: the migration's own workflow serves

    assert open_elements(case) == ["t3", "t5"]
    live.clear()


def test_a_case_an_administrator_moved_back_runs_on_from_where_it_was_put(org, ten_steps):
    complete(org, ten_steps, "t1", amount=5000)
    complete(org, ten_steps, "t2")
    back_to = next(
        point["id"]
        for point in engine.return_points(reload(ten_steps))
        if point["element_id"] == "t2"
    )

    engine.move_case_back(case=ten_steps, actor=org.admin, task_id=back_to, reason="typo")
    complete(org, ten_steps, "t2")

    assert open_elements(ten_steps) == ["t3", "t5"]
    completed = [element for kind, element in event_kinds(ten_steps) if kind == "task_completed"]
    assert completed == ["t1", "t2", "t2"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_parallel_branches_completed_at_once_never_lose_a_step():
    """Two people finish the two branches of many cases at the same moment, in one process."""
    live.clear()
    org = Org()
    deploy_samples("ten_steps.bpmn")
    cases = []
    for _ in range(12):
        case = engine.start_case(process="ten_steps", actor=org.sara)
        complete(org, case, "t1", amount=10)  # small: no review, straight to the split
        cases.append(case)
    errors: list[BaseException] = []

    def finish(element_ids):
        barrier.wait()
        try:
            for case in cases:
                for element_id in element_ids:
                    item = WorkItem.objects.get(case=case, element_id=element_id, status="open")
                    engine.complete(work_item=item, actor=org.sara, data={})
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    barrier = threading.Barrier(2)
    threads = [
        threading.Thread(target=finish, args=(["t3", "t4"],)),
        threading.Thread(target=finish, args=(["t5", "t6"],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    for case in cases:
        # Both branches done, the join passed once: exactly one "t7" waits.
        assert open_elements(case) == ["t7"]
        completed = Counter(e for k, e in event_kinds(case) if k == "task_completed")
        assert completed == Counter(["t1", "t3", "t4", "t5", "t6"])
    live.clear()
