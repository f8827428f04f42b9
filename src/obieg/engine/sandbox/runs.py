"""Test runs of a draft: start, step through as any role, fire timers, discard.

A process administrator tries a draft before deploying it. The draft's
files (with the solution's current files, as deploying would take them)
become a *sandbox definition*: version 0, never a version of the process,
invisible to every list and lookup (`ProcessDefinition.objects`). A case on
it is a *test run* (`Case.sandbox`), invisible likewise (`Case.objects`).
The engine runs it like any case; what would reach others is held back
(`sandbox.holding`) and its actions are rehearsed and undone
(`sandbox.rehearsal`). Each service is one transaction under the case lock;
a step that fails rolls back whole and stops the run, as in a real case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from obieg.core import audit, clock
from obieg.core.errors import ApplicationError, Conflict
from obieg.engine import deploy
from obieg.engine.findings import Findings
from obieg.engine.models import (
    ACTIVE_CASE_STATUSES,
    Case,
    CaseEvent,
    DeployOrigin,
    ExternalTask,
    ExternalTaskStatus,
    ProcessDefinition,
    StudioDraft,
    WorkItem,
)
from obieg.engine.runtime import forms, live, rows
from obieg.engine.runtime.step import Step, StepError
from obieg.engine.spiff.serializer import encode_data
from obieg.engine.studio import workspace
from obieg.engine.studio.permissions import ensure_may_manage_processes


class NoSuchRun(ApplicationError):
    """No such test run (discarded, or a real case's id): a 404."""

    status_code = 404


# A refusal names at most this many problems (the drafts page lists them all).
PROBLEMS_SHOWN = 5


def _services():
    # The case services' own step machinery (completing a task, marking a failed step);
    # imported late: `runtime.services` imports the step, which imports this package.
    from obieg.engine.runtime import services

    return services


def runnable_processes(draft: StudioDraft) -> list[str]:
    """The process ids a draft's file defines (a test run starts one of them)."""
    return [] if draft.is_decision else workspace.process_ids(draft.xml)


def _prepared(draft: StudioDraft, process: str) -> tuple[str, str, str, dict[str, str]]:
    """(key, name, main file, files) of `process`, checked as a deploy checks it."""
    files = {d.file_name: d.xml for d in StudioDraft.objects.filter(solution=draft.solution)}
    findings = Findings()
    # The deploy's own checks and parse, over the same workspace, without storing anything.
    prepared = deploy._prepare_groups(
        [(draft.solution, workspace.merged_files(draft.solution, files))], findings
    )
    if findings.refusals:
        lines = [item.line() for item in findings.refusals[:PROBLEMS_SHOWN]]
        raise ApplicationError(
            _("The drafts have problems; validate them and fix these first: %(problems)s")
            % {"problems": "; ".join(lines)}
        )
    for key, name, main_file, needed, _solution in prepared:
        if key == process:
            return key, name, main_file, needed
    raise ApplicationError(
        _("The process %(key)s is not executable, so it cannot run.") % {"key": process},
        field_errors={"process": [_("Choose an executable process.")]},
    )


def start_run(
    *, actor, draft_id: int, process: str = "", data: dict[str, Any] | None = None
) -> Case:
    """Start a test run of a draft's process and run it until it waits.

    A failure at the start rolls everything back (the run does not exist) and
    comes back as an error saying where it stopped.
    """
    ensure_may_manage_processes(actor)
    draft = StudioDraft.objects.filter(pk=draft_id).first()
    if draft is None:
        raise NoSuchRun(_("This draft was deployed or discarded meanwhile."))
    choices = runnable_processes(draft)
    if not choices:
        raise ApplicationError(
            _("A decision table runs inside a process: start a test run of a process using it.")
        )
    process = process or choices[0]
    if process not in choices:
        raise ApplicationError(
            _("The draft has no process %(key)s.") % {"key": process},
            field_errors={"process": [_("Choose one of the draft's processes.")]},
        )
    key, name, main_file, sources = _prepared(draft, process)
    data = forms.clean("", data or {})
    now = clock.now()
    try:
        with transaction.atomic(durable=True):
            definition = ProcessDefinition.all_objects.create(
                sandbox=True,
                key=key,
                version=0,
                name=name[:200],
                solution=draft.solution,
                source_name=main_file,
                sources=sources,
                checksum=deploy.checksum(sources),
                origin=DeployOrigin.STUDIO,
                deployed_by=actor,
                deployed_at=now,
            )
            case = Case.all_objects.create(
                sandbox=True,
                definition=definition,
                # No subject: the run is named by its process in the reader's language
                # (labels.case_label); its pages mark it as a test run.
                title="",
                owner=actor,
                started_by=actor,
                started_at=now,
                updated_at=now,
            )
            step = Step(case, actor, refusals_to_caller=True)
            step.record(
                CaseEvent.Kind.STARTED,
                name=definition.name,
                data={**data, "sandbox_draft": draft.file_name},
            )
            step.start(data)
            step.save()
            audit.record(
                case,
                actor=actor,
                action="create",
                changes={"test_run_of": [None, f"{draft} ({key})"]},
            )
            return case
    except StepError as error:
        raise ApplicationError(
            _("The test run stopped at its start, at %(element)s: %(error)s")
            % {"element": error.element_id or _("an automatic step"), "error": error.message}
        ) from error


def _run_case_id(*, item_id: int | None = None, task_id: int | None = None) -> int:
    """The test run a work item or external task belongs to; NoSuchRun for a real case's."""
    model: type[WorkItem] | type[ExternalTask] = WorkItem if item_id is not None else ExternalTask
    pk = item_id if item_id is not None else task_id
    case_id = (
        model._default_manager.filter(pk=pk or 0, case__sandbox=True)
        .values_list("case_id", flat=True)
        .first()
    )
    if case_id is None:
        raise NoSuchRun(_("There is no such task in a test run."))
    return case_id


def _lock_run(case_id: int) -> Case:
    try:
        case = rows.lock_case(case_id)
    except Case.DoesNotExist:
        raise NoSuchRun(_("This test run was discarded.")) from None
    if not case.sandbox:
        raise NoSuchRun(_("There is no such test run."))
    return case


def complete_as(
    *, actor, work_item_id: int, data: dict[str, Any] | None, revision: int | None = None
) -> WorkItem:
    """Complete a test run's task as whoever it would go to: checked by its form, run on.

    The administrator acts for the task's role, department or person without
    being given them anywhere; the history names the administrator.
    """
    ensure_may_manage_processes(actor)
    services = _services()
    case_id = _run_case_id(item_id=work_item_id)
    cleaned: dict[str, Any] | None = None
    try:
        with transaction.atomic(durable=True):
            case, item = rows.lock_case_and_read_item(case_id, work_item_id)
            if not case.sandbox:
                raise NoSuchRun(_("There is no such test run."))
            services._ensure_accepts_work(case)
            services.ensure_open(item)
            if revision is not None and revision != item.revision:
                raise services.lost_race(item.pk)
            cleaned = forms.clean(item.form_key, data or {}, case=case)
            services._complete_in(Step(case, actor, refusals_to_caller=True), item, cleaned)
    except StepError as error:
        pending = {"kind": "complete", "work_item": work_item_id, "data": encode_data(cleaned)}
        raise services._failed(case_id, error, actor=actor, pending=pending) from error
    return item


def fire_timers_now(*, actor, case_id: int) -> Case:
    """Fire the run's next timer now, as if its moment had come (and any due with it)."""
    ensure_may_manage_processes(actor)
    services = _services()
    try:
        with transaction.atomic(durable=True):
            case = _lock_run(case_id)
            services._ensure_accepts_work(case)
            if case.next_timer_at is None:
                raise Conflict(_("This test run waits for no timer."))
            moment: datetime = max(case.next_timer_at, clock.now())
            step = Step(case, actor)
            instance = step.load()
            # Only the timers see the later moment; the history and due dates keep today's.
            with clock.frozen(moment):
                step.perform(instance.fire_timers)
            return step.save()
    except StepError as error:
        raise services._failed(case_id, error, actor=actor, pending={"kind": "timer"}) from error


def complete_external(
    *, actor, external_task_id: int, variables: dict[str, Any] | None
) -> ExternalTask:
    """Complete a test run's external task as its worker would, with `variables`."""
    ensure_may_manage_processes(actor)
    services = _services()
    from obieg.engine.runtime import external_tasks

    case_id = _run_case_id(task_id=external_task_id)
    data = forms.clean("", variables or {})
    try:
        with transaction.atomic(durable=True):
            case = _lock_run(case_id)
            services._ensure_accepts_work(case)
            task = ExternalTask.objects.filter(
                pk=external_task_id, case_id=case.pk, status=ExternalTaskStatus.OPEN
            ).first()
            if task is None:
                raise Conflict(_("This external task is no longer open."))
            return external_tasks.complete_in(Step(case, actor), task, data)
    except StepError as error:
        pending = {"kind": "external", "external_task": external_task_id, "data": encode_data(data)}
        raise services._failed(case_id, error, actor=actor, pending=pending) from error


def discard_run(*, actor, case_id: int) -> None:
    """Delete a test run: the case, its tasks, history, keys and its sandbox definition."""
    ensure_may_manage_processes(actor)
    with transaction.atomic():
        case = _lock_run(case_id)
        definition_id = case.definition_id
        title = case.title
        # The case's rows go with it (work items, history, external tasks, keys: CASCADE).
        deleted = Case.all_objects.filter(pk=case.pk, sandbox=True).delete()[1]
        if not deleted.get(Case._meta.label):
            raise NoSuchRun(_("This test run was discarded."))
        ProcessDefinition.all_objects.filter(pk=definition_id, sandbox=True).delete()
        audit.record(case, actor=actor, action="delete", changes={"test_run": [title, None]})
    live.forget(case_id)


def is_active(case: Case) -> bool:
    return case.status in ACTIVE_CASE_STATUSES
