"""Who may work on a task, and who may hand it to someone else."""

from __future__ import annotations

from django.utils.translation import gettext as _

from obieg.core.access import is_admin
from obieg.engine.errors import Conflict, PermissionDenied
from obieg.engine.models import WorkItem


def may_work_on(item: WorkItem, user) -> bool:
    """The assignee, or, while the item waits in a queue, a member of its role or department."""
    if not user.is_authenticated or not user.is_active:
        return False
    if item.assignee_id is not None:
        return item.assignee_id == user.pk
    if item.candidate_group and user.has_role(item.candidate_group):
        return True
    return bool(item.candidate_department_id and item.candidate_department_id == user.department_id)


def was_in_queue_of(user, item: WorkItem) -> bool:
    """The item waited in a queue of the user's before a person had it.

    A task the model gave a person from the start (claimed the moment it was
    created) was never anyone else's to take.
    """
    if item.claimed_at is not None and item.claimed_at <= item.created_at:
        return False
    if item.candidate_group and user.has_role(item.candidate_group):
        return True
    return bool(item.candidate_department_id and item.candidate_department_id == user.department_id)


def ensure_may_work_on(item: WorkItem, user) -> None:
    if not may_work_on(item, user):
        if item.assignee_id is not None and was_in_queue_of(user, item):
            # Taken from the user's own queue meanwhile: a lost race (409), not a 403.
            raise Conflict(_("%(person)s has already taken this task.") % {"person": item.assignee})
        if item.assignee_id is not None:
            raise PermissionDenied(
                _("This task belongs to %(person)s.") % {"person": item.assignee}
            )
        raise PermissionDenied(_("This task is for another role or department."))


def manages(user, item: WorkItem) -> bool:
    """An administrator, the assignee's team manager, or the head of the item's department."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user):
        return True
    assignee = item.assignee
    if assignee is not None:
        if assignee.team is not None and assignee.team.manager_id == user.pk:
            return True
        if assignee.department is not None and assignee.department.head_id == user.pk:
            return True
    department = item.candidate_department
    return bool(department and department.head_id == user.pk)


def ensure_manages(user, item: WorkItem) -> None:
    if not manages(user, item):
        raise PermissionDenied(_("Only a manager of this task's people can hand it over."))
