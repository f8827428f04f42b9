"""Who may write through the API at all; which records, the services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from obieg.core import access


class WritesNeedAWorkingRole(BasePermission):
    """Reads for every signed-in user; writes for admins and users with a working role.

    The services check each record (`access.ensure_can_change`), but creating
    a new account or lead needs no existing record, so without this the board,
    accounting, or a user with no role at all could add records of their own.
    """

    message = _("Your roles allow reading records, not changing them.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return access.may_create(request.user)
