"""Business-rule tasks in FEEL: several decisions per file, requirements, PRIORITY and
COLLECT tables, a FEEL gateway; and the tables of versions deployed before FEEL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from obieg.engine import deploy
from obieg.engine.models import ProcessDefinition, WorkItem
from obieg.engine.runtime import services as engine
from tests.engine.conftest import DATA, deploy_samples
from tests.engine.helpers import reload

FEEL = DATA / "feel"


def start(org, **data):
    deploy.deploy_files([FEEL / "credit.bpmn", FEEL / "credit.dmn"], solution="tests")
    return reload(engine.start_case(process="credit", actor=org.manager, data=data))


def open_task(case) -> str:
    return WorkItem.objects.get(case=case, status="open").element_id


@pytest.mark.parametrize(
    ("amount", "since", "approver", "task"),
    [
        (1500, "2020-05-01", "board", "board"),  # over 1000: high
        (500, "2020-05-01", "head", "head"),  # [250..1000]: medium
        (100, "2025-06-01", "board", "board"),  # a new customer: high
        (100, "2020-05-01", "head", "head"),  # low
    ],
)
def test_a_decision_uses_another_decisions_result(org, amount, since, approver, task):
    case = start(org, amount=amount, customer_since=since, services="audit")
    assert case.data["approver"] == approver
    assert Decimal(case.data["fee"]) == Decimal("100.50")  # COLLECT SUM of one matching rule
    assert open_task(case) == task


def test_collect_sums_every_matching_rule_exactly(org):
    case = start(org, amount=1500, customer_since="2020-05-01", services="design")
    assert Decimal(case.data["fee"]) == Decimal("120.50")  # "design" matches both rules
    assert open_task(case) == "board"


def test_a_version_deployed_before_feel_keeps_its_python_tables(org, tmp_path):
    old = (
        (DATA / "volume_discount.dmn")
        .read_text()
        .replace("<text>0.10</text>", '<text>Decimal("0.10")</text>')
    )
    assert 'Decimal("0.10")' in old
    for name in ("decisions.bpmn", "inquiry_department.dmn"):
        (tmp_path / name).write_text((DATA / name).read_text())
    (tmp_path / "volume_discount.dmn").write_text(old)
    # Deployed today this table would not be FEEL; mark it as the migration marks old versions.
    definition = deploy_samples("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn")
    version = definition["inquiry_routing"]
    version.sources = {**version.sources, "volume_discount.dmn": old}
    version.checksum = "before-feel"
    version.python_decisions = True
    version.save()
    case = reload(
        engine.start_case(
            process="inquiry_routing", actor=org.manager,
            data={"kind": "flood", "claim_value": 1, "power_kwp": 80},
        )
    )  # fmt: skip
    assert ProcessDefinition.objects.get(pk=case.definition_id).python_decisions
    assert Decimal(case.data["discount"]) == Decimal("0.10")
