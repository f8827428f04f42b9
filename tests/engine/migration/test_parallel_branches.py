"""Tokens in parallel branches move to the new version: the mapped one, and the join waiting."""

from obieg.engine.migration import cases as migration
from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.helpers import open_elements, open_item, reload
from tests.engine.migration.conftest import deploy_version, renamed, sample


def _version_2():
    """The advance invoice task renamed, the crew scheduled by a salesperson."""
    xml = renamed(sample("parallel.bpmn"), "advance_invoice", "issue_advance").replace(
        'name="Schedule the crew" obieg:role="sales_manager"',
        'name="Plan the crew" obieg:role="salesperson"',
    )
    return deploy_version({"parallel.bpmn": xml})


def test_a_token_in_a_renamed_branch_lands_on_the_mapped_task_and_the_join_still_waits(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    case = engine.start_case(process="installation_prep", actor=org.sara)
    engine.complete(work_item=open_item(case, "order_panels"), actor=org.sara)
    v2 = _version_2()
    old_item = open_item(case, "advance_invoice")
    mapping = {"advance_invoice": "issue_advance"}

    rows = migration.mapping_rows(v1, v2)
    assert [(row.element_id, row.suggestion) for row in rows] == [
        ("advance_invoice", "issue_advance")
    ]
    dry = migration.dry_run(actor=org.admin, source=v1, target=v2, mapping=mapping)
    assert [o.case_id for o in dry.movable] == [case.pk]
    landings = {(land.from_id, land.to_id) for land in dry.movable[0].landings}
    assert ("advance_invoice", "issue_advance") in landings
    assert ("join", "join") in landings
    assert reload(case).definition_id == v1.pk  # a dry run writes nothing

    moved = migration.migrate_cases(
        actor=org.admin,
        source=v1,
        target=v2,
        mapping=mapping,
        cases={case.pk: dry.outcomes[0].revision},
    )
    assert [o.moved for o in moved] == [True]
    case = reload(case)
    assert case.definition_id == v2.pk
    assert open_elements(case) == ["issue_advance"]
    old_item.refresh_from_db()
    assert old_item.status == "cancelled"
    event = case.events.get(kind=CaseEvent.Kind.MIGRATED)
    assert (event.actor, event.data["from_version"], event.data["to_version"]) == (org.admin, 1, 2)

    # The case runs on by version 2: the join fires, the renamed next step opens.
    engine.complete(work_item=open_item(case, "issue_advance"), actor=org.accountant)
    schedule = open_item(reload(case), "schedule")
    assert (schedule.name, schedule.candidate_group) == ("Plan the crew", "salesperson")


def test_an_unchanged_waiting_task_keeps_its_work_item_and_its_person(org):
    v1 = deploy_version({"parallel.bpmn": sample("parallel.bpmn")})
    case = engine.start_case(process="installation_prep", actor=org.sara)
    panels = open_item(case, "order_panels")
    engine.claim(work_item=panels, actor=org.sara)
    v2 = _version_2()
    dry = migration.dry_run(
        actor=org.admin, source=v1, target=v2, mapping={"advance_invoice": "issue_advance"}
    )
    migration.migrate_cases(
        actor=org.admin,
        source=v1,
        target=v2,
        mapping={"advance_invoice": "issue_advance"},
        cases={o.case_id: o.revision for o in dry.movable},
    )
    case = reload(case)
    assert open_elements(case) == ["issue_advance", "order_panels"]
    assert open_item(case, "order_panels").pk == panels.pk
    assert open_item(case, "order_panels").assignee == org.sara
