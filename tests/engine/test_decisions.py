"""Business-rule tasks evaluating DMN tables: UNIQUE and FIRST hit policies."""

from decimal import Decimal

import pytest

from obieg.engine.models import CaseEvent
from obieg.engine.runtime import services as engine
from tests.engine.conftest import deploy_samples
from tests.engine.helpers import reload

FILES = ("decisions.bpmn", "inquiry_department.dmn", "volume_discount.dmn")


def decide(org, **data):
    deploy_samples(*FILES)
    return reload(engine.start_case(process="inquiry_routing", actor=org.manager, data=data))


@pytest.mark.parametrize(
    ("kind", "claim_value", "department"),
    [
        ("road accident", 50000, "road"),
        ("road accident", 100000, "board"),
        ("building damage", 10, "construction"),
        ("flood", 5000, "construction"),
    ],
)
def test_a_unique_table_picks_the_one_matching_rule(org, kind, claim_value, department):
    case = decide(org, kind=kind, claim_value=claim_value, power_kwp=1)
    assert case.data["department"] == department
    event = case.events.get(kind=CaseEvent.Kind.DECISION, element_id="choose_department")
    assert event.data == {"department": department}


def test_a_unique_table_with_two_matching_rules_stops_the_case(org):
    with pytest.raises(engine.StepFailed) as failure:
        decide(org, kind="flood", claim_value=2000000, power_kwp=1)
    assert "UNIQUE decision table: rules 3, 4 all match" in failure.value.message
    assert failure.value.element_id == "choose_department"


@pytest.mark.parametrize(
    ("power", "discount", "reason"),
    [
        (80, "0.10", "large installation"),
        (50, "0.10", "large installation"),
        (12.5, "0.05", "medium installation"),
        (3, "0", "no discount"),
    ],
)
def test_a_first_table_takes_the_first_matching_rule_in_order(org, power, discount, reason):
    case = decide(org, kind="flood", claim_value=1, power_kwp=power)
    assert Decimal(case.data["discount"]) == Decimal(discount)
    assert case.data["discount_reason"] == reason
