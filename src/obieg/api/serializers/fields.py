"""Serializer fields shared by the API: Polish identifiers and access-scoped references."""

from __future__ import annotations

from rest_framework import serializers

from obieg.core import access, fields, identifiers


class _IdentifierField(serializers.CharField):
    """Accepts any common spelling, validates the checksum, returns the compact digits.

    Like the model fields' `to_python`, so a bad number is a field error here,
    and a well-formed "526-000-12-46" is not refused for being longer than
    the ten digits that are stored.
    """

    def __init__(self, **kwargs):
        # The limit applies to what is typed (spaces, dashes, "PL" prefix).
        kwargs["max_length"] = 20
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return type(self).cleaner(value) if value else ""


class NipField(_IdentifierField):
    cleaner = staticmethod(identifiers.clean_nip)


class RegonField(_IdentifierField):
    cleaner = staticmethod(identifiers.clean_regon)


class PeselField(_IdentifierField):
    cleaner = staticmethod(identifiers.clean_pesel)


IDENTIFIER_FIELDS = {
    fields.NipField: NipField,
    fields.RegonField: RegonField,
    fields.PeselField: PeselField,
}


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a record the requesting user may see.

    Anything else reads as "does not exist", so an id outside the user's
    scope is a 400 field error that does not reveal whether the record exists.
    """

    def get_queryset(self):
        return access.visible(super().get_queryset(), self.context["request"].user)
