"""Rows keyed by owner: their names in one query, in name order, the unassigned last."""

from __future__ import annotations

from obieg.core.models import User
from obieg.crm.reports.table import owner_label


def by_name(owner_ids) -> list[tuple[int | None, str]]:
    """(id, name) of the given owners (None: no owner), sorted by name."""
    ids = {pk for pk in owner_ids if pk is not None}
    named = [(user.pk, str(user)) for user in User.objects.filter(pk__in=ids)]
    named.sort(key=lambda pair: (pair[1].casefold(), pair[0]))
    if None in owner_ids:
        named.append((None, owner_label(None)))
    return named
