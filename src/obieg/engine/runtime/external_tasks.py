"""External tasks: workers outside Obieg fetch, lock and finish service tasks (Camunda's pattern).

A service task whose topic names no registered action waits for a worker
(`ExternalTask` rows, written by the step that reached it). A worker

- fetches and locks up to `max_tasks` open tasks of its topics for a lock
  duration (`fetch_and_lock`): each task goes to one worker only, however
  many ask at once — a conditional UPDATE per task, checked by its row
  count, behind `FOR UPDATE SKIP LOCKED` on PostgreSQL;
- completes a task with variables (`complete`): the case runs on, like a
  person's completion, under the case's row lock;
- reports a failure (`report_failure`) with the retries left and a back-off:
  the task is fetchable again after `retry_timeout`; with no retries left it
  is an incident the case page shows, until an administrator sets retries;
- throws a BPMN error (`throw_bpmn_error`) with a code, caught by an error
  boundary event on the task; an error nothing catches is an incident.

Only the worker holding the lock may finish a task: a worker whose lock
ran out and was taken by another gets a 409.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from obieg.core import access, clock
from obieg.engine.errors import ApplicationError, Conflict, PermissionDenied
from obieg.engine.models import CaseEvent, ExternalTask, ExternalTaskStatus
from obieg.engine.runtime import forms, rows
from obieg.engine.runtime.step import Step, StepError
from obieg.engine.spiff.serializer import encode_data

PERMISSION = "engine.work_external_tasks"


class NoSuchTask(ApplicationError):
    status_code = 404


MAX_LOCK = timedelta(days=7)
MAX_TASKS = 100


def may_work(user) -> bool:
    """Worker accounts (the `work_external_tasks` permission) and administrators."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (access.is_admin(user) or user.has_perm(PERMISSION))
    )


def ensure_may_work(user) -> None:
    if not may_work(user):
        raise PermissionDenied(_("Only worker accounts may fetch and finish external tasks."))


def _fetchable(now):
    return ExternalTask.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lte=now),
        Q(retry_at__isnull=True) | Q(retry_at__lte=now),
        status=ExternalTaskStatus.OPEN,
        incident=False,
    )


