"""Timers re-armed by the new version, sub-processes carried, refused mappings, a lost race."""

from obieg.engine import timers
from obieg.engine.migration import cases as migration
from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import at
from tests.engine.helpers import open_elements, open_item, reload
from tests.engine.migration.conftest import deploy_version, renamed, sample


def _move(org, v1, v2, mapping=None):
    mapping = mapping or {}
    dry = migration.dry_run(actor=org.admin, source=v1, target=v2, mapping=mapping)
    cases = {o.case_id: o.revision for o in dry.outcomes}
    return dry, migration.migrate_cases(
        actor=org.admin, source=v1, target=v2, mapping=mapping, cases=cases
    )


def test_a_waiting_timer_is_armed_again_by_the_new_duration(org, frozen):
    v1 = deploy_version({"timers.bpmn": sample("timers.bpmn")})
    with frozen(at(2026, 3, 2, 10)):
        case = engine.start_case(process="cooling_off", actor=org.sara)
    assert reload(case).next_timer_at == at(2026, 3, 16, 10)
    v2 = deploy_version({"timers.bpmn": sample("timers.bpmn").replace(">P14D<", ">P7D<")})
    with frozen(at(2026, 3, 4, 10)):
        _dry, moved = _move(org, v1, v2)
    assert [o.moved for o in moved] == [True]
    assert reload(case).next_timer_at == at(2026, 3, 11, 10)  # 7 days from the move
    with frozen(at(2026, 3, 11, 10, 0, 1)):
        assert timers.fire_due_timers() == 1
    assert open_elements(case) == ["order_materials"]


def test_an_unchanged_boundary_timer_keeps_its_moment(org, frozen):
    v1 = deploy_version({"boundary.bpmn": sample("boundary.bpmn")})
    with frozen(at(2026, 3, 2, 9)):
        case = engine.start_case(process="offer_follow_up", actor=org.sara)
    v2 = deploy_version(
        {
            "boundary.bpmn": sample("boundary.bpmn").replace(
                "Call the customer", "Phone the customer"
            )
        }
    )
    with frozen(at(2026, 3, 2, 11)):
        _dry, moved = _move(org, v1, v2)
    assert [o.moved for o in moved] == [True]
    case = reload(case)
    assert case.next_timer_at == at(2026, 3, 2, 13)  # armed at the start, not at the move
    assert open_item(case, "call_customer").name == "Phone the customer"


def test_a_task_inside_an_embedded_sub_process_is_carried(org):
    v1 = deploy_version({"subprocess.bpmn": sample("subprocess.bpmn")})
    case = engine.start_case(process="site_audit", actor=org.sara)
    assert open_elements(case) == ["measure_roof"]
    xml = renamed(sample("subprocess.bpmn"), "measure_roof", "measure_site")
    v2 = deploy_version({"subprocess.bpmn": xml})
    dry, moved = _move(org, v1, v2, {"measure_roof": "measure_site"})
    assert [o.moved for o in moved] == [True]
    assert open_elements(case) == ["measure_site"]
    engine.complete(work_item=open_item(case, "measure_site"), actor=org.sara)
    assert open_elements(case) == ["review"]


def test_a_sub_process_the_new_version_lacks_is_refused(org):
    v1 = deploy_version({"subprocess.bpmn": sample("subprocess.bpmn")})
    case = engine.start_case(process="site_audit", actor=org.sara)
    v2 = deploy_version(
        {"subprocess.bpmn": renamed(sample("subprocess.bpmn"), "visit", "site_visit")}
    )
    dry, moved = _move(org, v1, v2)
    assert dry.movable == []
    assert "Waits in Visit the site (visit)" in dry.refused[0].reasons[0]
    assert [o.moved for o in moved] == [False]
    assert reload(case).definition_id == v1.pk


def test_a_task_of_a_removed_element_without_mapping_never_moves(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    case = engine.start_case(process="installation_prep", actor=org.sara)
    v2 = deploy_version(
        {"parallel.bpmn": renamed(sample("parallel.bpmn"), "advance_invoice", "issue")}
    )
    dry, moved = _move(org, v1, v2)
    assert dry.refused[0].reasons == [
        "Waits in Issue the advance invoice (advance_invoice), which version 2 does not have: "
        "map it to one of that version's elements."
    ]
    assert not moved[0].moved
    case = reload(case)
    assert case.definition_id == v1.pk
    assert not case.events.filter(kind=CaseEvent.Kind.MIGRATED).exists()
    assert open_elements(case) == ["advance_invoice", "order_panels"]


def test_a_mapping_onto_an_element_of_another_kind_is_refused(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    case = engine.start_case(process="installation_prep", actor=org.sara)
    v2 = deploy_version(
        {"parallel.bpmn": renamed(sample("parallel.bpmn"), "advance_invoice", "issue")}
    )
    dry, moved = _move(org, v1, v2, {"advance_invoice": "join"})
    assert "an element of another kind (UserTask, not ParallelGateway)" in dry.refused[0].reasons[0]
    assert not moved[0].moved
    assert reload(case).definition_id == v1.pk


def test_a_case_changed_after_the_dry_run_is_not_moved_and_the_others_are(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    first = engine.start_case(process="installation_prep", actor=org.sara)
    second = engine.start_case(process="installation_prep", actor=org.sara)
    v2 = deploy_version(
        {"parallel.bpmn": sample("parallel.bpmn").replace("Both done", "Both ready")}
    )
    dry = migration.dry_run(actor=org.admin, source=v1, target=v2, mapping={})
    seen = {o.case_id: o.revision for o in dry.movable}
    assert set(seen) == {first.pk, second.pk}
    # Someone completes a task of the first case between the dry run and the run.
    engine.complete(work_item=open_item(first, "order_panels"), actor=org.sara)
    moved = migration.migrate_cases(actor=org.admin, source=v1, target=v2, mapping={}, cases=seen)
    by_case = {o.case_id: o for o in moved}
    assert not by_case[first.pk].moved
    assert "changed since the dry run" in by_case[first.pk].reasons[0]
    assert by_case[second.pk].moved
    assert reload(first).definition_id == v1.pk
    assert reload(second).definition_id == v2.pk


def test_only_process_administrators_move_cases(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    v2 = deploy_version(
        {"parallel.bpmn": sample("parallel.bpmn").replace("Both done", "Both ready")}
    )
    import pytest

    from obieg.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        migration.dry_run(actor=org.sara, source=v1, target=v2, mapping={})
