"""Carry one case's SpiffWorkflow state from its version's spec to another version's.

SpiffWorkflow 3.2 ships the building blocks (`bpmn.util.diff`): a spec
diff aligning old task specs to new ones, and `migrate_workflow`, which
swaps the specs and re-predicts the branches under the waiting tasks. Its
alignment guesses renamed elements from the shape of the graph; here the
administrator's mapping decides instead (an id maps to itself unless the
mapping says otherwise), every waiting task is checked before anything is
touched, and what SpiffWorkflow would carry silently or break on reload is
refused with a reason:

- a task waiting in an element the target lacks, or mapped to an element of
  another kind (a user task onto a timer …);
- a multi-instance activity, an event sub-process or a sub-process whose
  process the target lacks (an embedded sub-process or a called process that
  still exists is carried, its own waiting tasks checked the same way);
- a waiting task whose boundary events were added or removed (its attached
  events would never be armed, or armed on an element that is gone).

Finished tasks of removed elements are taken out of the tree (their
children hang on their parent): SpiffWorkflow saves each task by its spec's
name and could not load the state again. The waiting tasks keep their ids
and data; a timer whose definition did not change keeps its due moment,
any other is armed again by the target's definition from now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
RESET = TaskState.READY | TaskState.WAITING


class CannotCarry(Exception):
    """The case cannot move: `reasons` lists each waiting element that stops it."""

    def __init__(self, reasons: list[Refusal]):
        super().__init__("; ".join(r.reason for r in reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Refusal:
    element_id: str
    reason: str


@dataclass(frozen=True)
class Landing:
    """Where one waiting token goes: from an element of the old version to one of the new."""

    from_id: str
    from_name: str
    to_id: str
    to_name: str
    kind: str


@dataclass
class Carried:
    landings: list[Landing] = field(default_factory=list)
    # Waiting tasks whose element changed (another id, or other attributes): their work items
    # are made again; the others keep theirs (a claimed task stays with its person).
    changed_task_ids: set[str] = field(default_factory=set)


def kind_of(spec) -> str:
    """What sort of element a spec is, as far as a waiting token cares."""
    name = type(spec).__name__
    definition = getattr(spec, "event_definition", None)
    if definition is not None:
        suffix = (
            "timer" if isinstance(definition, TimerEventDefinition) else type(definition).__name__
        )
        name = f"{name}:{suffix}"
    return name


def _label(spec) -> str:
    return getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name


def _target_name(name: str, mapping: dict[str, str]) -> str:
    """The spec name in the new version: mapped ids; SpiffWorkflow's helper specs follow theirs."""
    if name in mapping:
        return mapping[name]
    head, dot, tail = name.partition(".")
    if dot and head in mapping:
        return f"{mapping[head]}.{tail}"
    return name


def _alignment(old_spec, new_spec, mapping: dict[str, str]) -> dict:
    return {
        spec: new_spec.task_specs.get(_target_name(name, mapping))
        for name, spec in old_spec.task_specs.items()
    }


def _workflows(workflow):
    """The top workflow and each sub-workflow (embedded sub-process or called process)."""
    yield workflow
    yield from workflow.subprocesses.values()


def _own_tasks(wf, mask):
    return [task for task in list(wf.tasks.values()) if task.has_state(mask)]


def live_tasks(workflow) -> list:
    """The tasks a token waits in or works on, in the workflow and each sub-workflow."""
    return [task for wf in _workflows(workflow) for task in _own_tasks(wf, LIVE)]


def _in_loop(task) -> bool:
    parent = task.parent
    return isinstance(task.task_spec, LoopTask) or (
        parent is not None and isinstance(parent.task_spec, LoopTask)
    )


def _boundary_names(spec) -> list[str] | None:
    """The boundary events attached to an element's spec (None: none attached)."""
    splits = [s for s in spec.inputs if isinstance(s, BoundaryEventSplit)]
    if not splits:
        return None
    return sorted(o.name for o in splits[0].outputs if o is not spec)


def _check(wf, new_spec, alignment, mapping) -> list[Refusal]:
    refusals = []
    for task in _own_tasks(wf, LIVE):
        old = task.task_spec
        element_id = getattr(old, "bpmn_id", None) or old.name
        new = alignment.get(old)
        if _in_loop(task):
            refusals.append(Refusal(element_id, "multi-instance"))
            continue
        if new is None:
            target = _target_name(old.name, mapping)
            reason = "unmapped" if target == old.name else "mapped_missing"
            refusals.append(Refusal(element_id, reason))
            continue
        if kind_of(new) != kind_of(old):
            refusals.append(Refusal(element_id, "other_kind"))
            continue
        if isinstance(old, SubWorkflowTask) and getattr(old, "spec", None) != getattr(
            new, "spec", None
        ):
            refusals.append(Refusal(element_id, "other_subprocess"))
            continue
        if getattr(old, "bpmn_id", None):
            old_boundary = _boundary_names(old)
            new_boundary = _boundary_names(new)
            mapped = (
                None
                if old_boundary is None
                else sorted(_target_name(n, mapping) for n in old_boundary)
            )
            if mapped != new_boundary:
                refusals.append(Refusal(element_id, "boundary_changed"))
    return refusals