def fetch_and_lock(
    *, worker_id: str, topics: list[tuple[str, int]], max_tasks: int, actor
) -> list[ExternalTask]:
    """Lock up to `max_tasks` open tasks of the topics ((name, lock in ms)) for this worker."""
    ensure_may_work(actor)
    worker_id = worker_id.strip()
    if not worker_id:
        raise ApplicationError(
            _("Say which worker asks."), field_errors={"worker_id": [_("This field is required.")]}
        )
    max_tasks = max(0, min(max_tasks, MAX_TASKS))
    now = clock.now()
    locked: list[int] = []
    with transaction.atomic():
        for topic, lock_ms in topics:
            if len(locked) >= max_tasks:
                break
            until = now + min(timedelta(milliseconds=max(lock_ms, 0)), MAX_LOCK)
            candidates = _fetchable(now).filter(topic=topic).order_by("created_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            for pk in list(candidates.values_list("pk", flat=True)[: max_tasks - len(locked)]):
                # Exactly once: only the UPDATE that still finds the task free takes it.
                taken = (
                    _fetchable(now)
                    .filter(pk=pk)
                    .update(worker_id=worker_id[:200], locked_until=until)
                )
                if taken == 1:
                    locked.append(pk)
    found = ExternalTask.objects.in_bulk(locked)
    return [found[pk] for pk in locked]


def _held(task_id: int, worker_id: str) -> ExternalTask:
    """The open task, re-read, which `worker_id` must hold; else a 404 or a 409."""
    task = ExternalTask.objects.filter(pk=task_id).first()
    if task is None:
        raise NoSuchTask(_("There is no such external task."))
    if task.status != ExternalTaskStatus.OPEN:
        raise Conflict(
            _("This external task is already %(status)s.") % {"status": task.get_status_display()}
        )
    if not task.worker_id or task.worker_id != worker_id:
        raise Conflict(
            _("This external task is not locked by worker %(worker)s.") % {"worker": worker_id}
        )
    return task


def complete(
    *, task_id: int, worker_id: str, variables: dict[str, Any] | None, actor
) -> ExternalTask:
    """The worker did the task: its variables go into the case data and the case runs on."""
    ensure_may_work(actor)
    data = forms.clean("", variables or {})
    task = ExternalTask.objects.filter(pk=task_id).only("case_id").first()
    if task is None:
        raise NoSuchTask(_("There is no such external task."))
    try:
        with transaction.atomic(durable=True):
            case = rows.lock_case(task.case_id)
            from obieg.engine.runtime.services import _ensure_accepts_work

            _ensure_accepts_work(case)
            task = _held(task_id, worker_id)
            return complete_in(Step(case, actor), task, data)
    except StepError as error:
        from obieg.engine.runtime.services import _failed

        pending = {"kind": "external", "external_task": task_id, "data": encode_data(data)}
        raise _failed(task.case_id, error, actor=actor, pending=pending) from error


def open_task(task_id: int) -> ExternalTask:
    """An open external task (for an administrator's replay of a failed completion)."""
    task = ExternalTask.objects.filter(pk=task_id, status=ExternalTaskStatus.OPEN).first()
    if task is None:
        raise Conflict(_("This external task is no longer open."))
    return task


def complete_in(step: Step, task: ExternalTask, data: dict[str, Any]) -> ExternalTask:
    """Complete the engine's task and close the row, inside the caller's step."""
    instance = step.load()
    step.perform(lambda: instance.complete(str(task.task_id), data))
    _close(task, step, ExternalTaskStatus.COMPLETED)
    step.record(
        CaseEvent.Kind.TASK_COMPLETED,
        element_id=task.element_id,
        name=task.name,
        data={**data, "worker": task.worker_id},
    )
    step.save()
    return task


def _close(task: ExternalTask, step: Step, status: str, **extra) -> None:
    task.status, task.completed_at, task.locked_until = status, step.now, None
    task.completed_by = step.actor
    for name, value in extra.items():
        setattr(task, name, value)
    task.save(
        update_fields=["status", "completed_at", "locked_until", "completed_by", *extra.keys()]
    )


def report_failure(
    *,
    task_id: int,
    worker_id: str,
    error_message: str,
    error_details: str = "",
    retries: int,
    retry_timeout_ms: int = 0,
    actor,
) -> ExternalTask:
    """The worker could not do the task now: try again after the back-off, or raise an incident."""
    ensure_may_work(actor)
    now = clock.now()
    with transaction.atomic():
        task = _held(task_id, worker_id)
        retries = max(retries, 0)
        task.retries = retries
        task.error_message = (error_message or "")[:2000]
        task.error_details = (error_details or "")[:20000]
        task.locked_until, task.worker_id = None, ""
        task.retry_at = now + timedelta(milliseconds=max(retry_timeout_ms, 0)) if retries else None
        task.incident = retries == 0
        updated = ExternalTask.objects.filter(
            pk=task.pk, status=ExternalTaskStatus.OPEN, worker_id=worker_id
        ).update(
            retries=task.retries,
            error_message=task.error_message,
            error_details=task.error_details,
            locked_until=None,
            worker_id="",
            retry_at=task.retry_at,
            incident=task.incident,
        )
        if updated != 1:
            raise Conflict(
                _("This external task is not locked by worker %(worker)s.") % {"worker": worker_id}
            )
        CaseEvent.objects.create(
            case_id=task.case_id,
            at=now,
            actor=actor,
            kind=CaseEvent.Kind.INCIDENT if task.incident else CaseEvent.Kind.EXTERNAL_FAILED,
            element_id=task.element_id,
            name=task.name,
            data={"error": task.error_message, "retries": retries, "worker": worker_id},
        )
    return task


class _NotCaught(Exception):
    pass


def throw_bpmn_error(
    *,
    task_id: int,
    worker_id: str,
    error_code: str,
    error_message: str = "",
    variables: dict[str, Any] | None = None,
    actor,
) -> ExternalTask:
    """A business error the model handles: the task's error boundary event takes the case on."""
    ensure_may_work(actor)
    data = forms.clean("", variables or {})
    code = (error_code or "").strip()
    if not code:
        raise ApplicationError(
            _("Give the BPMN error code."),
            field_errors={"error_code": [_("This field is required.")]},
        )
    task = ExternalTask.objects.filter(pk=task_id).only("case_id").first()
    if task is None:
        raise NoSuchTask(_("There is no such external task."))
    try:
        with transaction.atomic(durable=True):
            case = rows.lock_case(task.case_id)
            from obieg.engine.runtime.services import _ensure_accepts_work

            _ensure_accepts_work(case)
            task = _held(task_id, worker_id)
            step = Step(case, actor)
            instance = step.load()
            if not step.perform(lambda: instance.throw_error(str(task.task_id), code, data)):
                raise _NotCaught
            _close(task, step, ExternalTaskStatus.CANCELLED, error_code=code[:200])
            step.record(
                CaseEvent.Kind.BPMN_ERROR,
                element_id=task.element_id,
                name=task.name,
                data={**data, "error_code": code, "error": error_message, "worker": worker_id},
            )
            step.save()
            return task
    except _NotCaught:
        message = _("BPMN error %(code)s is not caught by any error event of the model.") % {
            "code": code
        }
        _incident(task, actor, f"{message} {error_message}".strip(), code=code)
        raise Conflict(message) from None
    except StepError as error:
        from obieg.engine.runtime.services import _failed

        pending = {"kind": "timer"}  # nothing to replay: the error is thrown again by the worker
        raise _failed(task.case_id, error, actor=actor, pending=pending) from error


def _incident(task: ExternalTask, actor, message: str, *, code: str = "") -> None:
    now = clock.now()
    with transaction.atomic():
        ExternalTask.objects.filter(pk=task.pk, status=ExternalTaskStatus.OPEN).update(
            incident=True,
            retries=0,
            error_message=message[:2000],
            error_code=code[:200],
            locked_until=None,
            worker_id="",
        )
        CaseEvent.objects.create(
            case_id=task.case_id,
            at=now,
            actor=actor if getattr(actor, "pk", None) else None,
            kind=CaseEvent.Kind.INCIDENT,
            element_id=task.element_id,
            name=task.name,
            data={"error": message},
        )


def set_retries(*, task_id: int, retries: int, actor) -> ExternalTask:
    """An administrator lets workers try again (resolving an incident)."""
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator can set the retries of an external task."))
    if retries < 1:
        raise ApplicationError(
            _("Give at least one retry."), field_errors={"retries": [_("At least 1.")]}
        )
    with transaction.atomic():
        updated = ExternalTask.objects.filter(pk=task_id, status=ExternalTaskStatus.OPEN).update(
            retries=retries, incident=False, retry_at=None, locked_until=None, worker_id=""
        )
        task = ExternalTask.objects.filter(pk=task_id).first()
        if task is None:
            raise NoSuchTask(_("There is no such external task."))
        if updated != 1:
            raise Conflict(
                _("This external task is already %(status)s.")
                % {"status": task.get_status_display()}
            )
        CaseEvent.objects.create(
            case_id=task.case_id,
            at=clock.now(),
            actor=actor,
            kind=CaseEvent.Kind.RETRIES_SET,
            element_id=task.element_id,
            name=task.name,
            data={"retries": retries},
        )
    return task
