"""Taking a task from a queue, giving it back, and handing it to someone else.

Each is one conditional UPDATE of the work item (so two people claiming
at once cannot both win) plus a history line; the case state is not
touched, so claiming never waits for a running step.
"""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.engine import clock
from obieg.engine.errors import ApplicationError, Conflict
from obieg.engine.models import CaseEvent, WorkItem, WorkItemStatus
from obieg.engine.runtime.permissions import ensure_manages, ensure_may_work_on


def bump(queryset: models.QuerySet, **changes) -> int:
    """Update rows and their revision (which makes open forms stale) in one statement."""
    return queryset.update(revision=models.F("revision") + 1, **changes)


def _fresh(work_item: WorkItem) -> WorkItem:
    return WorkItem.objects.select_related(
        "assignee__team", "assignee__department", "candidate_department", "completed_by", "case"
    ).get(pk=work_item.pk)


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


@transaction.atomic
def claim(*, work_item: WorkItem, actor) -> WorkItem:
    """Take a task from its group's or department's queue; it leaves the others' inboxes."""
    item = _fresh(work_item)
    ensure_open(item)
    if item.assignee_id == actor.pk:
        return item
    if item.assignee_id is not None:
        raise Conflict(_("%(person)s has already taken this task.") % {"person": item.assignee})
    ensure_may_work_on(item, actor)
    taken = bump(
        WorkItem.objects.filter(pk=item.pk, status=WorkItemStatus.OPEN, assignee__isnull=True),
        assignee=actor,
        claimed_at=clock.now(),
    )
    if not taken:  # someone claimed it between our read and our write
        return claim(work_item=item, actor=actor)
    _history(item, CaseEvent.Kind.CLAIMED, actor)
    return _fresh(item)


@transaction.atomic
def release(*, work_item: WorkItem, actor) -> WorkItem:
    """Give a claimed task back to its queue."""
    item = _fresh(work_item)
    ensure_open(item)
    if item.assignee_id != actor.pk:
        ensure_manages(actor, item)
    if not item.candidate_group and not item.candidate_department_id:
        raise ApplicationError(
            _("This task has no queue to go back to; a manager can hand it to someone else.")
        )
    bump(WorkItem.objects.filter(pk=item.pk), assignee=None, claimed_at=None)
    _history(item, CaseEvent.Kind.RELEASED, actor, {"from": str(item.assignee or "")})
    return _fresh(item)


@transaction.atomic
def reassign(*, work_item: WorkItem, actor, to) -> WorkItem:
    """A manager hands a task to another person."""
    item = _fresh(work_item)
    ensure_open(item)
    ensure_manages(actor, item)
    if not to.is_active:
        raise ApplicationError(
            _("%(person)s cannot take tasks (inactive account).") % {"person": to}
        )
    before = item.assignee
    bump(WorkItem.objects.filter(pk=item.pk), assignee=to, claimed_at=clock.now())
    _history(
        item,
        CaseEvent.Kind.REASSIGNED,
        actor,
        {"from": str(before) if before else "", "to": str(to)},
    )
    return _fresh(item)
