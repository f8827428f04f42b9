"""DMN decision tables with strict hit policies.

SpiffWorkflow treats UNIQUE as "first match"; a UNIQUE table with two
matching rules is a modelling error, so here it stops the step with a
message naming the rules. FIRST takes the first matching rule in table
order; COLLECT gathers every match. A comma list in an input entry
(`"PV","Heat pump"`) means "any of these", as in FEEL.
"""

from __future__ import annotations

import ast
import re

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine

SUPPORTED_HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


class StrictDMNEngine(DMNEngine):
    def decide(self, task):
        matched = [
            rule for rule in self.decision_table.rules if self._DMNEngine__check_rule(rule, task)
        ]
        policy = self.decision_table.hit_policy
        if policy == "UNIQUE" and len(matched) > 1:
            rows = ", ".join(str(rule.row_number) for rule in matched)
            raise WorkflowTaskException(
                f"Decision table {self.decision_table.id!r} is UNIQUE but rules {rows} all match",
                task=task,
            )
        if policy in ("UNIQUE", "FIRST"):
            return matched[:1]
        return matched

    def evaluate(self, input_expr, match_expr, task):
        if match_expr is not None and not _QUESTION_MARK.search(match_expr):
            choices = _comma_list(match_expr)
            if choices is not None:
                value = task.workflow.script_engine.evaluate(task, input_expr)
                return any(
                    value == task.workflow.script_engine.evaluate(task, choice)
                    for choice in choices
                )
        return super().evaluate(input_expr, match_expr, task)


def _comma_list(text: str) -> list[str] | None:
    """The items of `"a","b"` (a top-level tuple of constants), else None."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        return None
    if isinstance(tree.body, ast.Tuple) and all(
        isinstance(e, ast.Constant) for e in tree.body.elts
    ):
        return [ast.unparse(element) for element in tree.body.elts]
    return None
