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


class DuplicateSerializer(serializers.Serializer):
    """An existing record a new one looks like (`obieg.api.duplicates`)."""

    kind = serializers.ChoiceField(choices=["account", "contact", "lead"])
    id = serializers.IntegerField()
    name = serializers.CharField()
    matched = serializers.ListField(
        child=serializers.ChoiceField(choices=["nip", "regon", "pesel", "email", "phone", "name"]),
        help_text="What is the same: nip, regon, pesel, email, phone, or name (similar).",
    )
    url = serializers.CharField(help_text="The existing record in this API.")


class ModelFindingSerializer(serializers.Serializer):
    """One problem of a process or decision file, as the studio and `obieg deploy` say it."""

    file = serializers.CharField()
    element_id = serializers.CharField(help_text="The element the finding is about ('' for none).")
    name = serializers.CharField()
    message = serializers.CharField()
    refused = serializers.BooleanField(help_text="True: nothing is deployed until it is fixed.")
    line = serializers.CharField(help_text="`file: element id (name): message`, as `obieg deploy`.")


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
    duplicates = DuplicateSerializer(
        many=True,
        required=False,
        help_text="With 409 on creating an account, contact or lead: the existing records "
        "it may duplicate (repeat with ?accept_duplicates=true to create it anyway).",
    )
    findings = ModelFindingSerializer(
        many=True,
        required=False,
        help_text="With 400 from deploying process or decision files: every problem found.",
    )
