"""Cross-field checks shared by serializers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers


def ensure_same_account(attrs: dict, account, *names: str) -> None:
    """Refuse referenced records (opportunity, offer …) that belong to another account."""
    errors = {
        name: [_("This record belongs to another account.")]
        for name in names
        if attrs.get(name) is not None and attrs[name].account_id != account.pk
    }
    if errors:
        raise serializers.ValidationError(errors)
