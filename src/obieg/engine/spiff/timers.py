"""Timer events that read the engine's clock and the safe evaluator.

SpiffWorkflow's own timers read the wall clock and `eval` their
expression; these read `obieg.core.clock` (so tests move time) and
resolve the expression with `moments.resolve` (an ISO literal such as
`PT4H`, or a safe expression such as `business_days(3)`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState

from obieg.core import clock
from obieg.engine import moments


def _names(my_task) -> dict:
    return my_task.workflow.script_engine.names_for(my_task)


def _fire_if_due(my_task) -> bool:
    due = datetime.fromisoformat(my_task._get_internal_data("event_value"))
    if due <= clock.now():
        my_task._set_internal_data(event_fired=True)
    return my_task._get_internal_data("event_fired", False)


class ClockedTimeDate(TimeDateEventDefinition):
    def has_fired(self, my_task):
        if my_task._get_internal_data("event_value") is None:
            moment = moments.resolve(self.expression, _names(my_task), start=clock.now())
            my_task._set_internal_data(event_value=moment.isoformat())
        return _fire_if_due(my_task)


class ClockedDuration(DurationTimerEventDefinition):
    def has_fired(self, my_task):
        if my_task._get_internal_data("event_value") is None:
            moment = moments.resolve(self.expression, _names(my_task), start=clock.now())
            my_task._set_internal_data(event_value=moment.isoformat())
        return _fire_if_due(my_task)


class ClockedCycle(CycleTimerEventDefinition):
    """`R3/PT1H`: fires three times, an hour apart, starting an hour from now."""

    def cycle_complete(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            cycles, interval = moments.resolve_cycle(self.expression, _names(my_task))
            first = clock.now() + interval
            event_value = {
                "cycles": cycles,
                "next": first.isoformat(),
                "duration": interval.total_seconds(),
            }
        ready = False
        if event_value["cycles"] != 0:
            next_event = datetime.fromisoformat(event_value["next"])
            if next_event <= clock.now():
                following = next_event + timedelta(seconds=event_value["duration"])
                event_value["next"] = following.isoformat()
                event_value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
        my_task._set_internal_data(event_value=event_value)
        return ready

    def update_task(self, my_task):
        if self.cycle_complete(my_task):
            for output in my_task.task_spec.outputs:
                child = my_task._add_child(output, TaskState.FUTURE)
                child.task_spec._predict(child, mask=TaskState.NOT_FINISHED_MASK)
                child.task_spec._update(child)


CLOCKED = {
    TimeDateEventDefinition: ClockedTimeDate,
    DurationTimerEventDefinition: ClockedDuration,
    CycleTimerEventDefinition: ClockedCycle,
}


def next_moment(my_task) -> datetime | None:
    """When a waiting timer task will fire next (None if not yet computed)."""
    definition = my_task.task_spec.event_definition
    if not isinstance(definition, TimerEventDefinition):
        return None
    value = my_task._get_internal_data("event_value")
    if isinstance(value, dict):
        value = value.get("next") if value.get("cycles") != 0 else None
    return datetime.fromisoformat(value) if value else None
