"""Claiming, releasing, completing, stale forms, already-done tasks, reassigning, cancelling."""

import pytest

from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from obieg.engine.selectors import case_history, inbox
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import open_item, reload


@pytest.fixture
def case(org):
    deploy_samples("approval.bpmn")
    return engine.start_case(process="offer_approval", actor=org.sara, title="PV 8 kWp for Nowak")


def test_a_claimed_task_leaves_the_group_queue(org, case):
    item = open_item(case, "prepare_offer")
    assert item in inbox(org.tomasz) and item in inbox(org.sara)
    claimed = engine.claim(work_item=item, actor=org.sara)
    assert (claimed.assignee, claimed.revision) == (org.sara, 1)
    assert item not in inbox(org.tomasz)
    with pytest.raises(engine.Conflict, match="Sara has already taken this task"):
        engine.claim(work_item=item, actor=org.tomasz)
    # Taken from Tomasz's own queue: a lost race, said as one (409), not a 403.
    with pytest.raises(engine.Conflict, match="Sara has already taken this task"):
        engine.complete(work_item=item, actor=org.tomasz, data={"margin": "0.2"})


def test_someone_outside_the_group_cannot_claim(org, case):
    with pytest.raises(engine.PermissionDenied):
        engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.designer)


def test_a_released_task_returns_to_the_queue(org, case):
    item = engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.sara)
    released = engine.release(work_item=item, actor=org.sara)
    assert released.assignee is None
    assert released in inbox(org.tomasz)


def test_a_form_rendered_before_a_claim_is_stale(org, case):
    item = open_item(case, "prepare_offer")
    opened_at_revision = item.revision
    engine.claim(work_item=item, actor=org.sara)
    with pytest.raises(engine.Conflict, match="Reload it"):
        engine.complete(
            work_item=item, actor=org.sara, data={"margin": "0.2"}, revision=opened_at_revision
        )


def test_a_task_already_done_names_who_did_it(org, case):
    item = open_item(case, "prepare_offer")
    engine.complete(work_item=item, actor=org.tomasz, data={"margin": "0.2"})
    with pytest.raises(engine.Conflict, match="already completed by Tomasz"):
        engine.complete(work_item=item, actor=org.sara, data={"margin": "0.3"})
    with pytest.raises(engine.Conflict, match="already completed by Tomasz"):
        engine.claim(work_item=item, actor=org.sara)


def test_bad_form_data_changes_nothing(org, case):
    item = open_item(case, "prepare_offer")
    with pytest.raises(engine.ApplicationError) as error:
        engine.complete(work_item=item, actor=org.sara, data={"margin": "a lot"})
    assert "margin" in error.value.field_errors
    item.refresh_from_db()
    assert item.status == "open"
    assert reload(case).revision == case.revision


def test_a_manager_reassigns_a_task_to_a_team_member(org, case):
    item = engine.claim(work_item=open_item(case, "prepare_offer"), actor=org.sara)
    with pytest.raises(engine.PermissionDenied):
        engine.reassign(work_item=item, actor=org.tomasz, to=org.tomasz)
    moved = engine.reassign(work_item=item, actor=org.manager, to=org.tomasz)
    assert moved.assignee == org.tomasz
    assert moved in inbox(org.tomasz) and moved not in inbox(org.sara)
    event = case.events.get(kind=CaseEvent.Kind.REASSIGNED)
    assert (event.actor, event.data) == (org.manager, {"from": "Sara", "to": "Tomasz"})


def test_a_cancelled_case_needs_a_reason_and_empties_the_inboxes(org, case):
    with pytest.raises(engine.ApplicationError) as error:
        engine.cancel_case(case=case, actor=org.sara, reason=" ")
    assert "reason" in error.value.field_errors
    with pytest.raises(engine.PermissionDenied):
        engine.cancel_case(case=case, actor=org.olga, reason="not mine")

    engine.cancel_case(case=case, actor=org.sara, reason="The customer withdrew.")

    case = reload(case)
    assert (case.status, case.cancel_reason) == ("cancelled", "The customer withdrew.")
    assert inbox(org.sara) == []
    item = case.work_items.get()
    assert item.status == "cancelled"
    with pytest.raises(engine.Conflict, match="cancelled"):
        engine.complete(work_item=item, actor=org.sara, data={"margin": "0.2"})
    event = case.events.get(kind=CaseEvent.Kind.CANCELLED)
    assert (event.actor, event.data) == (org.sara, {"reason": "The customer withdrew."})


def test_the_history_says_who_did_what_with_which_data(org, case):
    engine.complete(
        work_item=open_item(case, "prepare_offer"), actor=org.tomasz, data={"margin": "0.2"}
    )
    history = [(e.kind, e.element_id, e.actor) for e in case_history(case)]
    assert history == [
        ("started", "", org.sara),
        ("task_completed", "prepare_offer", org.tomasz),
        ("gateway", "margin_check", org.tomasz),
    ]
    completed = case.events.get(kind=CaseEvent.Kind.TASK_COMPLETED)
    assert completed.data == {"margin": "0.2", "note": ""}
