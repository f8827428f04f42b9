"""Parses BPMN and DMN files into SpiffWorkflow specs, Obieg's way.

Obieg's own attributes live in the `urn:obieg:bpmn:1` namespace
(prefix `obieg:`) on the elements they describe, so bpmn.io and Camunda
Modeler keep them when a model is edited: `obieg:form`, `obieg:due`,
`obieg:assignee`, `obieg:role`, `obieg:department` on user tasks and
lanes, `obieg:action` on service tasks, `obieg:decision` on
business-rule tasks. Script tasks are refused; timers read the engine
clock; decisions are DMN in FEEL (engine/decisions), those of versions
deployed before FEEL SpiffWorkflow's tables with strict hit policies.

Models drawn in Camunda Modeler (platform 7 or 8) are read too: their
assignees, candidates, form keys, due dates and mappings become the same
`extensions` (see `obieg.engine.camunda`; an `obieg:` attribute wins over
a Camunda one). A service task naming no registered action becomes an
external task on its topic (so does a send task). A plain `bpmn:task` or
`bpmn:manualTask` is a manual step: a person's task (its lane's, else the
case owner's).

Before SpiffWorkflow parses a file (the stored file stays as drawn), data
associations are dropped (`data_objects`), compensation boundary events become
a note on their activity (`compensation`) and event sub-processes become
boundary events on the rest of their scope (`event_subprocesses`).
Multi-instance activities are Obieg's own loop specs (`loops`); signals,
signal end events and Zeebe message keys are read by `events`.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator, full_tag
from SpiffWorkflow.bpmn.parser.event_parsers import (
    BoundaryEventParser,
    IntermediateCatchEventParser,
    IntermediateThrowEventParser,
    ReceiveTaskParser,
    StartEventParser,
)
from SpiffWorkflow.bpmn.parser.ProcessParser import ProcessParser
from SpiffWorkflow.bpmn.parser.task_parsers import CallActivityParser, SubWorkflowParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import (
    BoundaryEvent,
    CallActivity,
    EndEvent,
    IntermediateCatchEvent,
    IntermediateThrowEvent,
    ManualTask,
    NoneTask,
    ReceiveTask,
    ScriptTask,
    StartEvent,
    SubWorkflowTask,
    UserTask,
)
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser

from obieg.engine import camunda, decisions, registry
from obieg.engine.spiff import compensation, data_objects, event_subprocesses
from obieg.engine.spiff.dmn import StrictDMNEngine
from obieg.engine.spiff.events import SignalEndEventParser, SignalsAndKeys
from obieg.engine.spiff.feel_dmn import FeelDecisionEngine
from obieg.engine.spiff.loops import LoopParsing
from obieg.engine.spiff.specs import ActionServiceTask, DecisionTask, ExternalServiceTask
from obieg.engine.spiff.timers import CLOCKED

OBIEG_NS = "urn:obieg:bpmn:1"


def obieg_attributes(node) -> dict[str, str]:
    """The `obieg:*` attributes of an XML element, by local name."""
    prefix = "{" + OBIEG_NS + "}"
    return {
        key[len(prefix) :]: value for key, value in node.attrib.items() if key.startswith(prefix)
    }


class ObiegTaskParser(LoopParsing, TaskParser):
    """Reads `obieg:*` (and Camunda/Zeebe) settings of the task and its lane into `extensions`.

    Flags for routing (`runtime.workitems`): `queue_if_unmatched` — a task whose
    people are named the Camunda way, or any task of a model not written for
    Obieg, goes to the unassigned queue when nothing matches (an Obieg model's
    task with nobody was refused at deploy); `owner_if_unrouted` — a manual
    step (`bpmn:task`, `bpmn:manualTask`) with no lane or people goes to the
    case owner.
    """

    owner_if_unrouted = False

    def parse_extensions(self, node=None):
        node = self.node if node is None else node
        extensions = {**camunda.task_extensions(node), **obieg_attributes(node)}
        extensions.update(compensation.handler_of(node))
        if self.lane:
            for lane in self.doc_xpath(".//bpmn:lane"):
                if lane.get("name") == self.lane:
                    extensions.update({f"lane_{k}": v for k, v in obieg_attributes(lane).items()})
                    break
        root = node.getroottree().getroot()
        if not camunda.is_obieg_model(root) or any(k.startswith("people_") for k in extensions):
            extensions["queue_if_unmatched"] = "1"
        if self.owner_if_unrouted:
            extensions["owner_if_unrouted"] = "1"
        return extensions


class ManualStepParser(ObiegTaskParser):
    """`bpmn:task` and `bpmn:manualTask`: a person confirms the step (see `runtime.workitems`)."""

    owner_if_unrouted = True


class ServiceTaskParser(ObiegTaskParser):
    """`obieg:action`, or a registered action named by the Camunda implementation; else external.

    A registered action of the same name as the topic (job type, class …)
    wins, so a company can move an external task in-house without
    redrawing the model.
    """

    def create_task(self):
        extensions = self.parse_extensions()
        if not extensions.get("action") and not extensions.get("topic"):
            self.raise_validation_exception(
                "a service task needs obieg:action or an external topic "
                '(camunda:type="external" camunda:topic="…", or zeebe:taskDefinition type="…")'
            )
        spec_class = ActionServiceTask if extensions.get("action") else ExternalServiceTask
        return spec_class(self.spec, self.bpmn_id, **self.bpmn_attributes)

    def parse_extensions(self, node=None):
        extensions = super().parse_extensions(node)
        if not extensions.get("action"):
            found = camunda.implementation(self.node if node is None else node)
            if found is not None and found.name:
                if registry.has_action(found.name):
                    extensions["action"] = found.name
                else:
                    extensions["topic"] = found.name
                    if found.retries.isdigit():
                        extensions["retries"] = found.retries
        return extensions


class DecisionTaskParser(ObiegTaskParser):
    def create_task(self):
        decision = self.get_decision_ref(self.node)
        if not decision:
            self.raise_validation_exception("a business-rule task needs obieg:decision")
        engine = self.process_parser.parser.get_engine(decision, self.node)
        return self.spec_class(self.spec, self.bpmn_id, dmnEngine=engine, **self.bpmn_attributes)

    @staticmethod
    def get_decision_ref(node):
        return node.get("{" + OBIEG_NS + "}decision")


class RefusedScriptParser(TaskParser):
    def create_task(self):
        self.raise_validation_exception(
            "script tasks are not allowed (a model is data, not code); "
            "use a service task with obieg:action"
        )


class _SubProcessParser(LoopParsing, SubWorkflowParser):
    def parse_extensions(self, node=None):
        return compensation.handler_of(self.node if node is None else node)


class _CallActivityParser(LoopParsing, CallActivityParser):
    def parse_extensions(self, node=None):
        return compensation.handler_of(self.node if node is None else node)


class _ProcessParser(compensation.HandlerParsing, ProcessParser):
    pass


class _ClockedTimers:
    def parse_timer_event(self, event):
        definition = super().parse_timer_event(event)
        definition.__class__ = CLOCKED[type(definition)]
        return definition


class _StartEventParser(SignalsAndKeys, _ClockedTimers, StartEventParser):
    pass


class _CatchEventParser(SignalsAndKeys, _ClockedTimers, IntermediateCatchEventParser):
    pass


class _ThrowEventParser(SignalsAndKeys, _ClockedTimers, IntermediateThrowEventParser):
    def create_task(self):
        if compensation.is_throw(self.node):
            return compensation.throw_spec(self, compensation.CompensationIntermediateThrow)
        return super().create_task()


class _BoundaryEventParser(SignalsAndKeys, _ClockedTimers, BoundaryEventParser):
    def create_task(self):
        if self.node.get(event_subprocesses.TRIGGER):
            self.spec_class = event_subprocesses.EventSubprocessTrigger
        return super().create_task()


class _EndEventParser(SignalEndEventParser):
    def create_task(self):
        if compensation.is_throw(self.node):
            task = compensation.throw_spec(self, compensation.CompensationEndThrow)
            task.connect(self.spec.end)
            return task
        return super().create_task()


class _ReceiveTaskParser(SignalsAndKeys, ReceiveTaskParser):
    """A receive task waits for its message (`messageRef`), as a message catch event does."""


class ObiegParser(BpmnDmnParser):
    PROCESS_PARSER_CLASS = _ProcessParser
    OVERRIDE_PARSER_CLASSES = {
        full_tag("userTask"): (ObiegTaskParser, UserTask),
        full_tag("manualTask"): (ManualStepParser, ManualTask),
        full_tag("task"): (ManualStepParser, NoneTask),
        full_tag("serviceTask"): (ServiceTaskParser, ActionServiceTask),
        # A send task is done like a service task: a registered action or an external worker.
        full_tag("sendTask"): (ServiceTaskParser, ActionServiceTask),
        full_tag("receiveTask"): (_ReceiveTaskParser, ReceiveTask),
        full_tag("endEvent"): (_EndEventParser, EndEvent),
        full_tag("businessRuleTask"): (DecisionTaskParser, DecisionTask),
        full_tag("scriptTask"): (RefusedScriptParser, ScriptTask),
        full_tag("startEvent"): (_StartEventParser, StartEvent),
        full_tag("intermediateCatchEvent"): (_CatchEventParser, IntermediateCatchEvent),
        full_tag("intermediateThrowEvent"): (_ThrowEventParser, IntermediateThrowEvent),
        full_tag("boundaryEvent"): (_BoundaryEventParser, BoundaryEvent),
        full_tag("subProcess"): (_SubProcessParser, SubWorkflowTask),
        full_tag("callActivity"): (_CallActivityParser, CallActivity),
    }

    def __init__(self, *args, python_decisions: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Versions deployed before FEEL keep their tables' Python-like syntax (SpiffWorkflow's
        # DMN engine, strict hit policies); everything deployed since is FEEL (engine/decisions).
        self.python_decisions = python_decisions
        self.dmn_texts: dict[str, bytes] = {}
        self.decision_files: dict[str, str] = {}
        self._decision_models: dict[str, decisions.DecisionModel] = {}

    def add_bpmn_xml(self, bpmn, filename=None):
        """Validate the file as drawn, then parse Obieg's reading of it (event sub-processes
        as boundary events: `event_subprocesses`)."""
        validator, self.validator = self.validator, None
        try:
            if validator is not None:
                validator.validate(bpmn, filename)
            data_objects.prepare(bpmn)
            compensation.prepare(bpmn)
            event_subprocesses.rewrite(bpmn)
            super().add_bpmn_xml(bpmn, filename=filename)
        finally:
            self.validator = validator

    def add_dmn_xml(self, node, filename=None):
        self.dmn_texts[filename or ""] = etree.tostring(node)
        # Every decision of the file (SpiffWorkflow's parser knows only the first).
        for decision in node.iter("{*}decision"):
            if decision.get("id"):
                self.decision_files[decision.get("id")] = filename or ""
        super().add_dmn_xml(node, filename=filename)

    def get_engine(self, decision_ref, node):
        known = self.dmn_parsers if self.python_decisions else self.decision_files
        if decision_ref not in known:
            names = ", ".join(sorted(known)) or "none"
            raise ValidationException(
                f"no DMN decision with id {decision_ref!r} (known: {names})", node=node
            )
        if self.python_decisions:
            dmn_parser = self.dmn_parsers[decision_ref]
            dmn_parser.parse()
            return StrictDMNEngine(dmn_parser.decision.decisionTables[0])
        filename = self.decision_files[decision_ref]
        if filename not in self._decision_models:
            self._decision_models[filename] = decisions.load(self.dmn_texts[filename])
        return FeelDecisionEngine(self._decision_models[filename], decision_ref, filename)


@lru_cache(maxsize=1)
def _validator() -> BpmnValidator:
    return BpmnValidator()


class ModelError(Exception):
    """SpiffWorkflow refused a model; says which file and element, and why."""

    def __init__(self, file_name: str, element_id: str, reason: str):
        super().__init__(f"{file_name or '?'}: {element_id or '-'}: {reason}")
        self.file_name, self.element_id, self.reason = file_name, element_id, reason


def _model_error(error: Exception, default_file: str = "") -> ModelError:
    if isinstance(error, ValidationException):
        reason = str(error.args[0]) if error.args else str(error)
        line = f" (line {error.line_number})" if getattr(error, "line_number", "") else ""
        return ModelError(error.file_name or default_file, error.id, reason + line)
    return ModelError(default_file, "", f"{type(error).__name__}: {error}")


def build_parser(
    sources: dict[str, str], *, validate_schema: bool = False, python_decisions: bool = False
) -> ObiegParser:
    """A parser loaded with `sources` ({file name: XML text}); .dmn files hold decisions."""
    parser = ObiegParser(
        validator=_validator() if validate_schema else None, python_decisions=python_decisions
    )
    for name in sorted(sources):
        try:
            root = etree.fromstring(sources[name].encode("utf-8"))
            camunda.normalise(root)
            if name.endswith(".dmn"):
                parser.add_dmn_xml(root, filename=name)
            else:
                parser.add_bpmn_xml(root, filename=name)
        except event_subprocesses.RewriteError as error:
            raise ModelError(name, error.node.get("id") or "", str(error)) from error
        except ModelError:
            raise
        except Exception as error:
            raise _model_error(error, name) from error
    return parser


def specs_for(parser: ObiegParser, key: str):
    """(the process spec, its sub-process specs) for process `key`; raises ModelError."""
    try:
        spec = parser.get_spec(key)
        return spec, parser.get_subprocess_specs(key)
    except Exception as error:
        file_name = getattr(parser.get_process_parser(key), "filename", "") or ""
        raise _model_error(error, file_name) from error


def files_needed(parser: ObiegParser, bundle) -> set[str]:
    """The files a process needs: its own, those of processes it calls, the DMN it uses."""
    spec, subprocess_specs = bundle
    files = {spec.file} | {sub.file for sub in subprocess_specs.values() if sub is not None}
    for process in [spec, *subprocess_specs.values()]:
        for task_spec in process.task_specs.values():
            if isinstance(task_spec, DecisionTask):
                if isinstance(task_spec.dmnEngine, FeelDecisionEngine):
                    files.add(task_spec.dmnEngine.filename)
                    continue
                decision_id = task_spec.dmnEngine.decision_table.id
                for dmn_parser in parser.dmn_parsers.values():
                    dmn_parser.parse()
                    if any(t.id == decision_id for t in dmn_parser.decision.decisionTables):
                        files.add(dmn_parser.filename)
    return {name for name in files if name}
