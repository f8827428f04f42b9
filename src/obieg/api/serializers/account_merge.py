"""The body and answer of merging a duplicate account into another."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from obieg.api.serializers.accounts import AccountSerializer
from obieg.api.serializers.fields import VisibleRelatedField
from obieg.crm import merge
from obieg.crm.models import Account


class AccountMergeSerializer(serializers.Serializer):
    duplicate = VisibleRelatedField(
        queryset=Account.objects.all(),
        help_text="The account merged into this one and then deleted.",
    )
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision of this (surviving) account you compared, or its ETag in "
        "If-Match; a stale one is refused with 409.",
    )
    duplicate_revision = serializers.IntegerField(
        min_value=1, help_text="The revision of the duplicate you compared; stale: 409."
    )
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=[merge.SURVIVOR, merge.DUPLICATE, merge.BOTH]),
        required=False,
        default=dict,
        help_text="Per field (or `address` for the whole address) in which the two differ: "
        "`survivor` (the default), `duplicate`, or `both` for texts such as `notes`. "
        "Empty fields of this account take the duplicate's values.",
    )

    def validate_choices(self, value):
        unknown = sorted(set(value) - set(merge.merge_keys()))
        if unknown:
            raise serializers.ValidationError(
                _("Not fields of an account that a merge chooses: %(fields)s")
                % {"fields": ", ".join(unknown)}
            )
        return value


class AccountMergeResultSerializer(serializers.Serializer):
    account = AccountSerializer(help_text="The surviving account as it is now.")
    moved = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='Records moved, per relation ("sales.offer.account": 3).',
    )
    chosen = serializers.DictField(child=serializers.CharField())
    filled = serializers.ListField(child=serializers.CharField())
