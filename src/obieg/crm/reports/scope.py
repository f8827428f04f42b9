"""Whose figures a reader may see in the reports, and the owner/team filter.

The reports add up records by their owner, so the rule is about people, not
single records (core.access decides those): a salesperson sees their own
figures, a team manager theirs and their teams', the administrator and the
board everyone's. An owner or team outside that is refused, never silently
narrowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from obieg.core import access, roles
from obieg.core.errors import PermissionDenied
from obieg.core.models import Team, User

# Who has figures to look at at all: sellers, their managers, the board, the administrator.
REPORTING_ROLES = (*roles.SELLING_ROLES, roles.SALES_MANAGER, roles.BOARD)


def sees_everyone(user) -> bool:
    return access.is_admin(user) or user.has_role(roles.BOARD)


def may_see_reports(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return sees_everyone(user) or user.has_role(*REPORTING_ROLES) or access.manages_team(user)


def ensure_may_see_reports(user) -> None:
    if not may_see_reports(user):
        raise PermissionDenied(
            _("Sales reports are for salespeople, their managers and the board.")
        )


def people(user) -> QuerySet:
    """The people whose figures `user` may see (active or not: past figures stay theirs)."""
    everyone = User.objects.all()
    if sees_everyone(user):
        return everyone
    if access.manages_team(user):
        return everyone.filter(Q(pk=user.pk) | Q(team__manager=user))
    return everyone.filter(pk=user.pk)


def teams(user) -> QuerySet:
    """The teams `user` may report on as a whole."""
    if sees_everyone(user):
        return Team.objects.all()
    return Team.objects.filter(manager=user)


@dataclass(frozen=True)
class Owners:
    """Whose records a report adds up: `ids` is None for everyone (the unassigned too)."""

    ids: frozenset[int] | None

    def q(self, field: str = "owner") -> Q:
        if self.ids is None:
            return Q()
        return Q(**{f"{field}__in": sorted(self.ids)})


def owners_for(user, *, owner: User | None = None, team: Team | None = None) -> Owners:
    """The owners a report covers for `user`, narrowed to one person or one team.

    Raises PermissionDenied for a person or team outside what `user` may see.
    """
    allowed = people(user)
    if owner is not None:
        if not allowed.filter(pk=owner.pk).exists():
            raise PermissionDenied(_("You may not see this person's figures."))
        return Owners(frozenset({owner.pk}))
    if team is not None:
        if not teams(user).filter(pk=team.pk).exists():
            raise PermissionDenied(_("You may not see this team's figures."))
        return Owners(frozenset(allowed.filter(team=team).values_list("pk", flat=True)))
    if sees_everyone(user):
        return Owners(None)
    return Owners(frozenset(allowed.values_list("pk", flat=True)))
