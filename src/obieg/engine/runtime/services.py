"""Changing cases: start, complete, message, cancel, retry. One transaction each.

Every service locks the case row it advances, so two people (or a person
and the clock) cannot move one case at the same time. When an automatic
step fails, its whole transaction is rolled back and, in a transaction of
its own, the case is marked `error` with what failed and what to replay;
`retry_case` replays it once an administrator has fixed the cause.
Claiming, releasing and reassigning are in `runtime.claims`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.core import access
from obieg.engine import clock
from obieg.engine.errors import ApplicationError, Conflict, PermissionDenied, StepFailed
from obieg.engine.models import (
    ACTIVE_CASE_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    CorrelationKey,
    ProcessDefinition,
    WorkItem,
    WorkItemStatus,
)
from obieg.engine.runtime import forms, rows
from obieg.engine.runtime.claims import claim, ensure_open, reassign, release  # noqa: F401
from obieg.engine.runtime.permissions import ensure_may_work_on
from obieg.engine.runtime.step import Step, StepError, lock_case
from obieg.engine.spiff.serializer import decode_data, encode_data


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
) -> Case:
    """Start the latest version of `process` for `subject` and run it until it waits."""
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
        with transaction.atomic():
            case.save()
            CorrelationKey.objects.bulk_create(
                [CorrelationKey(case=case, key=k) for k in set(all_keys)]
            )
            step = Step(case, actor)
            step.record(CaseEvent.Kind.STARTED, name=definition.name, data=data)
            step.start(data)
            return step.save()
    except StepError as error:
        # The start rolled back entirely; keep the case, stopped, so it can be retried.
        case.pk, case.state, case.next_timer_at, case.revision = None, "", None, 0
        case.status = CaseStatus.ERROR
        case.data = data
        case.pending_step = {"kind": "start", "data": encode_data(data)}
        with transaction.atomic():
            case.save()
            CorrelationKey.objects.bulk_create(
                [CorrelationKey(case=case, key=k) for k in set(all_keys)]
            )
        raise _failed(case.pk, error, actor=actor, pending=case.pending_step) from error


def complete(
    *, work_item: WorkItem, actor, data: dict[str, Any] | None = None, revision: int | None = None
) -> WorkItem:
    """Complete a user task with the submitted form data and run the case on."""
    cleaned: dict[str, Any] | None = None
    try:
        with transaction.atomic():
            case, item = rows.lock_case_and_read_item(work_item.case_id, work_item.pk)
            _ensure_accepts_work(case)
            ensure_open(item)
            if revision is not None and revision != item.revision:
                raise Conflict(
                    _("This task was claimed or handed over since you opened it; reload it.")
                )
            ensure_may_work_on(item, actor)
            cleaned = forms.clean(item.form_key, data or {})
            _complete_in(Step(case, actor), item, cleaned)
    except StepError as error:
        pending = {"kind": "complete", "work_item": work_item.pk, "data": encode_data(cleaned)}
        raise _failed(work_item.case_id, error, actor=actor, pending=pending) from error
    return item


def _complete_in(step: Step, item: WorkItem, data: dict[str, Any]) -> Case:
    instance = step.load()
    step.perform(lambda: instance.complete(str(item.task_id), data))
    step.record(
        CaseEvent.Kind.TASK_COMPLETED, element_id=item.element_id, name=item.name, data=data
    )
    return step.save(completed=item)


def _ensure_accepts_work(case: Case) -> None:
    if case.status == CaseStatus.ERROR:
        raise Conflict(
            _("This case is stopped by an error (%(error)s); an administrator must retry it first.")
            % {"error": case.error_message}
        )
    if case.status not in ACTIVE_CASE_STATUSES:
        raise Conflict(_("This case is %(status)s.") % {"status": case.get_status_display()})


def send_message(
    *, name: str, key: str, payload: dict[str, Any] | None = None, actor=None
) -> list[Case]:
    """Deliver message `name` (e.g. "offer_accepted") to the cases waiting for it under `key`."""
    payload = forms.clean("", payload or {})
    case_ids = list(
        CorrelationKey.objects.filter(key=key, case__status__in=ACTIVE_CASE_STATUSES)
        .order_by("case_id")
        .values_list("case_id", flat=True)
    )
    delivered = []
    for case_id in case_ids:
        try:
            with transaction.atomic():
                case = lock_case(case_id)
                if case.status not in ACTIVE_CASE_STATUSES:
                    continue
                step = Step(case, actor)
                instance = step.load()
                if step.perform(lambda instance=instance: instance.deliver(name, payload)):
                    delivered.append(step.save())
        except StepError as error:
            pending = {"kind": "message", "name": name, "payload": encode_data(payload)}
            raise _failed(case_id, error, actor=actor, pending=pending) from error
    if not delivered:
        raise ApplicationError(
            _("No case is waiting for the message %(name)r with key %(key)r.")
            % {"name": name, "key": key}
        )
    return delivered


def cancel_case(*, case: Case, actor, reason: str) -> Case:
    """Stop a case for good, with the reason; its open tasks disappear from inboxes."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Say why the case is cancelled."),
            field_errors={"reason": [_("This field is required.")]},
        )
    with transaction.atomic():
        case = lock_case(case.pk)
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


def retry_case(*, case: Case, actor) -> Case:
    """Replay the step that failed, after an administrator fixed its cause."""
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can retry a failed step."))
    pending = case.pending_step
    try:
        with transaction.atomic():
            case = lock_case(case.pk)
            if case.status != CaseStatus.ERROR:
                raise Conflict(_("This case is not stopped by an error."))
            pending = case.pending_step or {"kind": "timer"}
            original = _user(pending.get("actor"))
            step = Step(case, original or actor)
            step.record(CaseEvent.Kind.RETRIED, actor=actor, data={"error": case.error_message})
            return _replay(step, pending)
    except StepError as error:
        raise _failed(case.pk, error, actor=actor, pending=pending) from error


def _replay(step: Step, pending: dict[str, Any]) -> Case:
    kind = pending["kind"]
    if kind == "start":
        step.record(CaseEvent.Kind.STARTED, name=step.case.definition.name)
        step.start(decode_data(pending["data"]))
        return step.save()
    if kind == "complete":
        item = WorkItem.objects.get(pk=pending["work_item"])
        ensure_open(item)
        return _complete_in(step, item, decode_data(pending["data"]) or {})
    instance = step.load()
    if kind == "message":
        step.perform(lambda: instance.deliver(pending["name"], decode_data(pending["payload"])))
    else:
        step.perform(instance.fire_timers)
    return step.save()


def _user(user_id):
    if not user_id:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _failed(case_id: int, error: StepError, *, actor, pending: dict[str, Any]) -> StepFailed:
    """Mark the case stopped (after the step's rollback) and say so to the caller."""
    actor_id = getattr(actor, "pk", None)
    pending = {**pending, "actor": pending.get("actor", actor_id)}
    now = clock.now()
    with transaction.atomic():
        Case.objects.filter(pk=case_id).update(
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
