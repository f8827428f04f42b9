"""Contracts with a customer, usually from an accepted offer."""

from __future__ import annotations

from rest_framework import serializers

from obieg.api.serializers.base import RecordSerializer
from obieg.api.serializers.checks import ensure_same_account
from obieg.sales.models import Contract


class ContractSerializer(RecordSerializer):
    # Taken from the offer when one is given, so not required here.
    title = serializers.CharField(max_length=200, required=False)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "account",
            "offer",
            "opportunity",
            "title",
            "status",
            "value_net",
            "value_gross",
            "signed_on",
            "starts_on",
            "ends_on",
            "owner",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = ["number", "owner"]

    def validate(self, attrs):
        account = attrs.get("account") or getattr(self.instance, "account", None)
        if account is not None:
            ensure_same_account(attrs, account, "offer", "opportunity")
        return attrs


class ContractUpdateSerializer(ContractSerializer):
    class Meta(ContractSerializer.Meta):
        read_only_fields = ["number", "owner", "account", "offer"]
