"""Activities: meetings, calls, notes and e-mails with a customer."""

from __future__ import annotations

from obieg.api.serializers.base import RecordSerializer
from obieg.api.serializers.checks import ensure_same_account
from obieg.crm.models import Activity


class ActivitySerializer(RecordSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "account",
            "contact",
            "opportunity",
            "kind",
            "status",
            "subject",
            "body",
            "occurs_at",
            "duration_minutes",
            "outcome",
            "owner",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = ["owner"]

    def validate(self, attrs):
        account = attrs.get("account") or getattr(self.instance, "account", None)
        if account is not None:
            ensure_same_account(attrs, account, "contact", "opportunity")
        return attrs


class ActivityUpdateSerializer(ActivitySerializer):
    class Meta(ActivitySerializer.Meta):
        read_only_fields = ["owner", "account"]
