"""Stock SpiffWorkflow, as a yardstick: what Obieg's engine is measured against.

`bench/engine.py` runs the same model here (stock parser, stock `eval`
script engine, stock serializer with the spec) in memory, saving and
loading the workflow as JSON after every completed task, as an
application using SpiffWorkflow directly would.
"""

from __future__ import annotations

import time

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.util.task import TaskState

from obieg.engine.spiff.serializer import FULL_SERIALIZER


class RawRunner:
    """One model parsed once; `run_case` times each user-task completion (load, run, save)."""

    def __init__(self, bpmn: str, key: str):
        parser = BpmnParser()
        parser.add_bpmn_xml(etree.fromstring(bpmn.encode("utf-8")), filename=f"{key}.bpmn")
        self.spec = parser.get_spec(key)
        self.subprocess_specs = parser.get_subprocess_specs(key)

    def run_case(self, data: dict) -> list[float]:
        """Milliseconds per completion of one case, from start to end."""
        timings = []
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs)
        workflow.do_engine_steps()
        state = FULL_SERIALIZER.serialize_json(workflow)
        while True:
            began = time.perf_counter()
            workflow = FULL_SERIALIZER.deserialize_json(state)
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                break
            task = ready[0]
            task.data.update(data)
            task.run()
            workflow.do_engine_steps()
            state = FULL_SERIALIZER.serialize_json(workflow)
            timings.append((time.perf_counter() - began) * 1000)
        return timings


def completion_times(bpmn: str, key: str, *, cases: int, data: dict) -> list[float]:
    """Milliseconds per user-task completion (run, save, load) over `cases` cases."""
    runner = RawRunner(bpmn, key)
    return [ms for _ in range(cases) for ms in runner.run_case(data)]
