"""Multi-instance activities as Camunda 7, Zeebe and plain BPMN write them.

What a model may say, all read here into one spec:

- how many: `bpmn:loopCardinality` (an expression giving a whole number), or a
  collection — `bpmn:loopDataInputRef` (a variable), Camunda 7's
  `camunda:collection` (`${items}` or a variable name) or Zeebe's
  `zeebe:loopCharacteristics inputCollection` (`= items`);
- the element each instance sees: `bpmn:inputDataItem`,
  `camunda:elementVariable`, `zeebe:loopCharacteristics inputElement` — a
  variable of that instance only (it shadows a case variable of the same name
  and never overwrites it);
- what is collected: `bpmn:loopDataOutputRef` + `bpmn:outputDataItem`, or
  `zeebe:loopCharacteristics outputCollection` + `outputElement` (`= result`):
  a list in the order of the input, whatever order the instances finish in;
- `bpmn:completionCondition`, evaluated after each instance with Camunda's
  counters (`nrOfInstances`, `nrOfCompletedInstances`, `nrOfActiveInstances`,
  and Zeebe's `numberOfInstances`, `numberOfCompletedInstances`,
  `numberOfActiveInstances`): once true, the instances still running are
  cancelled (parallel) or no more are started (sequential).

Each instance also sees `loopCounter` (from 0 in Camunda 7 and plain BPMN,
from 1 in Zeebe, as each engine counts).

Why our own spec and not SpiffWorkflow's as it is: SpiffWorkflow 3.2.0's
`MultiInstanceTask.init_data_output_with_cardinality` reads an undefined name
(`data_ouput`), so a loop with `loopCardinality` and an output collection that
already exists stops with `NameError` (docs/engine.md, "SpiffWorkflow
3.2.0's loopCardinality bug", has the report); it also gathers the outputs of a
cardinality loop in the order instances finish, raises when the element's
name is already a case variable, and connects the instances' completion to the
loop only when it creates them — so a parallel loop whose spec was parsed
afresh (after a restart) while its instances waited for people never ended.
These classes fix all four; SpiffWorkflow's own code is not patched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import (
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
)
from SpiffWorkflow.util.task import TaskState

from obieg.engine import camunda
from obieg.engine.camunda import CAMUNDA, ZEEBE

MAX_INSTANCES = 1_000  # a loop over more is a modelling error, not work to create
_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")
_GIVEN = "obieg_given"  # the loop's data when its instances were made (what each started from)
_SHADOWED = "obieg_shadowed"  # a case variable the element's name hides while the loop runs


def expression_of(text: str | None) -> str | None:
    """A collection or cardinality as an expression: a bare variable name becomes FEEL."""
    text = (text or "").strip()
    if not text:
        return None
    return f"= {text}" if _NAME.match(text) else text


class LoopSettings:
    """What a multiInstanceLoopCharacteristics element says, from any of the three dialects."""

    def __init__(self, node, *, zeebe_model: bool):
        self.sequential = node.get("isSequential") == "true"
        self.cardinality = expression_of(_child_text(node, "loopCardinality"))
        self.collection = expression_of(_child_text(node, "loopDataInputRef"))
        self.element = _item_name(node, "inputDataItem")
        self.output_collection = _child_text(node, "loopDataOutputRef") or None
        output_item = _item_name(node, "outputDataItem")
        self.output_element = f"= {output_item}" if output_item else None
        self.condition = _child_text(node, "completionCondition") or None
        camunda_collection = node.get(f"{{{CAMUNDA}}}collection")
        if camunda_collection:
            self.collection = expression_of(camunda_collection)
        self.element = node.get(f"{{{CAMUNDA}}}elementVariable") or self.element
        zeebe = node.find(f"{{*}}extensionElements/{{{ZEEBE}}}loopCharacteristics")
        if zeebe is not None:
            self.collection = expression_of(zeebe.get("inputCollection")) or self.collection
            self.element = zeebe.get("inputElement") or self.element
            self.output_collection = zeebe.get("outputCollection") or self.output_collection
            self.output_element = expression_of(zeebe.get("outputElement")) or self.output_element
        self.first_counter = 1 if zeebe_model else 0

    def problem(self) -> str | None:
        if self.cardinality and self.collection:
            return (
                "a multi-instance activity has both a loop cardinality and an input collection; "
                "keep one of them"
            )
        if not self.cardinality and not self.collection:
            return (
                "a multi-instance activity needs a loop cardinality or an input collection "
                "(camunda:collection, zeebe:loopCharacteristics inputCollection)"
            )
        if bool(self.output_collection) != bool(self.output_element):
            return (
                "a multi-instance output needs both the output collection and the output element "
                "(zeebe:loopCharacteristics outputCollection and outputElement)"
            )
        return None

    def spec_arguments(self) -> dict[str, Any]:
        return {
            "cardinality": self.cardinality,
            "collection": self.collection,
            "element": self.element,
            "output_collection": self.output_collection,
            "output_element": self.output_element,
            "condition": self.condition,
            "first_counter": self.first_counter,
        }


def _child_text(node, name: str) -> str:
    found = node.find(f"{{*}}{name}")
    return (found.text or "").strip() if found is not None else ""


def _item_name(node, name: str) -> str | None:
    found = node.find(f"{{*}}{name}")
    if found is None:
        return None
    return found.get("name") or found.get("id")


class _Loop:
    """What both kinds share; mixed in before SpiffWorkflow's classes, whose hooks it replaces."""

    def __init__(
        self,
        wf_spec,
        bpmn_id,
        task_spec,
        *,
        cardinality=None,
        collection=None,
        element=None,
        output_collection=None,
        output_element=None,
        condition=None,
        first_counter=0,
        **kwargs,
    ):
        super().__init__(wf_spec, bpmn_id, task_spec, condition=condition, **kwargs)
        self.condition = condition
        self.cardinality = cardinality
        self.collection = collection
        self.element = element
        self.output_collection = output_collection
        self.output_element = output_element
        self.first_counter = first_counter

    # The items

    def _evaluate(self, my_task, expression: str, names: Mapping[str, Any] | None = None):
        return my_task.workflow.script_engine.evaluate(my_task, expression, names or {})

    def _items(self, my_task) -> list[Any]:
        if self.collection:
            value = self._evaluate(my_task, self.collection)
            if value is None:
                raise WorkflowTaskException(
                    f"the input collection {self.collection!r} is null (no such variable?)",
                    task=my_task,
                )
            if (
                isinstance(value, Mapping)
                or not isinstance(value, Sequence)
                or isinstance(value, str)
            ):
                raise WorkflowTaskException(
                    f"the input collection {self.collection!r} is not a list: {value!r}",
                    task=my_task,
                )
            items = list(value)
        else:
            count = _whole_number(self._evaluate(my_task, self.cardinality))
            if count is None:
                raise WorkflowTaskException(
                    f"the loop cardinality {self.cardinality!r} is not a whole number of 0 or more",
                    task=my_task,
                )
            items = list(range(count))
        if len(items) > MAX_INSTANCES:
            raise WorkflowTaskException(
                f"{len(items)} instances asked for; a multi-instance activity runs at most "
                f"{MAX_INSTANCES}",
                task=my_task,
            )
        return items

    def _begin(self, my_task) -> list[Any]:
        items = self._items(my_task)
        if self.element and self.element in my_task.data:
            my_task.internal_data[_SHADOWED] = my_task.data.pop(self.element)
        if self.output_collection:
            my_task.data[self.output_collection] = [None] * len(items)
        my_task.internal_data["merged"] = []
        my_task.internal_data["instances"] = len(items)
        my_task.internal_data[_GIVEN] = dict(my_task.data)
        return items

    def _local_names(self) -> set[str]:
        names = {"loopCounter"}
        if self.element:
            names.add(self.element)
        if self.output_collection:
            names.add(self.output_collection)
        return names

    # Instances

    def create_child(self, my_task, item, key_or_index=None):
        task_spec = my_task.workflow.spec.task_specs[self.task_spec]
        if not task_spec.completed_event.is_connected(self.merge_child):
            task_spec.completed_event.connect(self.merge_child)
        child = my_task._add_child(task_spec, TaskState.WAITING)
        child.triggered = True
        child.internal_data["key_or_index"] = key_or_index
        local = {"loopCounter": key_or_index + self.first_counter}
        if self.element:
            local[self.element] = item
        child.data.update(local)
        child.task_spec._update(child)
        child.data.update(local)  # inheriting the loop's data must not overwrite its own

    def merge_child(self, workflow, child):
        my_task = child.parent
        if my_task is None or my_task.task_spec is not self:
            return
        given = my_task.internal_data.get(_GIVEN, {})
        local = self._local_names()
        for name, value in child.data.items():
            if name not in local and (name not in given or given[name] != value):
                my_task.data[name] = value
        if self.output_collection:
            index = child.internal_data.get("key_or_index") or 0
            value = self._evaluate(child, self.output_element)
            my_task.data[self.output_collection][index] = value
        my_task.internal_data["merged"].append(str(child.id))
        self._after_instance(my_task, child)

    def _counters(self, my_task, active: int) -> dict[str, Any]:
        total = my_task.internal_data.get("instances", 0)
        completed = len(my_task.internal_data.get("merged", []))
        return {
            "nrOfInstances": total,
            "nrOfCompletedInstances": completed,
            "nrOfActiveInstances": active,
            "numberOfInstances": total,
            "numberOfCompletedInstances": completed,
            "numberOfActiveInstances": active,
        }

    def _condition_met(self, my_task, child, active: int) -> bool:
        if not self.condition:
            return False
        names = {**my_task.data, **child.data, **self._counters(my_task, active)}
        if self.output_collection:
            names[self.output_collection] = my_task.data[self.output_collection]
        return bool(self._evaluate(child, self.condition, names))

    def _finish(self, my_task) -> None:
        if _SHADOWED in my_task.internal_data:
            my_task.data[self.element] = my_task.internal_data.pop(_SHADOWED)
        my_task.internal_data.pop(_GIVEN, None)
        my_task._set_state(TaskState.READY)

    def _after_instance(self, my_task, child) -> None:
        raise NotImplementedError


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value) if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


