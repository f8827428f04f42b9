"""Leads; `convert` turns one into account, contact and opportunity."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action

from obieg.api.custom_filters import CustomFieldFilter
from obieg.api.duplicates import DuplicateCheckMixin, create_schema
from obieg.api.filters import LeadFilter
from obieg.api.serializers.leads import LeadConvertSerializer, LeadSerializer
from obieg.api.serializers.opportunities import OpportunitySerializer
from obieg.api.views.base import CreateMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.crm import services
from obieg.crm.models import Lead
from obieg.crm.selectors.duplicates import lead_duplicates


@extend_schema_view(create=create_schema(LeadSerializer))
class LeadViewSet(DuplicateCheckMixin, CreateMixin, UpdateMixin, HistoryMixin, RecordViewSet):
    """Leads: interest not yet qualified.

    No DELETE: a lead that goes nowhere is disqualified, so its history stays.
    """

    queryset = Lead.objects.all()
    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    filter_backends = [*RecordViewSet.filter_backends, CustomFieldFilter]
    custom_record_type = "lead"
    search_fields = ["company_name", "contact_name", "email", "phone", "nip", "city"]
    ordering_fields = ["created_at", "updated_at", "company_name", "contact_name", "id"]
    ordering = ["-created_at"]

    def find_duplicates(self, data):
        return lead_duplicates(self.request.user, data)

    def create_record(self, data):
        return services.lead_create(actor=self.request.user, data=data)

    def update_record(self, instance, data, revision):
        return services.lead_update(
            actor=self.request.user, lead=instance, data=data, revision=revision
        )

    @extend_schema(
        summary="Convert the lead into an account, a contact and an opportunity",
        request=LeadConvertSerializer,
        responses={201: OpportunitySerializer},
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        lead = self.get_object()
        data = self.validated(LeadConvertSerializer)
        opportunity = services.lead_convert(
            actor=request.user,
            lead=lead,
            account=data.get("account"),
            opportunity_name=data.get("opportunity_name", ""),
            value=data["value"],
        )
        return self.respond(opportunity, status.HTTP_201_CREATED, OpportunitySerializer)
