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


class ExternalServiceTask(ServiceTask):
    """A service task done by an external worker on `extensions["topic"]` (Camunda's pattern).

    Manual, as far as SpiffWorkflow is concerned: the engine stops here and
    the case waits until a worker completes the task through the API
    (`runtime.external_tasks`), which merges its variables and runs it.
    """

    def __init__(self, wf_spec, bpmn_id, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.manual = True

    def _run_hook(self, my_task):
        return True
