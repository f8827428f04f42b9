"""The worker's clock fires timers and marks overdue tasks; starting a worker deploys models."""

from obieg.core import worker
from obieg.engine import deploy, timers
from obieg.engine.runtime import services as engine
from tests.engine.conftest import at, deploy_samples
from tests.engine.helpers import open_elements


def test_the_engine_registers_its_clock_and_its_deploy_with_every_worker():
    assert timers.tick in worker._tick_jobs
    assert deploy.deploy_all in worker._start_hooks


def test_a_clock_tick_fires_due_timers(org, frozen):
    deploy_samples("timers.bpmn")
    with frozen(at(2026, 3, 2, 10)):
        case = engine.start_case(process="cooling_off", actor=org.sara)
    with frozen(at(2026, 3, 17, 8)):
        worker.tick()
    assert open_elements(case) == ["order_materials"]


def test_a_failing_clock_job_does_not_stop_the_others(monkeypatch):
    ran = []

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(worker, "_tick_jobs", [broken, lambda: ran.append(1)])
    worker.tick()
    assert ran == [1]
