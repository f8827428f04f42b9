"""Task specs Obieg adds: service tasks that call a registered action."""

from __future__ import annotations

from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
from SpiffWorkflow.bpmn.specs.mixins import BpmnSpecMixin
from SpiffWorkflow.dmn.specs import BusinessRuleTaskMixin


class ActionServiceTask(ServiceTask):
    """A bpmn:serviceTask whose `obieg:action` names an action a solution registered."""

    def _run_hook(self, my_task):
        engine = my_task.workflow.script_engine
        result = engine.run_action(my_task, self.extensions["action"])
        if result:
            my_task.data.update(result)
        return True


class DecisionTask(BusinessRuleTaskMixin, BpmnSpecMixin):
    """A bpmn:businessRuleTask evaluating the DMN table named by `obieg:decision`."""
