"""Who works on a grant project's claims, durability and documents.

Whoever may change the project (its advisor, their managers, admin) and its
coordinator. The coordinator sees the project as a participant, and the
access policy gives participants reading only, so the coordinator is named
here: one rule for every part of the project.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from obieg.core import access
from obieg.core.errors import PermissionDenied
from obieg.solutions.grants.models import GrantProject


def may_work_on(user, project: GrantProject) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.pk == project.coordinator_id or access.can_change(user, project)


def ensure_may_work_on(user, project: GrantProject, message: str = "") -> None:
    if not may_work_on(user, project):
        raise PermissionDenied(message or _("You may view this project but not change it."))
