"""What the case page and the process list read: live diagram, versions, visibility."""

from obieg.engine.runtime import services as engine
from obieg.engine.selectors import case_diagram, latest_definitions, visible_cases
from tests.engine.conftest import DATA, deploy_samples
from tests.engine.helpers import open_item, reload


def test_the_live_diagram_marks_done_active_and_failed_elements(org, engine_registry):
    deploy_samples("service.bpmn")
    case = engine.start_case(process="offer_mailing", actor=org.sara)
    diagram = case_diagram(reload(case))
    assert diagram.bpmn == (DATA / "service.bpmn").read_text()
    assert diagram.element_states == {"start": "completed", "check_offer": "active"}

    engine_registry.fail = True
    try:
        engine.complete(work_item=open_item(case, "check_offer"), actor=org.sara)
    except engine.StepFailed:
        pass
    assert case_diagram(reload(case)).element_states["mail_offer"] == "failed"


def test_new_cases_see_only_the_latest_version_of_each_process(db, tmp_path):
    deploy_samples("approval.bpmn", "parallel.bpmn")
    changed = tmp_path / "parallel.bpmn"
    changed.write_text((DATA / "parallel.bpmn").read_text().replace("Order the panels", "Order"))
    deploy_samples(str(changed))
    # Solutions deploy their own processes at migrate; only the samples matter here.
    latest = {(d.key, d.version) for d in latest_definitions() if d.solution == "tests"}
    assert latest == {("offer_approval", 1), ("installation_prep", 2)}


def test_cases_are_visible_to_their_owner_the_team_manager_and_admins(org):
    deploy_samples("approval.bpmn")
    case = engine.start_case(process="offer_approval", actor=org.sara)
    assert case in visible_cases(org.sara)
    assert case in visible_cases(org.manager)
    assert case in visible_cases(org.admin)
    assert case not in visible_cases(org.olga)


def test_the_ten_step_benchmark_process_runs_to_its_end(org):
    deploy_samples("ten_steps.bpmn")
    case = engine.start_case(process="ten_steps", actor=org.sara)
    done = []
    while (item := case.work_items.filter(status="open").order_by("id").first()) is not None:
        engine.complete(work_item=item, actor=org.sara, data={"amount": 5000})
        done.append(item.element_id)
    assert sorted(done) == sorted(f"t{n}" for n in range(1, 11))
    assert reload(case).status == "completed"
