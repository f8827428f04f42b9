"""Audit trail entries: who changed which fields of a record, when."""

from __future__ import annotations

from rest_framework import serializers

from obieg.core.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text='{"field": [old, new]}, values as display strings (references by id).',
    )

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "action", "actor", "actor_name", "changes"]
        read_only_fields = fields

    def get_actor_name(self, entry: AuditEntry) -> str | None:
        return str(entry.actor) if entry.actor_id else None
