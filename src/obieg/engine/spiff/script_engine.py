"""SpiffWorkflow's script engine, with `eval` replaced by the safe evaluator.

Every expression SpiffWorkflow evaluates (gateway conditions, DMN entries,
loop conditions, message correlations) arrives here and goes through
`obieg.engine.expressions`. Scripts are refused outright: deploy already
rejects script tasks, and this is the second lock on the same door.

One engine is made per loaded case; it carries the step's context (the
case, the actor, the action runner) to service tasks.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from obieg.engine import expressions


class ScriptRefused(Exception):
    """A model tried to run a script; models are data, not code."""


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self, extra_names: Mapping[str, Any] | None = None):
        super().__init__({})
        self.extra_names = extra_names or {}

    def evaluate(self, expression, context, external_context=None):
        # Looked up name by name: the case's own names are only computed when read.
        names = ChainMap(external_context or {}, context, self.extra_names)
        return expressions.evaluate(expression, names)

    def execute(self, script, context, external_context=None):
        raise ScriptRefused("script tasks are not allowed: use a service task with an action")

    def call_service(self, context, **kwargs):
        raise ScriptRefused("service tasks call registered actions, not SpiffWorkflow services")


class SafeScriptEngine(PythonScriptEngine):
    """Evaluates model expressions safely; runs service-task actions through `run_action`."""

    def __init__(
        self,
        *,
        extra_names: Mapping[str, Any] | None = None,
        run_action: Callable[[Any, str], dict | None] | None = None,
    ):
        super().__init__(environment=SafeEnvironment(extra_names))
        self.run_action = run_action

    def names_for(self, task) -> Mapping[str, Any]:
        """The names an expression on `task` may read: its data, then the case's own names."""
        return ChainMap(task.data, self.environment.extra_names)

    def validate(self, expression):
        # SyntaxError passes through unchanged: DMN relies on it to try "v > 5" readings.
        expressions.validate(expression)

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except expressions.ExpressionError as error:
            raise WorkflowTaskException(
                f"Expression {expression!r} failed: {error}", task=task, exception=error
            ) from error

    def execute(self, task, script, external_context=None):
        raise ScriptRefused("script tasks are not allowed: use a service task with an action")

    def call_service(self, task, **kwargs):
        raise ScriptRefused("service tasks call registered actions")
