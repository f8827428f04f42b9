"""Activities with customers: meetings, calls, notes, e-mails."""

from __future__ import annotations

from obieg.api.filters import ActivityFilter
from obieg.api.serializers.activities import ActivitySerializer, ActivityUpdateSerializer
from obieg.api.views.base import CreateMixin, DestroyMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.crm import services
from obieg.crm.models import Activity


class ActivityViewSet(CreateMixin, UpdateMixin, DestroyMixin, HistoryMixin, RecordViewSet):
    """Meetings, phone calls, notes and e-mails with customers, planned or done."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer
    update_serializer_class = ActivityUpdateSerializer
    filterset_class = ActivityFilter
    search_fields = ["subject", "body"]
    ordering_fields = ["occurs_at", "created_at", "updated_at", "id"]
    ordering = ["-occurs_at"]

    def create_record(self, data):
        account = data.pop("account")
        return services.activity_create(actor=self.request.user, account=account, data=data)

    def update_record(self, instance, data, revision):
        return services.activity_update(
            actor=self.request.user, activity=instance, data=data, revision=revision
        )

    def delete_record(self, instance):
        services.activity_delete(actor=self.request.user, activity=instance)
