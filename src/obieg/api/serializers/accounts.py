"""Accounts (customers) and their contact persons."""

from __future__ import annotations

from obieg.api.serializers.base import RecordSerializer
from obieg.api.serializers.custom import CustomValuesField, CustomValuesMixin
from obieg.crm.models import Account, ContactPerson


class AccountSerializer(CustomValuesMixin, RecordSerializer):
    custom = CustomValuesField(record_type="account")

    class Meta:
        model = Account
        fields = [
            "id",
            "kind",
            "name",
            "nip",
            "regon",
            "pesel",
            "email",
            "phone",
            "website",
            "street",
            "postal_code",
            "city",
            "voivodeship",
            "latitude",
            "longitude",
            "owner",
            "notes",
            "custom",
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = ["owner"]


class ContactSerializer(CustomValuesMixin, RecordSerializer):
    custom = CustomValuesField(record_type="contact")

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "account",
            "first_name",
            "last_name",
            "position",
            "email",
            "phone",
            "is_primary",
            "custom",
            "created_at",
            "updated_at",
            "revision",
        ]


class ContactUpdateSerializer(ContactSerializer):
    """A contact stays with its account; moving it is a new contact."""

    class Meta(ContactSerializer.Meta):
        read_only_fields = ["account"]
