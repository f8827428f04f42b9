"""The one body of every refusal under /api/: what `obieg.api.errors.exception_handler` returns."""

from __future__ import annotations

from rest_framework import serializers


class ConflictSerializer(serializers.Serializer):
    """Where the record stands now, when an update named a revision that is no longer current."""

    revision = serializers.IntegerField(help_text="The record's revision now.")
    changed_by = serializers.CharField(
        allow_null=True, help_text="Who saved the last change; null when it was automatic."
    )
    changed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the last change was saved; null when not recorded."
    )


class ErrorSerializer(serializers.Serializer):
    """A refusal: `detail` says why, and nothing was changed.

    Field errors come as lists of messages under the fields' names (nested
    records' fields nested the same way: `lines` → position → `quantity`),
    errors about the whole request under `non_field_errors`.
    """

    detail = serializers.CharField()
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    conflict = ConflictSerializer(
        required=False, help_text="With 409 for a stale revision: who changed the record."
    )