def check(workflow, new_spec, new_subprocess_specs, mapping: dict[str, str]) -> list[Refusal]:
    """Every reason the workflow cannot move to the new spec ([] when it can)."""
    refusals = []
    for wf in _workflows(workflow):
        target = _spec_for(wf, workflow, new_spec, new_subprocess_specs)
        if target is None:
            if _own_tasks(wf, LIVE):
                refusals.append(Refusal(wf.spec.name, "subprocess_missing"))
            continue
        refusals.extend(_check(wf, target, _alignment(wf.spec, target, mapping), mapping))
    return refusals


def _spec_for(wf, top, new_spec, new_subprocess_specs):
    if wf is top:
        return new_spec
    return new_subprocess_specs.get(wf.spec.name)


def carry(workflow, new_spec, new_subprocess_specs, mapping: dict[str, str]) -> Carried:
    """Move the workflow onto the new spec in place; raises CannotCarry, leaving it unusable."""
    refusals = check(workflow, new_spec, new_subprocess_specs, mapping)
    if refusals:
        raise CannotCarry(refusals)
    carried = Carried()
    workflow.subprocess_specs = new_subprocess_specs
    for wf in list(_workflows(workflow)):
        target = _spec_for(wf, workflow, new_spec, new_subprocess_specs)
        if target is None:
            continue  # a finished sub-process of a removed element: nothing waits in it
        _carry_one(wf, target, _alignment(wf.spec, target, mapping), carried)
    return carried


def _carry_one(wf, new_spec, alignment, carried: Carried) -> None:
    live = _own_tasks(wf, RESET)
    before = {task.id: (task.task_spec, dict(task.internal_data)) for task in live}
    for task in live + _own_tasks(wf, TaskState.STARTED):
        old, new = task.task_spec, alignment[task.task_spec]
        if old.bpmn_id:
            carried.landings.append(
                Landing(old.bpmn_id, _label(old), new.bpmn_id, _label(new), type(new).__name__)
            )
            if (
                old.name != new.name
                or old.__dict__.get("extensions") != new.__dict__.get("extensions")
                or _label(old) != _label(new)
                or getattr(old, "lane", None) != getattr(new, "lane", None)
            ):
                carried.changed_task_ids.add(str(task.id))
    wf.spec = new_spec
    for task in list(wf.tasks.values()):
        aligned = alignment.get(task.task_spec)
        if aligned is not None:
            task.task_spec = aligned
    _splice_removed(wf, new_spec)
    for task in live:
        if task.id not in wf.tasks:
            continue  # under another waiting task reset before it
        task.reset_branch(dict(task.data))
        old, internal = before[task.id]
        _keep_timer(task, old, internal)
    strays = [
        task.task_spec.name
        for task in wf.tasks.values()
        if new_spec.task_specs.get(task.task_spec.name) is not task.task_spec
    ]
    if strays:
        raise CannotCarry([Refusal(name, "not_carried") for name in strays])
    if wf.last_task is not None and wf.last_task.id not in wf.tasks:
        wf.last_task = None


def _splice_removed(wf, new_spec) -> None:
    """Take finished tasks of removed elements out of the tree; their children stay."""
    for task in list(wf.tasks.values()):
        if new_spec.task_specs.get(task.task_spec.name) is task.task_spec:
            continue
        if not task.has_state(TaskState.FINISHED_MASK):
            continue  # predicted: dropped by the reset above it, or refused as not carried
        parent = task.parent
        if parent is None:
            continue
        children = task.children
        ids = parent._children
        at = ids.index(task.id)
        ids[at : at + 1] = [child.id for child in children]
        for child in children:
            child.parent = parent
        del wf.tasks[task.id]


def _keep_timer(task, old_spec, internal: dict) -> None:
    """A timer whose definition is unchanged keeps the moment it was armed for."""
    old_definition = getattr(old_spec, "event_definition", None)
    new_definition = getattr(task.task_spec, "event_definition", None)
    if not isinstance(old_definition, TimerEventDefinition) or type(old_definition) is not type(
        new_definition
    ):
        return
    if getattr(old_definition, "expression", None) != getattr(
        new_definition, "expression", None
    ) or ("event_value" not in internal):
        return
    if task.has_state(TaskState.WAITING):
        task.internal_data["event_value"] = internal["event_value"]
