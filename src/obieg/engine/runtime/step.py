"""One step of a case: load its state, let the engine run, write everything back.

A service locks the case row, opens a `Step`, performs one operation on
the instance (start, complete a task, deliver a message, fire timers,
cancel) and calls `save()`: the state, the work items and the history
are written in the service's transaction, the case row with one UPDATE.
Anything the engine raises while running (a failing action, an
expression that fails on the data, an unknown assignee) becomes a
`StepError`; the service then rolls the step back and marks the case.

A business refusal (an `ApplicationError` raised by an action: a payment
dated in the future, an invoice over the contract) is different: when a
person's own input led to it (`Step(..., refusals_to_caller=True)`, used by
`complete` and by an administrator's repair), it goes back to that person
unchanged, as a form error, and the case is not stopped. Where nobody typed
anything (the clock, a message), it stops the case like any other failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from django.contrib.auth import get_user_model

from obieg.core import clock
from obieg.core.errors import ApplicationError
from obieg.engine import registry, spec_cache
from obieg.engine.models import Case, CaseEvent, CaseStatus, CorrelationKey, WorkItem
from obieg.engine.runtime import external_sync, live, rows, signals, workitems
from obieg.engine.spiff.instance import Instance

T = TypeVar("T")

_HAPPENING_KINDS = {
    "gateway": CaseEvent.Kind.GATEWAY,
    "action": CaseEvent.Kind.ACTION,
    "decision": CaseEvent.Kind.DECISION,
    "timer_fired": CaseEvent.Kind.TIMER_FIRED,
    "message": CaseEvent.Kind.MESSAGE,
}


EVENT_FIELDS = ("case", "at", "actor", "kind", "element_id", "name", "data")


class StepError(Exception):
    """The engine could not finish the step; `element_id` says where it stopped."""

    def __init__(self, message: str, element_id: str = ""):
        super().__init__(message)
        self.message = message
        self.element_id = element_id


class ActionFailed(StepError):
    pass


def refusal_in(error: BaseException) -> ApplicationError | None:
    """The business refusal behind `error`, if any (the engine may have wrapped it)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ApplicationError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _element_of(error: BaseException) -> str:
    if isinstance(error, StepError):
        return error.element_id
    task = getattr(error, "task", None)
    spec = getattr(task, "task_spec", None) or getattr(error, "task_spec", None)
    return getattr(spec, "bpmn_id", None) or ""


def _message_of(error: BaseException) -> str:
    if isinstance(error, StepError):
        return error.message
    notes = " ".join(getattr(error, "__notes__", []))
    return f"{error} {notes}".strip() or type(error).__name__


class CaseNames(Mapping):
    """Names every expression in a case may read besides the case data.

    `case_owner` is the owner's username (for `obieg:assignee="case_owner"`),
    read from the database only if an expression asks for it.
    """

    KEYS = ("case_id", "case_title", "case_owner")

    def __init__(self, case: Case):
        self.case = case
        self._owner: str | None | bool = False

    def __getitem__(self, key: str) -> Any:
        if key == "case_id":
            return self.case.pk
        if key == "case_title":
            return self.case.title
        if key == "case_owner":
            if self._owner is False:
                owner_id = self.case.owner_id
                self._owner = (
                    get_user_model()
                    .objects.filter(pk=owner_id)
                    .values_list("username", flat=True)
                    .first()
                    if owner_id
                    else None
                )
            return self._owner
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.KEYS)

    def __len__(self) -> int:
        return len(self.KEYS)


