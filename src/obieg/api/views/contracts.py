"""Contracts with customers."""

from __future__ import annotations

from obieg.api.filters import ContractFilter
from obieg.api.serializers.contracts import ContractSerializer, ContractUpdateSerializer
from obieg.api.views.base import CreateMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.sales import services
from obieg.sales.models import Contract


class ContractViewSet(CreateMixin, UpdateMixin, HistoryMixin, RecordViewSet):
    """Contracts with customers, usually from an accepted offer.

    No DELETE: a contract ends as completed or terminated, and stays on record.
    """

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    update_serializer_class = ContractUpdateSerializer
    filterset_class = ContractFilter
    search_fields = ["number", "title", "account__name"]
    ordering_fields = ["created_at", "updated_at", "number", "value_net", "signed_on", "id"]
    ordering = ["-created_at"]

    def create_record(self, data):
        account = data.pop("account")
        return services.contract_create(actor=self.request.user, account=account, data=data)

    def update_record(self, instance, data, revision):
        return services.contract_update(
            actor=self.request.user, contract=instance, data=data, revision=revision
        )
