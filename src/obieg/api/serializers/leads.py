"""Leads and their conversion into account, contact and opportunity."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from obieg.api.serializers.base import RecordSerializer
from obieg.api.serializers.custom import CustomValuesField, CustomValuesMixin
from obieg.api.serializers.fields import VisibleRelatedField
from obieg.crm.models import Account, Lead


class LeadSerializer(CustomValuesMixin, RecordSerializer):
    custom = CustomValuesField(record_type="lead")

    class Meta:
        model = Lead
        fields = [
            "id",
            "source",
            "status",
            "company_name",
            "contact_name",
            "email",
            "phone",
            "nip",
            "postal_code",
            "city",
            "description",
            "owner",
            "department",
            "account",
            "opportunity",
            "custom",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = ["owner", "account", "opportunity"]
        # Leads that other systems send in are, unless they say otherwise, from the API.
        extra_kwargs = {"source": {"default": Lead.Source.API}}

    def validate_status(self, value):
        # Conversion creates the account and opportunity too: only `convert` may do it.
        if value == Lead.Status.CONVERTED:
            raise serializers.ValidationError(_("Use the convert action to convert a lead."))
        return value


class LeadConvertSerializer(serializers.Serializer):
    account = VisibleRelatedField(
        queryset=Account.objects.all(),
        required=False,
        allow_null=True,
        help_text="An existing account to attach to; a new one is created when omitted.",
    )
    opportunity_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, default=0
    )
