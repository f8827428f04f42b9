"""The `custom` object of accounts, contacts, leads and opportunities (obieg.customfields).

Read: every active field of the record type by its key, `null` when empty;
numbers as decimal strings ("150000.5"), dates as "YYYY-MM-DD", choices by
their stored value. Write: the keys given are set (`null` or "" empties
one), the others keep their values; an unknown or deactivated key, a value
of the wrong kind, a choice not offered, or a required field left empty is a
400 naming the key under `custom`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from obieg.customfields import selectors, values
from obieg.customfields.models import CustomField

SCHEMA = {
    "type": "object",
    "description": "Custom fields an administrator defined, by key (GET /api/custom-fields/… "
    "is not needed: unknown keys are refused with 400). Numbers are decimal strings, dates "
    "YYYY-MM-DD, choices their stored value; null empties a field; keys left out keep "
    "their values.",
    "additionalProperties": {"type": "string", "nullable": True, "pattern": r"^[^\u0000]*$"},
}


@extend_schema_field(SCHEMA)
class CustomValuesField(serializers.Field):
    def __init__(self, *, record_type: str, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.record_type = record_type
        self._fields: list[CustomField] | None = None

    def definitions(self) -> list[CustomField]:
        # Read once per serializer: a list of 50 records costs one query for them.
        if self._fields is None:
            self._fields = selectors.active_fields(self.record_type)
        return self._fields

    def get_attribute(self, instance):
        return instance.custom or {}

    def to_representation(self, stored: dict) -> dict:
        return {field.key: stored.get(field.key) for field in self.definitions()}

    def to_internal_value(self, data) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Send an object of field keys and values."))
        fields = {field.key: field for field in self.definitions()}
        instance = getattr(self.parent, "instance", None)
        current = dict(getattr(instance, "custom", None) or {})
        errors: dict[str, list[str]] = {}
        for key, value in data.items():
            field = fields.get(key)
            if field is None:
                errors[str(key)] = [_("There is no such custom field.")]
                continue
            if value is not None and not isinstance(value, str | int | float):
                errors[key] = [_("Send text, a number or null.")]
                continue
            try:
                stored = values.canonical(field, value, previous=current.get(key))
            except DjangoValidationError as error:
                errors[key] = list(error.messages)
                continue
            if stored is None:
                if field.required:
                    errors[key] = [_("This field is required.")]
                current.pop(key, None)
            else:
                current[key] = stored
        if errors:
            raise serializers.ValidationError(errors)
        return values.ordered(current)


class CustomValuesMixin:
    """A record serializer with `custom`; a new record needs its required custom fields."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        field = self.fields.get("custom")
        if field is not None and self.instance is None:
            given = attrs.get("custom") or {}
            missing = {
                definition.key: [_("This field is required.")]
                for definition in field.definitions()
                if definition.required and definition.key not in given
            }
            if missing:
                raise serializers.ValidationError({"custom": missing})
        return attrs
