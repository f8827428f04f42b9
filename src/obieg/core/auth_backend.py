"""Log-in by password, and each request's user read with their standing in one statement.

Every authenticated request reads its user (Django's ModelBackend.get_user),
and every page then asks what the user may do: their roles, whether they
manage a team, whether they head a department (`core.access`, the inbox
badge's Team link). Read one by one that is up to four statements; here the user
row comes with the role names (one row per group, a left join) and the two
flags, and `access.know_standing` keeps them for the request. The user is
still read afresh on every request, so a deactivation, a password change or
a new role counts from the next request, as before.

The statement is compiled once per process (core/compiled_once.py):
building and compiling the queryset cost more Python than sending it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet

from obieg.core import access, compiled_once
from obieg.core.models import Department, Team


class StandingModelBackend(ModelBackend):
    """Django's ModelBackend; `get_user` also reads the user's roles and managerial flags."""

    def get_user(self, user_id):
        fields = _user_fields()
        values = {"user": get_user_model()._meta.pk.to_python(user_id)}
        statement = _read()
        if statement is None:
            rows = list(_user_with_standing(values))
        else:
            rows = compiled_once.converted_rows(statement, values)
        if not rows:
            return None
        first, role = rows[0], len(fields)  # the user's columns, then the role and two flags
        user = get_user_model().from_db(connection.alias, fields, first[:role])
        if not self.user_can_authenticate(user):
            return None
        access.know_standing(
            user,
            role_names=frozenset(row[role] for row in rows if row[role] is not None),
            manages_team=bool(first[role + 1]),
            heads_department=bool(first[role + 2]),
        )
        return user


def _user_fields() -> list[str]:
    return [field.attname for field in get_user_model()._meta.concrete_fields]


def _user_with_standing(values) -> QuerySet:
    """The user's columns once per role they have (or once, with no role), and the two flags."""
    return (
        get_user_model()
        ._default_manager.filter(pk=values["user"])
        .annotate(
            obieg_role=F("groups__name"),
            obieg_manages_team=Exists(Team.objects.filter(manager=OuterRef("pk"))),
            obieg_heads_department=Exists(Department.objects.filter(head=OuterRef("pk"))),
        )
        .order_by()
        .values_list(*_user_fields(), "obieg_role", "obieg_manages_team", "obieg_heads_department")
    )


def _read() -> compiled_once.Compiled | None:
    return compiled_once.compiled(
        ("user with standing",),
        {"user": compiled_once.Value(int, get_user_model()._meta.pk)},
        _user_with_standing,
    )
