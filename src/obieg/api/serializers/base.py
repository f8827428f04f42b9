"""The base of every record serializer: identifier fields and the revision check."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.relations import PrimaryKeyRelatedField

from obieg.api.serializers.fast import FastRepresentation
from obieg.api.serializers.fields import IDENTIFIER_FIELDS, VisibleRelatedField
from obieg.core.access import AccessPaths


# Rows are rendered by FastRepresentation (the same JSON, less Python); said
# here, not in the docstring, which the schema shows for every record.
class RecordSerializer(FastRepresentation, serializers.ModelSerializer):
    """Validates what views hand to the services, and renders records.

    `revision` is returned with every record; an update must send it back (or
    the ETag in If-Match) and gets 409 if someone saved in between
    (optimistic concurrency, `obieg.api.concurrency`).
    References to business records only accept records the user can see.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **IDENTIFIER_FIELDS,
    }

    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On PUT/PATCH, the revision you read (or send its ETag in If-Match); "
        "a stale one is refused with 409.",
    )

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        model = relation_info.related_model
        if field_class is PrimaryKeyRelatedField and isinstance(
            getattr(model, "access", None), AccessPaths
        ):
            field_class = VisibleRelatedField
        return field_class, kwargs
