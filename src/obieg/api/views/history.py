"""`GET …/{id}/history/`: the audit trail of one record the user can see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from obieg.api.pagination import KeysetPagination
from obieg.api.serializers.audit import AuditEntrySerializer
from obieg.core.models import AuditEntry


class HistoryPagination(KeysetPagination):
    """Newest first, on the (content type, object, -at) index; `?ordering=` does not apply."""

    page_size = 25

    def get_ordering(self, request, queryset, view):
        return ("-at", "-id")


class HistoryMixin:
    @extend_schema(
        summary="Audit history of the record",
        responses=AuditEntrySerializer(many=True),
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=AuditEntrySerializer,
        pagination_class=HistoryPagination,
        filter_backends=[],
    )
    def history(self, request, pk=None):
        record = self.get_object()  # 404 outside the user's scope
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
            object_id=record.pk,
        ).select_related("actor")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
