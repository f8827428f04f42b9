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


def completion_times(bpmn: str, key: str, *, cases: int, data: dict) -> list[float]:
    """Milliseconds per user-task completion (run, save, load) over `cases` cases."""
    parser = BpmnParser()
    parser.add_bpmn_xml(etree.fromstring(bpmn.encode("utf-8")), filename=f"{key}.bpmn")
    spec, subprocess_specs = parser.get_spec(key), parser.get_subprocess_specs(key)
    timings = []
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subprocess_specs)
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
