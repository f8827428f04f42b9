"""Models that are refused at deploy, with file, element and reason; nothing half-deployed."""

import pytest

from obieg.engine import deploy
from obieg.engine.errors import DeployError
from obieg.engine.models import ProcessDefinition
from tests.engine.conftest import DATA

REFUSED = DATA / "refused"


def refusal(*paths) -> str:
    with pytest.raises(DeployError) as caught:
        deploy.deploy_files(paths)
    return "\n".join(caught.value.problems)


def test_a_file_that_is_not_xml_is_refused(db):
    assert "not_xml.bpmn: -: not well-formed XML" in refusal(REFUSED / "not_xml.bpmn")


def test_an_unknown_action_is_refused_naming_file_and_element(db):
    message = refusal(REFUSED / "unknown_action.bpmn")
    assert "unknown_action.bpmn: launch: unknown action 'tests.no_such_action'" in message


def test_an_unsafe_gateway_condition_is_refused(db):
    message = refusal(REFUSED / "unsafe_condition.bpmn")
    assert "unsafe_condition.bpmn: flow_evil: unsafe expression" in message
    assert "__import__" in message


def test_a_script_task_is_refused(db):
    message = refusal(REFUSED / "script_task.bpmn")
    assert "script_task.bpmn: compute: script tasks are not allowed" in message


def test_nothing_is_deployed_when_one_file_of_many_is_refused(db):
    before = set(ProcessDefinition.objects.values_list("pk", flat=True))  # solutions' own
    refusal(DATA / "approval.bpmn", DATA / "parallel.bpmn", REFUSED / "script_task.bpmn")
    assert set(ProcessDefinition.objects.values_list("pk", flat=True)) == before


def test_every_problem_is_reported_at_once(db):
    message = refusal(REFUSED / "script_task.bpmn", REFUSED / "unknown_action.bpmn")
    assert "compute" in message and "launch" in message


def _variant(tmp_path, source: str, old: str, new: str):
    text = (DATA / source).read_text()
    assert old in text
    path = tmp_path / source
    path.write_text(text.replace(old, new))
    return path


def test_an_unknown_form_is_refused(db, tmp_path):
    path = _variant(
        tmp_path, "approval.bpmn", 'obieg:form="tests.offer"', 'obieg:form="tests.nope"'
    )
    assert "approval.bpmn: prepare_offer: unknown form 'tests.nope'" in refusal(path)


def test_an_unsafe_timer_expression_is_refused(db, tmp_path):
    path = _variant(tmp_path, "timers.bpmn", ">P14D<", ">().__class__<")
    assert "timers.bpmn: wait_14_days: timer:" in refusal(path)


def test_an_unsafe_assignee_expression_is_refused(db, tmp_path):
    path = _variant(
        tmp_path, "approval.bpmn", 'obieg:assignee="case_owner"', 'obieg:assignee="[u for u in x]"'
    )
    assert "approval.bpmn: send_offer: assignee: unsafe expression" in refusal(path)


def test_an_unsafe_decision_table_entry_is_refused(db, tmp_path):
    for name in ("decisions.bpmn", "inquiry_department.dmn"):
        (tmp_path / name).write_text((DATA / name).read_text())
    path = _variant(tmp_path, "volume_discount.dmn", "<text>0.10</text>", "<text>0.10 +</text>")
    message = refusal(tmp_path / "decisions.bpmn", tmp_path / "inquiry_department.dmn", path)
    assert "volume_discount.dmn: volume_discount" in message
    assert "unexpected end of expression in '0.10 +'" in message


def test_an_unknown_hit_policy_is_refused(db, tmp_path):
    path = _variant(tmp_path, "volume_discount.dmn", 'hitPolicy="FIRST"', 'hitPolicy="SOMETIMES"')
    assert "unknown hit policy 'SOMETIMES'" in refusal(path)


def test_a_user_task_nobody_would_get_is_refused(db, tmp_path):
    path = _variant(tmp_path, "routing.bpmn", 'name="accountant"', 'name="Accounts"')
    message = refusal(path)
    assert "routing.bpmn: invoice: nobody would get this task (lane 'Accounts')" in message


def test_a_missing_decision_is_refused(db):
    message = refusal(DATA / "decisions.bpmn")
    assert "no DMN decision with id 'inquiry_department'" in message
