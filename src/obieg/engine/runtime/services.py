"""Changing cases: start, complete, message, cancel, retry. One transaction each.

Every service locks the case row it advances, so two people (or a person
and the clock) cannot move one case at the same time. When an automatic
step fails, its whole transaction is rolled back and, in a transaction of
its own, the case is marked `error` with what failed and what to replay;
`retry_case` replays it once an administrator has fixed the cause (or
corrected the data), `move_case_back` puts it back at a chosen user task.

These services own their transactions: they are `durable`, so calling one
inside a caller's `transaction.atomic()` is a programming error raised at
once (RuntimeError) — the caller's rollback would otherwise undo the record
of a failure, leaving a case that looks `running` with nothing to do. An
entry point that creates business records and starts a case commits its
records first, then starts the case (see `solutions/*/services.py`).

A business refusal raised while a person completes a task (an action's
`ApplicationError`) reaches that person as a form error: the step rolls
back, the task stays open, the case is not stopped.
Claiming, releasing and reassigning are in `runtime.claims`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.core import access, clock
from obieg.engine.errors import ApplicationError, Conflict, PermissionDenied, StepFailed
from obieg.engine.models import (
    ACTIVE_CASE_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    CorrelationKey,
    ExternalTask,
    ExternalTaskStatus,
    ProcessDefinition,
    WorkItem,
    WorkItemStatus,
)
from obieg.engine.runtime import forms, rows, starts
from obieg.engine.runtime.claims import (  # noqa: F401
    claim,
    ensure_open,
    lost_race,
    reassign,
    release,
)
from obieg.engine.runtime.permissions import ensure_may_work_on
from obieg.engine.runtime.step import Step, StepError
from obieg.engine.spiff.serializer import decode_data, encode_data

logger = logging.getLogger(__name__)


def subject_key(subject: models.Model) -> str:
    """The correlation key every case gets for its business object, e.g. "sales.offer:17"."""
    return f"{subject._meta.label_lower}:{subject.pk}"


def start_case(
    *,
    process: str,
    actor,
    subject: models.Model | None = None,
    owner=None,
    data: dict[str, Any] | None = None,
    title: str = "",
    keys: Iterable[str] = (),
    event: tuple[str, str] | None = None,
) -> Case:
    """Start the latest version of `process` for `subject` and run it until it waits.

    `event` ("message" | "signal", name) starts it at the start event waiting for
    that message or signal (see `runtime.starts`), its other start events left aside.
    """
    definition = ProcessDefinition.objects.filter(key=process).order_by("-version").first()
    if definition is None:
        raise ApplicationError(_("There is no process %(key)r.") % {"key": process})
    data = forms.clean("", data or {})
    all_keys = [*keys, *([subject_key(subject)] if subject is not None else [])]
    case = Case(
        definition=definition,
        title=(title or (str(subject) if subject is not None else definition.name))[:200],
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        owner=owner if owner is not None else (actor if getattr(actor, "pk", None) else None),
        started_by=actor if getattr(actor, "pk", None) else None,
        started_at=clock.now(),
        updated_at=clock.now(),
    )
    try:
        with transaction.atomic(durable=True):
            case.save()
            CorrelationKey.objects.bulk_create(
                [CorrelationKey(case=case, key=k) for k in set(all_keys)]
            )
            step = Step(case, actor)
            started = {**data, **({event[0]: event[1]} if event else {})}
            step.record(CaseEvent.Kind.STARTED, name=definition.name, data=started)
            step.start(data, event)
            return step.save()
    except StepError as error:
        # The start rolled back entirely; keep the case, stopped, so it can be retried.
        case.pk, case.state, case.next_timer_at, case.revision = None, "", None, 0
        case.status = CaseStatus.ERROR
        case.data = data
        case.pending_step = {"kind": "start", "data": encode_data(data), "event": event}
        with transaction.atomic():
            case.save()
            CorrelationKey.objects.bulk_create(
                [CorrelationKey(case=case, key=k) for k in set(all_keys)]
            )
        raise _failed(case.pk, error, actor=actor, pending=case.pending_step) from error


def start_case_keeping_records(**arguments) -> Case:
    """`start_case` for an entry point whose records are already committed.

    A public lead, a new project, an inquiry: the customer's submission and
    the records made from it must not vanish because the case's first step
    failed. The case is then kept, stopped, in the administrators' list of
    failed cases (`retry_case` starts it again); it is returned like a running one.
    """
    try:
        return start_case(**arguments)
    except StepFailed as failure:
        logger.warning("Case %s stopped at its start: %s", failure.case_id, failure.message)
        return Case.objects.get(pk=failure.case_id)


def complete(
    *, work_item: WorkItem, actor, data: dict[str, Any] | None = None, revision: int | None = None
) -> WorkItem:
    """Complete a user task with the submitted form data and run the case on."""
    cleaned: dict[str, Any] | None = None
    try:
        with transaction.atomic(durable=True):
            case, item = rows.lock_case_and_read_item(work_item.case_id, work_item.pk)
            _ensure_accepts_work(case)
            ensure_open(item)
            if revision is not None and revision != item.revision:
                raise lost_race(item.pk)
            ensure_may_work_on(item, actor)
            cleaned = forms.clean(item.form_key, data or {}, case=case)
            # What the person typed may be refused by an action: that is their form error.
            step = Step(case, actor, refusals_to_caller=True)
            _complete_in(step, item, cleaned, ends_transaction=True)
    except StepError as error:
        pending = {"kind": "complete", "work_item": work_item.pk, "data": encode_data(cleaned)}
        raise _failed(work_item.case_id, error, actor=actor, pending=pending) from error
    except rows.RowsChanged:
        # A claim or hand-over committed a change to the item first: say who won.
        raise lost_race(work_item.pk) from None
    return item


def _complete_in(
    step: Step, item: WorkItem, data: dict[str, Any], *, ends_transaction: bool = False
) -> Case:
    instance = step.load()
    step.perform(lambda: instance.complete(str(item.task_id), data))
    step.record(
        CaseEvent.Kind.TASK_COMPLETED, element_id=item.element_id, name=item.name, data=data
    )
    try:
        return step.save(completed=item, ends_transaction=ends_transaction)
    except rows.RowsChanged as changed:
        if changed.by_server:
            raise  # the transaction failed with it: `complete` says who won once rolled back
        raise lost_race(item.pk) from None


def _ensure_accepts_work(case: Case) -> None:
    if case.status == CaseStatus.ERROR:
        raise Conflict(
            _("This case is stopped by an error (%(error)s); an administrator must retry it first.")
            % {"error": case.error_message}
        )
    if case.status not in ACTIVE_CASE_STATUSES:
        raise Conflict(_("This case is %(status)s.") % {"status": case.get_status_display()})


def send_message(
    *,
    name: str,
    key: str,
    payload: dict[str, Any] | None = None,
    actor=None,
    may_start: bool = True,
) -> list[Case]:
    """Deliver message `name` (e.g. "offer_accepted") to the cases waiting for it under `key`.

    When no case waits for it, the message starts a case of each process whose
    start event waits for it (`runtime.starts`), unless `may_start` is False.
    """
    payload = forms.clean("", payload or {})
    case_ids = list(
        CorrelationKey.objects.filter(key=key, case__status__in=ACTIVE_CASE_STATUSES)
        .order_by("case_id")
        .values_list("case_id", flat=True)
    )
    delivered = []
    for case_id in case_ids:
        try:
            with transaction.atomic(durable=True):
                case = rows.lock_case(case_id)
                if case.status not in ACTIVE_CASE_STATUSES:
                    continue
                step = Step(case, actor)
                instance = step.load()
                if step.perform(functools.partial(instance.deliver, name, payload)):
                    delivered.append(step.save())
        except StepError as error:
            pending = {"kind": "message", "name": name, "payload": encode_data(payload)}
            raise _failed(case_id, error, actor=actor, pending=pending) from error
    if not delivered and may_start:
        delivered = starts.start_by_event("message", name, payload=payload, actor=actor, key=key)
    if not delivered:
        raise ApplicationError(
            _("No case is waiting for the message %(name)r with key %(key)r.")
            % {"name": name, "key": key}
        )
    return delivered


def waiting_messages(case: Case) -> set[str]:
    """The messages the case waits for now (a solution speaks to older versions by them)."""
    if not case.state or case.status not in ACTIVE_CASE_STATUSES:
        return set()
    return Step(case, None).load().waiting_messages()


def cancel_case(*, case: Case, actor, reason: str) -> Case:
    """Stop a case for good, with the reason; its open tasks disappear from inboxes."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why the case is cancelled."),
            field_errors={"reason": [_("This field is required.")]},
        )
    with transaction.atomic(durable=True):
        case = rows.lock_case(case.pk)
        access.ensure_can_change(actor, case)
        if case.status in (CaseStatus.COMPLETED, CaseStatus.CANCELLED):
            raise Conflict(
                _("This case is already %(status)s.") % {"status": case.get_status_display()}
            )
        step = Step(case, actor)
        if case.state:
            try:
                instance = step.load()
                step.perform(instance.cancel)
                case.state = step.perform(instance.dump)
            except StepError:
                pass  # a broken state must not stop a cancellation; the rows say it all
        WorkItem.objects.filter(case=case, status=WorkItemStatus.OPEN).update(
            status=WorkItemStatus.CANCELLED, completed_at=step.now
        )
        ExternalTask.objects.filter(case=case, status=ExternalTaskStatus.OPEN).update(
            status=ExternalTaskStatus.CANCELLED, completed_at=step.now, locked_until=None
        )
        case.status, case.cancel_reason, case.next_timer_at = CaseStatus.CANCELLED, reason, None
        case.completed_at = case.updated_at = step.now
        case.revision += 1
        case.save(
            update_fields=[
                "state",
                "status",
                "cancel_reason",
                "next_timer_at",
                "completed_at",
                "updated_at",
                "revision",
            ]
        )
        step.record(CaseEvent.Kind.CANCELLED, data={"reason": reason})
        CaseEvent.objects.bulk_create(step.events)
    return case


