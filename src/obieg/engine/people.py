"""Who a name in a model means: a role, a department or a user — as in Camunda, names.

A model drawn elsewhere names its people by text: `candidateGroups="accounting"`,
`assignee="demo"`. A name goes, in this order, to

1. the administrators' name mapping (`NameMapping`: `accounting → accountant`);
2. a role (a Django group) of that name;
3. a department by code, or by name (any case);
4. a user by username (active).

For a candidate user or an assignee a user of that name comes before roles
and departments. A name matching nothing is a deploy warning; its tasks
wait in the administrators' unassigned queue (`selectors_unassigned`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q

from obieg.core.models import Department
from obieg.engine.models import NameMapping


@dataclass(frozen=True)
class Target:
    """Where a name sends a task: a role's queue, a department's queue, or a person."""

    role: str = ""
    department_id: int | None = None
    user_id: int | None = None


def _user(name: str) -> int | None:
    users = get_user_model().objects.filter(is_active=True, username=name)
    return users.values_list("pk", flat=True).first()


def _role(name: str) -> str:
    return Group.objects.filter(name=name).values_list("name", flat=True).first() or ""


def _department(name: str) -> int | None:
    found = Department.objects.filter(Q(code=name) | Q(name__iexact=name))
    return found.order_by("pk").values_list("pk", flat=True).first()


def _mapped(name: str) -> Target | None:
    mapping = (
        NameMapping.objects.filter(name__iexact=name)
        .select_related("role", "user")
        .only("role__name", "department_id", "user_id", "user__is_active")
        .first()
    )
    if mapping is None:
        return None
    if mapping.role is not None:
        return Target(role=mapping.role.name)
    if mapping.department_id:
        return Target(department_id=mapping.department_id)
    if mapping.user is not None and mapping.user.is_active:
        return Target(user_id=mapping.user_id)
    return None


def resolve(name: str, *, person_first: bool = False) -> Target | None:
    """Where `name` sends a task, or None when it matches nothing."""
    name = (name or "").strip()
    if not name or len(name) > 150:
        return None
    mapped = _mapped(name)
    if mapped is not None:
        return mapped
    if person_first:
        user_id = _user(name)
        if user_id is not None:
            return Target(user_id=user_id)
    role = _role(name)
    if role:
        return Target(role=role)
    department_id = _department(name)
    if department_id is not None:
        return Target(department_id=department_id)
    if not person_first:
        user_id = _user(name)
        if user_id is not None:
            return Target(user_id=user_id)
    return None


def describe(target: Target) -> str:
    """A short text of where a name leads, for deploy messages and pages."""
    if target.role:
        return f"role {target.role!r}"
    if target.department_id is not None:
        code = Department.objects.filter(pk=target.department_id).values_list("code", flat=True)
        return f"department {code.first()!r}"
    users = get_user_model().objects.filter(pk=target.user_id or 0)
    return f"user {users.values_list('username', flat=True).first()!r}"
