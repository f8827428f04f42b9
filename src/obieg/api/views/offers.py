"""Offers: created with their lines, changed while draft, revised, moved through statuses."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from obieg.api.filters import OfferFilter
from obieg.api.serializers.offers import (
    OfferSerializer,
    OfferStatusSerializer,
    OfferUpdateSerializer,
)
from obieg.api.views.base import CreateMixin, RecordViewSet, UpdateMixin
from obieg.api.views.history import HistoryMixin
from obieg.sales import services
from obieg.sales.models import Offer


class OfferViewSet(CreateMixin, UpdateMixin, HistoryMixin, RecordViewSet):
    """Offers: one row per revision, with lines, per-rate VAT totals and margin.

    No DELETE: an offer sent to a customer is a record; a new revision replaces it.
    """

    queryset = Offer.objects.prefetch_related("lines")
    serializer_class = OfferSerializer
    update_serializer_class = OfferUpdateSerializer
    filterset_class = OfferFilter
    search_fields = ["number", "title", "account__name"]
    ordering_fields = ["created_at", "updated_at", "number", "total_net", "valid_until", "id"]
    ordering = ["-created_at"]

    def create_record(self, data):
        return services.offer_create(
            actor=self.request.user,
            account=data.pop("account"),
            lines=data.pop("lines", []),
            **data,
        )

    @transaction.atomic
    def update_record(self, instance, data, revision):
        lines = data.pop("lines", None)
        # offer_update runs even with no field changes: it checks the revision
        # on the locked row, so a stale edit of the lines alone is refused too.
        offer = services.offer_update(
            actor=self.request.user, offer=instance, data=data, revision=revision
        )
        if lines is not None:
            offer = services.offer_replace_lines(actor=self.request.user, offer=offer, lines=lines)
        return offer

    @extend_schema(
        summary="Start a new revision (a draft copy); the current one is superseded",
        request=None,
        responses={201: OfferSerializer},
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        revised = services.offer_revise(actor=request.user, offer=self.get_object())
        return self.respond(revised, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move the offer along draft → sent → accepted / rejected",
        request=OfferStatusSerializer,
        responses=OfferSerializer,
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        offer = self.get_object()
        new_status = self.validated(OfferStatusSerializer)["status"]
        changed = services.offer_set_status(actor=request.user, offer=offer, status=new_status)
        return self.respond(changed, serializer_class=OfferSerializer)