def retry_case(*, case: Case, actor, data: dict[str, Any] | None = None) -> Case:
    """Replay the step that failed, after an administrator fixed its cause.

    `data`, when given, replaces what the failed step was given (the
    person's form, a message's payload, the start data): the administrator
    corrects a value and replays. It is checked like the original; a refusal
    comes back to the administrator and the case stays stopped.
    """
    _ensure_admin(actor, _("Only an administrator can retry a failed step."))
    pending: dict[str, Any] = case.pending_step or {"kind": "timer"}
    try:
        with transaction.atomic(durable=True):
            case = rows.lock_case(case.pk)
            if case.status != CaseStatus.ERROR:
                raise Conflict(_("This case is not stopped by an error."))
            pending = dict(case.pending_step or {"kind": "timer"})
            if data is not None:
                pending = _corrected(pending, data, case)
            original = _user(pending.get("actor"))
            step = Step(case, original or actor, refusals_to_caller=True)
            event = {"error": case.error_message}
            if data is not None:
                event["corrected"] = encode_data(_decoded_data(pending))
            step.record(CaseEvent.Kind.RETRIED, actor=actor, data=event)
            return _replay(step, pending)
    except StepError as error:
        raise _failed(case.pk, error, actor=actor, pending=pending) from error


def pending_data(case: Case) -> dict[str, Any] | None:
    """What the failed step was given (typed), for an administrator to read and correct."""
    if case.status != CaseStatus.ERROR or not case.pending_step:
        return None
    return _decoded_data(case.pending_step)


