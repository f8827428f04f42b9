"""Opportunities and their moves through the pipeline stages."""

from __future__ import annotations

from rest_framework import serializers

from obieg.api.serializers.base import RecordSerializer
from obieg.api.serializers.custom import CustomValuesField, CustomValuesMixin
from obieg.crm.models import Opportunity


class OpportunitySerializer(CustomValuesMixin, RecordSerializer):
    custom = CustomValuesField(record_type="opportunity")
    weighted_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "account",
            "name",
            "stage",
            "value",
            "probability",
            "weighted_value",
            "expected_close",
            "owner",
            "department",
            "escalated_to_board",
            "closed_at",
            "lost_reason",
            "custom",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = ["owner", "closed_at"]


class OpportunityUpdateSerializer(OpportunitySerializer):
    class Meta(OpportunitySerializer.Meta):
        read_only_fields = ["owner", "closed_at", "account"]


class OpportunityMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Opportunity.Stage.choices)
