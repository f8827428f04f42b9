"""Writes of custom field definitions: administrators only, audited, revision-checked.

Nothing here deletes a definition or touches a record's values: a field is
deactivated (hidden everywhere, values kept) and can be activated again; a
choice taken off the list is kept as retired so its label stays readable.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from obieg.core import access, records
from obieg.core.errors import ApplicationError, PermissionDenied
from obieg.customfields.models import CustomField

# What an edit may change; record type, key and kind are fixed at creation.
EDITABLE = ("label_pl", "label_en", "choices", "required", "position", "in_list")


def _ensure_admin(actor) -> None:
    if not access.is_admin(actor):
        raise PermissionDenied(_("Only an administrator defines custom fields."))


def merge_choices(old: list[dict], new: list[dict]) -> list[dict]:
    """The new list in its order, then the old choices it left out, kept as retired."""
    given = {choice["value"] for choice in new}
    kept = [{**choice, "retired": False} for choice in new]
    retired = [{**choice, "retired": True} for choice in old if choice["value"] not in given]
    return kept + retired


def _check_choices(kind: str, choices: list[dict]) -> None:
    if kind == CustomField.Kind.CHOICE and not any(not c.get("retired") for c in choices):
        raise ApplicationError(
            _("A choice field needs at least one choice."),
            field_errors={"choices": [_("A choice field needs at least one choice.")]},
        )


@transaction.atomic
def field_create(*, actor, data: dict[str, Any]) -> CustomField:
    _ensure_admin(actor)
    data = dict(data)
    if data.get("kind") != CustomField.Kind.CHOICE:
        data["choices"] = []
    else:
        data["choices"] = merge_choices([], data.get("choices") or [])
    _check_choices(data.get("kind", ""), data["choices"])
    if CustomField.objects.filter(
        record_type=data.get("record_type"), key=data.get("key")
    ).exists():
        raise _taken()
    try:
        with transaction.atomic():
            return records.record_create(CustomField, actor=actor, data=data)
    except IntegrityError as error:  # the same key created at the same moment
        raise _taken() from error


def _taken() -> ApplicationError:
    message = _("This record type already has a field with this key.")
    return ApplicationError(message, field_errors={"key": [message]})


def field_update(
    *, actor, field: CustomField, data: dict[str, Any], revision: int | None = None
) -> CustomField:
    _ensure_admin(actor)
    fixed = sorted(set(data) - set(EDITABLE))
    if fixed:
        message = _("The record type, key and kind of a field cannot be changed.")
        raise ApplicationError(message, field_errors={name: [message] for name in fixed})
    data = dict(data)
    if field.kind == CustomField.Kind.CHOICE and "choices" in data:
        data["choices"] = merge_choices(field.choices, data["choices"])
        _check_choices(field.kind, data["choices"])
    elif "choices" in data:
        data["choices"] = []
    return records.record_update(field, actor=actor, data=data, revision=revision)


def field_set_active(
    *, actor, field: CustomField, active: bool, revision: int | None = None
) -> CustomField:
    """Hide a field everywhere (its values stay stored) or show it again."""
    _ensure_admin(actor)
    return records.record_update(field, actor=actor, data={"active": active}, revision=revision)
