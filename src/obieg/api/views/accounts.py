"""Accounts (customers) and contact persons."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view

from obieg.api.custom_filters import CustomFieldFilter
from obieg.api.duplicates import DuplicateCheckMixin, create_schema
from obieg.api.filters import AccountFilter, ContactFilter
from obieg.api.serializers.accounts import (
    AccountSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
)
from obieg.api.views.account_merge import AccountMergeMixin
from obieg.api.views.base import CreateMixin, DestroyMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.crm import services
from obieg.crm.models import Account, ContactPerson
from obieg.crm.selectors.duplicates import account_duplicates, contact_duplicates


@extend_schema_view(create=create_schema(AccountSerializer))
class AccountViewSet(
    DuplicateCheckMixin,
    CreateMixin,
    UpdateMixin,
    DestroyMixin,
    HistoryMixin,
    AccountMergeMixin,
    RecordViewSet,
):
    """Customers: companies (NIP, REGON) and private persons (PESEL)."""

    queryset = Account.objects.all()
    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    filter_backends = [*RecordViewSet.filter_backends, CustomFieldFilter]
    custom_record_type = "account"
    search_fields = ["name", "nip", "email", "city"]
    ordering_fields = ["name", "city", "created_at", "updated_at", "id"]
    ordering = ["name"]

    def find_duplicates(self, data):
        return account_duplicates(self.request.user, data)

    def create_record(self, data):
        return services.account_create(actor=self.request.user, data=data)

    def update_record(self, instance, data, revision):
        return services.account_update(
            actor=self.request.user, account=instance, data=data, revision=revision
        )

    def delete_record(self, instance):
        services.account_delete(actor=self.request.user, account=instance)


@extend_schema_view(create=create_schema(ContactSerializer))
class ContactViewSet(
    DuplicateCheckMixin, CreateMixin, UpdateMixin, DestroyMixin, HistoryMixin, RecordViewSet
):
    """Contact persons of accounts; `?account=ID` lists one account's contacts."""

    queryset = ContactPerson.objects.all()
    serializer_class = ContactSerializer
    update_serializer_class = ContactUpdateSerializer
    filterset_class = ContactFilter
    filter_backends = [*RecordViewSet.filter_backends, CustomFieldFilter]
    custom_record_type = "contact"
    search_fields = ["first_name", "last_name", "email", "phone"]
    ordering_fields = ["last_name", "first_name", "created_at", "id"]
    ordering = ["last_name", "first_name"]

    def find_duplicates(self, data):
        return contact_duplicates(self.request.user, data["account"], data)

    def create_record(self, data):
        account = data.pop("account")
        return services.contact_create(actor=self.request.user, account=account, data=data)

    def update_record(self, instance, data, revision):
        return services.contact_update(
            actor=self.request.user, contact=instance, data=data, revision=revision
        )

    def delete_record(self, instance):
        services.contact_delete(actor=self.request.user, contact=instance)
