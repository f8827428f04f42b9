"""Generic, audited writes of one business record.

Entity services (`account_create`, `offer_line_add` …) build on these so that
validation, the optimistic revision check and the audit entry are done the
same way everywhere. Each call is one transaction; the caller may wrap more.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from obieg.core import audit
from obieg.core.errors import ApplicationError, Conflict

M = TypeVar("M", bound=models.Model)


def validation_error_to_application_error(error: ValidationError) -> ApplicationError:
    if hasattr(error, "error_dict"):
        field_errors = {
            field: [str(message) for e in errors for message in e.messages]
            for field, errors in error.error_dict.items()
        }
        message = "; ".join(f"{k}: {' '.join(v)}" for k, v in field_errors.items())
        return ApplicationError(message, field_errors=field_errors)
    return ApplicationError(" ".join(error.messages), field_errors={"__all__": error.messages})


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise validation_error_to_application_error(error) from error


@transaction.atomic
def record_create(model: type[M], *, actor, data: dict[str, Any]) -> M:
    instance = model(**data)
    full_clean(instance)
    instance.save()
    audit.record_create(instance, actor=actor)
    return instance


@transaction.atomic
def record_update(instance: M, *, actor, data: dict[str, Any], revision: int | None = None) -> M:
    """Apply `data`; refuse with Conflict when `revision` is stale.

    The row is locked and re-read so two users saving at once cannot
    silently overwrite each other: the second one gets a clear 409.
    When `data` changes nothing, nothing is written (no save, no new
    revision, no audit entry).
    """
    model = type(instance)
    locked = model._default_manager.select_for_update().get(pk=instance.pk)
    if hasattr(locked, "revision") and revision is not None and locked.revision != revision:
        raise Conflict(
            _("This record was changed by someone else in the meantime; reload it and try again.")
        )
    before = audit.snapshot(locked)
    before_all = audit.snapshot(locked, skipped=audit.BOOKKEEPING_FIELDS)
    for name, value in data.items():
        setattr(locked, name, value)
    full_clean(locked)
    if before_all == audit.snapshot(locked, skipped=audit.BOOKKEEPING_FIELDS):
        # Nothing changed: no save, so the revision stays and open forms stay valid.
        return locked
    if hasattr(locked, "revision"):
        locked.revision = locked.revision + 1
    locked.save()
    audit.record_update(locked, actor=actor, before=before)
    return locked


@transaction.atomic
def record_delete(instance: models.Model, *, actor) -> None:
    pk = instance.pk
    try:
        instance.delete()
    except models.ProtectedError as error:
        raise ApplicationError(
            _("This record cannot be deleted while other records refer to it.")
        ) from error
    audit.record_delete(instance, actor=actor, pk=pk)
