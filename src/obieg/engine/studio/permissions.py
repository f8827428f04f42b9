"""Who works in the process studio: process administrators and administrators."""

from __future__ import annotations

from django.utils.translation import gettext as _

from obieg.core import access, roles
from obieg.core.errors import PermissionDenied


def may_manage_processes(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return access.is_admin(user) or user.has_role(roles.PROCESS_ADMIN)


def ensure_may_manage_processes(user) -> None:
    if not may_manage_processes(user):
        raise PermissionDenied(
            _("Only process administrators and administrators work with process models.")
        )
