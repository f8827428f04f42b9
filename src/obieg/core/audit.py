"""The audit trail: every create, update and delete of a business record.

Services call these functions explicitly inside their transaction (no
signals), so the entry is written or rolled back together with the change.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from obieg.core import compiled_once
from obieg.core.models import AuditAction, AuditEntry

# The search and sort columns are derived from audited fields (core.text_search).
SKIPPED_FIELDS = {
    "id", "created_at", "updated_at", "revision",
    "search_name", "search_city", "sort_name", "phone_digits",
}  # fmt: skip
# Bookkeeping that changes on every save; never a reason to save.
BOOKKEEPING_FIELDS = {"created_at", "updated_at", "revision"}


def _display(field: models.Field, value: Any) -> str | None:
    """`value` as a string that is equal for equal values.

    A value read from the database and the same value set by a form may differ
    in form only: Decimal('19.9') against Decimal('19.900000'), or one instant
    in Warsaw time against UTC. Normalising both keeps such non-changes out of
    the audit trail.
    """
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(field, models.JSONField):
        # PostgreSQL's jsonb hands keys back in its own order: compare objects, not their order.
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        try:
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        except InvalidOperation:
            pass
    elif isinstance(value, datetime) and timezone.is_aware(value):
        value = value.astimezone(UTC)
    return str(value)


def snapshot(
    instance: models.Model, *, skipped: frozenset[str] | set[str] = SKIPPED_FIELDS
) -> dict[str, str | None]:
    """The record's audited field values as display strings (FKs by id)."""
    values: dict[str, str | None] = {}
    for field in instance._meta.concrete_fields:
        if field.name in skipped:
            continue
        values[field.name] = _display(field, getattr(instance, field.attname))
    return values


def diff(before: dict[str, str | None], after: dict[str, str | None]) -> dict[str, list]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(instance: models.Model, *, actor, action: str, changes: dict) -> AuditEntry:
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        changes=changes,
    )


def record_create(instance: models.Model, *, actor) -> AuditEntry:
    return record(
        instance, actor=actor, action=AuditAction.CREATE, changes=diff({}, snapshot(instance))
    )


def record_update(instance: models.Model, *, actor, before: dict) -> AuditEntry | None:
    changes = diff(before, snapshot(instance))
    if not changes:
        return None
    return record(instance, actor=actor, action=AuditAction.UPDATE, changes=changes)


def record_delete(instance: models.Model, *, actor, pk) -> AuditEntry:
    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=pk,
        object_repr=str(instance)[:200],
        action=AuditAction.DELETE,
        actor=actor if getattr(actor, "pk", None) else None,
        changes={name: [value, None] for name, value in snapshot(instance).items()},
    )
    entry.save()
    return entry


def history_for(instance: models.Model, *, limit: int = 50) -> list[AuditEntry]:
    """The newest audit entries of one record, with their actors, in one query.

    Every record's page shows them: the statement is compiled once per process
    (core/compiled_once), which cost more than reading the mostly empty history.
    """
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    given = {"type": content_type.pk, "record": instance.pk}
    statement = None
    if isinstance(instance.pk, int):
        statement = compiled_once.compiled(
            ("history", limit),
            _HISTORY_VALUES,
            lambda stand_ins: _entries(stand_ins["type"], stand_ins["record"], limit),
        )
    if statement is None:
        return list(_entries(content_type.pk, instance.pk, limit))
    return compiled_once.instances(statement, given)


_HISTORY_VALUES = {
    "type": compiled_once.Value(int, AuditEntry._meta.get_field("content_type")),
    "record": compiled_once.Value(int, AuditEntry._meta.get_field("object_id")),
}


def _entries(content_type_id, object_id, limit: int) -> models.QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(content_type_id=content_type_id, object_id=object_id)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
