"""Opportunities; `move` changes the pipeline stage (e.g. a kanban drag)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from obieg.api.custom_filters import CustomFieldFilter
from obieg.api.filters import OpportunityFilter
from obieg.api.serializers.opportunities import (
    OpportunityMoveSerializer,
    OpportunitySerializer,
    OpportunityUpdateSerializer,
)
from obieg.api.views.base import CreateMixin, DestroyMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.crm import services
from obieg.crm.models import Opportunity


class OpportunityViewSet(CreateMixin, UpdateMixin, DestroyMixin, HistoryMixin, RecordViewSet):
    """Sales opportunities moving through the pipeline stages."""

    queryset = Opportunity.objects.all()
    serializer_class = OpportunitySerializer
    update_serializer_class = OpportunityUpdateSerializer
    filterset_class = OpportunityFilter
    filter_backends = [*RecordViewSet.filter_backends, CustomFieldFilter]
    custom_record_type = "opportunity"
    search_fields = ["name", "account__name"]
    ordering_fields = [
        "name",
        "stage",
        "value",
        "probability",
        "expected_close",
        "created_at",
        "updated_at",
        "id",
    ]
    ordering = ["-created_at"]

    def create_record(self, data):
        account = data.pop("account")
        return services.opportunity_create(actor=self.request.user, account=account, data=data)

    def update_record(self, instance, data, revision):
        return services.opportunity_update(
            actor=self.request.user, opportunity=instance, data=data, revision=revision
        )

    def delete_record(self, instance):
        services.opportunity_delete(actor=self.request.user, opportunity=instance)

    @extend_schema(
        summary="Move the opportunity to another pipeline stage",
        request=OpportunityMoveSerializer,
        responses=OpportunitySerializer,
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        opportunity = self.get_object()
        stage = self.validated(OpportunityMoveSerializer)["stage"]
        moved = services.opportunity_move_stage(
            actor=request.user, opportunity=opportunity, stage=stage
        )
        return self.respond(moved, serializer_class=OpportunitySerializer)
