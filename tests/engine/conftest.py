"""Sample processes, test actions and forms, and a frozen clock for the engine tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import translation

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.engine import deploy, registry, spec_cache

DATA = Path(__file__).parent / "data"
WARSAW = ZoneInfo("Europe/Warsaw")


class OfferForm(forms.Form):
    margin = forms.DecimalField(max_digits=6, decimal_places=4)
    note = forms.CharField(required=False)


class ActionLog:
    """Records calls of the test actions; `fail` makes `tests.flaky` raise, `refuse` refuse."""

    def __init__(self):
        self.calls: list[dict] = []
        self.fail = False
        self.refuse = False


ACTIONS = ActionLog()


def record_call(ctx: registry.ActionContext) -> dict:
    ACTIONS.calls.append({"element": ctx.element_id, "case": ctx.case.pk, "data": dict(ctx.data)})
    return {"recorded": True}


def flaky(ctx: registry.ActionContext) -> dict:
    if ACTIONS.fail:
        raise RuntimeError("the mail server is down")
    if ACTIONS.refuse and not ctx.data.get("checked"):
        # A business rule (like "a payment cannot be dated in the future"), on a field.
        message = "Tick the box once the offer is checked."
        raise ApplicationError(message, field_errors={"checked": [message]})
    return {"sent": True}


def notify_customer(ctx: registry.ActionContext) -> None:
    from tests.engine.tasks import send_note

    ctx.enqueue(send_note, ctx.case.pk, "offer ready")
    ctx.add_correlation_key(f"offer:{ctx.data.get('offer_number', 0)}")


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English; the Polish catalogue is checked elsewhere."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def engine_registry():
    """The forms and actions the sample models name; reset after each test."""
    registered = {
        "tests.offer": OfferForm,
    }
    actions = {"tests.record": record_call, "tests.flaky": flaky, "tests.notify": notify_customer}
    for key, form_class in registered.items():
        registry.register_form(key, form_class)
    for name, action in actions.items():
        registry.register_action(name, action)
    ACTIONS.calls.clear()
    ACTIONS.fail = ACTIONS.refuse = False
    yield ACTIONS
    for name in [*registered, *actions]:
        registry.unregister(name)
    spec_cache.clear()


def deploy_samples(*names: str, solution: str = "tests"):
    """Deploy sample files from tests/engine/data; the definitions by key."""
    definitions = deploy.deploy_files([DATA / name for name in names], solution=solution)
    return {definition.key: definition for definition in definitions}


def at(*args: int) -> datetime:
    """A Warsaw moment, for freezing the clock."""
    return datetime(*args, tzinfo=WARSAW)


@pytest.fixture
def frozen():
    """Freeze the engine clock: `with frozen(at(2026, 12, 23, 9)):` (all threads)."""
    return lambda moment: clock.frozen(moment, all_threads=True)