def _data_key(kind: str) -> str | None:
    """Where a pending step keeps what it was given (a timer was given nothing)."""
    return {
        "message": "payload",
        "signal": "payload",
        "start": "data",
        "complete": "data",
        "external": "data",
    }.get(kind)


def _decoded_data(pending: dict[str, Any]) -> dict[str, Any] | None:
    key = _data_key(pending["kind"])
    return None if key is None else decode_data(pending.get(key)) or {}


def _corrected(pending: dict[str, Any], data: dict[str, Any], case: Case) -> dict[str, Any]:
    """The pending step with the administrator's data, checked as the original was."""
    key = _data_key(pending["kind"])
    if key is None:
        raise ApplicationError(_("A timer's step has no data to correct; retry it as it is."))
    form_key = (
        rows.work_item(pending["work_item"]).form_key if pending["kind"] == "complete" else ""
    )
    return {**pending, key: encode_data(forms.clean(form_key, data, case=case))}


def _ensure_admin(actor, message: str) -> None:
    if not access.is_admin(actor):
        raise PermissionDenied(message)


def _replay(step: Step, pending: dict[str, Any]) -> Case:
    kind = pending["kind"]
    if kind == "start":
        step.record(CaseEvent.Kind.STARTED, name=step.case.definition.name)
        event = pending.get("event")
        step.start(decode_data(pending["data"]), tuple(event) if event else None)
        return step.save()
    if kind == "complete":
        item = rows.work_item(pending["work_item"])
        ensure_open(item)
        return _complete_in(step, item, decode_data(pending["data"]) or {})
    if kind == "external":
        from obieg.engine.runtime import external_tasks

        task = external_tasks.open_task(pending["external_task"])
        external_tasks.complete_in(step, task, decode_data(pending["data"]) or {})
        return step.case
    instance = step.load()
    if kind == "message":
        step.perform(lambda: instance.deliver(pending["name"], decode_data(pending["payload"])))
    elif kind == "signal":
        payload = decode_data(pending["payload"])
        step.perform(lambda: instance.deliver_signal(pending["name"], payload))
    else:
        step.perform(instance.fire_timers)
    return step.save()


