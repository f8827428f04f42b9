"""Taking a task from a queue, giving it back, and handing it to someone else.

Each locks the case row first (the lock every step takes, so a claim and a
completion of the same case never interleave), then writes the work item
with one conditional UPDATE: only while the item is still open and at the
revision that was read. A write that finds the item changed affected no
row; the caller gets a 409 naming who won, and nothing is recorded, so the
history never shows "claimed by A, completed by B".
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.core import clock
from obieg.engine.errors import ApplicationError, Conflict
from obieg.engine.models import CaseEvent, WorkItem, WorkItemStatus
from obieg.engine.runtime import rows
from obieg.engine.runtime.permissions import ensure_manages, ensure_may_work_on


def _fresh(pk: int) -> WorkItem:
    return WorkItem.objects.select_related(
        "assignee__team", "assignee__department", "candidate_department", "completed_by", "case"
    ).get(pk=pk)


def _locked(work_item: WorkItem) -> WorkItem:
    """Lock the item's case, then read the item as it now stands."""
    rows.lock_case(work_item.case_id)
    return _fresh(work_item.pk)


def _history(item: WorkItem, kind: str, actor, data: dict | None = None) -> None:
    CaseEvent.objects.create(
        case_id=item.case_id,
        at=clock.now(),
        actor=actor,
        kind=kind,
        element_id=item.element_id,
        name=item.name,
        data=data or {},
    )


def ensure_open(item: WorkItem) -> None:
    """Refuse, naming who did it, when the item is no longer open."""
    if item.status == WorkItemStatus.COMPLETED:
        raise Conflict(
            _("This task was already completed by %(person)s.")
            % {"person": item.completed_by or _("someone else")}
        )
    if item.status == WorkItemStatus.CANCELLED:
        raise Conflict(_("This task was cancelled; the case has moved on."))


def taken_from_queue(item: WorkItem) -> Conflict:
    """The 409 for a queue member whose queued task someone took or finished meanwhile."""
    try:
        ensure_open(item)
    except Conflict as conflict:
        return conflict
    return Conflict(_("%(person)s has already taken this task.") % {"person": item.assignee})


def lost_race(pk: int) -> Conflict:
    """The 409 for a write that found the item changed: who won, as far as the row tells."""
    item = _fresh(pk)
    try:
        ensure_open(item)
    except Conflict as conflict:
        return conflict
    if item.assignee_id is not None:
        return Conflict(
            _("This task changed since you opened it: %(person)s has it now. Reload it.")
            % {"person": item.assignee}
        )
    return Conflict(
        _("This task changed since you opened it: it went back to its queue. Reload it.")
    )


def _write(item: WorkItem, **changes) -> None:
    """Change the item only if it is still open at the revision read; else say who won."""
    changed = WorkItem.objects.filter(
        pk=item.pk, status=WorkItemStatus.OPEN, revision=item.revision
    ).update(revision=models.F("revision") + 1, **changes)
    if changed != 1:
        raise lost_race(item.pk)


def _ensure_revision(item: WorkItem, revision: int | None) -> None:
    if revision is not None and revision != item.revision:
        raise lost_race(item.pk)


@transaction.atomic
def claim(*, work_item: WorkItem, actor, revision: int | None = None) -> WorkItem:
    """Take a task from its group's or department's queue; it leaves the others' inboxes."""
    item = _locked(work_item)
    ensure_open(item)
    if item.assignee_id == actor.pk:
        return item
    if item.assignee_id is not None:
        raise Conflict(_("%(person)s has already taken this task.") % {"person": item.assignee})
    _ensure_revision(item, revision)
    ensure_may_work_on(item, actor)
    _write(item, assignee=actor, claimed_at=clock.now())
    _history(item, CaseEvent.Kind.CLAIMED, actor)
    return _fresh(item.pk)


@transaction.atomic
def release(*, work_item: WorkItem, actor, revision: int | None = None) -> WorkItem:
    """Give a claimed task back to its queue."""
    item = _locked(work_item)
    ensure_open(item)
    _ensure_revision(item, revision)
    if item.assignee_id != actor.pk:
        ensure_manages(actor, item)
    if not item.candidate_group and not item.candidate_department_id:
        raise ApplicationError(
            _("This task has no queue to go back to; a manager can hand it to someone else.")
        )
    _write(item, assignee=None, claimed_at=None)
    _history(item, CaseEvent.Kind.RELEASED, actor, {"from": str(item.assignee or "")})
    return _fresh(item.pk)


@transaction.atomic
def reassign(*, work_item: WorkItem, actor, to, revision: int | None = None) -> WorkItem:
    """A manager hands a task to another person."""
    item = _locked(work_item)
    ensure_open(item)
    _ensure_revision(item, revision)
    ensure_manages(actor, item)
    if not to.is_active:
        raise ApplicationError(
            _("%(person)s cannot take tasks (inactive account).") % {"person": to}
        )
    before = item.assignee
    _write(item, assignee=to, claimed_at=clock.now())
    _history(
        item,
        CaseEvent.Kind.REASSIGNED,
        actor,
        {"from": str(before) if before else "", "to": str(to)},
    )
    return _fresh(item.pk)
