"""`obieg deploy [--check] FILE…`: every refusal and warning at once; exit 1 only on a refusal."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from obieg.engine.models import ProcessDefinition
from tests.engine.camunda.conftest import DATA, model

C8 = [str(DATA / "c8_order.bpmn"), str(DATA / "c8_shipping.bpmn")]


def run(*args):
    """(exit code, stdout, stderr) of `obieg deploy …`."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("deploy", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_check_prints_warnings_and_deploys_nothing(db):
    code, out, _err = run("--check", *C8)
    assert code == 0
    assert (
        "c8_order.bpmn: handleReturn (Handle complaint): warning: candidate group "
        "'customer-care' matches no role" in out
    )
    assert "c8_order.bpmn: can be deployed" in out
    assert not ProcessDefinition.objects.filter(key__in=["c8_order", "c8_shipping"]).exists()


def test_deploy_stores_the_versions_with_their_warnings(db):
    code, out, _err = run(*C8)
    assert code == 0
    assert "c8_order.bpmn: process c8_order version 1" in out
    definition = ProcessDefinition.objects.get(key="c8_order")
    assert any("customer-care" in line for line in definition.warnings)
    # Deploying the same files again changes nothing.
    assert "c8_order.bpmn: process c8_order version 1" in run(*C8)[1]


def test_a_refused_file_exits_1_and_every_problem_is_printed(db, tmp_path):
    refused = model(
        tmp_path,
        "c8_shipping.bpmn",
        (
            '<bpmn:userTask id="packParcel"',
            '<bpmn:scriptTask id="weigh" name="Weigh" /><bpmn:userTask id="packParcel"',
        ),
    )
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<bpmn:definitions")
    code, out, err = run(str(DATA / "c8_order.bpmn"), str(refused), str(broken))
    assert code == 1
    assert "c8_shipping.bpmn: weigh (Weigh): script tasks are not allowed" in err
    assert "broken.bpmn: -: not well-formed XML" in err
    assert "c8_order.bpmn: chargeCard (Charge credit card): warning: job type" in out
    assert "Nothing deployed" in err
    assert not ProcessDefinition.objects.filter(key="c8_order").exists()


def test_a_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("deploy", str(tmp_path / "nope.bpmn"))
