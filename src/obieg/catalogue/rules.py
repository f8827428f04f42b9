"""Who reads and who keeps the catalogue.

The catalogue is the company's price list, not a customer record: it has no
owner or department, so `core.access` scopes do not apply. Everyone who
prices or oversees sales reads it (sellers, their managers, designers who
price PV installations, the office, accounting, the board); only an
administrator or a sales manager changes it, since a price there becomes the
starting price of every new offer line.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from obieg.core import access, roles
from obieg.core.errors import PermissionDenied

READING_ROLES = frozenset(
    {
        *roles.SELLING_ROLES,
        roles.SALES_MANAGER,
        roles.DESIGNER,
        roles.SECRETARIAT,
        roles.DEPARTMENT_HEAD,
        roles.ACCOUNTANT,
        roles.BOARD,
        roles.COORDINATOR,
    }
)


def may_read(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return access.is_admin(user) or bool(user.role_names & READING_ROLES)


def may_edit(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return access.is_admin(user) or user.has_role(roles.SALES_MANAGER)


def ensure_may_read(user) -> None:
    if not may_read(user):
        raise PermissionDenied(_("Your roles do not include the catalogue."))


def ensure_may_edit(user) -> None:
    if not may_edit(user):
        raise PermissionDenied(
            _("Only an administrator or a sales manager may change the catalogue.")
        )
