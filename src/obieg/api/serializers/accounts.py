"""Accounts (customers) and their contact persons."""

from __future__ import annotations

from obieg.api.serializers.base import RecordSerializer
from obieg.crm.models import Account, ContactPerson


class AccountSerializer(RecordSerializer):
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
            "created_at",
            "updated_at",
            "revision",
        ]
        read_only_fields = ["owner"]


class ContactSerializer(RecordSerializer):
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
            "created_at",
            "updated_at",
            "revision",
        ]


class ContactUpdateSerializer(ContactSerializer):
    """A contact stays with its account; moving it is a new contact."""

    class Meta(ContactSerializer.Meta):
        read_only_fields = ["account"]
