"""A case started on an older version of the PV process is still answered by the customer.

The version before the customer could ask for changes waits for the message
`contract_accepted`; the current one for `contract_answered`. Running cases
stay on their version, so the customer's acceptance must reach both.
"""

from pathlib import Path

import pytest

from obieg.core.errors import ApplicationError
from obieg.engine import deploy
from obieg.engine.runtime import services as engine
from obieg.solutions.pv_installation import services
from obieg.solutions.pv_installation.services import LEGACY_CONTRACT_MESSAGE
from tests.solutions.pv_installation.helpers import case_of, new_project, reload, to_contract_sent

HERE = Path(__file__).parent
PROCESSES = Path(services.__file__).parent / "processes"


@pytest.fixture
def on_the_older_version(org):
    older = HERE / "data" / "pv_installation_before_contract_changes.bpmn"
    deploy.deploy_files([older, PROCESSES / "vat_rate.dmn"], solution="pv_installation")
    project = to_contract_sent(org, new_project(org))
    # The current model is deployed again: new cases start on it, this one stays.
    deploy.deploy_files(
        [PROCESSES / "pv_installation.bpmn", PROCESSES / "vat_rate.dmn"],
        solution="pv_installation",
    )
    assert LEGACY_CONTRACT_MESSAGE in engine.waiting_messages(case_of(project))
    return project


def test_the_customer_accepts_a_contract_of_a_case_on_the_older_version(on_the_older_version):
    project = on_the_older_version
    services.customer_accept_contract(project=project, contract_id=project.contract_id)

    project = reload(project)
    assert project.contract.status == "signed"
    assert project.advance_invoice is not None  # the case moved on: it is not stuck
    assert case_of(project).status == "running"


def test_changes_on_the_older_version_are_asked_of_the_salesperson(on_the_older_version):
    project = on_the_older_version
    with pytest.raises(ApplicationError, match="ask your salesperson"):
        services.customer_answer_contract(
            project=project, contract_id=project.contract_id, accept=False, comment="Inna data"
        )
    assert reload(project).contract.status == "sent"  # nothing changed
