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
    """A repeating timer: `R3/PT1H`, `R/2027-01-01T08:00/P1D`, `0 0 8 * * MON-FRI` (moments).

    The task keeps `{"cycles": left (-1: for ever), "next": moment, …}` with either
    the ISO interval or the cron line, so each firing computes the following one.
    (States saved before cycles took cron lines carry `duration` in seconds.)
    """

    def cycle_complete(self, my_task):
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            cycle = moments.resolve_cycle(self.expression, _names(my_task))
            first = cycle.first(clock.now())
            event_value = {
                "cycles": cycle.count if first is not None else 0,
                "next": first.isoformat() if first is not None else None,
                "interval": cycle.interval,
                "cron": cycle.cron,
            }
        ready = False
        if event_value["cycles"] != 0:
            next_event = datetime.fromisoformat(event_value["next"])
            if next_event <= clock.now():
                following = _following(event_value, next_event)
                event_value["next"] = following.isoformat() if following else None
                event_value["cycles"] = event_value["cycles"] - 1 if following else 0
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


def _following(event_value: dict, fired: datetime) -> datetime | None:
    """The repetition after the one that just fired; repetitions already past are skipped
    (a clock that was stopped for a day fires a daily reminder once, not again and again)."""
    cycle = moments.Cycle(
        count=event_value["cycles"],
        interval=event_value.get("interval") or "",
        cron=event_value.get("cron") or "",
    )
    if not cycle.interval and not cycle.cron:  # a state saved before cron lines
        return fired + timedelta(seconds=event_value["duration"])
    return cycle.after(max(fired, clock.now()) if cycle.cron else fired, not_before=clock.now())


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