class ParallelLoop(_Loop, ParallelMultiInstanceTask):
    """All instances at once (`isSequential="false"`, the default)."""

    def _update_hook(self, my_task):
        my_task._inherit_data()
        items = self._begin(my_task)
        for index, item in enumerate(items):
            self.create_child(my_task, item, index)
        if not items:
            self._finish(my_task)
            return True
        my_task._set_state(TaskState.STARTED)
        return None

    def _active(self, my_task) -> int:
        return sum(
            1 for child in self._instances(my_task) if not child.has_state(TaskState.FINISHED_MASK)
        )

    def _after_instance(self, my_task, child) -> None:
        active = self._active(my_task)
        if self._condition_met(my_task, child, active):
            for other in self._instances(my_task):
                if not other.has_state(TaskState.FINISHED_MASK):
                    other.cancel()
            self._finish(my_task)
        elif active == 0:
            self._finish(my_task)


class SequentialLoop(_Loop, SequentialMultiInstanceTask):
    """One instance after the other (`isSequential="true"`)."""

    def _update_hook(self, my_task):
        my_task._inherit_data()
        items = self._begin(my_task)
        my_task.internal_data["remaining"] = list(range(len(items)))
        my_task.internal_data["items"] = items
        if not items:
            self._finish(my_task)
            return True
        self._next(my_task)
        my_task._set_state(TaskState.STARTED)
        return None

    def _next(self, my_task) -> None:
        remaining = my_task.internal_data["remaining"]
        index = remaining.pop(0)
        self.create_child(my_task, my_task.internal_data["items"][index], index)

    def _after_instance(self, my_task, child) -> None:
        if not my_task.internal_data["remaining"] or self._condition_met(my_task, child, 0):
            my_task.internal_data.pop("items", None)
            my_task.internal_data["remaining"] = []
            self._finish(my_task)
        else:
            self._next(my_task)


class LoopParsing:
    """A TaskParser mixin: multi-instance activities become `ParallelLoop` / `SequentialLoop`."""

    def _add_multiinstance_task(self, loop_characteristics):
        root = self.node.getroottree().getroot()
        settings = LoopSettings(
            loop_characteristics, zeebe_model=camunda.platform(root) == "camunda8"
        )
        problem = settings.problem()
        if problem:
            self.raise_validation_exception(problem)
        original = self.spec.task_specs.pop(self.task.name)
        loop_class = SequentialLoop if settings.sequential else ParallelLoop
        self.task = loop_class(
            self.spec,
            original.name,
            "",
            description="Sequential MultiInstance"
            if settings.sequential
            else "Parallel MultiInstance",
            **settings.spec_arguments(),
        )
        self._copy_task_attrs(original, loop_characteristics)
        # Connected once, when the spec is made: a loop whose instances were created before
        # this process parsed the spec must still hear them finish.
        original.completed_event.connect(self.task.merge_child)
