"""Models using BPMN's events, loops and compensation, as Camunda Modeler 5 and bpmn.io save them.

The actions the models name besides the engine tests' own (`tests.record` …):
`tests.book` books a hotel (and says which), `tests.unbook` cancels it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from obieg.engine import deploy, registry
from tests.engine.camunda.conftest import client_for, worker, worker_account  # noqa: F401
from tests.engine.conftest import ACTIONS

DATA = Path(__file__).parent / "data"


def book(ctx: registry.ActionContext) -> dict:
    ACTIONS.calls.append({"element": ctx.element_id, "case": ctx.case.pk, "data": dict(ctx.data)})
    return {"hotel_booking": f"H-{ctx.case.pk}"}


def unbook(ctx: registry.ActionContext) -> dict:
    ACTIONS.calls.append({"element": ctx.element_id, "case": ctx.case.pk, "data": dict(ctx.data)})
    return {"hotel_cancelled": ctx.data["hotel_booking"]}


@pytest.fixture(autouse=True)
def booking_actions(engine_registry):
    registry.register_action("tests.book", book)
    registry.register_action("tests.unbook", unbook)
    yield engine_registry
    registry.unregister("tests.book")
    registry.unregister("tests.unbook")


def deploy_models(*names: str | Path):
    """Deploy sample files together; the report (definitions, refusals, warnings)."""
    return deploy.deploy_report([DATA / n if isinstance(n, str) else n for n in names])


def deployed(*names: str):
    """Deploy sample files that must deploy; the definitions by key."""
    report = deploy_models(*names)
    assert not report.refused, [f.line() for f in report.findings.refusals]
    return {definition.key: definition for definition in report.definitions}


def refusals(path: Path) -> list[str]:
    return [finding.line() for finding in deploy_models(path).findings.refusals]


def calls_of(element_id: str) -> list[dict]:
    return [call for call in ACTIONS.calls if call["element"] == element_id]