class Step:
    def __init__(self, case: Case, actor, *, refusals_to_caller: bool = False):
        self.case = case
        self.refusals_to_caller = refusals_to_caller
        self.actor = actor if getattr(actor, "pk", None) else None
        self.now = clock.now()
        self.events: list[CaseEvent] = []
        self.new_keys: list[str] = []
        self.instance: Instance | None = None
        self._names: CaseNames | None = None
        self.opened_before: list | None = None  # the open user tasks when the step began
        self.externals_before: set[str] = set()  # the open external tasks' ids, likewise

    # Context the model can see

    def names(self) -> CaseNames:
        if self._names is None:
            self._names = CaseNames(self.case)
        return self._names

    def _run_action(self, task, name: str) -> dict | None:
        element_id = task.task_spec.bpmn_id
        action = registry.get_action(name)
        if action is None:
            raise ActionFailed(f"no action named {name!r} is registered", element_id)
        context = registry.ActionContext(
            case=self.case, actor=self.actor, element_id=element_id, data=task.data
        )
        try:
            if self.case.sandbox:
                result = self._rehearse(action, name, context)
            else:
                result = action(context)
        except ApplicationError as refusal:
            if self.refusals_to_caller:
                raise
            raise ActionFailed(f"{name}: {refusal.message}", element_id) from refusal
        except Exception as error:
            raise ActionFailed(f"{name}: {type(error).__name__}: {error}", element_id) from error
        if result is not None and not isinstance(result, dict):
            raise ActionFailed(f"{name} returned {type(result).__name__}, not a dict", element_id)
        self.new_keys.extend(context.new_keys)
        return result

    def _rehearse(self, action, name: str, context) -> dict | None:
        """A test run's action: done and undone, what it would have done noted (`sandbox`)."""
        from obieg.engine.sandbox import rehearsal

        done = rehearsal.rehearse(action, context)
        self.record(
            CaseEvent.Kind.REHEARSED,
            element_id=context.element_id,
            name=name,
            data=done.event_data(name),
        )
        return done.result

    # Running

    def start(self, data: dict[str, Any], event: tuple[str, str] | None = None) -> Instance:
        """Start the case; `event` ("message" | "signal", name) starts it at that start event."""
        bundle = self._bundle()
        self.instance = self.perform(
            lambda: Instance.start(
                bundle, data, names=self.names(), run_action=self._run_action, event=event
            )
        )
        self.opened_before = []
        self.externals_before = set()
        self.perform(self.instance.run)
        return self.instance

    def load(self) -> Instance:
        """The case's workflow as its row stands: kept from its last step here, else loaded."""
        kept = live.take(self.case)
        if kept is not None:
            self.instance = Instance.resume(
                kept.workflow, names=self.names(), run_action=self._run_action
            )
            self.opened_before = kept.open_tasks
            self.externals_before = set(kept.external_ids)
            return self.instance
        bundle = self._bundle()
        self.instance = self.perform(
            lambda: Instance.load(
                bundle, self.case.state, names=self.names(), run_action=self._run_action
            )
        )
        survey = self.instance.survey()
        self.opened_before = survey.user_tasks
        self.externals_before = {task.id for task in survey.external_tasks}
        return self.instance

    def _bundle(self):
        return self.perform(lambda: spec_cache.bundle_for(self.case.definition))

    def perform(self, operation: Callable[[], T]) -> T:
        """Run an engine operation; anything it raises becomes a StepError.

        A refusal meant for the caller passes through as it was raised.
        """
        try:
            return operation()
        except StepError:
            raise
        except Exception as error:
            refusal = refusal_in(error) if self.refusals_to_caller else None
            if refusal is not None:
                raise refusal from None
            raise StepError(_message_of(error), _element_of(error)) from error

    # Writing back

    def record(self, kind: str, *, element_id: str = "", name: str = "", data=None, actor=None):
        self.events.append(
            CaseEvent(
                case_id=self.case.pk,
                at=self.now,
                actor=actor if actor is not None else self.actor,
                kind=kind,
                element_id=element_id,
                name=name[:200],
                data=data or {},
            )
        )

    def save(self, *, completed: WorkItem | None = None, ends_transaction: bool = False) -> Case:
        """Write the step back: state, case row, work items, history, keys, external tasks.

        `completed`: the work item this step completed; if a claim or a
        hand-over changed it first, `rows.RowsChanged` is raised (the caller
        rolls back and says who won). `ends_transaction`: the caller's
        `atomic` block runs nothing after this, so the COMMIT may go with
        the writes.
        """
        instance = self.instance
        assert instance is not None
        for happening in instance.happenings:
            self.record(
                _HAPPENING_KINDS[happening.kind],
                element_id=happening.element_id,
                name=happening.name,
                data=happening.data,
            )
        instance.happenings.clear()
        survey = instance.survey()
        work = self.perform(lambda: workitems.plan(self, survey.user_tasks, completed=completed))
        case = self.case
        case.state = self.perform(instance.dump)
        case.data = instance.snapshot(survey)
        case.next_timer_at = instance.next_timer_at()
        case.updated_at = self.now
        case.revision += 1
        case.error_message, case.error_element, case.pending_step = "", "", None
        if instance.completed:
            case.status, case.completed_at = CaseStatus.COMPLETED, self.now
            case.next_timer_at = None
            self.record(CaseEvent.Kind.ENDED, name=case.definition.name)
        else:
            case.status = CaseStatus.RUNNING if work.open_count else CaseStatus.WAITING
        writes = work.statements()
        # One UPDATE, without the model's save machinery (no signals listen to cases).
        writes.append(
            rows.update(
                Case,
                case.pk,
                {},
                state=case.state,
                data=case.data,
                next_timer_at=case.next_timer_at,
                updated_at=case.updated_at,
                revision=case.revision,
                status=case.status,
                error_message="",
                error_element="",
                pending_step=None,
                completed_at=case.completed_at,
            )
        )
        if case.sandbox:  # a test run's signals reach no other case: noted instead
            from obieg.engine.sandbox import holding

            holding.hold_signals(self, instance.thrown_signals())
        writes.extend(self.perform(lambda: external_sync.sync(self, survey.external_tasks)))
        if case.sandbox:
            self.new_keys.clear()  # no real message or signal reaches a test run
        else:
            # What the case now waits for, as keys a message or a signal finds it by.
            self.new_keys.extend(self.perform(instance.waiting_keys))
            self.new_keys.extend(signals.key_for(name) for name in instance.waiting_signals())
            signals.broadcast_after_commit(
                instance.thrown_signals(), origin=case.pk, actor=self.actor
            )
        keys = [CorrelationKey(case_id=case.pk, key=key[:200]) for key in self.new_keys]
        for statement in (
            rows.insert(CaseEvent, self.events, EVENT_FIELDS),
            rows.insert(CorrelationKey, keys, ("case", "key"), ignore_conflicts=True),
        ):
            if statement is not None:
                writes.append(statement)
        # All writes in one query (with `ends_transaction`, the COMMIT too): nothing after
        # it may touch the database.
        rows.run_together(writes, expect=work.expected(), ends_transaction=ends_transaction)
        # Everything this step saves is settled: its workflow can serve the case's next step.
        live.keep(
            case,
            instance.workflow,
            open_tasks=survey.user_tasks,
            external_ids=self.externals_before,
        )
        return case
