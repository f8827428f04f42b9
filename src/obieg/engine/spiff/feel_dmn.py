"""A business-rule task's decision, made by Obieg's DMN evaluator in FEEL.

The decision's file is read once per parsed process (engine/decisions); at
run time the case's variables are visible to every expression of the model,
as Camunda makes a process's variables visible to its decisions (declared
input data take their values from them too). What the task adds to the case:

- a decision table with one output: that output's name (or, without one, the
  decision's id) holds its value — a list for COLLECT without an aggregator;
- a table with several outputs: each output's name holds its value (the first
  matching rule's, or lists for COLLECT);
- any other decision (a literal expression, a context …): the decision's id.

A decision that cannot be made (no rule of a UNIQUE table matches twice, an
input of the wrong type, a limit reached) stops the step with DMN's reasons,
so a case never goes on with a null it did not ask for.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException

from obieg.engine import decisions, feel
from obieg.engine.decisions.model import DecisionTableBox
from obieg.engine.feel_expressions import CaseNames


class FeelDecisionEngine:
    """What `DecisionTask` calls (`result`) for a decision of a FEEL DMN file."""

    def __init__(self, model: decisions.DecisionModel, decision_id: str, filename: str):
        self.model = model
        self.decision_id = decision_id
        self.filename = filename
        self.element = model.element(decision_id)

    def result(self, task) -> dict[str, Any]:
        names = task.workflow.script_engine.names_for(task)
        try:
            value = self.model.evaluate(self.decision_id, context=CaseNames(names))
        except feel.FeelError as error:
            raise WorkflowTaskException(
                f"Decision {self.decision_id!r} stopped: {error}", task=task
            ) from error
        if value is None and self.model.last_messages:
            reasons = "; ".join(self.model.last_messages)
            raise WorkflowTaskException(
                f"Decision {self.decision_id!r} could not be made: {reasons}", task=task
            )
        return self._as_variables(value)

    def _as_variables(self, value: Any) -> dict[str, Any]:
        box = self.element.expression
        if isinstance(box, DecisionTableBox):
            names = [output.name for output in box.outputs]
            if value is None and len(names) > 1:  # no rule matched: each output is null
                return {name: None for name in names if name}
            if len(names) == 1:
                return {names[0] or self.decision_id: value}
            if isinstance(value, dict):
                return dict(value)
            if isinstance(value, list):  # COLLECT over several outputs: a list per output
                return {name: [row.get(name) for row in value] for name in names if name}
        return {self.decision_id: value}