def return_points(case: Case) -> list[dict[str, str]]:
    """The user tasks a stopped or running case can be moved back to (task id, name)."""
    if not case.state or case.status in (CaseStatus.COMPLETED, CaseStatus.CANCELLED):
        return []
    step = Step(case, None)
    try:
        instance = step.load()
    except StepError:
        return []
    return instance.return_points()


def move_case_back(*, case: Case, actor, task_id: str, reason: str) -> Case:
    """An administrator puts the case back at a user task it passed (or waits at).

    The task opens again with the data it had then; the steps after it are
    undone in the engine (business records they made stay, as in any
    reopened process) and the move is recorded with its reason.
    """
    _ensure_admin(actor, _("Only an administrator can move a case back."))
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why the case is moved back."),
            field_errors={"reason": [_("This field is required.")]},
        )
    with transaction.atomic(durable=True):
        case = rows.lock_case(case.pk)
        if case.status in (CaseStatus.COMPLETED, CaseStatus.CANCELLED) or not case.state:
            raise Conflict(
                _("This case cannot be moved back (%(status)s).")
                % {"status": case.get_status_display()}
            )
        step = Step(case, actor, refusals_to_caller=True)
        instance = step.load()
        points = {point["id"]: point for point in instance.return_points()}
        if task_id not in points:
            raise ApplicationError(
                _("Choose one of the tasks the case can go back to."),
                field_errors={"task": [_("Choose one of the tasks listed.")]},
            )
        try:
            step.perform(lambda: instance.move_back(task_id))
        except StepError as error:
            raise ApplicationError(
                _("The case cannot go back there: %(error)s") % {"error": error.message}
            ) from error
        step.record(
            CaseEvent.Kind.MOVED_BACK,
            element_id=points[task_id]["element_id"],
            name=points[task_id]["name"],
            data={"reason": reason, "error": case.error_message},
        )
        try:
            return step.save()
        except StepError as error:
            raise ApplicationError(
                _("The case cannot go back there: %(error)s") % {"error": error.message}
            ) from error


def _user(user_id):
    if not user_id:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _failed(case_id: int, error: StepError, *, actor, pending: dict[str, Any]) -> StepFailed:
    """Mark the case stopped (after the step's rollback) and say so to the caller."""
    actor_id = getattr(actor, "pk", None)
    pending = {**pending, "actor": pending.get("actor", actor_id)}
    now = clock.now()
    with transaction.atomic(durable=True):
        Case.all_objects.filter(pk=case_id).update(  # a test run stops like any case
            status=CaseStatus.ERROR,
            error_message=error.message[:2000],
            error_element=error.element_id[:200],
            pending_step=pending,
            updated_at=now,
            revision=models.F("revision") + 1,
        )
        CaseEvent.objects.create(
            case_id=case_id,
            at=now,
            actor_id=actor_id,
            kind=CaseEvent.Kind.STEP_FAILED,
            element_id=error.element_id[:200],
            data={"error": error.message},
        )
    return StepFailed(
        _("The case stopped at %(element)s: %(error)s. An administrator can retry it.")
        % {"element": error.element_id or _("an automatic step"), "error": error.message},
        case_id=case_id,
        element_id=error.element_id,
    )
