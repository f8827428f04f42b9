"""Every role's group exists after a migrate, and again after a flush empties the table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from obieg.core import roles


def _groups() -> set[str]:
    return set(Group.objects.values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_every_role_group():
    """A transactional test ends with a flush: the tests after it still find the roles."""
    call_command("flush", interactive=False, verbosity=0)
    assert _groups() >= set(roles.GROUPS)


@pytest.mark.django_db(transaction=True)
def test_migrate_makes_a_missing_role_group_and_keeps_the_others():
    Group.objects.filter(name=roles.COORDINATOR).delete()
    kept = Group.objects.get(name=roles.SALESPERSON)
    call_command("migrate", verbosity=0)
    assert _groups() >= set(roles.GROUPS)
    assert Group.objects.get(name=roles.SALESPERSON).pk == kept.pk
    assert Group.objects.filter(name__in=roles.GROUPS).count() == len(roles.GROUPS)
